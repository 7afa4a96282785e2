// Start-up bench: median wall time of `node dist/cli/bin.js creds` vs `node -e 0` (20 runs each, interleaved), in a
// clean environment (PATH, HOME, NO_COLOR, AWS_PROFILE only: the primary figure) and in this machine's environment
// (which may hold variables that slow down every Node start, e.g. NODE_EXTRA_CA_CERTS, and so flatter the ratio).
// Both run against a temporary HOME with a small config so the result does not depend on this machine's files.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.argv[2] ?? 20);
const home = mkdtempSync(join(tmpdir(), "authdoctor-bench-creds-"));
mkdirSync(join(home, ".aws"));
writeFileSync(
  join(home, ".aws/config"),
  "[default]\nregion = eu-west-1\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = default\n",
);
writeFileSync(
  join(home, ".aws/credentials"),
  "[default]\naws_access_key_id = AKIASP2TPHJSQH3FJXYZ\naws_secret_access_key = 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\n",
);
const envs = {
  clean: { PATH: process.env.PATH, HOME: home, NO_COLOR: "1", AWS_PROFILE: "dev" },
  machine: { ...process.env, HOME: home, NO_COLOR: "1", AWS_PROFILE: "dev" },
};
for (const k of Object.keys(envs.machine)) {
  if (k.startsWith("AWS_") && k !== "AWS_PROFILE") delete envs.machine[k];
}
const commands = {
  base: ["-e", "0"],
  creds: ["dist/cli/bin.js", "creds"],
  floor: ["dist/cli/bin.js", "--version"],
};

function time(args, env) {
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, args, { cwd: root, env, stdio: "ignore" });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const min = (xs) => Math.min(...xs);

const times = {};
for (const [e, env] of Object.entries(envs)) {
  for (const [c, args] of Object.entries(commands)) {
    time(args, env); // warm the file cache once
    times[`${e} ${c}`] = [];
  }
}
for (let i = 0; i < RUNS; i++) {
  for (const [e, env] of Object.entries(envs)) {
    for (const [c, args] of Object.entries(commands)) times[`${e} ${c}`].push(time(args, env));
  }
}
rmSync(home, { recursive: true, force: true });

const rows = Object.keys(envs).map((e) => {
  const [b, c, f] = Object.keys(commands).map((k) => times[`${e} ${k}`]);
  const ratio = median(c) / median(b);
  return `| ${e} | ${median(b).toFixed(1)} ms | ${median(f).toFixed(1)} ms (${(median(f) / median(b)).toFixed(2)}x) | ${median(c).toFixed(1)} ms | ${ratio.toFixed(2)}x ${ratio <= 2.5 ? "(met)" : "(NOT met)"} | ${min(b).toFixed(1)} / ${min(f).toFixed(1)} / ${min(c).toFixed(1)} ms |`;
});
const md = `# creds start-up

Median wall time of ${RUNS} runs each, all commands and both environments interleaved, Node ${process.version},
${new Date().toISOString().slice(0, 10)} (\`node bench/creds.mjs\`; temporary HOME with a role profile; shared 2-core
machine, so figures are noisy). Target: \`authdoctor creds\` <= 2.5x \`node -e 0\`.

- **clean**: only PATH, HOME, NO_COLOR and AWS_PROFILE set. This is the figure that counts.
- **machine**: this machine's environment (AWS_* other than AWS_PROFILE removed). Here it sets
  NODE_EXTRA_CA_CERTS${process.env.NODE_EXTRA_CA_CERTS ? "" : " (not set in this run)"}, which makes every Node start
  (\`node -e 0\` included) read a CA bundle, so the ratio looks better than it is.

| environment | \`node -e 0\` | \`authdoctor --version\` (skeleton) | \`authdoctor creds\` | creds ratio | fastest runs (node / version / creds) |
|---|---|---|---|---|---|
${rows.join("\n")}

Before the code-cache loader (same day, clean environment): \`node -e 0\` 19.8 ms, \`creds\` 42-51 ms
(2.1-2.7x, depending on the config files; 2.28x with this bench's role profile in an interleaved A/B). What changed is in
\`bench/results/startup.md\` (the CLI start-up is shared); for \`creds\` itself, smithy's ini loader is now bundled
(it was resolved and compiled from six files of node_modules at every run, ~10 ms).
`;
writeFileSync(join(root, "bench/results/creds.md"), md);
process.stdout.write(md);
