// CPU time of the two trail scanners alone (no file reading, no workers): every record of the replicated set
// (bench/trail-data.mjs) decompressed once into memory, then scanned by ByteScanner (what `summary` runs) and by
// RecordScanner over the decoded text, with the summary fields lifted, alternating rounds. With `--before DIR`
// (another build's dist/, e.g. a checkout of an older commit) its scanners run in the same rounds, side by side.
// Usage: node bench/trail-scanner-speed.mjs [--rounds 5] [--before bench/tmp/dist-before] [--mb 300] [--scanner byte|text]
import { isAscii } from "node:buffer";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildTrailData, out as dataDir } from "./trail-data.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const rounds = Number(arg("--rounds", 5));
const mb = Number(arg("--mb", 300));
const before = arg("--before", undefined);
// `--scanner byte` or `text` alone: a process that runs one scanner class only, as `summary`'s workers do (running
// both makes the shared machine's call sites see two classes)
const only = arg("--scanner", "both");
buildTrailData(1100);

const bufs = [];
let bytes = 0;
const walk = (d) => {
  for (const n of readdirSync(d).sort()) {
    if (bytes >= mb * 1e6) return;
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p);
    else if (n.endsWith(".json.gz")) {
      const b = gunzipSync(readFileSync(p));
      bufs.push(b);
      bytes += b.length;
    }
  }
};
walk(dataDir);
const texts = bufs.map((b) => b.toString("latin1"));

async function load(dist) {
  const byte = await import(resolve(dist, "trail/byte-scanner.js"));
  const text = await import(resolve(dist, "trail/scanner.js"));
  return { ByteScanner: byte.ByteScanner, RecordScanner: text.RecordScanner };
}
const builds = [["this build", await load(resolve(root, "dist"))]];
if (before) builds.push([`before (${before})`, await load(resolve(before))]);

function cpu(fn) {
  const a = process.cpuUsage();
  const n = fn();
  const d = process.cpuUsage(a);
  return { s: (d.user + d.system) / 1e6, n };
}
const results = new Map();
for (let r = 0; r < rounds; r++) {
  for (const [name, m] of builds) {
    const none = { s: Number.NaN, n: 0 };
    const byte =
      only === "text"
        ? none
        : cpu(() => {
            let n = 0;
            for (const b of bufs) new m.ByteScanner(() => n++).scan(b, isAscii(b));
            return n;
          });
    const text =
      only === "byte"
        ? none
        : cpu(() => {
            let n = 0;
            for (const t of texts) {
              const s = new m.RecordScanner(() => n++, true);
              s.push(t);
              s.end();
            }
            return n;
          });
    const k = results.get(name) ?? { byte: [], text: [], n: byte.n || text.n };
    k.byte.push(byte.s);
    k.text.push(text.s);
    results.set(name, k);
  }
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(
  `${(bytes / 1e6).toFixed(0)} MB, ${rounds} rounds, median CPU s; load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
);
const base = results.get("this build");
for (const [name, k] of results) {
  console.log(
    `| ${name} | ${k.n} records | ByteScanner ${med(k.byte).toFixed(3)} s (${(med(k.byte) / med(base.byte)).toFixed(2)}x) | RecordScanner ${med(k.text).toFixed(3)} s (${(med(k.text) / med(base.text)).toFixed(2)}x) |`,
  );
}
