import { describe, expect, it } from "vitest";
import { parseFailure, parseFailures } from "../../src/errors/index.js";

describe("parseFailures: AWS CLI and boto3", () => {
  it("reads a CLI v2 AccessDenied with the policy-type message", () => {
    const [f, ...rest] = parseFailures(
      'An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::123456789012:assumed-role/app/i-0abc is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::bucket/key" because no identity-based policy allows the s3:GetObject action',
    );
    expect(rest).toHaveLength(0);
    expect(f).toMatchObject({
      format: "aws-cli",
      code: "AccessDenied",
      operation: "GetObject",
      service: "s3",
      action: "s3:GetObject",
      principal: { kind: "role-session", account: "123456789012", name: "app", session: "i-0abc" },
      resource: "arn:aws:s3:::bucket/key",
      policyType: "identity-based",
      denyKind: "implicit",
    });
  });

  it("reads retries, the command's service and --region", () => {
    const f = parseFailure(
      "$ aws sts get-caller-identity --region ap-east-1\nAn error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation (reached max retries: 4): The security token included in the request is invalid",
    );
    expect(f).toMatchObject({
      code: "InvalidClientTokenId",
      retries: 4,
      service: "sts",
      region: "ap-east-1",
      regionSource: "flag",
      action: "sts:GetCallerIdentity",
    });
    expect(f?.notes.join(" ")).toContain("derived");
  });

  it("treats a boto3 traceback as one boto3 failure with the SCP policy ARN", () => {
    const text = [
      "Traceback (most recent call last):",
      '  File "x.py", line 3, in <module>',
      "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::123456789012:user/X is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::987654321098:role/Y with an explicit deny in a service control policy: arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd",
    ].join("\n");
    const all = parseFailures(text);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      format: "boto3",
      policyType: "service-control",
      denyKind: "explicit",
      denyingPolicyArn:
        "arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd",
      principal: { kind: "iam-user", name: "X" },
    });
  });

  it("returns [] and null for text with no AWS error", () => {
    expect(parseFailures("hello world")).toEqual([]);
    expect(parseFailure("")).toBeNull();
  });
});
