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
import { LIFT_SUMMARY, LIFT_WIDE, type Lift } from "../../src/trail/scan-machine.js";
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

/** `pieces`: the text split at these character indexes (pushed one piece at a time, as a stream is). */
function viaText(text: string, lift: Lift = LIFT_SUMMARY, cuts: number[] = []) {
  const out: unknown[] = [];
  const s = new RecordScanner((t, start, f) => out.push([t, s.byteOffset(start), fieldsText(f)]), lift);
  let err: unknown = null;
  try {
    let from = 0;
    for (const c of [...cuts].sort((a, b) => a - b)) {
      s.push(text.slice(from, Math.max(from, c)));
      from = Math.max(from, c);
    }
    s.push(text.slice(from));
    s.end();
  } catch (e) {
    if (!(e instanceof ScanError)) throw e;
    err = [e.reason, e.byteOffset];
  }
  return { out, err, nonRecords: s.nonRecords };
}

function viaBytes(buf: Buffer, lift: Lift = LIFT_SUMMARY) {
  const out: unknown[] = [];
  const s = new ByteScanner((a, b, f) => out.push([buf.toString("utf8", a, b), a, fieldsText(f)]), lift);
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

  it("shares one state machine: identical records and wide fields for generated records, escapes, nesting and split chunks (fast-check)", () => {
    // strings with escapes, quotes, backslashes, control characters, non-ASCII and astral characters
    const text = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('a"b', "c\\d", "\u00e9", "tab\there", "日本🙂", "x\u0000y", "", "true", "}{]["),
    );
    const identity = fc.record(
      {
        type: fc.constantFrom("AssumedRole", "IAMUser", "WebIdentityUser", "SAMLUser", "AWSService"),
        arn: text,
        accessKeyId: fc.constantFrom("ASIAEXAMPLE1", "AKIAEXAMPLE2", ""),
        invokedBy: text,
        identityProvider: text,
        sessionContext: fc.record({
          sessionIssuer: fc.record({ arn: text, type: fc.constant("Role") }),
          attributes: fc.record({ mfaAuthenticated: fc.constantFrom("true", "false") }),
          webIdFederationData: fc.jsonValue({ maxDepth: 3 }),
        }),
      },
      { requiredKeys: [] },
    );
    const record = fc.record(
      {
        eventTime: fc.constantFrom("2024-01-01T00:00:00Z", "2025-06-30T23:59:59.123Z"),
        eventSource: fc.constantFrom("s3.amazonaws.com", "sts.amazonaws.com", "signin.amazonaws.com"),
        eventName: text,
        awsRegion: fc.constantFrom("us-east-1", "eu-west-1"),
        sourceIPAddress: text,
        userAgent: text,
        errorCode: fc.constantFrom("AccessDenied", "Client.UnauthorizedOperation"),
        errorMessage: text,
        sessionCredentialFromConsole: fc.constantFrom("true", "false", true, false, null),
        userIdentity: identity,
        requestParameters: fc.jsonValue({ maxDepth: 4 }),
        responseElements: fc.option(fc.jsonValue({ maxDepth: 4 }), { nil: null }),
        additionalEventData: fc.dictionary(text, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }),
      },
      { requiredKeys: ["eventName"] },
    );
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 4 }),
        fc.nat(SHAPES.length - 1),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.boolean(),
        (rs, shape, cuts, truncate) => {
          let t = SHAPES[shape]!(rs);
          if (truncate) t = t.slice(0, Math.floor(t.length * 0.7));
          const buf = Buffer.from(t, "utf8");
          if (!isUtf8(buf)) return; // a cut in a surrogate pair: the byte scanner only ever sees valid UTF-8
          const split = cuts.map((c) => c % (t.length + 1));
          const bytes = viaBytes(buf, LIFT_WIDE);
          // split chunks change nothing, and the byte scanner reports the same records, fields and errors
          expect(viaText(t, LIFT_WIDE, split)).toEqual(bytes);
          expect(viaText(t, LIFT_WIDE)).toEqual(bytes);
          if (!truncate && shape !== 3) {
            // the lifted identity is the record's userIdentity, exactly
            const ids = bytes.out.map((o) => JSON.parse((o as string[])[2]!).identity);
            expect(ids.map((x) => (x === undefined ? undefined : JSON.parse(x)))).toEqual(
              rs.map((r) => r.userIdentity),
            );
          }
        },
      ),
      { numRuns: 300, seed: 20261203 },
    );
  });
});
