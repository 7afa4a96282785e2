import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RecordScanner, ScanError } from "../../src/trail/scanner.js";
import type { FastFields } from "../../src/trail/types.js";

function scan(
  pieces: string[],
  fast = true,
): { texts: string[]; fields: (FastFields | null)[]; error?: ScanError } {
  const texts: string[] = [];
  const fields: (FastFields | null)[] = [];
  const s = new RecordScanner((t, _i, f) => {
    texts.push(t);
    fields.push(f);
  }, fast);
  try {
    for (const p of pieces) s.push(p);
    s.end();
  } catch (err) {
    if (err instanceof ScanError) return { texts, fields, error: err };
    throw err;
  }
  return { texts, fields };
}

const rec = fc.record({
  eventTime: fc.constantFrom("2024-01-01T00:00:00Z", "2025-06-30T23:59:59Z"),
  eventSource: fc.constantFrom("s3.amazonaws.com", "sts.amazonaws.com"),
  eventName: fc.string({ minLength: 1, maxLength: 12 }),
  awsRegion: fc.constantFrom("us-east-1", "eu-west-1"),
  userAgent: fc.string({ maxLength: 20 }),
  errorCode: fc.option(fc.constantFrom("AccessDenied", "ThrottlingException"), { nil: undefined }),
  userIdentity: fc.record({ type: fc.constant("IAMUser"), arn: fc.string({ maxLength: 15 }) }),
  requestParameters: fc.jsonValue(),
});

describe("RecordScanner", () => {
  it("finds the same records and fields however the text is split", () => {
    fc.assert(
      fc.property(
        fc.array(rec, { maxLength: 6 }),
        fc.constantFrom("records", "array", "lines"),
        fc.array(fc.nat(), { maxLength: 8 }),
        (records, shape, cuts) => {
          const clean = records.map((r) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>);
          const text =
            shape === "records"
              ? JSON.stringify({ Records: clean }, null, shape.length % 2 ? 2 : 0)
              : shape === "array"
                ? JSON.stringify(clean, null, 1)
                : clean.map((r) => JSON.stringify(r)).join("\n");
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const pieces: string[] = [];
          let prev = 0;
          for (const p of points) {
            pieces.push(text.slice(prev, p));
            prev = p;
          }
          pieces.push(text.slice(prev));
          const out = scan(pieces);
          expect(out.error).toBeUndefined();
          expect(out.texts.map((t) => JSON.parse(t))).toEqual(clean);
          out.fields.forEach((f, i) => {
            const r = clean[i]!;
            expect(f).toMatchObject({
              eventName: r.eventName,
              eventTime: r.eventTime,
              awsRegion: r.awsRegion,
              userAgent: r.userAgent,
              principal: (r.userIdentity as { arn: string }).arn,
            });
            expect(f?.errorCode).toBe(r.errorCode);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("does not take nested fields for top-level ones", () => {
    const r = {
      eventName: "BatchGetSecretValue",
      eventTime: "2024-01-01T00:00:00Z",
      requestParameters: { errorCode: "nested", eventName: "nested", userIdentity: { arn: "nested" } },
      responseElements: { errors: [{ errorCode: "x" }] },
      userIdentity: { type: "IAMUser", sessionContext: { sessionIssuer: { arn: "issuer" } }, arn: "me" },
    };
    const out = scan([JSON.stringify({ Records: [r] })]);
    expect(out.fields[0]).toEqual({
      eventName: "BatchGetSecretValue",
      eventTime: "2024-01-01T00:00:00Z",
      identityType: "IAMUser",
      principal: "me",
    });
  });

  it("reports structure errors with a byte offset counted in UTF-8", () => {
    expect(scan(['{"a":"é"}', " ]"]).error?.byteOffset).toBe(11);
    expect(scan(["[1, 2"]).error?.reason).toMatch(/truncated JSON/);
    expect(scan(['"just a string"']).error?.reason).toMatch(/bare string/);
  });
});
