#!/usr/bin/env node
// The `authdoctor` command (copied to dist/cli/bin.js by scripts/bundle-cli.mjs): compiles the bundled CLI with
// the V8 code cache made at build time and runs it. A cache from another Node/V8 is rejected and ignored.
"use strict";
const { existsSync, readFileSync } = require("node:fs");
const { dirname, join } = require("node:path");
const { pathToFileURL } = require("node:url");
const vm = require("node:vm");

// The bundle step deletes tsc's dist/cli/*.js: if main.js is back, `tsc` ran alone after it and the bundle is stale.
if (existsSync(join(__dirname, "main.js"))) {
  process.stderr.write(
    "authdoctor: the CLI bundle in dist/cli/chunks predates the last tsc build: run `npm run build`\n",
  );
  process.exit(1);
}

// Node >= 22.1 also caches what the module system loads later (AWS SDK, workers); a no-op where missing.
require("node:module").enableCompileCache?.();
// explain runs a few hundred regexes once or twice each: V8 compiles each straight to native code instead of first
// to bytecode and again to native code at its second run (~2 ms less; the same flag builds explain's code cache).
// (Node 20-24 only, whose V8 is known to have the flag: an unknown one would be reported on stderr.)
if (process.argv[2] === "explain" && Number.parseInt(process.versions.node, 10) <= 24) {
  require("node:v8").setFlagsFromString("--no-regexp-tier-up");
}
const file = join(__dirname, "chunks", "cli.js");
const url = pathToFileURL(file).href;
// The bundle's `import()` (AWS SDK, iam-data, zod, node: builtins, dist/<area>/index.js for diagnose), resolved
// as from the bundle's own file.
const load = (specifier) => import(specifier.startsWith(".") ? new URL(specifier, url).href : specifier);
let cachedData;
try {
  // `explain` and `creds` have a smaller cache of their own (less to load), every other command the full one
  const command = process.argv[2];
  const own = command === "explain" || command === "creds" ? `.${command}` : "";
  cachedData = readFileSync(`${file}${own}.cache`);
} catch {
  // no cache: V8 compiles from source
}
const script = new vm.Script(readFileSync(file, "latin1"), {
  filename: file,
  cachedData,
});
script.runInThisContext()(require, module, exports, file, dirname(file), url, load);
