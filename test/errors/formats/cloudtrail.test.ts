import { describe, expect, it } from "vitest";
import { parseFailures } from "../../../src/errors/index.js";
import { type Case, check } from "../support.js";

const record = {
  eventVersion: "1.08",
  userIdentity: {
    type: "AssumedRole",
    principalId: "AROAEXAMPLEID:alice",
    arn: "arn:aws:sts::123456789012:assumed-role/dev/alice",
    accountId: "123456789012",
    accessKeyId: "ASIAIOSFODNN7EXAMPLE",
  },
  eventTime: "2024-03-01T10:00:00Z",
  eventSource: "s3.amazonaws.com",
  eventName: "GetObject",
  awsRegion: "eu-west-1",
  errorCode: "AccessDenied",
  errorMessage:
    'User: arn:aws:sts::123456789012:assumed-role/dev/alice is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::data/x" with an explicit deny in a resource control policy: arn:aws:organizations::999999999999:policy/o-abc/resource_control_policy/p-1',
  requestID: "R1",
  eventID: "E1",
};

const cases: Case[] = [
  {
    name: "a single record",
    text: JSON.stringify(record, null, 2),
    want: {
      format: "cloudtrail",
      code: "AccessDenied",
      service: "s3",
      operation: "GetObject",
      action: "s3:GetObject",
      region: "eu-west-1",
      regionSource: "cloudtrail",
      requestId: "R1",
      principal: { kind: "role-session", name: "dev", session: "alice" },
      policyType: "resource-control",
      denyKind: "explicit",
      denyingPolicyArn: "arn:aws:organizations::999999999999:policy/o-abc/resource_control_policy/p-1",
      resource: "arn:aws:s3:::data/x",
      accessKeyId: { masked: "ASIA****MPLE", prefix: "ASIA" },
    },
  },
  {
    name: "EC2 Client. prefix is dropped",
    text: JSON.stringify({
      eventSource: "ec2.amazonaws.com",
      eventName: "DescribeInstances",
      awsRegion: "us-east-1",
      errorCode: "Client.UnauthorizedOperation",
      errorMessage: "You are not authorized to perform this operation.",
      userIdentity: { type: "IAMUser", arn: "arn:aws:iam::123456789012:user/bob" },
    }),
    want: { code: "UnauthorizedOperation", action: "ec2:DescribeInstances", principal: { kind: "iam-user" } },
  },
  {
    name: "monitoring host maps to cloudwatch and the Lambda date suffix is stripped",
    text: JSON.stringify({
      Records: [
        {
          eventSource: "lambda.amazonaws.com",
          eventName: "UpdateFunctionCode20150331v2",
          awsRegion: "us-east-1",
          errorCode: "AccessDeniedException",
          userIdentity: { type: "Root", arn: "arn:aws:iam::123456789012:root", accountId: "123456789012" },
        },
      ],
    }),
    want: { service: "lambda", action: "lambda:UpdateFunctionCode", principal: { kind: "root" } },
  },
  {
    name: "web identity caller",
    text: JSON.stringify({
      eventSource: "sts.amazonaws.com",
      eventName: "AssumeRoleWithWebIdentity",
      awsRegion: "us-east-1",
      errorCode: "AccessDenied",
      errorMessage: "Not authorized to perform sts:AssumeRoleWithWebIdentity",
      userIdentity: {
        type: "WebIdentityUser",
        userName: "us-east-1:1111-2222",
        identityProvider: "cognito-identity.amazonaws.com",
      },
    }),
    want: { action: "sts:AssumeRoleWithWebIdentity", principal: { kind: "web-identity" } },
  },
  {
    name: "half-pasted record is read by field names",
    text: JSON.stringify(record, null, 2).slice(0, 700),
    want: {
      format: "cloudtrail",
      code: "AccessDenied",
      service: "s3",
      operation: "GetObject",
      region: "eu-west-1",
    },
  },
];

describe("CloudTrail records", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    check(c);
  });

  it("notes the endpoint host, MFA state and web identity provider of the record", () => {
    const text = JSON.stringify({
      ...record,
      userIdentity: {
        ...record.userIdentity,
        sessionContext: {
          attributes: { mfaAuthenticated: "false" },
          webIdFederationData: { federatedProvider: "cognito-identity.amazonaws.com" },
        },
      },
      tlsDetails: { clientProvidedHostHeader: "s3.eu-west-1.amazonaws.com" },
    });
    const notes = parseFailures(text)[0]!.notes;
    expect(notes).toContain("the client called `s3.eu-west-1.amazonaws.com`");
    expect(notes).toContain("the session was not MFA-authenticated");
    expect(notes).toContain("web identity federation through `cognito-identity.amazonaws.com`");
  });

  it("reads only the failed records of a trail file, one failure per distinct error", () => {
    const ok = { ...record, errorCode: undefined, errorMessage: undefined, eventName: "ListBuckets" };
    const other = {
      ...record,
      eventName: "PutObject",
      errorMessage: record.errorMessage.replace(/GetObject/g, "PutObject"),
    };
    const fs = parseFailures(JSON.stringify({ Records: [ok, record, record, other] }));
    expect(fs.map((f) => f.operation)).toEqual(["GetObject", "PutObject"]);
    expect(fs[0]!.notes).toContain("seen 2 times in the input");
  });
});
