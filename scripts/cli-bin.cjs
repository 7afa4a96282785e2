#!/usr/bin/env node
// The `authdoctor` command (copied to dist/cli/bin.js by scripts/bundle-cli.mjs): compiles the bundled CLI with
// the V8 code cache made at build time and runs it. A cache from another Node/V8 is rejected and ignored.
"use strict";
const { existsSync, readFileSync } = require("node:fs");
const { dirname, join } = require("node:path");
const { pathToFileURL } = require("node:url");

/** The bundle (dist/cli/chunks/cli.js), compiled with its code cache. */
function runBundle() {
  const vm = require("node:vm");
  // Node >= 22.1 also caches what the module system loads later (AWS SDK, workers); a no-op where missing.
  require("node:module").enableCompileCache?.();
  const command = process.argv[2];
  // explain runs a few hundred regexes once or twice each: V8 compiles each straight to native code instead of
  // first to bytecode and again to native code at its second run (~2 ms less; explain's code cache is made under
  // the same flag). Node 20-24 only, whose V8 is known to have the flag: an unknown one is reported on stderr.
  if (command === "explain" && Number.parseInt(process.versions.node, 10) <= 24) {
    require("node:v8").setFlagsFromString("--no-regexp-tier-up");
  }
  const file = join(__dirname, "chunks", "cli.js");
  const url = pathToFileURL(file).href;
  // The bundle's `import()` (AWS SDK, iam-data, node: builtins), resolved
  // as from the bundle's own file.
  const load = (specifier) => import(specifier.startsWith(".") ? new URL(specifier, url).href : specifier);
  let cachedData;
  try {
    // `explain` and `creds` have a smaller cache of their own (less to load), every other command the full one
    const own = command === "explain" || command === "creds" ? `.${command}` : "";
    cachedData = readFileSync(`${file}${own}.cache`);
  } catch {
    // no cache: V8 compiles from source
  }
  const script = new vm.Script(readFileSync(file, "latin1"), { filename: file, cachedData });
  script.runInThisContext()(require, module, exports, file, dirname(file), url, load);
  if (command === "explain" || command === "creds") {
    // Done, and all output handed to the OS: end now instead of tearing the heap down first (~2-3 ms). Other
    // commands may still have work in flight (workers, files) and end the usual way.
    module.exports.done.then(() => {
      if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
    });
  }
}

/**
 * tsc's own ES module tree (dist/cli/main.js, dist/cli/commands/... and the rest), when `tsc` ran alone after the last bundle: slower to
 * start, but current. dist/cli/package.json says CommonJS, so a load hook declares those files ES modules.
 */
function runTscOutput() {
  const { register } = require("node:module");
  if (!register) {
    process.stderr.write(
      "authdoctor: dist/cli/chunks is older than the last tsc build: run `npm run build`\n",
    );
    process.exitCode = 1;
    return;
  }
  const dir = pathToFileURL(join(__dirname, "/")).href;
  const hooks = `const dir = ${JSON.stringify(dir)};
export async function load(url, context, next) {
  if (!url.startsWith(dir) || url.slice(dir.length).startsWith("chunks") || !url.endsWith(".js")) return next(url, context);
  const { readFile } = await import("node:fs/promises");
  return { format: "module", source: await readFile(new URL(url)), shortCircuit: true };
}`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
  import(`${dir}main.js`);
}

// The bundle step deletes tsc's dist/cli/*.js: main.js back outside a running `npm run build` (dist/cli/.building)
// means `tsc` ran alone after it, and the bundle is stale.
if (existsSync(join(__dirname, "main.js")) && !existsSync(join(__dirname, ".building"))) runTscOutput();
else runBundle();
