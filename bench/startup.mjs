// Start-up bench: median wall time of `authdoctor explain "<text>"` vs `node -e 0`, interleaved runs.
// Usage: node bench/startup.mjs [runs]   (build first: npx tsc -p tsconfig.build.json)

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = `${root}dist/cli/bin.js`;
if (!existsSync(bin)) {
  console.error("bench/startup: dist/cli/bin.js is missing; run `npx tsc -p tsconfig.build.json` first");
  process.exit(2);
}
const runs = Number(process.argv[2] ?? 10);
const text =
  'An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::123456789012:assumed-role/app/i-1 is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" because no identity-based policy allows the s3:GetObject action';

function time(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// One warm-up each (file cache), then interleaved measured runs.
time(["-e", "0"]);
time([bin, "explain", text]);
const base = [];
const explain = [];
for (let i = 0; i < runs; i++) {
  base.push(time(["-e", "0"]));
  explain.push(time([bin, "explain", text]));
}
const b = median(base);
const e = median(explain);
console.log(`node -e 0                 median ${b.toFixed(1)} ms (${runs} runs)`);
console.log(`authdoctor explain "..."  median ${e.toFixed(1)} ms (${runs} runs)`);
console.log(`ratio ${(e / b).toFixed(2)}x (target <= 2x), node ${process.version}`);
