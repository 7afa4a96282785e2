// Property-based tests of the evaluator (fast-check, fixed seeds): determinism and monotonicity laws.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyIdentity, identityCause, nearMissesOf } from "../../src/iam/explain.js";
import {
  type CanRequest,
  type EvaluationEnv,
  evaluate,
  evaluateRequest,
  prepare,
} from "../../src/iam/index.js";

const ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "ec2:RunInstances", "sqs:SendMessage"];
const ACTION_PATTERNS = [...ACTIONS, "s3:*", "s3:Get*", "*", "ec2:Run?nstances", "sqs:*"];
const RESOURCES = [
  "arn:aws:s3:::b/k",
  "arn:aws:s3:::b",
  "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
  "arn:aws:sqs:us-east-1:111122223333:q",
];
const RESOURCE_PATTERNS = [
  ...RESOURCES,
  "*",
  "arn:aws:s3:::b/*",
  "arn:aws:ec2:*:111122223333:instance/*",
  "arn:aws:sqs:*:*:q",
];

const condition = fc.oneof(
  fc.constant(undefined),
  fc.record({ StringEquals: fc.record({ "aws:username": fc.constantFrom("alice", "bob") }) }),
  fc.record({ BoolIfExists: fc.record({ "aws:MultiFactorAuthPresent": fc.constantFrom("true", "false") }) }),
  fc.record({ IpAddress: fc.record({ "aws:SourceIp": fc.constantFrom("10.0.0.0/8", "203.0.113.0/24") }) }),
);

const statement = fc
  .record({
    Effect: fc.constantFrom("Allow", "Deny"),
    Action: fc.subarray(ACTION_PATTERNS, { minLength: 1, maxLength: 3 }),
    Resource: fc.subarray(RESOURCE_PATTERNS, { minLength: 1, maxLength: 2 }),
    Condition: condition,
    not: fc.boolean(),
  })
  .map(({ not, Condition, ...s }) => {
    const st: Record<string, unknown> = { ...s };
    if (Condition) st.Condition = Condition;
    if (not && s.Effect === "Deny") {
      st.NotAction = st.Action;
      delete st.Action;
    }
    return st;
  });

const policy = fc
  .array(statement, { minLength: 1, maxLength: 4 })
  .map((Statement) => ({ Version: "2012-10-17", Statement }));

const request = fc.record({
  principal: fc.constantFrom(
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:sts::111122223333:assumed-role/R/s",
  ),
  action: fc.constantFrom(...ACTIONS),
  resource: fc.constantFrom(...RESOURCES),
  context: fc.record(
    {
      "aws:SourceIp": fc.constantFrom("10.1.2.3", "198.51.100.7"),
      "aws:MultiFactorAuthPresent": fc.constantFrom("true", "false"),
    },
    { requiredKeys: [] },
  ),
}) as fc.Arbitrary<CanRequest>;

const env = fc.record({
  identityPolicies: fc.array(policy, { minLength: 0, maxLength: 2 }),
  boundary: fc.option(policy, { nil: undefined }),
  scps: fc.option(fc.array(fc.array(policy, { maxLength: 1 }), { minLength: 1, maxLength: 2 }), {
    nil: undefined,
  }),
});

const NOW = new Date("2026-01-15T12:00:00Z");
const evalIt = (r: CanRequest, e: EvaluationEnv) =>
  evaluateRequest(structuredClone(r), { ...structuredClone(e), now: NOW });
const OPTS = { seed: 1234, numRuns: 300 };

describe("evaluator laws", () => {
  it("is deterministic", () => {
    fc.assert(
      fc.property(request, env, (r, e) => {
        expect(JSON.stringify(evalIt(r, e))).toBe(JSON.stringify(evalIt(r, e)));
      }),
      OPTS,
    );
  });

  it("an explicit Deny that covers the request always wins", () => {
    fc.assert(
      fc.property(request, env, (r, e) => {
        const deny = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] };
        const res = evalIt(r, { ...e, identityPolicies: [...e.identityPolicies, deny] });
        expect(res.decision).toBe("ExplicitDeny");
      }),
      OPTS,
    );
  });

  it("adding an identity Allow never turns Allowed into a deny", () => {
    fc.assert(
      fc.property(request, env, policy, (r, e, extra) => {
        const allowOnly = {
          ...extra,
          Statement: extra.Statement.map((s) => ({
            ...s,
            Effect: "Allow",
            Action: s.Action ?? s.NotAction,
            NotAction: undefined,
          })),
        };
        const before = evalIt(r, e);
        const after = evalIt(r, {
          ...e,
          identityPolicies: [...e.identityPolicies, JSON.parse(JSON.stringify(allowOnly))],
        });
        if (before.decision === "Allowed") expect(after.decision).toBe("Allowed");
        if (before.decision === "ExplicitDeny") expect(after.decision).toBe("ExplicitDeny");
      }),
      OPTS,
    );
  });

  it("removing a Deny never turns Allowed into a deny", () => {
    fc.assert(
      fc.property(request, env, (r, e) => {
        const before = evalIt(r, e);
        const stripped = e.identityPolicies.map((p) => ({
          ...p,
          Statement: p.Statement.filter((s) => s.Effect !== "Deny"),
        }));
        const after = evalIt(r, { ...e, identityPolicies: stripped.filter((p) => p.Statement.length > 0) });
        if (before.decision === "Allowed") expect(after.decision).toBe("Allowed");
      }),
      OPTS,
    );
  });

  it("the result is consistent: decidedBy holds Allows when allowed, Denies when explicitly denied, a cause when denied", () => {
    fc.assert(
      fc.property(request, env, (r, e) => {
        const res = evalIt(r, e);
        if (res.decision === "Allowed") {
          expect(res.decidedBy.length).toBeGreaterThan(0);
          expect(res.decidedBy.every((d) => d.effect === "Allow")).toBe(true);
          expect(res.cause).toBeUndefined();
        } else {
          expect(res.cause).toBeDefined();
          expect(res.fix).not.toBeNull();
          if (res.decision === "ExplicitDeny")
            expect(res.decidedBy.every((d) => d.effect === "Deny")).toBe(true);
        }
      }),
      OPTS,
    );
  });

  it("the fast identity cause agrees with the cause of the closest near miss", () => {
    fc.assert(
      fc.property(request, env, (r, e) => {
        const { request: pr, set } = prepare(structuredClone(r), { ...structuredClone(e), now: NOW });
        const raw = evaluate(pr, set);
        if (raw.decision !== "ImplicitDeny" || raw.decidingLayer?.type !== "identity") return;
        expect(classifyIdentity(raw.decidingLayer, pr)).toBe(
          identityCause(pr, nearMissesOf(raw.decidingLayer, pr)[0]),
        );
      }),
      OPTS,
    );
  });

  it("the proposed fix for an identity resource mismatch makes the request allowed", () => {
    const pol = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b" }],
    };
    const r = {
      principal: "arn:aws:iam::111122223333:user/alice",
      action: "s3:GetObject",
      resource: "arn:aws:s3:::b/k",
    };
    const res = evaluateRequest(r, { identityPolicies: [pol] });
    expect(res.cause).toBe("IAM_RESOURCE_MISMATCH");
    const fixed = {
      ...pol,
      Statement: [{ ...pol.Statement[0], Resource: [pol.Statement[0]!.Resource, r.resource] }],
    };
    expect(evaluateRequest(r, { identityPolicies: [fixed] }).decision).toBe("Allowed");
    // The statement allows only this action: the resource is added to it.
    expect(res.fix?.diff).toContain(`+     "${r.resource}"`);
    expect(res.fix?.verified).toBe(true);
    expect(
      evaluateRequest(r, { identityPolicies: [res.fix!.document as Record<string, unknown>] }).decision,
    ).toBe("Allowed");
  });
});
