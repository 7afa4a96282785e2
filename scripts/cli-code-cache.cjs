// Build step (run by scripts/bundle-cli.mjs): runs the bundled CLI over typical commands, then writes the V8 code
// cache of everything it compiled to a file for dist/cli/bin.js to load.
// Usage: node scripts/cli-code-cache.cjs <bundle> <cache file> [command]: with a command, only its own runs (a
// smaller cache is faster to load); without, all of them.
"use strict";
const { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { dirname, join, resolve } = require("node:path");
const { pathToFileURL } = require("node:url");
const vm = require("node:vm");

// as dist/cli/bin.js does for explain (V8 rejects a cache made under other flags)
if (process.argv[4] === "explain" && Number.parseInt(process.versions.node, 10) <= 24) {
  require("node:v8").setFlagsFromString("--no-regexp-tier-up");
}
const file = resolve(process.argv[2]);
const [, , , out, only] = process.argv;
const url = pathToFileURL(file).href;
const load = (specifier) => import(specifier.startsWith(".") ? new URL(specifier, url).href : specifier);
const script = new vm.Script(readFileSync(file, "latin1"), {
  filename: file,
});
const run = script.runInThisContext();

// A small fixed HOME so `creds` walks its usual paths whatever the build machine has.
const home = mkdtempSync(join(tmpdir(), "authdoctor-code-cache-"));
mkdirSync(join(home, ".aws"));
writeFileSync(
  join(home, ".aws/config"),
  "[default]\nregion = eu-west-1\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = default\n",
);
writeFileSync(
  join(home, ".aws/credentials"),
  "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
);
for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
process.env.HOME = home;
process.env.USERPROFILE = home;
process.env.NO_COLOR = "1";

const denied =
  'An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::123456789012:assumed-role/app/i-1 is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" because no identity-based policy allows the s3:GetObject action';
const all = [
  ["explain", denied],
  [
    "explain",
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.",
    "--json",
  ],
  ["creds"],
  ["creds", "--profile", "dev", "--json"],
  ["--version"],
  ["--help"],
];
const commands = only ? all.filter((args) => args[0] === only) : all;
if (commands.length === 0) throw new Error(`cli-code-cache: no warm-up runs for \`${only}\``);

async function main() {
  const write = { out: process.stdout.write, err: process.stderr.write };
  for (const args of commands) {
    process.argv = [process.execPath, join(dirname(file), "..", "bin.js"), ...args];
    process.stdout.write = process.stderr.write = () => true;
    const module = { exports: {} };
    try {
      run(require, module, module.exports, file, dirname(file), url, load);
      await module.exports.done;
    } finally {
      process.stdout.write = write.out;
      process.stderr.write = write.err;
    }
  }
  process.exitCode = 0;
  writeFileSync(out, script.createCachedData());
}

main().finally(() => rmSync(home, { recursive: true, force: true }));
