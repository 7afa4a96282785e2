// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written `${...}` in plain strings
// Proven fixes: applying `fix.document` (and `fix.also`, `fix.context`) turns a denied request to Allowed, and other
// requests keep their decision (fast-check, fixed seed); plus the operator and no-widening rules one by one.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CanRequest, type EvaluationEnv, evaluateRequest, type PolicyFix } from "../../src/iam/index.js";

const NOW = new Date("2026-01-15T12:00:00Z");
const ALICE = "arn:aws:iam::111122223333:user/alice";
const ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "ec2:StartInstances"];
const RESOURCES = [
  "arn:aws:s3:::b/k",
  "arn:aws:s3:::b/j",
  "arn:aws:s3:::b",
  "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
];
const RESOURCE_PATTERNS = [
  ...RESOURCES,
  "arn:aws:s3:::b/*",
  "arn:aws:s3:::b/${aws:username}",
  "arn:aws:ec2:*:*:instance/*",
];

type Doc = { Version: string; Statement: Array<Record<string, unknown>> };
type Env = { identityPolicies: Doc[]; boundary?: Doc; scps?: Doc[][] };

const condition = fc.oneof(
  fc.constant(undefined),
  fc.record({ IpAddress: fc.record({ "aws:SourceIp": fc.constantFrom("10.0.0.0/8", "203.0.113.0/24") }) }),
  fc.record({
    DateLessThan: fc.record({
      "aws:CurrentTime": fc.constantFrom("2025-01-01T00:00:00Z", "2027-01-01T00:00:00Z"),
    }),
  }),
  fc.record({
    DateGreaterThan: fc.record({
      "aws:CurrentTime": fc.constantFrom("2026-06-01T00:00:00Z", "2020-01-01T00:00:00Z"),
    }),
  }),
  fc.record({
    StringEquals: fc.record({ "aws:RequestedRegion": fc.constantFrom("us-east-1", "eu-west-1") }),
  }),
  fc.record({ StringNotEquals: fc.record({ "aws:SourceVpc": fc.constantFrom("vpc-1", "vpc-2") }) }),
  fc.record({ NumericLessThan: fc.record({ "s3:max-keys": fc.constantFrom("10", "100") }) }),
);
const allow = fc
  .record({
    Action: fc.subarray([...ACTIONS, "s3:Get*"], { minLength: 1, maxLength: 2 }),
    Resource: fc.subarray(RESOURCE_PATTERNS, { minLength: 1, maxLength: 2 }),
    Condition: condition,
  })
  .map(({ Condition, ...s }) => ({ Effect: "Allow", ...s, ...(Condition ? { Condition } : {}) }));
const policy = fc
  .array(allow, { minLength: 1, maxLength: 3 })
  .map((Statement) => ({ Version: "2012-10-17", Statement }));
const envArb: fc.Arbitrary<Env> = fc.record(
  {
    identityPolicies: fc.array(policy, { minLength: 0, maxLength: 2 }),
    boundary: policy,
    scps: fc.array(fc.array(policy, { minLength: 1, maxLength: 1 }), { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: ["identityPolicies"] },
);
const requestArb: fc.Arbitrary<CanRequest> = fc.record({
  principal: fc.constant(ALICE),
  action: fc.constantFrom(...ACTIONS),
  resource: fc.constantFrom(...RESOURCES),
  context: fc.record(
    {
      "aws:SourceIp": fc.constantFrom("10.1.2.3", "198.51.100.7"),
      "aws:RequestedRegion": fc.constantFrom("us-east-1", "ap-east-1"),
      "aws:SourceVpc": fc.constantFrom("vpc-1", "vpc-3"),
      "s3:max-keys": fc.constantFrom("5", "500"),
    },
    { requiredKeys: [] },
  ),
});

const run = (r: CanRequest, e: Env) =>
  evaluateRequest(structuredClone(r), { ...(structuredClone(e) as EvaluationEnv), now: NOW });

/** Put each changed document where its name says (`identity policy[1]`, `boundary`, `scp level 0`...). */
function applyFix(e: Env, r: CanRequest, fix: PolicyFix): { env: Env; request: CanRequest } {
  const env = structuredClone(e);
  const request = structuredClone(r);
  for (const step of [fix, ...(fix.also ?? [])]) {
    if (step.context)
      for (const [k, v] of Object.entries(step.context)) request.context = { ...request.context, [k]: v };
    if (!step.document) continue;
    const doc = step.document as Doc;
    const name = step.policy ?? "";
    const idx = /\[(\d+)\]$/.exec(name)?.[1];
    if (step.policyType === "identity") {
      if (name.startsWith("new ")) env.identityPolicies.push(doc);
      else env.identityPolicies[idx ? Number(idx) : 0] = doc;
    } else if (step.policyType === "boundary") env.boundary = doc;
    else if (step.policyType === "scp") {
      const level = Number(/scp level (\d+)/.exec(name)?.[1] ?? "0");
      env.scps![level]![idx ? Number(idx) : 0] = doc;
    } else throw new Error(`unexpected policy type ${step.policyType}`);
  }
  return { env, request };
}

describe("proven fixes", () => {
  it("applying fix.document makes a denied request Allowed, and other requests keep their decision", () => {
    let proven = 0;
    fc.assert(
      fc.property(
        requestArb,
        envArb,
        fc.array(requestArb, { minLength: 3, maxLength: 6 }),
        (r, e, others) => {
          const res = run(r, e);
          if (res.decision === "Allowed") return;
          const fix = res.fix!;
          expect(fix).not.toBeNull();
          if (!fix.verified) return;
          proven++;
          const { env, request } = applyFix(e, r, fix);
          expect(run(request, env).decision).toBe("Allowed");
          // never `*` or `service:*` added to Action or Resource
          for (const step of [fix, ...(fix.also ?? [])]) {
            const before = JSON.stringify(e);
            for (const st of (step.document as Doc | undefined)?.Statement ?? []) {
              const acts = [st.Action ?? []].flat() as string[];
              const res2 = [st.Resource ?? []].flat() as string[];
              for (const a of acts) if (a === "*" || /:\*$/.test(a)) expect(before).toContain(`"${a}"`);
              for (const x of res2) if (x === "*") expect(before).toContain('"*"');
            }
          }
          // A fix for one action on one resource changes nothing for another action or resource.
          for (const o of others) {
            if (o.action === r.action && o.resource === r.resource) continue;
            expect(run(o, env).decision, `${o.action} ${o.resource}`).toBe(run(o, e).decision);
          }
        },
      ),
      { seed: 4242, numRuns: 400 },
    );
    expect(proven).toBeGreaterThan(100);
  });

  const idp = (st: Record<string, unknown>) => ({
    identityPolicies: [
      {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*", ...st }],
      },
    ],
  });
  const get = { principal: ALICE, action: "s3:GetObject", resource: "arn:aws:s3:::b/k" };

  it("a DateLessThan in the past gets a bound strictly after the request time", () => {
    const r = evaluateRequest(
      { ...get, context: { "aws:CurrentTime": "2026-03-01T10:00:00Z" } },
      idp({ Condition: { DateLessThan: { "aws:CurrentTime": "2026-01-01T00:00:00Z" } } }),
    );
    expect(r.decision).toBe("ImplicitDeny");
    expect(r.fix?.verified).toBe(true);
    // `Resource: "*"` would widen in place: a new statement for this resource, the bound moved past the request.
    const doc = r.fix?.document as Doc;
    const added = doc.Statement[1]!;
    expect(added.Resource).toBe("arn:aws:s3:::b/k");
    const cond = added.Condition as Record<string, Record<string, unknown>>;
    expect(cond.DateLessThan!["aws:CurrentTime"]).toEqual(["2026-01-01T00:00:00Z", "2026-03-01T10:00:01Z"]);
  });

  it("a policy variable in Resource is kept; the exact resource is added beside it", () => {
    const r = evaluateRequest(
      { ...get, resource: "arn:aws:s3:::home/bob/x" },
      idp({ Resource: "arn:aws:s3:::home/${aws:username}/*" }),
    );
    expect(r.fix?.verified).toBe(true);
    const text = JSON.stringify(r.fix?.document);
    expect(text).toContain("arn:aws:s3:::home/${aws:username}/*");
    expect(text).toContain('"arn:aws:s3:::home/bob/x"');
  });

  it("an explicit Deny is narrowed and named, never beaten by a new Allow", () => {
    const r = evaluateRequest(get, {
      identityPolicies: [
        {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: "s3:*", Resource: "*" },
            { Sid: "NoGet", Effect: "Deny", Action: "s3:GetObject", Resource: "*" },
          ],
        },
      ],
    });
    expect(r.decision).toBe("ExplicitDeny");
    expect(r.fix?.summary).toContain("narrow the Deny");
    expect(r.fix?.summary).toContain("NoGet");
    const doc = r.fix?.document as Doc;
    expect(doc.Statement.filter((s) => s.Effect === "Allow")).toHaveLength(1);
    expect(doc.Statement[1]!.Condition).toEqual({ ArnNotEquals: { "aws:PrincipalArn": ALICE } });
    expect(r.fix?.verified).toBe(true);
  });

  it("an MFA requirement is never lifted: the fix is an MFA session", () => {
    const r = evaluateRequest(
      { ...get, context: { "aws:MultiFactorAuthPresent": "false" } },
      idp({ Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }),
    );
    expect(r.fix?.document).toBeUndefined();
    expect(r.fix?.context).toMatchObject({ "aws:MultiFactorAuthPresent": "true" });
    expect(r.fix?.verified).toBe(true);
  });

  it("when the boundary also lacks the Allow, the fix names both changes and is verified", () => {
    const r = evaluateRequest(get, {
      identityPolicies: [
        { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "*" }] },
      ],
      boundary: [
        { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }] },
      ],
    });
    expect(r.nearMisses.map((n) => n.policyType)).toEqual(expect.arrayContaining(["identity", "boundary"]));
    expect(r.fix?.verified).toBe(true);
    expect([r.fix?.policyType, ...(r.fix?.also ?? []).map((a) => a.policyType)].sort()).toEqual([
      "boundary",
      "identity",
    ]);
  });

  it("an AWS-reserved target has no fix that could work, and says why", () => {
    const r = evaluateRequest(
      { principal: ALICE, action: "iam:DeletePolicy", resource: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
      {
        identityPolicies: [
          { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
        ],
      },
    );
    expect(r.decision).toBe("ExplicitDeny");
    expect(r.fix?.verified).toBe(false);
    expect(r.fix?.summary).toContain("AWS managed policy");
  });
});
