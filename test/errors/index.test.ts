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

describe("parseFailures: several errors in one paste", () => {
  it("returns each distinct error of a log, in order", () => {
    const text = [
      "2024-01-01 10:00:01 INFO starting",
      "2024-01-01 10:00:02 ERROR An error occurred (ExpiredToken) when calling the ListBuckets operation: The security token included in the request is expired",
      "2024-01-01 10:00:03 WARN retrying",
      "2024-01-01 10:00:04 ERROR An error occurred (AccessDenied) when calling the GetObject operation: Access Denied",
      "2024-01-01 10:00:05 ERROR An error occurred (ExpiredToken) when calling the ListBuckets operation: The security token included in the request is expired",
    ].join("\n");
    const fs = parseFailures(text);
    expect(fs.map((f) => f.code)).toEqual(["ExpiredToken", "AccessDenied"]);
    expect(fs[0]!.notes).toContain("seen 2 times in the input");
  });

  it("merges an HTTP body with the CLI line it produced (debug output)", () => {
    const text = [
      "2024-01-01 10:00:00,000 - MainThread - botocore.parsers - DEBUG - Response body:",
      'b\'<?xml version="1.0" encoding="UTF-8"?>\\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>RQ1</RequestId><HostId>HID=</HostId></Error>\'',
      "",
      "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied",
    ].join("\n");
    const fs = parseFailures(text);
    expect(fs).toHaveLength(1);
    // `aws --debug` prints botocore's log: still the CLI's output.
    expect(fs[0]).toMatchObject({
      code: "AccessDenied",
      requestId: "RQ1",
      operation: "GetObject",
      format: "aws-cli",
    });
  });

  it("keeps a client-side error and a later service error apart", () => {
    const text =
      "Unable to locate credentials\n$ export AWS_PROFILE=prod\nAn error occurred (AccessDenied) when calling the ListUsers operation: User: arn:aws:iam::123456789012:user/ro is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::123456789012:user/ because no identity-based policy allows the iam:ListUsers action";
    const fs = parseFailures(text);
    expect(fs.map((f) => f.code)).toEqual(["NoCredentialsError", "AccessDenied"]);
    expect(parseFailure(text)?.code).toBe("AccessDenied");
  });

  it("reads different formats in one paste", () => {
    const text = [
      "operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: r1, api error InvalidClientTokenId: The security token included in the request is invalid.",
      '{"errors":[{"errorType":"Unauthorized","message":"Not Authorized to access listTodos on type Query"}]}',
      "com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: R2; Proxy: null)",
    ].join("\n\n");
    expect(parseFailures(text).map((f) => f.format)).toEqual(["go-v2", "graphql", "java"]);
  });
});
