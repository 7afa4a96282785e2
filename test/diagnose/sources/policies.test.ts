// The policy evidence source: AWS's own words win over the evaluation, and cross-account requests say both sides.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Failure } from "../../../src/core/failure.js";
import { policySource } from "../../../src/diagnose/sources/policies.js";

const dir = mkdtempSync(path.join(tmpdir(), "authdoctor-policies-"));
const file = (name: string, doc: unknown) => {
  const p = path.join(dir, name);
  writeFileSync(p, JSON.stringify(doc));
  return p;
};
const allowAll = file("all.json", {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});
const scpDeny = file("scp.json", {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: "*", Resource: "*" },
    { Sid: "NoLeave", Effect: "Deny", Action: "sqs:DeleteQueue", Resource: "*" },
  ],
});
const inputs = (o: Partial<Parameters<typeof policySource>[0]>) => ({
  scp: [],
  rcp: [],
  policies: [allowAll],
  resourcePolicies: [],
  ...o,
});
const req = {
  principal: "arn:aws:iam::111122223333:user/alice",
  action: "sqs:DeleteQueue",
  resource: "arn:aws:sqs:us-east-1:111122223333:q",
};
const scpFailure = { policyType: "service-control", denyKind: "explicit" } as unknown as Failure;

describe("policy source", () => {
  it("the error naming an SCP is the verdict when the policies given allow (said, not overruled)", async () => {
    const out = await policySource(inputs({}), req, scpFailure);
    expect(out.denialCause).toBe("SCP_DENY");
    expect(out.unknowns.map((u) => u.what).join("\n")).toContain("do not reproduce the denial AWS reported");
    expect(out.signals).toHaveLength(0);
  });

  it("when the evaluation agrees, it names the statement of the type AWS named", async () => {
    const out = await policySource(inputs({ scp: [scpDeny] }), req, scpFailure);
    expect(out.denialCause).toBe("SCP_DENY");
    expect(out.checked.map((c) => c.detail).join("\n")).toContain("NoLeave");
  });

  it("a cross-account request says both accounts must allow", async () => {
    const out = await policySource(
      inputs({}),
      { ...req, action: "dynamodb:GetItem", resource: "arn:aws:dynamodb:us-east-1:444455556666:table/t" },
      null,
    );
    const details = out.checked.map((c) => c.detail).join("\n");
    expect(details).toMatch(
      /cross-account request: the caller's account 111122223333 .* account 444455556666/,
    );
    expect(out.unknowns.map((u) => u.what).join("\n")).toContain("account 444455556666 was not given");
  });

  it("--resource-account names the owner of an S3 bucket", async () => {
    const out = await policySource(
      inputs({}),
      { ...req, action: "s3:GetObject", resource: "arn:aws:s3:::b/k", resourceAccount: "444455556666" },
      null,
    );
    expect(out.checked.map((c) => c.detail).join("\n")).toContain("account 444455556666 must allow");
    expect(out.denialCause).toBe("RESOURCE_POLICY");
  });
});
