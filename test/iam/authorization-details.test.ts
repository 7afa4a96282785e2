import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/input-error.js";
import {
  analyseAuthorization,
  parseAuthorizationDetails,
  parseAuthorizationPolicy,
} from "../../src/iam/authorization-details.js";

const FIX = join(import.meta.dirname, "../fixtures/authorization-details");
const read = (p: string) => readFileSync(join(FIX, p), "utf8");

describe("authorization details (get-request-authorization-details)", () => {
  it("finds a secondary implicit deny (iam:PassRole inside ecs:RunTask) and the kind with no allow", () => {
    const d = parseAuthorizationDetails(read("passrole/authorization-details.json"), "x.json");
    const f = analyseAuthorization(d);
    expect(f.denied?.action).toBe("iam:PassRole");
    expect(f.secondary).toBe(true);
    expect(f.primary?.action).toBe("ecs:RunTask");
    expect(f.missingAllow).toEqual(["identity"]);
    expect(f.principal).toBe("arn:aws:iam::111122223333:role/deployer");
  });

  it("names the SCP and statement of an explicit deny of kms:Decrypt inside s3:GetObject", () => {
    const f = analyseAuthorization(
      parseAuthorizationDetails(read("kms-scp/authorization-details.json"), "x"),
    );
    expect(f.denied?.action).toBe("kms:Decrypt");
    expect(f.denyingPolicies).toHaveLength(1);
    expect(f.denyingPolicies[0]!.policy.type).toBe("SERVICE_CONTROL_POLICY");
    expect(f.denyingPolicies[0]!.sids).toEqual(["DenyForeignKeys"]);
  });

  it("merges pages given as a JSON array", () => {
    const page = JSON.parse(read("passrole/authorization-details.json"));
    const second = {
      evaluations: [{ ...page.evaluations[1], action: "iam:GetRole" }],
      policies: page.policies,
    };
    const d = parseAuthorizationDetails(JSON.stringify([{ ...page, nextToken: "t" }, second]), "x");
    expect(d.evaluations.map((e) => e.action)).toEqual(["ecs:RunTask", "iam:PassRole", "iam:GetRole"]);
    expect(d.policies).toHaveLength(1);
    expect(d.nextToken).toBeUndefined();
  });

  it("refuses malformed input with one line naming the input", () => {
    expect(() => parseAuthorizationDetails("{ nope", "details.json")).toThrow(InputError);
    expect(() => parseAuthorizationDetails('{"Policy": {}}', "details.json")).toThrow(
      /details\.json.*evaluations/,
    );
  });

  it("reads a denial-time policy in each shape", () => {
    const doc = { Version: "2012-10-17", Statement: [] };
    expect(parseAuthorizationPolicy(JSON.stringify({ policyDocument: doc }), "p").document).toEqual(doc);
    expect(
      parseAuthorizationPolicy(JSON.stringify({ policyDocument: JSON.stringify(doc) }), "p").document,
    ).toEqual(doc);
    expect(parseAuthorizationPolicy(JSON.stringify(doc), "p").document).toEqual(doc);
    expect(() => parseAuthorizationPolicy('{"x":1}', "p.json")).toThrow(/p\.json/);
  });
});
