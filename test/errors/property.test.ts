import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFailure, parseFailures } from "../../src/errors/index.js";

// Real-shaped examples whose truncations must never break the parser.
const EXAMPLES = [
  '{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/u","accessKeyId":"AKIAIOSFODNN7EXAMPLE"},"eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","errorCode":"AccessDenied","errorMessage":"User: arn:aws:iam::123456789012:user/u is not authorized to perform: s3:GetObject on resource: \\"arn:aws:s3:::b/k\\" because no identity-based policy allows the s3:GetObject action"}',
  "<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestTime>20150604T232559Z</RequestTime><ServerTime>2015-06-04T22:26:16Z</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds></Error>",
  '{"errors":[{"errorType":"Unauthorized","message":"Not Authorized to access listTodos on type Query","path":["listTodos"]}]}',
  "AccessDeniedException: User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: dynamodb:GetItem\n    at x (/a.js:1:1) {\n  '$fault': 'client',\n  '$metadata': { httpStatusCode: 400, requestId: 'R', attempts: 1 }\n}",
  "An error occurred (AccessDenied) when calling the AssumeRole operation (reached max retries: 2): User: arn:aws:iam::1:user/X is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::2:role/Y with an explicit deny in a service control policy: arn:aws:organizations::2:policy/o-1/service_control_policy/p-1",
  "com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: R; Proxy: null)",
  "Error: creating IAM Role (x): operation error IAM: CreateRole, https response error StatusCode: 403, RequestID: r, api error AccessDenied: denied",
];

function assertWellFormed(text: string): void {
  const fs = parseFailures(text);
  expect(Array.isArray(fs)).toBe(true);
  for (const f of fs) {
    expect(typeof f.format).toBe("string");
    expect(typeof f.raw).toBe("string");
    expect(Array.isArray(f.notes)).toBe(true);
  }
  const best = parseFailure(text);
  if (best !== null) expect(fs).toContainEqual(best);
}

describe("parseFailures on hostile input", () => {
  it("never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 2000 }), (s) => {
        assertWellFormed(s);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on random bytes decoded as UTF-8 and Latin-1", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        assertWellFormed(Buffer.from(bytes).toString("utf8"));
        assertWellFormed(Buffer.from(bytes).toString("latin1"));
      }),
      { numRuns: 200 },
    );
  });

  it("never throws on truncated or spliced real examples", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EXAMPLES),
        fc.nat(),
        fc.nat(),
        fc.string({ maxLength: 40 }),
        (ex, a, b, junk) => {
          const cut = ex.slice(0, a % (ex.length + 1));
          assertWellFormed(cut);
          const at = b % (ex.length + 1);
          assertWellFormed(ex.slice(0, at) + junk + ex.slice(at));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("still reads the parts that survive a cut", () => {
    const ex = EXAMPLES[4]!;
    const f = parseFailure(ex.slice(0, ex.indexOf(" on resource")));
    expect(f).toMatchObject({ code: "AccessDenied", action: "sts:AssumeRole", retries: 2 });
  });

  it("handles 1 MB inputs of pathological shapes", () => {
    const mb = 1_000_000;
    const shapes = [
      "{".repeat(mb),
      "[".repeat(mb),
      '{"a":'.repeat(mb / 5),
      "<Error><Code>".repeat(mb / 13),
      "A".repeat(mb),
      "An error occurred (".repeat(mb / 19),
      "User: ".repeat(mb / 6),
      "x".repeat(mb / 2) + EXAMPLES[4]! + "y".repeat(mb / 2),
      `${EXAMPLES[0]!}\n`.repeat(Math.ceil(mb / EXAMPLES[0]!.length)),
      "operation error STS: GetCallerIdentity, ".repeat(mb / 40),
      "'$metadata': {".repeat(mb / 14),
      "\n".repeat(mb),
      " ".repeat(mb),
      "\n   at x\n".repeat(mb / 10),
      "is not authorized to perform: ".repeat(mb / 30),
      "Encoded authorization failure message: ".repeat(mb / 40),
      '"errorCode":"AccessDenied",'.repeat(mb / 27),
      "Signature expired: 20231010T101010Z is now earlier than ".repeat(mb / 56),
      "arn:aws:iam::123456789012:user/".repeat(mb / 31),
      "│ Error: ".repeat(mb / 9),
    ];
    for (const s of shapes) assertWellFormed(s);
    const big = parseFailures("x".repeat(mb / 2) + EXAMPLES[4]! + "y".repeat(mb / 2));
    expect(big.map((f) => f.code)).toEqual(["AccessDenied"]);
    // A 1 MB trail paste with one error repeated is still one failure.
    expect(parseFailures(`${EXAMPLES[0]!}\n`.repeat(2000))).toHaveLength(1);
  });

  it("returns [] for non-string input passed from untyped callers", () => {
    expect(parseFailures(undefined as unknown as string)).toEqual([]);
    expect(parseFailures(42 as unknown as string)).toEqual([]);
  });
});
