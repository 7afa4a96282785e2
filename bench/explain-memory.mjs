// Memory bench: peak RSS and wall time of `authdoctor explain` on a 248 MB text (a build log whose last line is the
// error), read from a file and from stdin, next to `node -e 0`'s peak RSS. Target: peak RSS <= 300 MB.
// Peak RSS comes from GNU time (`/usr/bin/time -v`), so the figure includes Node itself.
// Usage: node bench/explain-memory.mjs [MB]   (build first: npm run build)

import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = `${root}dist/cli/bin.js`;
if (!existsSync(bin) || !existsSync("/usr/bin/time")) {
  console.error("bench/explain-memory: needs dist/cli/bin.js (npm run build) and GNU time (/usr/bin/time)");
  process.exit(2);
}
const mb = Number(process.argv[2] ?? 248);
const dir = mkdtempSync(join(tmpdir(), "authdoctor-bench-explain-"));
const file = join(dir, "build.log");
const line = "2025-01-01T00:00:00Z INFO request ok path=/api/v1/items status=200 duration=12ms user=alice\n";
const chunk = line.repeat(10_000);
const fd = openSync(file, "w");
for (let n = 0; n < mb * 1024 * 1024; n += chunk.length) writeSync(fd, chunk);
writeSync(fd, "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied\n");
closeSync(fd);

/** Peak RSS (MB), wall time (s) and the first output line of a shell command under GNU time. */
function measure(shell) {
  const r = spawnSync("/usr/bin/time", ["-v", "sh", "-c", shell], { encoding: "utf8", maxBuffer: 64 << 20 });
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]) / 1024;
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const secs = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : Number.NaN;
  return { rss, secs, first: r.stdout.split("\n")[0] };
}

const node = measure(`${process.execPath} -e 0`);
const fromFile = measure(`NO_COLOR=1 ${process.execPath} ${bin} explain --file ${file}`);
const fromStdin = measure(`cat ${file} | NO_COLOR=1 ${process.execPath} ${bin} explain`);
const rows = [
  ["node -e 0", node],
  [`explain --file (${mb} MB)`, fromFile],
  [`explain < stdin (${mb} MB)`, fromStdin],
];
const out = [
  `| run | peak RSS | wall | first line |`,
  `|---|---|---|---|`,
  ...rows.map(([n, m]) => `| ${n} | ${m.rss.toFixed(0)} MB | ${m.secs.toFixed(2)} s | ${m.first} |`),
].join("\n");
console.log(out);
rmSync(dir, { recursive: true, force: true });
