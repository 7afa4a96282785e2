import { describe, expect, it } from "vitest";
import { CAUSE_IDS } from "../../src/core/cause-ids.js";
import { causeOfPolicyType, POLICY_KIND_CAUSE, POLICY_TYPE_KIND } from "../../src/core/policy-kind.js";
import { readDenyMessage } from "../../src/trail/explain.js";

describe("policy kind -> cause table", () => {
  it("every kind maps to a taxonomy cause", () => {
    for (const cause of Object.values(POLICY_KIND_CAUSE)) expect(CAUSE_IDS).toContain(cause);
    expect(Object.keys(POLICY_KIND_CAUSE).sort()).toEqual(
      ["boundary", "identity", "rcp", "resource", "scp", "session", "trust", "vpce"].sort(),
    );
  });

  it("message policy types map through the kind; identity explicit deny is its own cause", () => {
    expect(causeOfPolicyType("service-control", "implicit")).toBe("SCP_DENY");
    expect(causeOfPolicyType("identity-based", "implicit")).toBe("IAM_ACTION_NOT_ALLOWED");
    expect(causeOfPolicyType("identity-based", "explicit")).toBe("IAM_EXPLICIT_DENY");
    expect(causeOfPolicyType("unknown", "explicit")).toBeUndefined();
    expect(causeOfPolicyType(undefined)).toBeUndefined();
    expect(POLICY_TYPE_KIND["vpc-endpoint"]).toBe("vpce");
  });
});

describe("trail readDenyMessage uses the one denial-message parser", () => {
  it("reads policy type, deny kind and cause", () => {
    expect(
      readDenyMessage(
        "User: arn:aws:sts::111122223333:assumed-role/App/s is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k with an explicit deny in a service control policy",
      ),
    ).toEqual({ denyKind: "explicit", policyType: "service-control", cause: "SCP_DENY" });
    expect(
      readDenyMessage(
        "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/R because no role trust policy allows the sts:AssumeRole action",
      ),
    ).toEqual({ denyKind: "implicit", policyType: "trust", cause: "TRUST_POLICY" });
    expect(readDenyMessage("Access Denied")).toBeUndefined();
  });
});
