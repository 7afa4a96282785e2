// get-account-authorization-details snapshots: users with groups, roles with trust and boundaries, managed versions.

import { describe, expect, it } from "vitest";
import { evaluateRequest, loadAuthzSnapshot } from "../../src/iam/index.js";

const doc = (s: unknown[]) => ({ Version: "2012-10-17", Statement: s });
const snapshot = {
  UserDetailList: [
    {
      UserName: "alice",
      UserId: "AIDAEXAMPLE1",
      Arn: "arn:aws:iam::111122223333:user/alice",
      Path: "/",
      GroupList: ["readers"],
      UserPolicyList: [],
      AttachedManagedPolicies: [],
      Tags: [{ Key: "team", Value: "blue" }],
    },
  ],
  GroupDetailList: [
    {
      GroupName: "readers",
      Arn: "arn:aws:iam::111122223333:group/readers",
      GroupPolicyList: [
        {
          PolicyName: "read",
          PolicyDocument: doc([{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }]),
        },
      ],
      AttachedManagedPolicies: [
        { PolicyName: "Tagged", PolicyArn: "arn:aws:iam::111122223333:policy/Tagged" },
      ],
    },
  ],
  RoleDetailList: [
    {
      RoleName: "App",
      RoleId: "AROAEXAMPLE2",
      Arn: "arn:aws:iam::111122223333:role/service/App",
      Path: "/service/",
      AssumeRolePolicyDocument: encodeURIComponent(
        JSON.stringify(
          doc([
            {
              Effect: "Allow",
              Principal: { AWS: "arn:aws:iam::111122223333:user/alice" },
              Action: "sts:AssumeRole",
            },
          ]),
        ),
      ),
      RolePolicyList: [],
      AttachedManagedPolicies: [{ PolicyName: "Broad", PolicyArn: "arn:aws:iam::111122223333:policy/Broad" }],
      PermissionsBoundary: {
        PermissionsBoundaryType: "Policy",
        PermissionsBoundaryArn: "arn:aws:iam::111122223333:policy/Bound",
      },
    },
  ],
  Policies: [
    {
      PolicyName: "Tagged",
      Arn: "arn:aws:iam::111122223333:policy/Tagged",
      DefaultVersionId: "v2",
      PolicyVersionList: [
        {
          VersionId: "v1",
          IsDefaultVersion: false,
          Document: doc([{ Effect: "Allow", Action: "*", Resource: "*" }]),
        },
        {
          VersionId: "v2",
          IsDefaultVersion: true,
          Document: doc([
            {
              Effect: "Allow",
              Action: "ec2:*",
              Resource: "*",
              Condition: { StringEquals: { "aws:PrincipalTag/team": "blue" } },
            },
          ]),
        },
      ],
    },
    {
      PolicyName: "Broad",
      Arn: "arn:aws:iam::111122223333:policy/Broad",
      DefaultVersionId: "v1",
      PolicyVersionList: [
        {
          VersionId: "v1",
          IsDefaultVersion: true,
          Document: doc([{ Effect: "Allow", Action: "*", Resource: "*" }]),
        },
      ],
    },
    {
      PolicyName: "Bound",
      Arn: "arn:aws:iam::111122223333:policy/Bound",
      DefaultVersionId: "v1",
      PolicyVersionList: [
        {
          VersionId: "v1",
          IsDefaultVersion: true,
          Document: doc([{ Effect: "Allow", Action: "s3:*", Resource: "*" }]),
        },
      ],
    },
  ],
};

describe("authorization snapshots", () => {
  const snap = loadAuthzSnapshot(snapshot, "authz.json");

  it("loads users, groups, roles and managed policies without errors", () => {
    expect(snap.errors).toEqual([]);
    expect(snap.users.size).toBe(1);
    expect(snap.roles.get("arn:aws:iam::111122223333:role/service/App")?.trust?.statements).toHaveLength(1);
  });

  it("a user gets its group's inline and managed (default version) policies, and its tags as aws:PrincipalTag", () => {
    const env = { authz: snap };
    expect(
      evaluateRequest(
        { principal: "arn:aws:iam::111122223333:user/alice", action: "s3:GetObject", resource: "*" },
        env,
      ).decision,
    ).toBe("Allowed");
    expect(
      evaluateRequest(
        { principal: "arn:aws:iam::111122223333:user/alice", action: "ec2:RunInstances", resource: "*" },
        env,
      ).decision,
    ).toBe("Allowed");
    expect(
      evaluateRequest(
        { principal: "arn:aws:iam::111122223333:user/alice", action: "sqs:SendMessage", resource: "*" },
        env,
      ).decision,
    ).toBe("ImplicitDeny");
  });

  it("a role session is evaluated with the role's policies and boundary (role path resolved)", () => {
    const env = { authz: snap };
    const s = "arn:aws:sts::111122223333:assumed-role/App/s1";
    expect(evaluateRequest({ principal: s, action: "s3:PutObject", resource: "*" }, env).decision).toBe(
      "Allowed",
    );
    const r = evaluateRequest({ principal: s, action: "ec2:RunInstances", resource: "*" }, env);
    expect(r.cause).toBe("PERMISSION_BOUNDARY");
  });

  it("AssumeRole uses the role's trust policy from the snapshot", () => {
    const env = { authz: snap };
    expect(
      evaluateRequest(
        {
          principal: "arn:aws:iam::111122223333:user/alice",
          action: "sts:AssumeRole",
          resource: "arn:aws:iam::111122223333:role/service/App",
        },
        env,
      ).decision,
    ).toBe("Allowed");
    const r = evaluateRequest(
      {
        principal: "arn:aws:iam::111122223333:user/bob",
        action: "sts:AssumeRole",
        resource: "arn:aws:iam::111122223333:role/service/App",
      },
      env,
    );
    expect(r.cause).toBe("TRUST_POLICY");
  });

  it("reports problems instead of throwing on odd content", () => {
    const bad = loadAuthzSnapshot(
      { UserDetailList: [1, { UserName: "x" }], Policies: [{ Arn: "a" }] },
      "bad.json",
    );
    expect(bad.errors.length).toBe(3);
    expect(loadAuthzSnapshot("nope", "s").errors[0]?.message).toContain("not an object");
  });
});
