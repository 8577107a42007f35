#!/usr/bin/env node
// Bundles example/renderer/renderer.js (and the client it imports, resolved through the example's
// dependency on this package, as in a real app) into example/renderer/renderer.bundle.js.
import { build } from "esbuild";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const rendererDir = join(packageDir, "example", "renderer");

export async function bundleRenderer({ outfile = join(rendererDir, "renderer.bundle.js") } = {}) {
  await build({
    entryPoints: [join(rendererDir, "renderer.js")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["chrome120"],
    sourcemap: true,
    logLevel: "warning",
  });
  return outfile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`bundled ${await bundleRenderer()}`);
}
