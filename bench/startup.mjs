// Start-up bench: median wall time of `authdoctor explain "<text>"` vs `node -e 0`, interleaved runs, in a clean
// environment (PATH, HOME, NO_COLOR only: the primary figure) and in this machine's environment (which may hold
// variables that slow down every Node start, e.g. NODE_EXTRA_CA_CERTS, and so flatter the ratio).
// Usage: node bench/startup.mjs [runs]   (build first: npm run build)

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = `${root}dist/cli/bin.js`;
if (!existsSync(bin)) {
  console.error("bench/startup: dist/cli/bin.js is missing; run `npm run build` first");
  process.exit(2);
}
const runs = Number(process.argv[2] ?? 20);
const text =
  'An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::123456789012:assumed-role/app/i-1 is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" because no identity-based policy allows the s3:GetObject action';
const home = mkdtempSync(join(tmpdir(), "authdoctor-bench-startup-"));
const envs = {
  clean: { PATH: process.env.PATH, HOME: home, NO_COLOR: "1" },
  machine: { ...process.env, NO_COLOR: "1" },
};
const commands = {
  "node -e 0": ["-e", "0"],
  "--version": [bin, "--version"],
  explain: [bin, "explain", text],
};

function time(args, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", env });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// One warm-up each (file cache), then every command in every environment in turn, `runs` times.
const times = {};
for (const [e, env] of Object.entries(envs)) {
  for (const [c, args] of Object.entries(commands)) {
    time(args, env);
    times[`${e} ${c}`] = [];
  }
}
for (let i = 0; i < runs; i++) {
  for (const [e, env] of Object.entries(envs)) {
    for (const [c, args] of Object.entries(commands)) times[`${e} ${c}`].push(time(args, env));
  }
}
rmSync(home, { recursive: true, force: true });

console.log(`Node ${process.version}, ${runs} interleaved runs each; target: explain <= 2x node -e 0\n`);
console.log("| environment | `node -e 0` | `--version` | `explain` | explain ratio | fastest runs |");
console.log("|---|---|---|---|---|---|");
for (const e of Object.keys(envs)) {
  const [b, v, x] = Object.keys(commands).map((c) => times[`${e} ${c}`]);
  const ratio = median(x) / median(b);
  const fast = `${Math.min(...b).toFixed(1)} / ${Math.min(...v).toFixed(1)} / ${Math.min(...x).toFixed(1)} ms`;
  console.log(
    `| ${e} | ${median(b).toFixed(1)} ms | ${median(v).toFixed(1)} ms | ${median(x).toFixed(1)} ms | ${ratio.toFixed(2)}x ${ratio <= 2 ? "(met)" : "(NOT met)"} | ${fast} |`,
  );
}
