// Wall time of `node dist/cli/bin.js diagnose --bundle examples/<name>` for each example bundle (median of 5,
// after one warm-up run), against a target of 1 s each. Writes bench/results/diagnose.md.
// Run after `npm run build`: node bench/diagnose.mjs
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "dist/cli/bin.js");
const EXAMPLES = ["appsync-unauthorized", "opt-in-region-authfailure", "passrole-missing", "rotated-key"];
const RUNS = 5;
const TARGET_MS = 1000;

function once(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const rows = [];
const baseline = [];
once(["-e", "0"]);
for (let i = 0; i < RUNS; i++) baseline.push(once(["-e", "0"]).ms);
for (const name of EXAMPLES) {
  const args = [bin, "diagnose", "--bundle", `examples/${name}`, "--json"];
  const warm = once(args);
  const verdict = JSON.parse(warm.stdout).verdict?.cause ?? "(none)";
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push(once(args).ms);
  rows.push({ name, verdict, median: median(times), min: Math.min(...times), max: Math.max(...times) });
}

const lines = [
  "# diagnose: wall time per example bundle",
  "",
  `\`node dist/cli/bin.js diagnose --bundle examples/<name> --json\`, median of ${RUNS} runs after one warm-up; target <= ${TARGET_MS} ms each.`,
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, Node ${process.version}, shared with other work while measured. Run: ${new Date().toISOString().replace(/\.\d{3}Z$/, "Z")}.`,
  "",
  "| example | verdict | median ms | min | max | target met |",
  "|---|---|---|---|---|---|",
  ...rows.map(
    (r) =>
      `| ${r.name} | \`${r.verdict}\` | ${r.median.toFixed(0)} | ${r.min.toFixed(0)} | ${r.max.toFixed(0)} | ${r.median <= TARGET_MS ? "yes" : "no"} |`,
  ),
  "",
  `Baseline \`node -e 0\`: median ${median(baseline).toFixed(0)} ms.`,
  "",
];
writeFileSync(join(root, "bench/results/diagnose.md"), lines.join("\n"));
process.stdout.write(lines.join("\n"));
