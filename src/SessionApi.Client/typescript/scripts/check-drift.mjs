#!/usr/bin/env node
// Fails when src/generated/* is not exactly what the generator produces from the committed
// OpenAPI document: someone edited generated code by hand, or changed the server's contract
// without running `npm run generate`.
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generate, generatedDir, generatedFiles } from "./generate.mjs";

const tmp = mkdtempSync(join(tmpdir(), "sessionapi-drift-"));
let failures = 0;
try {
  const { input } = generate({ outDir: tmp });
  const committed = existsSync(generatedDir) ? readdirSync(generatedDir) : [];
  for (const extra of committed.filter((f) => !generatedFiles.includes(f))) {
    console.error(`drift: src/generated/${extra} is not produced by the generator`);
    failures++;
  }
  for (const file of generatedFiles) {
    const fresh = readFileSync(join(tmp, file), "utf8");
    const path = join(generatedDir, file);
    if (!existsSync(path)) {
      console.error(`drift: src/generated/${file} is missing`);
      failures++;
      continue;
    }
    const current = readFileSync(path, "utf8");
    if (current !== fresh) {
      const a = current.split("\n");
      const b = fresh.split("\n");
      let line = 0;
      while (line < Math.max(a.length, b.length) && a[line] === b[line]) line++;
      console.error(`drift: src/generated/${file} differs from a fresh generation at line ${line + 1}`);
      console.error(`  committed: ${JSON.stringify(a[line] ?? "<end of file>")}`);
      console.error(`  generated: ${JSON.stringify(b[line] ?? "<end of file>")}`);
      failures++;
    }
  }
  if (failures === 0) console.log(`no drift: src/generated matches ${input}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(failures === 0 ? 0 : 1);
