import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Failure } from "../../../src/core/failure.js";
import { trailSignals } from "../../../src/diagnose/signals/trail.js";
import type { CloudTrailRecord } from "../../../src/trail/types.js";
import { itShared } from "../../support/shared-data.js";
import { repoRoot } from "../../trail/helpers.js";

/** The CloudTrail record quoted in seed 001 (the AssumeRoleWithWebIdentity by Cognito). */
function seedRecord(): CloudTrailRecord {
  const dir = resolve(repoRoot, "../shared/seeds");
  const name = readdirSync(dir).find((f) => f.startsWith("001_"))!;
  const text = readFileSync(resolve(dir, name), "utf8");
  const start = text.indexOf('{ "eventVersion"');
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0)
      return JSON.parse(text.slice(start, i + 1)) as CloudTrailRecord;
  }
  throw new Error("no record in seed 001");
}

const failure = (over: Partial<Failure>): Failure => ({ format: "plain", raw: "x", notes: [], ...over });

describe("trailSignals", () => {
  itShared(
    "seeds",
    "seed 001: the Cognito AssumeRoleWithWebIdentity at the failure time refutes trust/Cognito config, supports the identity policy",
    () => {
      const rec = seedRecord();
      const principal =
        "arn:aws:sts::<AWS_ACCOUNT_ID>:assumed-role/<COGNITO_ROLE_NAME>/CognitoIdentityCredentials";
      const sig = trailSignals({
        records: [rec],
        failure: failure({
          code: "UnauthorizedException",
          principal: { raw: principal, kind: "role-session" },
        }),
        time: "2025-02-24T14:15:30Z",
      });
      const get = (cause: string) => sig.filter((s) => s.cause === cause).map((s) => s.effect);
      expect(get("TRUST_POLICY")).toEqual(["refutes"]);
      expect(get("COGNITO_CONFIG")).toEqual(["refutes"]);
      expect(get("IAM_ACTION_NOT_ALLOWED")).toEqual(["supports"]);
      expect(get("IAM_RESOURCE_MISMATCH")).toEqual(["supports"]);
      expect(sig[0]!.source).toMatch(/^trail: 2025-02-24T14:15:12Z AssumeRoleWithWebIdentity/);
      // far from the failure time it says nothing
      expect(
        trailSignals({
          records: [rec],
          failure: failure({ principal: { raw: principal, kind: "role-session" } }),
          time: "2025-02-25T14:15:30Z",
        }),
      ).toEqual([]);
    },
  );

  const admin = { arn: "arn:aws:iam::111122223333:user/admin", type: "IAMUser" };
  const ev = (
    time: string,
    eventSource: string,
    eventName: string,
    requestParameters: Record<string, unknown>,
    extra = {},
  ) =>
    ({
      eventTime: time,
      eventSource,
      eventName,
      awsRegion: "us-east-1",
      userIdentity: admin,
      requestParameters,
      ...extra,
    }) as CloudTrailRecord;

  it("a key deactivated before the failure confirms KEY_INACTIVE; reactivation refutes it", () => {
    const key = "AKIAIOSFODNN7EXAMPLE";
    const off = ev("2024-05-01T10:00:00Z", "iam.amazonaws.com", "UpdateAccessKey", {
      accessKeyId: key,
      status: "Inactive",
      userName: "bob",
    });
    const on = ev("2024-05-01T10:30:00Z", "iam.amazonaws.com", "UpdateAccessKey", {
      accessKeyId: key,
      status: "Active",
      userName: "bob",
    });
    const f = failure({
      code: "InvalidClientTokenId",
      accessKeyId: { masked: "AKIA****MPLE", prefix: "AKIA" },
    });
    const s1 = trailSignals({ records: [off], failure: f, time: "2024-05-01T10:05:00Z" });
    expect(s1).toContainEqual(expect.objectContaining({ cause: "KEY_INACTIVE", effect: "confirms" }));
    const s2 = trailSignals({ records: [off, on], failure: f, time: "2024-05-01T10:35:00Z" });
    expect(s2).toContainEqual(expect.objectContaining({ cause: "KEY_INACTIVE", effect: "refutes" }));
    const del = ev("2024-05-01T10:00:00Z", "iam.amazonaws.com", "DeleteAccessKey", {
      accessKeyId: key,
      userName: "bob",
    });
    expect(
      trailSignals({ records: [del], keyId: key, time: "2024-05-01T11:00:00Z" }).map((s) => s.cause),
    ).toEqual(["KEY_INACTIVE", "KEY_INVALID_ID"]);
    // after the failure: no signal
    expect(trailSignals({ records: [off], failure: f, time: "2024-05-01T09:00:00Z" })).toEqual([]);
  });

  it("a policy change on the failing role minutes before supports the identity-policy causes; SCP and STS changes their causes", () => {
    const role = "arn:aws:sts::111122223333:assumed-role/app-role/s1";
    const recs = [
      ev("2024-05-01T09:55:00Z", "iam.amazonaws.com", "PutRolePolicy", {
        roleName: "app-role",
        policyName: "p",
        policyDocument: "{}",
      }),
      ev("2024-05-01T09:50:00Z", "iam.amazonaws.com", "PutRolePolicy", {
        roleName: "other-role",
        policyName: "p",
        policyDocument: "{}",
      }),
      ev("2024-05-01T09:40:00Z", "organizations.amazonaws.com", "UpdatePolicy", {
        policyId: "p-1",
        type: "SERVICE_CONTROL_POLICY",
      }),
      ev("2024-05-01T09:30:00Z", "iam.amazonaws.com", "SetSecurityTokenServicePreferences", {
        globalEndpointTokenVersion: "v1Token",
      }),
      ev(
        "2024-05-01T10:01:00Z",
        "s3.amazonaws.com",
        "GetObject",
        {},
        { errorCode: "AccessDenied", userIdentity: { arn: role, type: "AssumedRole" } },
      ),
    ];
    const sig = trailSignals({ records: recs, principal: role, time: "2024-05-01T10:00:00Z" });
    const causes = sig.map((s) => `${s.cause}:${s.effect}`);
    expect(causes).toContain("IAM_ACTION_NOT_ALLOWED:supports");
    expect(causes).toContain("SCP_DENY:supports");
    expect(causes).toContain("STS_TOKEN_VERSION_REGION:supports");
    expect(sig.filter((s) => s.text.includes("other-role"))).toEqual([]);
    // without a time, the first failure of the principal is the reference
    expect(
      trailSignals({ records: recs, principal: role }).some((s) => s.cause === "IAM_ACTION_NOT_ALLOWED"),
    ).toBe(true);
  });

  it("failures only in an opt-in region while the principal works elsewhere support the region causes", () => {
    const u = {
      arn: "arn:aws:sts::1:assumed-role/r/s",
      type: "AssumedRole",
      accessKeyId: "ASIAIOSFODNN7EXAMPLE",
    };
    const recs = [
      ev("2024-05-01T10:00:00Z", "ec2.amazonaws.com", "DescribeInstances", {}, { userIdentity: u }),
      ev(
        "2024-05-01T10:01:00Z",
        "ec2.amazonaws.com",
        "DescribeInstances",
        {},
        { userIdentity: u, awsRegion: "ap-east-1", errorCode: "AuthFailure" },
      ),
    ];
    const sig = trailSignals({ records: recs, principal: u.arn });
    expect(sig.map((s) => s.cause)).toEqual(["STS_TOKEN_VERSION_REGION", "REGION_NOT_ENABLED"]);
  });
});
