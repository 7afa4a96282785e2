// Condition operators per the IAM JSON policy reference: one table row per operator and behaviour.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written `${...}` in plain strings

import { describe, expect, it } from "vitest";
import { compileCondition, parseCidr } from "../../src/iam/conditions.js";
import type { Ctx } from "../../src/iam/match.js";

function ctxOf(o: Record<string, string | string[]>): Ctx {
  return new Map(Object.entries(o).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v : [v]]));
}

type Row = [
  operator: string,
  key: string,
  values: string[],
  context: Record<string, string | string[]>,
  want: boolean,
];

const rows: Row[] = [
  ["StringEquals", "aws:username", ["alice"], { "aws:username": "alice" }, true],
  ["StringEquals", "aws:username", ["alice"], { "aws:username": "Alice" }, false],
  ["StringEquals", "AWS:UserName", ["alice"], { "aws:username": "alice" }, true],
  ["StringEquals", "aws:username", ["bob", "alice"], { "aws:username": "alice" }, true],
  ["StringEquals", "aws:username", ["alice"], {}, false],
  ["StringNotEquals", "aws:username", ["alice"], { "aws:username": "bob" }, true],
  ["StringNotEquals", "aws:username", ["alice"], { "aws:username": "alice" }, false],
  ["StringNotEquals", "aws:PrincipalOrgID", ["o-1"], {}, true],
  ["StringEqualsIgnoreCase", "aws:username", ["ALICE"], { "aws:username": "alice" }, true],
  ["StringNotEqualsIgnoreCase", "aws:username", ["ALICE"], { "aws:username": "alice" }, false],
  ["StringLike", "s3:prefix", ["home/*"], { "s3:prefix": "home/alice/x" }, true],
  ["StringLike", "s3:prefix", ["home/?"], { "s3:prefix": "home/ab" }, false],
  ["StringLike", "s3:prefix", ["home/??"], { "s3:prefix": "home/ab" }, true],
  ["StringNotLike", "s3:prefix", ["home/*"], { "s3:prefix": "tmp/x" }, true],
  ["NumericEquals", "s3:max-keys", ["10"], { "s3:max-keys": "10" }, true],
  ["NumericNotEquals", "s3:max-keys", ["10"], { "s3:max-keys": "10.0" }, false],
  ["NumericLessThan", "s3:max-keys", ["10"], { "s3:max-keys": "9" }, true],
  ["NumericLessThanEquals", "s3:max-keys", ["10"], { "s3:max-keys": "10" }, true],
  ["NumericGreaterThan", "s3:max-keys", ["10"], { "s3:max-keys": "10" }, false],
  ["NumericGreaterThanEquals", "s3:max-keys", ["10"], { "s3:max-keys": "11" }, true],
  ["NumericLessThan", "s3:max-keys", ["10"], { "s3:max-keys": "abc" }, false],
  ["NumericLessThan", "aws:MultiFactorAuthAge", ["3600"], { "aws:MultiFactorAuthAge": "100" }, true],
  [
    "DateGreaterThan",
    "aws:CurrentTime",
    ["2020-01-01T00:00:00Z"],
    { "aws:CurrentTime": "2026-01-01T00:00:00Z" },
    true,
  ],
  [
    "DateLessThan",
    "aws:CurrentTime",
    ["2020-01-01T00:00:00Z"],
    { "aws:CurrentTime": "2026-01-01T00:00:00Z" },
    false,
  ],
  ["DateEquals", "aws:EpochTime", ["1577836800"], { "aws:EpochTime": "2020-01-01T00:00:00Z" }, true],
  ["DateNotEquals", "aws:CurrentTime", ["2020-01-01"], { "aws:CurrentTime": "2020-01-01T00:00:00Z" }, false],
  [
    "DateLessThanEquals",
    "aws:TokenIssueTime",
    ["2020-01-01T00:00:00Z"],
    { "aws:TokenIssueTime": "2020-01-01T00:00:00Z" },
    true,
  ],
  [
    "DateGreaterThanEquals",
    "aws:TokenIssueTime",
    ["2020-01-02T00:00:00Z"],
    { "aws:TokenIssueTime": "2020-01-01T00:00:00Z" },
    false,
  ],
  ["Bool", "aws:SecureTransport", ["true"], { "aws:SecureTransport": "TRUE" }, true],
  ["Bool", "aws:SecureTransport", ["false"], { "aws:SecureTransport": "true" }, false],
  ["Bool", "aws:MultiFactorAuthPresent", ["false"], {}, false],
  ["BoolIfExists", "aws:MultiFactorAuthPresent", ["false"], {}, true],
  ["BoolIfExists", "aws:MultiFactorAuthPresent", ["false"], { "aws:MultiFactorAuthPresent": "true" }, false],
  ["BinaryEquals", "k", ["QmluYXJ5VmFsdWVJbkJhc2U2NA=="], { k: "QmluYXJ5VmFsdWVJbkJhc2U2NA==" }, true],
  ["IpAddress", "aws:SourceIp", ["203.0.113.0/24"], { "aws:SourceIp": "203.0.113.9" }, true],
  ["IpAddress", "aws:SourceIp", ["203.0.113.0/24"], { "aws:SourceIp": "203.0.114.9" }, false],
  ["IpAddress", "aws:SourceIp", ["203.0.113.9"], { "aws:SourceIp": "203.0.113.9" }, true],
  [
    "IpAddress",
    "aws:SourceIp",
    ["2001:DB8:1234:5678::/64"],
    { "aws:SourceIp": "2001:db8:1234:5678:a:b:c:d" },
    true,
  ],
  [
    "IpAddress",
    "aws:SourceIp",
    ["2001:DB8:1234:5678::/64"],
    { "aws:SourceIp": "2001:db8:1234:5679::1" },
    false,
  ],
  ["IpAddress", "aws:SourceIp", ["203.0.113.0/24"], { "aws:SourceIp": "2001:db8::1" }, false],
  [
    "NotIpAddress",
    "aws:SourceIp",
    ["203.0.113.0/24", "2001:DB8::/32"],
    { "aws:SourceIp": "198.51.100.1" },
    true,
  ],
  ["NotIpAddress", "aws:SourceIp", ["203.0.113.0/24"], { "aws:SourceIp": "203.0.113.1" }, false],
  [
    "ArnEquals",
    "aws:SourceArn",
    ["arn:aws:sns:us-east-1:111122223333:t"],
    { "aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:t" },
    true,
  ],
  [
    "ArnLike",
    "aws:SourceArn",
    ["arn:aws:sns:*:111122223333:*"],
    { "aws:SourceArn": "arn:aws:sns:eu-west-1:111122223333:t" },
    true,
  ],
  [
    "ArnLike",
    "aws:SourceArn",
    ["arn:aws:sns:*:111122223333:*"],
    { "aws:SourceArn": "arn:aws:sns:eu-west-1:444455556666:t" },
    false,
  ],
  ["ArnLike", "aws:SourceArn", ["arn:aws:sns:*:111122223333:*"], { "aws:SourceArn": "not-an-arn" }, false],
  [
    "ArnNotEquals",
    "aws:SourceArn",
    ["arn:aws:sns:us-east-1:111122223333:t"],
    { "aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:u" },
    true,
  ],
  [
    "ArnNotLike",
    "aws:PrincipalArn",
    ["arn:aws:iam::*:role/Admin*"],
    { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/AdminX" },
    false,
  ],
  ["Null", "aws:TokenIssueTime", ["true"], {}, true],
  ["Null", "aws:TokenIssueTime", ["true"], { "aws:TokenIssueTime": "2020-01-01T00:00:00Z" }, false],
  ["Null", "aws:TokenIssueTime", ["false"], { "aws:TokenIssueTime": "2020-01-01T00:00:00Z" }, true],
  ["StringEqualsIfExists", "ec2:InstanceType", ["t3.micro"], {}, true],
  ["StringEqualsIfExists", "ec2:InstanceType", ["t3.micro"], { "ec2:InstanceType": "m5.large" }, false],
  ["ForAnyValue:StringEquals", "aws:TagKeys", ["env", "team"], { "aws:TagKeys": ["owner", "env"] }, true],
  ["ForAnyValue:StringEquals", "aws:TagKeys", ["env"], { "aws:TagKeys": ["owner"] }, false],
  ["ForAnyValue:StringEquals", "aws:TagKeys", ["env"], {}, false],
  ["ForAllValues:StringEquals", "aws:TagKeys", ["env", "team"], { "aws:TagKeys": ["env", "team"] }, true],
  ["ForAllValues:StringEquals", "aws:TagKeys", ["env", "team"], { "aws:TagKeys": ["env", "owner"] }, false],
  ["ForAllValues:StringEquals", "aws:TagKeys", ["env"], {}, true],
  [
    "ForAnyValue:StringLike",
    "cognito-identity.amazonaws.com:amr",
    ["authenticated"],
    { "cognito-identity.amazonaws.com:amr": ["authenticated", "graph.facebook.com"] },
    true,
  ],
  ["ForAllValues:StringNotEquals", "aws:TagKeys", ["secret"], { "aws:TagKeys": ["a", "b"] }, true],
  ["ForAnyValue:StringNotEquals", "aws:TagKeys", ["a"], { "aws:TagKeys": ["a"] }, false],
];

describe("condition operators", () => {
  for (const [op, key, values, context, want] of rows)
    it(`${op} ${key} ${JSON.stringify(values)} with ${JSON.stringify(context)} -> ${want}`, () => {
      const c = compileCondition({ operator: op, key, values }, true);
      expect(c.known).toBe(true);
      expect(c.test(ctxOf(context)).ok).toBe(want);
    });

  it("reports a missing key so the explanation can say what the decision depends on", () => {
    const c = compileCondition(
      { operator: "StringEquals", key: "aws:SourceVpce", values: ["vpce-1a2b"] },
      true,
    );
    expect(c.test(ctxOf({}))).toEqual({ ok: false, missing: true });
  });

  it("resolves policy variables in values, and fails on an unresolvable one", () => {
    const c = compileCondition(
      { operator: "StringLike", key: "s3:prefix", values: ["home/${aws:username}/*"] },
      true,
    );
    expect(c.test(ctxOf({ "s3:prefix": "home/alice/x", "aws:username": "alice" })).ok).toBe(true);
    expect(c.test(ctxOf({ "s3:prefix": "home/alice/x", "aws:username": "bob" })).ok).toBe(false);
    expect(c.test(ctxOf({ "s3:prefix": "home/alice/x" })).ok).toBe(false);
  });

  it("takes variables literally in a policy without Version 2012-10-17", () => {
    const c = compileCondition(
      { operator: "StringEquals", key: "s3:prefix", values: ["${aws:username}"] },
      false,
    );
    expect(c.test(ctxOf({ "s3:prefix": "${aws:username}", "aws:username": "alice" })).ok).toBe(true);
  });

  it("marks an unknown operator as such and never matches", () => {
    const c = compileCondition({ operator: "StringSortOf", key: "k", values: ["v"] }, true);
    expect(c.known).toBe(false);
    expect(c.test(ctxOf({ k: "v" })).ok).toBe(false);
  });

  it("parses CIDRs of both families and rejects bad ones", () => {
    expect(parseCidr("10.0.0.0/8")?.bits).toBe(8);
    expect(parseCidr("::1")?.bits).toBe(128);
    expect(parseCidr("::ffff:192.0.2.1")?.v6).toBe(true);
    expect(parseCidr("300.1.1.1")).toBeUndefined();
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
  });
});
