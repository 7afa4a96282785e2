// The memo of `can --requests` (requestLines): a result served from the memo must equal a fresh evaluation of the
// same request, for generated policies and batches that repeat callers, actions and resources with context values
// that do and do not change the outcome (property test, fixed seed).
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written `${...}` in plain strings

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type EvaluationEnv, evaluateRequest } from "../../src/iam/index.js";
import { requestLines } from "../../src/iam/requests.js";

const ACCOUNT = "111122223333";
const PRINCIPALS = [
  `arn:aws:iam::${ACCOUNT}:user/alice`,
  `arn:aws:iam::${ACCOUNT}:user/bob`,
  `arn:aws:sts::${ACCOUNT}:assumed-role/App/s1`,
  "arn:aws:iam::444455556666:user/partner",
];
const ACTIONS = ["s3:GetObject", "s3:PutObject", "ec2:StartInstances", "sqs:SendMessage"];
const RESOURCES = [
  "arn:aws:s3:::data/k1",
  "arn:aws:s3:::data/k2",
  "arn:aws:s3:::home/alice/x",
  `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-1`,
  `arn:aws:sqs:eu-west-1:${ACCOUNT}:q`,
];
const CONDITIONS = [
  { IpAddress: { "aws:SourceIp": ["10.0.0.0/8"] } },
  { NotIpAddress: { "aws:SourceIp": "10.1.0.0/16" } },
  { StringEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } },
  { BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } },
  { Bool: { "aws:MultiFactorAuthPresent": "false" } },
  { Null: { "aws:PrincipalTag/team": "false" } },
  { StringLike: { "aws:PrincipalTag/team": "dev*" } },
  { "ForAnyValue:StringEquals": { "aws:TagKeys": ["env", "owner"] } },
  { DateLessThan: { "aws:CurrentTime": "2026-07-01T00:00:00Z" } },
];

const statement = fc
  .record({
    Effect: fc.constantFrom("Allow", "Allow", "Deny"),
    Action: fc.subarray([...ACTIONS, "s3:*", "ec2:Start*", "*"], { minLength: 1, maxLength: 2 }),
    Resource: fc.subarray([...RESOURCES, "*", "arn:aws:s3:::data/*", "arn:aws:s3:::home/${aws:username}/*"], {
      minLength: 1,
      maxLength: 2,
    }),
    Condition: fc.option(fc.constantFrom(...CONDITIONS), { nil: undefined }),
  })
  .map(({ Condition, ...s }) => (Condition ? { ...s, Condition } : s));
const policy = fc
  .array(statement, { minLength: 1, maxLength: 5 })
  .map((Statement) => ({ Version: "2012-10-17", Statement }));

const context = fc.record(
  {
    "aws:SourceIp": fc.constantFrom("10.0.0.1", "10.1.2.3", "10.9.9.9", "198.51.100.7"),
    "aws:RequestedRegion": fc.constantFrom("us-east-1", "eu-west-1", "ap-east-1"),
    "aws:MultiFactorAuthPresent": fc.constantFrom("true", "false"),
    "aws:PrincipalTag/team": fc.constantFrom("dev", "dev-ops", "ops"),
    "aws:TagKeys": fc.constantFrom(["env"], ["owner", "x"], ["x"], []),
    "aws:CurrentTime": fc.constantFrom("2026-06-15T12:00:00Z", "2026-08-01T00:00:00Z"),
  },
  { requiredKeys: [] },
);

const request = fc.record({
  principal: fc.constantFrom(...PRINCIPALS),
  action: fc.constantFrom(...ACTIONS),
  resource: fc.constantFrom(...RESOURCES),
  context,
  withBucketPolicy: fc.boolean(),
});

const NOW = new Date("2026-06-15T12:00:00Z");

const bucketPolicy = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::444455556666:root" },
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::data/*",
      Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } },
    },
  ],
};

describe("can --requests memo", () => {
  it("a result served from the memo equals a fresh evaluation of the same request", () => {
    fc.assert(
      fc.property(
        policy,
        fc.option(policy, { nil: undefined }),
        policy,
        fc.array(request, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { minLength: 10, maxLength: 30 }),
        (identity, boundary, scp, pool, picks) => {
          // a fixed clock: a request without aws:CurrentTime gets this time, whenever it is evaluated
          const env: EvaluationEnv = { identityPolicies: [identity], scps: [[scp]], now: NOW };
          if (boundary) env.boundary = boundary;
          // a batch that repeats the pool's requests in some order: hits and misses of the memo
          const lines = picks.map((i) => {
            const r = pool[i % pool.length]!;
            return JSON.stringify({
              principal: r.principal,
              action: r.action,
              resource: r.resource,
              context: r.context,
              ...(r.withBucketPolicy ? { resourcePolicy: bucketPolicy } : {}),
            });
          });
          const got = [...requestLines(lines.join("\n"), "batch", env)];
          expect(got).toHaveLength(lines.length);
          let shared = 0;
          const seen = new Set<unknown>();
          got.forEach((g, i) => {
            if (!("result" in g)) throw new Error(`line ${i + 1}: ${"error" in g ? g.error : ""}`);
            if (seen.has(g.result)) shared++;
            seen.add(g.result);
            const fresh = evaluateRequest(JSON.parse(lines[i]!), env);
            expect(JSON.stringify(g.result)).toBe(JSON.stringify(fresh));
          });
          // the memo did serve repeats (more lines than distinct requests)
          if (new Set(lines).size < lines.length) expect(shared).toBeGreaterThan(0);
        },
      ),
      { seed: 1203, numRuns: 60 },
    );
  });

  it("a context value the policies never read does not miss the memo; one they read does", () => {
    const env: EvaluationEnv = {
      identityPolicies: [
        {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: "s3:GetObject",
              Resource: "arn:aws:s3:::data/*",
              Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } },
            },
          ],
        },
      ],
    };
    const line = (ctx: Record<string, string>, action = "s3:GetObject") =>
      JSON.stringify({
        principal: `arn:aws:iam::${ACCOUNT}:user/alice`,
        action,
        resource: "arn:aws:s3:::data/k",
        context: ctx,
      });
    const got = [
      ...requestLines(
        [
          line({ "aws:SourceIp": "10.0.0.1", "aws:UserAgent": "a" }),
          line({ "aws:SourceIp": "10.0.0.1", "aws:UserAgent": "b" }),
          line({ "aws:SourceIp": "10.0.0.2", "aws:UserAgent": "a" }),
          line({ "aws:SourceIp": "198.51.100.7" }, "s3:PutObject"),
          line({ "aws:SourceIp": "198.51.100.8" }, "s3:PutObject"),
        ].join("\n"),
        "batch",
        env,
      ),
    ].map((g) => ("result" in g ? g.result : undefined));
    expect(got[1]).toBe(got[0]);
    expect(got[2]).not.toBe(got[0]);
    expect(got[2]?.decision).toBe("Allowed");
    // s3:PutObject: no statement covers it, so the near miss shows the source IP the request had
    expect(got[4]).not.toBe(got[3]);
    expect(JSON.stringify(got[4])).toContain("198.51.100.8");
  });
});
