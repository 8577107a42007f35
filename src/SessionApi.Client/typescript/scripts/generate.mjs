#!/usr/bin/env node
// Regenerates src/generated/* from the server's committed OpenAPI document.
// Usage: node scripts/generate.mjs [--out <dir>] [--input <openapi.json>]
// The input defaults to ../../SessionApi/openapi/SessionApi.json (committed by the server build);
// SESSIONAPI_OPENAPI overrides it. Generated files are never edited by hand: change the server,
// rebuild it (which rewrites the document) and run `npm run generate`.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const defaultInput = resolve(packageDir, "../../SessionApi/openapi/SessionApi.json");
export const generatedDir = join(packageDir, "src", "generated");
/** Every file the generator writes, relative to the output directory. */
export const generatedFiles = ["schema.ts"];

export function generate({ input = process.env.SESSIONAPI_OPENAPI || defaultInput, outDir = generatedDir } = {}) {
  if (!existsSync(input)) {
    throw new Error(`OpenAPI document not found: ${input} (build src/SessionApi to produce it, or set SESSIONAPI_OPENAPI)`);
  }
  mkdirSync(outDir, { recursive: true });
  const cli = join(packageDir, "node_modules", "openapi-typescript", "bin", "cli.js");
  // --alphabetize keeps the output stable when the server reorders its endpoints or schemas;
  // --empty-objects-unknown: a session document is "any JSON object" ({"type":"object"} with no
  // properties), which must map to Record<string, unknown>, not Record<string, never>.
  // --enum-values: every string enum of the document (ProblemCode, WriteMode, ResetReason, ...) also
  // as a runtime array, so the client's code lists are generated too.
  execFileSync(process.execPath, [cli, input, "--output", join(outDir, "schema.ts"), "--alphabetize", "--empty-objects-unknown", "--enum-values"], {
    cwd: packageDir,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return { input, outDir };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const { input, outDir } = generate({ input: opt("--input"), outDir: opt("--out") });
  console.log(`generated ${generatedFiles.join(", ")} in ${outDir} from ${input}`);
}
