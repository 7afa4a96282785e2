import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

describe("public library API", () => {
  it("explains an error text end to end with plain data", () => {
    const d = api.explainText(
      "An error occurred (AccessDenied) when calling the PassRole operation: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/app because no identity-based policy allows the iam:PassRole action",
    );
    expect(d.schema).toBe("authdoctor.diagnosis/v1");
    expect(d.causes[0]?.id).toBe("PASSROLE_MISSING");
    expect(JSON.parse(api.renderJson(d)).failure.principal.kind).toBe("iam-user");
  });

  it("exposes every taxonomy id as a cause definition", () => {
    for (const id of api.CAUSE_IDS) expect(api.causeOf(id).id).toBe(id);
  });

  it("evaluates a request against an identity policy", () => {
    const r = api.evaluateRequest(
      {
        principal: "arn:aws:iam::123456789012:user/alice",
        action: "s3:GetObject",
        resource: "arn:aws:s3:::b/k",
      },
      {
        identityPolicies: [
          {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }],
          },
        ],
      },
    );
    expect(r.decision).toBe("Allowed");
  });
});
