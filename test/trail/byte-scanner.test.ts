// The byte scanner used by `trail summary` must report exactly what RecordScanner reports over the decoded text:
// the same records, fields, non-records and errors (reason and byte offset), on real records in every shape and
// after random cuts and insertions.
import { isAscii, isUtf8 } from "node:buffer";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteScanner } from "../../src/trail/byte-scanner.js";
import { RecordScanner, ScanError } from "../../src/trail/scanner.js";
import type { FastFields } from "../../src/trail/types.js";
import { fixturesDir, hasShared, sharedPath } from "../support/shared-data.js";

// Real records from the Invictus set when ../shared is beside the repo; the project's own fixtures otherwise.
const INVICTUS = "data/cloudtrail/invictus-aws-dataset/CloudTrail";
const RECORDS: Record<string, unknown>[] = hasShared(INVICTUS)
  ? readdirSync(sharedPath(INVICTUS))
      .filter((f) => f.endsWith(".json.gz"))
      .sort()
      .slice(0, 3)
      .flatMap(
        (f) => JSON.parse(gunzipSync(readFileSync(join(sharedPath(INVICTUS), f))).toString("utf8")).Records,
      )
  : readFileSync(resolve(fixturesDir, "cloudtrail/lake.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));

/** Fields without absent ones, keys sorted (the scanners build their objects in different orders). */
function fieldsText(f: FastFields | null): string {
  const entries = Object.entries(f ?? {}).filter(([, v]) => v !== undefined);
  return JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1))));
}

function viaText(text: string) {
  const out: unknown[] = [];
  const s = new RecordScanner((t, start, f) => out.push([t, s.byteOffset(start), fieldsText(f)]), true);
  let err: unknown = null;
  try {
    s.push(text);
    s.end();
  } catch (e) {
    if (!(e instanceof ScanError)) throw e;
    err = [e.reason, e.byteOffset];
  }
  return { out, err, nonRecords: s.nonRecords };
}

function viaBytes(buf: Buffer) {
  const out: unknown[] = [];
  const s = new ByteScanner((a, b, f) => out.push([buf.toString("utf8", a, b), a, fieldsText(f)]));
  let err: unknown = null;
  try {
    s.scan(buf, isAscii(buf));
  } catch (e) {
    if (!(e instanceof ScanError)) throw e;
    err = [e.reason, e.byteOffset];
  }
  return { out, err, nonRecords: s.nonRecords };
}

const SHAPES: Array<(rs: unknown[]) => string> = [
  (rs) => JSON.stringify({ Records: rs }),
  (rs) => JSON.stringify(rs, null, 2),
  (rs) => rs.map((r) => JSON.stringify(r)).join("\n"),
  (rs) => JSON.stringify({ Events: rs.map((r) => ({ EventId: "1", CloudTrailEvent: JSON.stringify(r) })) }),
  (rs) => `\ufeff${JSON.stringify({ Records: rs })}`,
];
const JUNK = ['"', "{", "}", "[", "]", ",", ":", "\\", "x", " ", "é", "1", "🙂", "null"];

describe("ByteScanner", () => {
  it("agrees with RecordScanner on every real Invictus record in every file shape", () => {
    for (const shape of SHAPES) {
      const buf = Buffer.from(shape(RECORDS), "utf8");
      const a = viaText(buf.toString("utf8"));
      expect(a.out.length).toBe(RECORDS.length);
      expect(viaBytes(buf)).toEqual(a);
    }
  });

  it("agrees after random edits, odd values and cuts (fast-check)", () => {
    const edit = fc.record({
      at: fc.nat(),
      op: fc.integer({ min: 0, max: 2 }),
      junk: fc.constantFrom(...JUNK),
    });
    fc.assert(
      fc.property(
        fc.array(fc.nat(RECORDS.length - 1), { minLength: 1, maxLength: 3 }),
        fc.nat(SHAPES.length - 1),
        fc.constantFrom('é agent "q" \\ ', "日本語🙂", "a\u0000b", "x\\/y", "plain"),
        fc.array(edit, { maxLength: 6 }),
        (picks, shape, agent, edits) => {
          const rs = picks.map((i) => ({ ...RECORDS[i], userAgent: agent }));
          let t = SHAPES[shape]!(rs);
          for (const e of edits) {
            const p = e.at % (t.length + 1);
            if (e.op === 0) t = t.slice(0, p);
            else if (e.op === 1) t = t.slice(0, p) + e.junk + t.slice(p);
            else t = t.slice(0, p) + t.slice(p + 2);
          }
          const buf = Buffer.from(t, "utf8");
          if (!isUtf8(buf)) return; // the byte scanner only ever sees valid UTF-8
          expect(viaBytes(buf)).toEqual(viaText(buf.toString("utf8")));
        },
      ),
      { numRuns: 300, seed: 20261121 },
    );
  });
});
