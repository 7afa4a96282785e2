// The resource's owner account when the ARN names none (S3): each origin on the request's `resourceAccount`.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diagnose } from "../../src/diagnose/run.js";

const dir = mkdtempSync(path.join(tmpdir(), "authdoctor-racct-"));
const TEXT =
  'An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::111122223333:assumed-role/reader/app is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::shared-data/report.csv" because no resource-based policy allows the s3:GetObject action';

function failing(extra: Record<string, unknown>) {
  return {
    eventVersion: "1.09",
    eventTime: "2025-06-02T10:00:05Z",
    eventSource: "s3.amazonaws.com",
    eventName: "GetObject",
    awsRegion: "eu-west-1",
    errorCode: "AccessDenied",
    errorMessage: "Access Denied",
    userIdentity: {
      type: "AssumedRole",
      arn: "arn:aws:sts::111122223333:assumed-role/reader/app",
      accountId: "111122223333",
      accessKeyId: "ASIAQ3EGUXAMPLE00001",
    },
    requestParameters: { bucketName: "shared-data", key: "report.csv" },
    ...extra,
  };
}

function trailFile(name: string, record: Record<string, unknown>): string {
  const p = path.join(dir, name);
  writeFileSync(p, JSON.stringify({ Records: [record] }));
  return p;
}

const noCreds = { origin: "bundle" as const, env: {}, empty: true };

describe("resourceAccount from the trail", () => {
  it("takes resources[].accountId of the failing record, with its origin", async () => {
    const trail = trailFile(
      "resources.json",
      failing({
        recipientAccountId: "111122223333",
        resources: [
          { type: "AWS::S3::Object", ARN: "arn:aws:s3:::shared-data/report.csv" },
          { accountId: "444455556666", type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::shared-data" },
        ],
      }),
    );
    const d = await diagnose({ text: TEXT, trail: [trail], credentials: noCreds });
    expect(d.request?.fields?.resourceAccount).toEqual({
      value: "444455556666",
      origin: "trail",
      label: "trail (resources[].accountId)",
    });
    expect(
      d.checked?.some((c) => c.source === "trail: resource account" && c.detail.includes("444455556666")),
    ).toBe(true);
  });

  it("else the record's recipientAccountId", async () => {
    const trail = trailFile("recipient.json", failing({ recipientAccountId: "777788889999" }));
    const d = await diagnose({ text: TEXT, trail: [trail], credentials: noCreds });
    expect(d.request?.fields?.resourceAccount).toMatchObject({
      value: "777788889999",
      label: "trail (recipientAccountId)",
    });
  });

  it("the cross-account explanation of the policy evaluation uses it", async () => {
    const trail = trailFile(
      "xacct.json",
      failing({
        resources: [{ accountId: "444455556666", type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::shared-data" }],
      }),
    );
    const policy = path.join(dir, "reader.json");
    writeFileSync(
      policy,
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::shared-data/*" }],
      }),
    );
    const d = await diagnose({ text: TEXT, trail: [trail], policies: [policy], credentials: noCreds });
    const xacct = d.checked?.find(
      (c) => c.source === "policies" && c.detail.startsWith("cross-account request"),
    );
    expect(xacct?.detail).toContain("the resource's account 444455556666 must allow it too");
    expect(xacct?.detail).toContain("the caller's account 111122223333");
  });

  it("a given resourceAccount (flag or case.json) wins over the trail", async () => {
    const trail = trailFile("given.json", failing({ recipientAccountId: "777788889999" }));
    const d = await diagnose({
      text: TEXT,
      trail: [trail],
      credentials: noCreds,
      request: { resourceAccount: { value: "222233334444", origin: "case.json", label: "case.json" } },
    });
    expect(d.request?.fields?.resourceAccount).toMatchObject({ value: "222233334444", origin: "case.json" });
    expect(d.checked?.some((c) => c.source === "trail: resource account")).toBe(false);
  });

  it("nothing is inferred when the ARN names its account", async () => {
    const trail = trailFile(
      "named.json",
      failing({
        eventSource: "sqs.amazonaws.com",
        eventName: "SendMessage",
        recipientAccountId: "777788889999",
      }),
    );
    const d = await diagnose({
      text: "An error occurred (AccessDenied) when calling the SendMessage operation: User: arn:aws:sts::111122223333:assumed-role/reader/app is not authorized to perform: sqs:sendmessage on resource: arn:aws:sqs:eu-west-1:444455556666:jobs because no resource-based policy allows the sqs:sendmessage action",
      trail: [trail],
      credentials: noCreds,
    });
    expect(d.request?.fields?.resourceAccount).toBeUndefined();
  });
});

describe("resourceAccount from the authorization snapshot", () => {
  const snapshot = {
    UserDetailList: [
      {
        UserName: "T",
        Arn: "arn:aws:iam::111122223333:user/T",
        UserPolicyList: [],
        AttachedManagedPolicies: [],
        GroupList: [],
      },
    ],
    RoleDetailList: [
      {
        RoleName: "admin",
        Arn: "arn:aws:iam::111122223333:role/admin",
        RolePolicyList: [
          {
            PolicyName: "read",
            PolicyDocument: {
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Action: "iam:Get*", Resource: "*" }],
            },
          },
        ],
        AttachedManagedPolicies: [],
        AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [] },
      },
    ],
    GroupDetailList: [],
    Policies: [],
  };

  it("an IAM resource the snapshot holds belongs to its account, with the origin shown", async () => {
    const authz = path.join(dir, "authz.json");
    writeFileSync(authz, JSON.stringify(snapshot));
    const d = await diagnose({
      text: "An error occurred (AccessDenied) when calling the AttachUserPolicy operation: User: arn:aws:sts::111122223333:assumed-role/admin/s is not authorized to perform: iam:AttachUserPolicy on resource: user T because no identity-based policy allows the iam:AttachUserPolicy action",
      authz,
      credentials: noCreds,
    });
    expect(d.request?.fields?.resourceAccount).toEqual({
      value: "111122223333",
      origin: "authorization-details",
      label: "authorization details (user/T)",
    });
    expect(
      d.checked?.some((c) => c.source === "policies: resource account" && c.detail.includes("user/T")),
    ).toBe(true);
  });

  it("ownerInSnapshot: IAM ARNs without an account and `user`/`role` words; never a bucket or an ARN with one", async () => {
    const { ownerInSnapshot } = await import("../../src/diagnose/sources/policies.js");
    const { loadAuthzSnapshot } = await import("../../src/iam/authz.js");
    const snap = loadAuthzSnapshot(snapshot, "authz.json");
    expect(ownerInSnapshot(snap, "role admin")).toEqual({ account: "111122223333", entity: "role/admin" });
    expect(ownerInSnapshot(snap, "arn:aws:iam:::user/T")).toEqual({
      account: "111122223333",
      entity: "user/T",
    });
    expect(ownerInSnapshot(snap, "arn:aws:iam::999988887777:user/T")).toBeUndefined();
    expect(ownerInSnapshot(snap, "arn:aws:s3:::shared-data")).toBeUndefined();
    expect(ownerInSnapshot(snap, "user Nobody")).toBeUndefined();
  });
});
