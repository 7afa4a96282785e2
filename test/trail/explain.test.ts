import { describe, expect, it } from "vitest";
import { mineMessage } from "../../src/errors/message.js";
import { loadAuthzSnapshot } from "../../src/iam/authz.js";
import { actionsFor, loadActionTable } from "../../src/trail/actions.js";
import { contextOf, ExplainAccumulator, readDenyMessage, resourceOf } from "../../src/trail/explain.js";
import type { CloudTrailRecord } from "../../src/trail/types.js";

const ROLE = "arn:aws:iam::111122223333:role/app-role";
const allow = (resource: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: resource }],
  });

function snapshot(doc: string) {
  return loadAuthzSnapshot(
    {
      RoleDetailList: [
        {
          RoleName: "app-role",
          Arn: ROLE,
          Path: "/",
          RolePolicyList: [{ PolicyName: "p", PolicyDocument: JSON.parse(doc) }],
          AttachedManagedPolicies: [],
          AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [] },
        },
      ],
      UserDetailList: [],
      GroupDetailList: [],
      Policies: [],
    },
    "authz.json",
  );
}

const denied: CloudTrailRecord = {
  eventTime: "2024-05-01T10:00:00Z",
  eventSource: "s3.amazonaws.com",
  eventName: "GetObject",
  awsRegion: "eu-west-1",
  sourceIPAddress: "203.0.113.7",
  vpcEndpointId: "vpce-1234",
  errorCode: "AccessDenied",
  errorMessage:
    'User: arn:aws:sts::111122223333:assumed-role/app-role/s1 is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b2/k" because no identity-based policy allows the s3:GetObject action',
  userIdentity: {
    type: "AssumedRole",
    arn: "arn:aws:sts::111122223333:assumed-role/app-role/s1",
    accessKeyId: "ASIAIOSFODNN7EXAMPLE",
    sessionContext: { attributes: { mfaAuthenticated: "false" }, sessionIssuer: { arn: ROLE } },
  },
  tlsDetails: { tlsVersion: "TLSv1.3" },
  requestParameters: { bucketName: "b2", key: "k" },
};

describe("action mapping", () => {
  it("uses the action AWS named, else the iam-dataset map, else a flagged guess", async () => {
    await loadActionTable();
    expect(
      actionsFor("s3.amazonaws.com", "GetObject", mineMessage(denied.errorMessage ?? "").action),
    ).toEqual({
      actions: ["s3:GetObject"],
      from: "error message",
    });
    expect(actionsFor("monitoring.amazonaws.com", "PutMetricData")).toMatchObject({
      actions: ["cloudwatch:PutMetricData"],
      from: "map",
    });
    expect(actionsFor("s3.amazonaws.com", "CreateMultipartUpload")).toMatchObject({
      actions: ["s3:PutObject"],
      from: "map",
    });
    const g = actionsFor("madeup.amazonaws.com", "DoThing");
    expect(g).toMatchObject({ actions: ["madeup:DoThing"], from: "guess" });
    expect(g.uncertain).toMatch(/is in the mapping/);
    const lambda = actionsFor("lambda.amazonaws.com", "CreateFunction20150331");
    expect(lambda.actions[0]).toBe("lambda:CreateFunction");
    expect(lambda.uncertain).toMatch(/suffix stripped/);
  });
});

describe("request context and message", () => {
  it("rebuilds principal, IP, VPC endpoint, MFA, region, time and TLS from the record", () => {
    expect(contextOf(denied)).toEqual({
      principal: "arn:aws:sts::111122223333:assumed-role/app-role/s1",
      region: "eu-west-1",
      time: "2024-05-01T10:00:00Z",
      sourceIp: "203.0.113.7",
      vpcEndpoint: "vpce-1234",
      mfa: false,
      tlsVersion: "TLSv1.3",
    });
    expect(resourceOf(denied)).toBe("arn:aws:s3:::b2/k");
    expect(readDenyMessage(denied.errorMessage)).toEqual({
      policyType: "identity-based",
      denyKind: "implicit",
      cause: "IAM_ACTION_NOT_ALLOWED",
    });
    expect(readDenyMessage("... with an explicit deny in a service control policy")?.cause).toBe("SCP_DENY");
  });
});

describe("explain with the engine", () => {
  it("evaluates the denied call against --authz and reports cause and fix", async () => {
    const acc = new ExplainAccumulator();
    acc.add(denied);
    const r = await acc.result({ authz: snapshot(allow("arn:aws:s3:::b1/*")) });
    expect(r.denied).toBe(1);
    const e = r.explained[0]!;
    expect(e.evaluations[0]?.decision).toBe("ImplicitDeny");
    expect(e.cause).toMatch(/^IAM_(RESOURCE_MISMATCH|ACTION_NOT_ALLOWED)$/);
    expect(e.keyId).toBe("ASIA****MPLE");
  });

  it("uses the policy as it was at the event time when the trail holds the change", async () => {
    const acc = new ExplainAccumulator();
    // the role's policy at 09:00 did not cover b2; it was fixed at 11:00 (the snapshot is the fixed one)
    acc.add({
      eventTime: "2024-05-01T09:00:00Z",
      eventSource: "iam.amazonaws.com",
      eventName: "PutRolePolicy",
      userIdentity: { arn: "arn:aws:iam::111122223333:user/admin" },
      requestParameters: {
        roleName: "app-role",
        policyName: "p",
        policyDocument: allow("arn:aws:s3:::b1/*"),
      },
    });
    acc.add(denied);
    acc.add({
      eventTime: "2024-05-01T11:00:00Z",
      eventSource: "iam.amazonaws.com",
      eventName: "PutRolePolicy",
      userIdentity: { arn: "arn:aws:iam::111122223333:user/admin" },
      requestParameters: { roleName: "app-role", policyName: "p", policyDocument: allow("arn:aws:s3:::*") },
    });
    const now = snapshot(allow("arn:aws:s3:::*"));
    const r = await acc.result({ authz: now });
    const e = r.explained[0]!;
    expect(e.policyAsOf[0]).toMatch(/PutRolePolicy role\/app-role\/p at 2024-05-01T09:00:00Z/);
    expect(e.evaluations[0]?.decision).toBe("ImplicitDeny");
    // without the history the fixed snapshot allows it, and explain says so
    const acc2 = new ExplainAccumulator();
    acc2.add(denied);
    const r2 = await acc2.result({ authz: now });
    expect(r2.explained[0]!.evaluations[0]?.decision).toBe("Allowed");
    expect(r2.explained[0]!.notes[0]).toMatch(/allow .* now/);
  });
});

describe("managed policy versions as of the event", () => {
  it("evaluates with the default version the trail shows at the event time", async () => {
    const managedArn = "arn:aws:iam::111122223333:policy/app";
    const snap = loadAuthzSnapshot(
      {
        RoleDetailList: [
          {
            RoleName: "app-role",
            Arn: ROLE,
            Path: "/",
            RolePolicyList: [],
            AttachedManagedPolicies: [{ PolicyName: "app", PolicyArn: managedArn }],
            AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [] },
          },
        ],
        Policies: [
          {
            PolicyName: "app",
            Arn: managedArn,
            DefaultVersionId: "v3",
            PolicyVersionList: [
              { VersionId: "v3", IsDefaultVersion: true, Document: JSON.parse(allow("arn:aws:s3:::*")) },
            ],
          },
        ],
      },
      "authz.json",
    );
    const admin = { arn: "arn:aws:iam::111122223333:user/admin" };
    const acc = new ExplainAccumulator();
    acc.add({
      eventTime: "2024-05-01T09:00:00Z",
      eventSource: "iam.amazonaws.com",
      eventName: "CreatePolicyVersion",
      userIdentity: admin,
      requestParameters: {
        policyArn: managedArn,
        policyDocument: allow("arn:aws:s3:::b1/*"),
        setAsDefault: true,
      },
    });
    acc.add(denied);
    acc.add({
      eventTime: "2024-05-01T11:00:00Z",
      eventSource: "iam.amazonaws.com",
      eventName: "CreatePolicyVersion",
      userIdentity: admin,
      requestParameters: {
        policyArn: managedArn,
        policyDocument: allow("arn:aws:s3:::*"),
        setAsDefault: true,
      },
    });
    const e = (await acc.result({ authz: snap })).explained[0]!;
    expect(e.policyAsOf[0]).toMatch(/CreatePolicyVersion .*policy\/app at 2024-05-01T09:00:00Z/);
    expect(e.evaluations[0]?.decision).toBe("ImplicitDeny");
  });
});
