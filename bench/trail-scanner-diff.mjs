// Differential check of the two `trail` scanners: the byte scanner used by `summary` (src/trail/byte-scanner.ts)
// must report the same records, fields, non-records and errors (reason and byte offset) as RecordScanner over the
// decoded text, on real records in every shape, with escapes and non-ASCII text, and after random cuts and edits.
// Usage: node bench/trail-scanner-diff.mjs [--cases 60000]   (needs a build: npm run build). Exits 1 on a difference.
import { isAscii, isUtf8 } from "node:buffer";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { RecordScanner, ScanError } = await import(resolve(root, "dist/trail/scanner.js"));
const { ByteScanner } = await import(resolve(root, "dist/trail/byte-scanner.js"));
const i = process.argv.indexOf("--cases");
const cases = i > 0 ? Number(process.argv[i + 1]) : 60000;

const src = resolve(root, "../shared/data/cloudtrail/invictus-aws-dataset/CloudTrail");
const recs = readdirSync(src)
  .filter((f) => f.endsWith(".json.gz"))
  .sort()
  .slice(0, 10)
  .flatMap((f) => JSON.parse(gunzipSync(readFileSync(join(src, f))).toString("utf8")).Records);

let seed = 12345;
const rnd = (n) => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed % n;
};
const pick = (a) => a[rnd(a.length)];
/** Fields without absent ones, keys sorted (the two scanners build their objects in different orders). */
const fieldsText = (f) =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(f ?? {})
        .filter(([, v]) => v !== undefined)
        .sort(),
    ),
  );

function runText(text) {
  const out = [];
  const s = new RecordScanner((t, start, f) => out.push([t, s.byteOffset(start), fieldsText(f)]), true);
  let err = null;
  try {
    s.push(text);
    s.end();
  } catch (e) {
    if (!(e instanceof ScanError)) throw e;
    err = [e.reason, e.byteOffset];
  }
  return { out, err, nonRecords: s.nonRecords };
}

function runBytes(buf) {
  const out = [];
  const s = new ByteScanner((a, b, f) => out.push([buf.toString("utf8", a, b), a, fieldsText(f)]));
  let err = null;
  try {
    s.scan(buf, isAscii(buf));
  } catch (e) {
    if (!(e instanceof ScanError)) throw e;
    err = [e.reason, e.byteOffset];
  }
  return { out, err, nonRecords: s.nonRecords };
}

function variant() {
  const rs = Array.from({ length: 1 + rnd(4) }, () => structuredClone(pick(recs)));
  for (const r of rs) {
    if (rnd(3) === 0) r.userAgent = pick(['é agent "q" \\ ', "日本語🙂", "a\u0000b", "plain", "x\\/y"]);
    if (rnd(4) === 0) r.errorMessage = "m";
    if (rnd(5) === 0) r.eventSource = 's"x';
    if (rnd(6) === 0) delete r.eventTime;
    if (rnd(6) === 0) r["@timestamp"] = "2020-01-01 00:00:00.000";
    if (rnd(8) === 0)
      r.userIdentity = { type: "AWSService", invokedBy: "ec2.amazonaws.com", nested: { arn: "z" } };
  }
  switch (rnd(8)) {
    case 0:
      return JSON.stringify({ Records: rs });
    case 1:
      return JSON.stringify(rs, null, rnd(2) ? 2 : 0);
    case 2:
      return rs.map((r) => JSON.stringify(r)).join("\n");
    case 3:
      return JSON.stringify({
        Events: rs.map((r) => ({ EventId: "1", CloudTrailEvent: JSON.stringify(r) })),
      });
    case 4:
      return `\ufeff${JSON.stringify({ Records: rs })}`;
    case 5:
      return JSON.stringify({
        QueryResultRows: rs.map((r) =>
          Object.entries(r)
            .slice(0, 6)
            .map(([k, v]) => ({ [k]: v })),
        ),
      });
    case 6:
      return `${JSON.stringify({ log: rs[0] })}${rnd(2) ? "" : " "}${JSON.stringify({ detail: rs[0] })}`;
    default:
      return JSON.stringify({ records: rs, other: [1, "a", { x: 2 }], Records: 5 });
  }
}

const junk = ['"', "{", "}", "[", "]", ",", ":", "\\", "x", " ", "é", "\ufeff", "1", "\u0001", "🙂", "null"];
let compared = 0;
let different = 0;
for (let it = 0; it < cases; it++) {
  let t = variant();
  const edits = rnd(12);
  if (rnd(5) === 0) t = Array.from({ length: rnd(30) }, () => pick(junk)).join("");
  for (let q = 0; q < edits; q++) {
    const p = rnd(t.length + 1);
    const op = rnd(3);
    if (op === 0) t = t.slice(0, p);
    else if (op === 1) t = t.slice(0, p) + pick(junk) + t.slice(p);
    else t = t.slice(0, p) + t.slice(p + 1 + rnd(5));
  }
  const buf = Buffer.from(t, "utf8");
  if (!isUtf8(buf)) continue; // the byte scanner only ever sees valid UTF-8
  compared++;
  const a = JSON.stringify(runText(buf.toString("utf8")));
  const b = JSON.stringify(runBytes(buf));
  if (a !== b) {
    different++;
    if (different <= 3)
      console.error(
        `different on ${JSON.stringify(t).slice(0, 200)}\n text: ${a.slice(0, 300)}\n bytes: ${b.slice(0, 300)}`,
      );
  }
}
// Every key the scanners act on, and each with one character changed: recognised alike, or ignored alike.
const KEYS = ["Records", "records", "Events", "QueryResultRows", "eventTime", "@timestamp", "p_event_time"]
  .concat(["eventSource", "eventName", "awsRegion", "userAgent", "errorCode", "errorMessage", "userIdentity"])
  .concat(["arn", "invokedBy", "type"]);
for (const key of KEYS) {
  const near = [key, `${key}s`, key.slice(0, -1)];
  for (let k = 0; k < key.length; k++) {
    const c = key.charCodeAt(k);
    for (const d of [c - 1, c + 1, c ^ 32])
      near.push(key.slice(0, k) + String.fromCharCode(d) + key.slice(k + 1));
  }
  for (const kk of near) {
    for (const t of [
      // the key comes last, so a key wrongly taken for a field would overwrite it
      `{"eventName":"n","eventTime":"t","userIdentity":{"arn":"a","type":"t",${JSON.stringify(kk)}:"w"},${JSON.stringify(kk)}:"v"}`,
      `{${JSON.stringify(kk)}:[{"eventName":"n","eventTime":"t"}]}`,
    ]) {
      const buf = Buffer.from(t, "utf8");
      compared++;
      if (JSON.stringify(runText(t)) !== JSON.stringify(runBytes(buf))) {
        different++;
        console.error(`different on ${t}`);
      }
    }
  }
}
console.log(`${compared} inputs compared, ${different} different`);
process.exit(different > 0 ? 1 : 0);
