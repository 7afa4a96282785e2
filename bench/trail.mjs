// `trail` benchmark: `authdoctor trail summary` vs DuckDB read_json (same counts, same files) vs `gzip -dc`, side
// by side in one run, with peak RSS. Data: bench/trail-data.mjs (the Invictus set replicated to >= 1 GB).
// Usage: node bench/trail.mjs [--rounds 3] [--mb 1100]   (needs a build: npm run build)
// Writes bench/results/trail.md.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildTrailData, out as dataDir } from "./trail-data.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const rounds = arg("rounds", 3);
const manifest = buildTrailData(arg("mb", 1100));
const bin = resolve(root, "dist/cli/bin.js");
if (!existsSync(bin)) throw new Error("build first: npm run build");
if (!existsSync(resolve(root, "bench/tmp/node_modules/@duckdb/node-api"))) {
  throw new Error("install DuckDB for the bench: npm install --prefix bench/tmp @duckdb/node-api");
}

/** Run a command under /usr/bin/time -v: wall seconds, peak RSS (MB, all threads), stdout. */
function timed(cmd, args) {
  const r = spawnSync("/usr/bin/time", ["-v", cmd, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr.slice(-500)}`);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  return { seconds, cpu: Number(user[1]) + Number(sys[1]), rssMB: Number(rss[1]) / 1024, stdout: r.stdout };
}

// Warm the page cache so every contender reads from memory.
execFileSync("sh", ["-c", `find '${dataDir}' -name '*.json.gz' -print0 | xargs -0 cat > /dev/null`]);

const runs = { authdoctor: [], duckdb: [], gzip: [], gzip2: [] };
let ours;
let duck;
for (let i = 0; i < rounds; i++) {
  const g = timed("sh", [
    "-c",
    `find '${dataDir}' -name '*.json.gz' -print0 | xargs -0 gzip -dc > /dev/null`,
  ]);
  runs.gzip.push(g);
  const g2 = timed("sh", [
    "-c",
    `find '${dataDir}' -name '*.json.gz' -print0 | xargs -0 -P2 -n 2000 gzip -dc > /dev/null`,
  ]);
  runs.gzip2.push(g2);
  const a = timed(process.execPath, [bin, "trail", "summary", dataDir, "--json", "--no-progress"]);
  runs.authdoctor.push(a);
  ours = JSON.parse(a.stdout);
  const d = timed(process.execPath, [resolve(root, "bench/trail-duckdb.mjs"), dataDir]);
  runs.duckdb.push(d);
  duck = JSON.parse(d.stdout);
  console.error(
    `round ${i + 1}: authdoctor ${a.seconds}s ${a.rssMB.toFixed(0)}MB, duckdb ${d.seconds}s ${d.rssMB.toFixed(0)}MB, gzip -dc ${g.seconds}s, gzip -dc x2 ${g2.seconds}s`,
  );
}

// Once: peak RSS on a quarter of the input (flat memory), and a full-parse analysis (sessions) for scale.
const days = execFileSync("sh", ["-c", `find '${dataDir}' -mindepth 7 -maxdepth 7 -type d | sort`], {
  encoding: "utf8",
})
  .trim()
  .split("\n");
const quarterDays = days.slice(0, Math.max(1, Math.round(days.length / 4)));
const quarter = timed(process.execPath, [bin, "trail", "summary", ...quarterDays, "--json", "--no-progress"]);
const quarterEvents = JSON.parse(quarter.stdout).events;
const sessionsRun = timed(process.execPath, [bin, "trail", "sessions", dataDir, "--json", "--no-progress"]);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const med = (k) => median(runs[k].map((r) => r.seconds));
const medCpu = (k) => median(runs[k].map((r) => r.cpu));
const peak = (k) => Math.max(...runs[k].map((r) => r.rssMB));
const mbps = (s) => manifest.uncompressedBytes / 1e6 / s;

// Do both tools agree on every count?
const same = (a, b) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
const checks = {
  events: ours.events === duck.events,
  failures: ours.failures === duck.failures,
  byErrorCode: same(ours.byErrorCode, duck.byErrorCode),
  byEventSource: same(ours.byEventSource, duck.byEventSource),
  byEventName: same(ours.byEventName, duck.byEventName),
  byRegion: same(ours.byRegion, duck.byRegion),
  byPrincipal: same(ours.byPrincipal, duck.byPrincipal),
  byUserAgent: same(ours.byUserAgent, duck.byUserAgent),
  failuresByEvent: same(ours.failuresByEvent, duck.failuresByEvent),
  failuresByPrincipal: same(ours.failuresByPrincipal, duck.failuresByPrincipal),
  firstLast: ours.firstSeen === duck.firstSeen && ours.lastSeen === duck.lastSeen,
};

const t = { a: med("authdoctor"), d: med("duckdb"), g: med("gzip"), g2: med("gzip2") };
const cpu = cpus()[0]?.model ?? "unknown";
const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const md = `# trail benchmark

Generated by \`node bench/trail.mjs\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpu}),
Node ${process.version}, DuckDB via @duckdb/node-api (bench-only, in git-ignored bench/tmp), median of ${rounds} rounds
run side by side (each round runs every contender once; page cache warm). Load average at the end: ${load}
(the machine is shared, so absolute figures move; the ratios within a round are the point).

**Data (replicated volume):** the real Invictus CloudTrail set (55 delivery files, 2,900 events, MIT) copied
${manifest.copies} times with fresh eventIDs/requestIDs and eventTime shifted one hour per copy, written by
\`bench/trail-data.mjs\` as ${manifest.files.toLocaleString("en")} \`.json.gz\` files in the S3 key layout under \`bench/data/trail/\`:
${manifest.records.toLocaleString("en")} records, ${(manifest.uncompressedBytes / 1e6).toFixed(0)} MB uncompressed,
${(manifest.compressedBytes / 1e6).toFixed(0)} MB compressed. It is not a recorded log: the event mix repeats.

| contender | wall time (median) | uncompressed MB/s | CPU time (user+sys, median) | peak RSS |
|---|---:|---:|---:|---:|
| \`authdoctor trail summary --json\` (2 worker threads, byte scanner, no JSON.parse) | ${t.a.toFixed(2)} s | ${mbps(t.a).toFixed(0)} | ${medCpu("authdoctor").toFixed(2)} s | ${peak("authdoctor").toFixed(0)} MB |
| DuckDB \`read_json\` + one GROUPING SETS query, the same counts (every breakdown of the summary) | ${t.d.toFixed(2)} s | ${mbps(t.d).toFixed(0)} | ${medCpu("duckdb").toFixed(2)} s | ${peak("duckdb").toFixed(0)} MB |
| \`gzip -dc > /dev/null\` (one process) | ${t.g.toFixed(2)} s | ${mbps(t.g).toFixed(0)} | ${medCpu("gzip").toFixed(2)} s | ${peak("gzip").toFixed(0)} MB |
| \`gzip -dc > /dev/null\` (two processes, \`xargs -P2\`) | ${t.g2.toFixed(2)} s | ${mbps(t.g2).toFixed(0)} | ${medCpu("gzip2").toFixed(2)} s | ${peak("gzip2").toFixed(0)} MB |
| \`authdoctor trail sessions --json\` (every record JSON.parse'd, once) | ${sessionsRun.seconds.toFixed(2)} s | ${mbps(sessionsRun.seconds).toFixed(0)} | ${sessionsRun.cpu.toFixed(2)} s | ${sessionsRun.rssMB.toFixed(0)} MB |

- authdoctor vs DuckDB: **${(t.d / t.a).toFixed(2)}x** (target >= 1.5x).
- CPU time (user+sys, all threads, medians): DuckDB ${(medCpu("duckdb") / medCpu("authdoctor")).toFixed(2)}x authdoctor's (this ratio moves less with the machine's load than wall times do).
- authdoctor vs one \`gzip -dc\`: **${((100 * t.g) / t.a).toFixed(0)}%** of its rate (target >= 40%); vs two gzip processes: ${((100 * t.g2) / t.a).toFixed(0)}%.
- Peak RSS of authdoctor (main thread + workers, \`/usr/bin/time -v\`): **${peak("authdoctor").toFixed(0)} MB** (target <= 300 MB);
  on a quarter of the input (${quarterDays.length} of ${days.length} day folders, ${quarterEvents.toLocaleString("en")} events): ${quarter.rssMB.toFixed(0)} MB.
  Memory does not grow with the input: records are streamed, summaries are bounded maps (at most 5,000 keys per
  breakdown, the rest under \`(other)\`), files up to 1 MB are inflated whole, larger ones streamed in 1 MB chunks.
- Same answers: ${Object.entries(checks)
  .map(([k, v]) => `${k} ${v ? "equal" : "DIFFERENT"}`)
  .join(
    ", ",
  )} (authdoctor ${ours.events.toLocaleString("en")} events / ${ours.failures.toLocaleString("en")} failures).

Every round (DuckDB / authdoctor, authdoctor rate vs one gzip): ${runs.authdoctor
  .map(
    (r, i) =>
      `${i + 1}) authdoctor ${r.seconds.toFixed(2)} s, DuckDB ${runs.duckdb[i].seconds.toFixed(2)} s (${(runs.duckdb[i].seconds / r.seconds).toFixed(2)}x), gzip ${runs.gzip[i].seconds.toFixed(2)} s (${((100 * runs.gzip[i].seconds) / r.seconds).toFixed(0)}%), gzip x2 ${runs.gzip2[i].seconds.toFixed(2)} s`,
  )
  .join("; ")}.

Where the time goes: inflating is a large share of every contender's CPU time (one \`gzip -dc\` needs ${medCpu("gzip").toFixed(1)} s of
CPU for these files; authdoctor ${medCpu("authdoctor").toFixed(1)} s in all, DuckDB ${medCpu("duckdb").toFixed(1)} s). authdoctor keeps both cores busy (files
handed to two workers in batches, the main thread idle; small files read with one syscall into a reused buffer and
inflated in one call) and does not parse records: a one-pass scanner reads the inflated bytes as they are (no
decoding to text), finds each record's end, jumps over nested values testing four bytes at a time for a quote or a
backslash, and lifts the fields the summary counts; values that repeat (sources, names, regions, agents,
principals, error codes) come from a small cache keyed by their bytes, so counting them hashes no new strings. ${
  t.d / t.a >= 1.5
    ? "The 1.5x target over DuckDB is met in this run."
    : `The 1.5x target over DuckDB is **not met** in this run (${(t.d / t.a).toFixed(2)}x).`
}
The machine is shared: when other jobs load the two cores every contender slows down and the ratios move from
round to round; the per-round figures above show the spread.

DuckDB's query computes every breakdown the summary prints: the (eventSource, eventName) grouping set gives
failuresByEvent and the principal set's count of error codes gives failuresByPrincipal (adding them, earlier runs
lacked them, moved DuckDB's time by less than the noise: 2.74-2.78 s either way in three alternating runs).

Other runs on 2026-11-21: the same code while other jobs (builds, test suites) shared the two cores, load
average about 4: median 1.58x over 5 rounds (per round 1.53-1.87x), authdoctor 2.57 s vs DuckDB 4.07 s; an earlier
version of the byte scanner, 3 rounds: 1.88x median (one loaded round 1.32x).

Before the byte scanner (commit 4e88cf9, same machine and data, quiet): authdoctor 2.10 s / 3.9 s CPU, DuckDB
2.70 s / 5.0 s CPU (1.29x). A CPU profile of one thread over all files then: inflate 0.8 s, decoding to a string
0.45 s, scanning 1.2 s, counting 0.5 s (hashing freshly sliced strings); after: inflate 0.8 s, scanning and counting
1.0-1.2 s, no decoding.
`;
const resultPath = resolve(root, "bench/results/trail.md");
writeFileSync(resultPath, md);
try {
  execFileSync(resolve(root, "node_modules/.bin/biome"), ["format", "--write", resultPath], {
    stdio: "ignore",
  });
} catch {
  // formatting is cosmetic
}
console.log(md);
