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
  // the other shapes the parser reads (traceback, Go and JS v3 SDKs, Terraform, S3 XML), so that their code is
  // cached too, not only the bench's AccessDenied line
  [
    "explain",
    'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\n    s3.list_buckets()\nbotocore.exceptions.NoCredentialsError: Unable to locate credentials',
  ],
  [
    "explain",
    "operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: 11111111-2222-3333-4444-555555555555, api error ExpiredToken: The security token included in the request is expired",
    "--verbose",
  ],
  [
    "explain",
    "ExpiredTokenException: The security token included in the request is expired\n    at throwDefaultError (/app/node_modules/@smithy/smithy-client/dist-cjs/index.js:867:20)",
  ],
  [
    "explain",
    "\u2502 Error: creating IAM Role (app): operation error IAM: CreateRole, https response error StatusCode: 403, RequestID: 11111111-2222-3333-4444-555555555555, api error AccessDenied: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/app with an explicit deny in a service control policy\n\u2502\n\u2502   with aws_iam_role.app,\n\u2502   on main.tf line 1",
    "--region",
    "eu-west-1",
  ],
  [
    "explain",
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message></Error>',
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
