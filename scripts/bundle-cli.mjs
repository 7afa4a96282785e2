// Bundles the CLI into one CommonJS function (dist/cli/chunks/cli.js) plus a V8 code cache made at build time,
// and writes the tiny loader dist/cli/bin.js that compiles the bundle with that cache: start-up then neither reads
// ~10 ES module files nor parses/compiles the code it runs. The library build (tsc, dist/**) is left as it is.
import { spawnSync } from "node:child_process";
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { build } from "esbuild";

const out = "dist/cli";
// `npm run build` calls this script with --start before tsc: while the build runs, dist/cli/.building tells bin.js
// that tsc's dist/cli/main.js is not a stale bundle's sign (the bundle step removes both).
const building = `${out}/.building`;
if (process.argv[2] === "--start") {
  await mkdir(out, { recursive: true });
  await writeFile(building, `${new Date().toISOString()}\n`);
  process.exit(0);
}
// Everything is made in a fresh folder that replaces dist/cli/chunks at the end, so a CLI started during a build
// (other sessions share this tree) finds the old files or the new ones, hardly ever none.
const chunks = `${out}/chunks.${process.pid}.tmp`;

// tsc's per-file dist/cli/*.js are replaced by the bundle (nothing imports them; under dist/cli/package.json they
// would no longer load as ES modules), and chunks from earlier builds go too. bin.js takes a dist/cli/main.js
// (tsc ran after this script) without dist/cli/.building as the sign of a stale bundle.
// The commands' folders (dist/cli/commands/...) go the same way.
for (const f of await readdir(out, { withFileTypes: true })) {
  if (f.isDirectory() && f.name !== "chunks" && !f.name.startsWith("chunks."))
    await rm(`${out}/${f.name}`, { recursive: true, force: true });
}
for (const f of await readdir(out)) {
  if (f.endsWith(".js") && f !== "bin.js") await rm(`${out}/${f}`);
  if (f.startsWith("chunks.") && f.endsWith(".tmp"))
    await rm(`${out}/${f}`, { recursive: true, force: true });
}

const common = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  // Packages loaded only inside actions that need them, or that read their own files at run time; their
  // `import()` stays a real dynamic import.
  external: ["@aws-sdk/*", "@cloud-copilot/*", "@modelcontextprotocol/*", "zod"],
  // CommonJS has no import.meta: its one use is "which file am I" (worker URL, createRequire).
  define: { "import.meta.url": "__adImportMetaUrl" },
  // Less to read at every start; names are kept as they are (error names, stack traces).
  minifyWhitespace: true,
  legalComments: "none",
  logLevel: "warning",
};

/** `\uXXXX` for every non-ASCII UTF-16 unit (esbuild leaves some in regex literals): the bundle is then pure
 * ASCII and bin.js reads it as latin1, a one-byte string with no UTF-8 decoding (~1.5 ms less per start). Only
 * regex, string and comment text holds such characters, where the escape means the same. */
function ascii(text) {
  if (/\\[^\x00-\x7f]/.test(text))
    throw new Error("bundle-cli: an escaped non-ASCII character; escape it in src");
  return text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// commander loads node:child_process at its top level (~2 ms) for git-style executable subcommands, which this CLI
// does not have: it loads on first use instead.
const lazyChildProcess = {
  name: "commander-lazy-child-process",
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const eager = "const childProcess = require('node:child_process');";
      if (!source.includes(eager)) return undefined; // another commander: bundled as it is
      const lazy =
        "let childProcessModule; const childProcess = { get spawn() { return (childProcessModule ??= require('node:child_process')).spawn; } };";
      return { contents: source.replace(eager, lazy), loader: "js" };
    });
  },
};

// `creds` loads smithy's ini parser (the one JS v3 uses) with createRequire at first use: esbuild cannot see that,
// so Node would resolve, read and compile its six files at every `creds` (~10 ms). Bundled instead: same code,
// still run only when first required, and in the code cache.
const bundleIniLoader = {
  name: "bundle-smithy-ini-loader",
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]credentials[\\/]snapshot\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const lazy = /requireLazy\(\s*"@smithy\/shared-ini-file-loader",?\s*\)/g;
      if (!lazy.test(source)) return undefined; // not loaded this way any more: bundled as it is
      return { contents: source.replace(lazy, 'require("@smithy/shared-ini-file-loader")'), loader: "ts" };
    });
  },
};

// The 280 KB action table of `trail explain` stays a file of its own, read only by that command.
const actionMapFile = {
  name: "action-map-file",
  setup(b) {
    b.onResolve({ filter: /\/action-map\.js$/ }, () => ({ path: "./action-map.js", external: true }));
  },
};

// `diagnose --live` loads the live probes (and through them the AWS SDK) with a typed `import()` of
// src/live/index.ts: that module stays the library's own dist/live/index.js, loaded from the bundle at first use,
// so the ~90 KB of probe code is not in the bundle every command compiles.
const liveModule = {
  name: "live-module-external",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/\.\.\/live\/index\.js$/ }, (args) =>
      /[\\/]src[\\/]diagnose[\\/]sources[\\/]/.test(args.importer)
        ? { path: "../../live/index.js", external: true }
        : undefined,
    );
  },
};

// The CLI: the whole file is one function expression `(require, module, exports, __filename, __dirname,
// __adImportMetaUrl, __adImport) => ...` that bin.js compiles with vm.Script (so V8 can use the cached code) and
// calls. Modules behind `await import()` stay lazy: their top level runs only when an action imports them.
const cli = await build({
  ...common,
  entryPoints: { cli: "src/cli/main.ts" },
  outdir: chunks,
  plugins: [actionMapFile, liveModule, lazyChildProcess, bundleIniLoader],
  write: false,
  metafile: true,
  banner: {
    js: "(function (require, module, exports, __filename, __dirname, __adImportMetaUrl, __adImport) {",
  },
  footer: { js: "})" },
});
// The `import()` left (external packages, node: builtins) goes through bin.js's own import(): V8 drops a vm.Script's
// dynamic-import callback from functions it restores from a code cache.
const externalImports = Object.values(cli.metafile.outputs)
  .flatMap((o) => o.imports)
  .filter((i) => i.kind === "dynamic-import" && i.external).length;
let dynamicImports = 0;
const text = cli.outputFiles[0].text.replace(/(?<![\w$.])import\(/g, () => {
  dynamicImports++;
  return "__adImport(";
});
// (import(specifier) with a computed specifier is not in the metafile, hence "at least")
if (cli.outputFiles.length !== 1 || dynamicImports < externalImports) {
  throw new Error(
    `bundle-cli: expected at least ${externalImports} import() in one file, found ${dynamicImports}`,
  );
}
await mkdir(chunks, { recursive: true });
await writeFile(`${chunks}/cli.js`, ascii(text));

// The trail worker thread, started by src/trail/pool.ts as new URL("./worker.js", import.meta.url).
await build({
  ...common,
  entryPoints: { worker: "src/trail/worker.ts" },
  outdir: chunks,
  banner: { js: 'const __adImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
});

await build({ ...common, entryPoints: { "action-map": "src/trail/action-map.ts" }, outdir: chunks });

// dist/cli is CommonJS: no ES module loader at start-up for bin.js (about 5 ms on Node 20).
await writeFile(`${out}/package.json`, '{ "type": "commonjs" }\n');
await copyFile("scripts/cli-bin.cjs", `${out}/bin.js.tmp`);
await chmod(`${out}/bin.js.tmp`, 0o755);

// The code caches: run the bundle over typical commands in a fresh process each, then serialise what V8 compiled.
// `explain` and `creds` (the start-up targets) get a cache of their own, every other command uses the full one.
for (const [command, cache] of [
  [undefined, `${chunks}/cli.js.cache`],
  ["explain", `${chunks}/cli.js.explain.cache`],
  ["creds", `${chunks}/cli.js.creds.cache`],
]) {
  const args = ["scripts/cli-code-cache.cjs", `${chunks}/cli.js`, cache, ...(command ? [command] : [])];
  const made = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (made.status !== 0) {
    process.stderr.write(
      `bundle-cli: no code cache ${cache} (the CLI works, only slower to start):\n${made.stderr}`,
    );
  }
}
await rm(`${out}/chunks`, { recursive: true, force: true });
await rename(chunks, `${out}/chunks`);
await rename(`${out}/bin.js.tmp`, `${out}/bin.js`);
await rm(building, { force: true });
