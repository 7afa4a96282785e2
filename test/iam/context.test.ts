// Principal kinds and the context keys derived from them.

import { describe, expect, it } from "vitest";
import { buildContext, principalInfoOf } from "../../src/iam/context.js";
import { splitArn } from "../../src/iam/match.js";

describe("principalInfoOf", () => {
  it.each([
    ["arn:aws:iam::111122223333:user/dev/alice", "user", "alice"],
    ["arn:aws:sts::111122223333:assumed-role/App/s1", "role-session", "App"],
    ["arn:aws:sts::111122223333:federated-user/bob", "federated-user", "bob"],
    ["arn:aws:iam::111122223333:root", "root", undefined],
    ["111122223333", "root", undefined],
    ["lambda.amazonaws.com", "service", undefined],
    ["*", "anonymous", undefined],
    ["arn:aws:iam::111122223333:saml-provider/Okta", "federated", undefined],
  ])("%s is a %s", (raw, kind, name) => {
    const p = principalInfoOf(raw);
    expect(p.kind).toBe(kind);
    expect(p.name).toBe(name);
  });

  it("an identity provider for AssumeRoleWithWebIdentity is federated, not a service", () => {
    expect(principalInfoOf("cognito-identity.amazonaws.com", "sts:assumerolewithwebidentity").kind).toBe(
      "federated",
    );
    expect(principalInfoOf("cognito-identity.amazonaws.com", "s3:getobject").kind).toBe("service");
  });
});

describe("buildContext", () => {
  const res = "arn:aws:dynamodb:eu-west-1:444455556666:table/t";
  it("derives the principal, region, account and time keys", () => {
    const p = principalInfoOf("arn:aws:sts::111122223333:assumed-role/App/s1");
    const ctx = buildContext(
      p,
      res,
      splitArn(res),
      undefined,
      { id: "AROAX" },
      undefined,
      new Date("2026-01-01T00:00:00Z"),
    );
    expect(ctx.get("aws:principalarn")).toEqual(["arn:aws:iam::111122223333:role/App"]);
    expect(ctx.get("aws:principaltype")).toEqual(["AssumedRole"]);
    expect(ctx.get("aws:userid")).toEqual(["AROAX:s1"]);
    expect(ctx.get("aws:username")).toBeUndefined();
    expect(ctx.get("aws:requestedregion")).toEqual(["eu-west-1"]);
    expect(ctx.get("aws:resourceaccount")).toEqual(["444455556666"]);
    expect(ctx.get("aws:currenttime")).toEqual(["2026-01-01T00:00:00Z"]);
    expect(ctx.get("aws:epochtime")).toEqual(["1767225600"]);
  });
  it("request keys win, are case-insensitive, and keep CurrentTime and EpochTime consistent", () => {
    const p = principalInfoOf("arn:aws:iam::111122223333:user/alice");
    const ctx = buildContext(p, res, splitArn(res), undefined, undefined, {
      "AWS:RequestedRegion": "us-east-1",
      "aws:CurrentTime": "2020-01-01T00:00:00Z",
      "aws:TagKeys": ["a", "b"],
      "aws:SecureTransport": false,
    });
    expect(ctx.get("aws:requestedregion")).toEqual(["us-east-1"]);
    expect(ctx.get("aws:epochtime")).toEqual(["1577836800"]);
    expect(ctx.get("aws:tagkeys")).toEqual(["a", "b"]);
    expect(ctx.get("aws:securetransport")).toEqual(["false"]);
    expect(ctx.get("aws:username")).toEqual(["alice"]);
  });
});
