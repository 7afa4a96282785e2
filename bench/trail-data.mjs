// Builds the `trail` benchmark data set: the real Invictus CloudTrail delivery files (../shared/data, MIT),
// replicated with fresh eventIDs/requestIDs and times shifted by one hour per copy, written as .json.gz files in
// the S3 key layout under bench/data/trail/ (git-ignored). The volume is replicated, not recorded.
// Usage: node bench/trail-data.mjs [target uncompressed MB, default 1100]
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const src = resolve(root, "../shared/data/cloudtrail/invictus-aws-dataset/CloudTrail");
export const out = resolve(root, "bench/data/trail");
const ACCOUNT = "123837392027";
const REGION = "us-east-1";

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function randomName(n) {
  const b = randomBytes(n);
  return [...b].map((x) => B32[x & 31]).join("");
}

/** Build the set unless a manifest says it is already there at the size asked. Returns the manifest. */
export function buildTrailData(targetMB = 1100) {
  const manifestPath = `${out}-manifest.json`;
  try {
    const m = JSON.parse(readFileSync(manifestPath, "utf8"));
    if (m.uncompressedBytes >= targetMB * 1e6) return m;
  } catch {
    // not built yet
  }
  const files = readdirSync(src)
    .filter((f) => f.endsWith(".json.gz"))
    .sort()
    .map((f) => JSON.parse(gunzipSync(readFileSync(join(src, f))).toString("utf8")));
  const perCopy = files.reduce((n, f) => n + Buffer.byteLength(JSON.stringify(f)), 0);
  const copies = Math.ceil((targetMB * 1e6) / perCopy);
  let uncompressed = 0;
  let compressed = 0;
  let records = 0;
  let fileCount = 0;
  for (let k = 0; k < copies; k++) {
    const shift = k * 3_600_000;
    for (const f of files) {
      const recs = f.Records.map((r) => {
        const t = new Date(Date.parse(r.eventTime) + shift).toISOString().replace(/\.\d{3}Z$/, "Z");
        const c = { ...r, eventTime: t, eventID: randomUUID() };
        if (r.requestID) c.requestID = randomUUID();
        return c;
      });
      let last = recs[0]?.eventTime ?? "";
      for (const r of recs) if (r.eventTime > last) last = r.eventTime;
      const d = new Date(Date.parse(last) + 5 * 60_000);
      const y = String(d.getUTCFullYear());
      const mo = String(d.getUTCMonth() + 1).padStart(2, "0");
      const da = String(d.getUTCDate()).padStart(2, "0");
      const hh = String(d.getUTCHours()).padStart(2, "0");
      const mi = String(d.getUTCMinutes()).padStart(2, "0");
      const dir = join(out, "AWSLogs", ACCOUNT, "CloudTrail", REGION, y, mo, da);
      mkdirSync(dir, { recursive: true });
      const text = JSON.stringify({ Records: recs });
      const gz = gzipSync(text, { level: 6 });
      writeFileSync(
        join(dir, `${ACCOUNT}_CloudTrail_${REGION}_${y}${mo}${da}T${hh}${mi}Z_${randomName(16)}.json.gz`),
        gz,
      );
      uncompressed += Buffer.byteLength(text);
      compressed += gz.length;
      records += recs.length;
      fileCount++;
    }
  }
  const m = {
    copies,
    files: fileCount,
    records,
    uncompressedBytes: uncompressed,
    compressedBytes: compressed,
  };
  writeFileSync(manifestPath, JSON.stringify(m, null, 2));
  return m;
}

/** Every .json.gz file of the set. */
export function dataFiles(dir = out) {
  const acc = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) acc.push(...dataFiles(p));
    else if (p.endsWith(".json.gz")) acc.push(p);
  }
  return acc.sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const m = buildTrailData(Number(process.argv[2] ?? 1100));
  console.log(m);
}
