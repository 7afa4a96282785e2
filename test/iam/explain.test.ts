// Explanations: near misses name the failing element, the fix is a diff, missing context is said, causes are right.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written `${...}` in plain strings

import { describe, expect, it } from "vitest";
import { lineDiff } from "../../src/iam/explain.js";
import { evaluateRequest } from "../../src/iam/index.js";

const alice = "arn:aws:iam::111122223333:user/alice";

describe("explain", () => {
  it("names the ARN part that differs (region)", () => {
    const r = evaluateRequest(
      { principal: alice, action: "sqs:SendMessage", resource: "arn:aws:sqs:eu-west-1:111122223333:q" },
      {
        identityPolicies: [
          {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: "sqs:SendMessage",
                Resource: "arn:aws:sqs:us-east-1:111122223333:q",
              },
            ],
          },
        ],
      },
    );
    expect(r.cause).toBe("IAM_RESOURCE_MISMATCH");
    expect(r.nearMisses[0]?.failed[0]).toMatchObject({ element: "Resource", segment: "region" });
  });

  it("puts the closest statement first and ignores statements of other services", () => {
    const r = evaluateRequest(
      {
        principal: alice,
        action: "s3:GetObject",
        resource: "arn:aws:s3:::b/k",
        context: { "aws:SourceIp": "198.51.100.1" },
      },
      {
        identityPolicies: [
          {
            Version: "2012-10-17",
            Statement: [
              { Sid: "Ec2", Effect: "Allow", Action: "ec2:*", Resource: "*" },
              { Sid: "Put", Effect: "Allow", Action: "s3:PutObject", Resource: "*" },
              {
                Sid: "Ip",
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: "*",
                Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
              },
            ],
          },
        ],
      },
    );
    expect(r.cause).toBe("IAM_CONDITION_FAILED");
    expect(r.nearMisses.map((n) => n.sid)).toEqual(["Ip", "Put"]);
    expect(r.nearMisses[0]?.failed[0]).toMatchObject({
      element: "Condition",
      key: "aws:SourceIp",
      operator: "IpAddress",
      actual: ["198.51.100.1"],
    });
    expect(r.fix?.diff).toContain('+         "198.51.100.1/32"');
    expect(r.fix?.verified).toBe(true);
  });

  it("says when the decision depends on a key nobody supplied", () => {
    const r = evaluateRequest(
      { principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/k" },
      {
        identityPolicies: [
          {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceVpce": "vpce-1a2b" } },
              },
            ],
          },
        ],
      },
    );
    expect(r.decision).toBe("ImplicitDeny");
    expect(r.missingContext.map((m) => m.text)).toEqual(["allowed only if aws:SourceVpce = vpce-1a2b"]);
  });

  it("says when an allowed request would be denied given a missing key", () => {
    const r = evaluateRequest(
      { principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/k" },
      {
        identityPolicies: [
          {
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: "s3:*", Resource: "*" },
              {
                Sid: "NoInsecure",
                Effect: "Deny",
                Action: "s3:*",
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceVpc": "vpc-bad" } },
              },
            ],
          },
        ],
      },
    );
    expect(r.decision).toBe("Allowed");
    expect(r.missingContext[0]).toMatchObject({
      key: "aws:SourceVpc",
      text: "denied if aws:SourceVpc = vpc-bad",
    });
  });

  it("explains an explicit deny with why it matched", () => {
    const r = evaluateRequest(
      {
        principal: alice,
        action: "s3:DeleteBucket",
        resource: "arn:aws:s3:::b",
        context: { "aws:SourceIp": "198.51.100.1" },
      },
      {
        identityPolicies: [
          {
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: "s3:*", Resource: "*" },
              {
                Sid: "Office",
                Effect: "Deny",
                Action: "*",
                Resource: "*",
                Condition: { NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
              },
            ],
          },
        ],
      },
    );
    expect(r.decision).toBe("ExplicitDeny");
    expect(r.decidedBy[0]?.why).toContain("NotIpAddress");
    expect(r.decidedBy[0]?.why).toContain("198.51.100.1");
    expect(r.fix?.summary).toContain("Office");
  });

  it("proposes a new statement when nothing in the service comes close", () => {
    const r = evaluateRequest(
      {
        principal: alice,
        action: "kinesis:PutRecord",
        resource: "arn:aws:kinesis:us-east-1:111122223333:stream/s",
      },
      { identityPolicies: [] },
    );
    expect(r.cause).toBe("IAM_ACTION_NOT_ALLOWED");
    expect(r.nearMisses).toEqual([]);
    expect(r.fix?.diff).toContain('+   "Action": "kinesis:PutRecord"');
  });

  it("an unresolvable policy variable in Resource does not match", () => {
    const pol = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/${aws:username}/*" }],
    };
    const role = "arn:aws:sts::111122223333:assumed-role/R/s";
    expect(
      evaluateRequest(
        { principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/alice/x" },
        { identityPolicies: [pol] },
      ).decision,
    ).toBe("Allowed");
    expect(
      evaluateRequest(
        { principal: role, action: "s3:GetObject", resource: "arn:aws:s3:::b/R/x" },
        { identityPolicies: [pol] },
      ).decision,
    ).toBe("ImplicitDeny");
  });

  it("context keys given in the request win over derived ones", () => {
    const pol = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "*",
          Condition: { StringEquals: { "aws:username": "bob" } },
        },
      ],
    };
    expect(
      evaluateRequest(
        { principal: alice, action: "s3:GetObject", resource: "*" },
        { identityPolicies: [pol] },
      ).decision,
    ).toBe("ImplicitDeny");
    expect(
      evaluateRequest(
        { principal: alice, action: "s3:GetObject", resource: "*", context: { "aws:username": "bob" } },
        { identityPolicies: [pol] },
      ).decision,
    ).toBe("Allowed");
  });

  it("derives aws:PrincipalArn of a session as the role ARN", () => {
    const pol = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "s3:*",
          Resource: "*",
          Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/App" } },
        },
      ],
    };
    const r = evaluateRequest(
      { principal: "arn:aws:sts::111122223333:assumed-role/App/s1", action: "s3:GetObject", resource: "*" },
      { identityPolicies: [pol] },
    );
    expect(r.decision).toBe("Allowed");
  });

  it("lineDiff marks removed and added lines", () => {
    expect(lineDiff("a\nb", "a\nc", "x").split("\n").slice(2)).toEqual(["  a", "- b", "+ c"]);
  });
});
