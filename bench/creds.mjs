// Start-up bench: median wall time of `node dist/cli/bin.js creds` vs `node -e 0` (10 runs each, interleaved).
// Runs against a temporary HOME with a small config so the result does not depend on this machine's files.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = 10;
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
const env = { PATH: process.env.PATH, HOME: home, NO_COLOR: "1", AWS_PROFILE: "dev" };

function time(args) {
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, args, { cwd: root, env, stdio: "ignore" });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const base = [];
const creds = [];
const floor = [];
time(["dist/cli/bin.js", "creds"]); // warm the file cache once
for (let i = 0; i < RUNS; i++) {
  base.push(time(["-e", "0"]));
  creds.push(time(["dist/cli/bin.js", "creds"]));
  floor.push(time(["dist/cli/bin.js", "--version"]));
}
rmSync(home, { recursive: true, force: true });
const b = median(base);
const c = median(creds);
const f = median(floor);
const ratio = c / b;
const min = (xs) => Math.min(...xs);
const line = `| \`authdoctor creds\` | ${c.toFixed(1)} ms | ${b.toFixed(1)} ms | ${ratio.toFixed(2)}x | <= 2.5x | ${ratio <= 2.5 ? "met" : "NOT met"} |`;
const md = `# creds start-up

Median wall time of ${RUNS} runs each, interleaved, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}
(\`node bench/creds.mjs\`; temporary HOME with a role profile; shared 2-core machine, so figures are noisy).

| command | median | \`node -e 0\` | ratio | target | |
|---|---|---|---|---|---|
${line}
| \`authdoctor --version\` (CLI skeleton only, for reference) | ${f.toFixed(1)} ms | ${b.toFixed(1)} ms | ${(f / b).toFixed(2)}x | | |

The credential model itself adds about ${(c - f).toFixed(0)} ms over the skeleton (smithy's ini loader, our modules,
reading the files); the rest is Node plus commander. Fastest runs (least disturbed by the other work on the
machine): \`node -e 0\` ${min(base).toFixed(1)} ms, skeleton ${min(floor).toFixed(1)} ms, \`creds\` ${min(creds).toFixed(1)} ms
(${(min(creds) / min(base)).toFixed(2)}x).
`;
writeFileSync(join(root, "bench/results/creds.md"), md);
process.stdout.write(md);
