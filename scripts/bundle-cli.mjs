// Bundles the CLI into dist/cli/bin.js (+ lazily loaded chunks) so that start-up reads a few files, not ~100:
// Node 20 pays a fixed cost per ES module file. The library build (tsc, dist/**) is left as it is.
import { chmod } from "node:fs/promises";
import { build } from "esbuild";

await build({
  entryPoints: { bin: "src/cli/bin.ts", "chunks/worker": "src/trail/worker.ts" },
  outdir: "dist/cli",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  chunkNames: "chunks/[name]-[hash]",
  // Packages loaded only inside actions that need them, or that read their own files at run time.
  external: ["@aws-sdk/*", "@cloud-copilot/*", "zod"],
  // Bundled CommonJS (commander, smithy's ini loader) calls require(): give ESM a real one.
  banner: {
    js: "import { createRequire as __adCreateRequire } from 'node:module'; const require = __adCreateRequire(import.meta.url);",
  },
  legalComments: "none",
  logLevel: "warning",
});
await chmod("dist/cli/bin.js", 0o755);
