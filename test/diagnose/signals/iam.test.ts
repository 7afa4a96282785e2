// evaluationSignals turns decisions into evidence for the diagnosis.

import { describe, expect, it } from "vitest";
import { evaluationSignals } from "../../../src/diagnose/signals/iam.js";
import { evaluateRequest } from "../../../src/iam/index.js";

const alice = "arn:aws:iam::111122223333:user/alice";
const allowAll = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

function effects(sig: ReturnType<typeof evaluationSignals>) {
  return sig.map((s) => `${s.cause}:${s.effect}`);
}

describe("evaluationSignals", () => {
  it("an SCP Deny confirms SCP_DENY", () => {
    const r = evaluateRequest(
      { principal: alice, action: "s3:GetObject", resource: "*" },
      {
        identityPolicies: [allowAll],
        scps: [[{ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "s3:*", Resource: "*" }] }]],
      },
    );
    expect(effects(evaluationSignals(r))).toContain("SCP_DENY:confirms");
  });

  it("a resource near miss confirms IAM_RESOURCE_MISMATCH and refutes IAM_ACTION_NOT_ALLOWED", () => {
    const r = evaluateRequest(
      { principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/k" },
      {
        identityPolicies: [
          {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b" }],
          },
        ],
      },
    );
    const e = effects(evaluationSignals(r));
    expect(e).toContain("IAM_RESOURCE_MISMATCH:confirms");
    expect(e).toContain("IAM_ACTION_NOT_ALLOWED:refutes");
  });

  it("Allowed refutes the identity-policy causes and the layers that allowed", () => {
    const r = evaluateRequest(
      { principal: alice, action: "s3:GetObject", resource: "*" },
      { identityPolicies: [allowAll], scps: [[allowAll]], boundary: allowAll },
    );
    const e = effects(evaluationSignals(r, "can"));
    for (const c of [
      "IAM_ACTION_NOT_ALLOWED",
      "IAM_RESOURCE_MISMATCH",
      "IAM_CONDITION_FAILED",
      "IAM_EXPLICIT_DENY",
      "SCP_DENY",
      "PERMISSION_BOUNDARY",
    ])
      expect(e).toContain(`${c}:refutes`);
    expect(evaluationSignals(r, "can").every((s) => s.source === "can")).toBe(true);
  });

  it("a decision that depends on a missing key only supports, never confirms", () => {
    const r = evaluateRequest(
      { principal: alice, action: "s3:GetObject", resource: "*" },
      {
        identityPolicies: [
          {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: "s3:*",
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceVpce": "vpce-1" } },
              },
            ],
          },
        ],
      },
    );
    const e = effects(evaluationSignals(r));
    expect(e).toContain("IAM_CONDITION_FAILED:supports");
    expect(e.some((x) => x.endsWith(":confirms"))).toBe(false);
  });
});
