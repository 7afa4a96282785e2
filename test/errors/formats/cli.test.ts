import { describe, it } from "vitest";
import { type Case, check } from "../support.js";

// Exact texts from the catalog (§1.1, §1.14, §1.15, §1.20, Conventions) and field reports.
const cases: Case[] = [
  {
    name: "older botocore / CLI v1 wording: `A client error (X) occurred when calling the Y operation`",
    text: "A client error (InvalidClientTokenId) occurred when calling the ListAccessKeys operation: The security token included in the request is invalid.",
    want: {
      format: "aws-cli",
      code: "InvalidClientTokenId",
      operation: "ListAccessKeys",
      message: "The security token included in the request is invalid.",
    },
  },
  {
    name: "InvalidClientTokenId on GetCallerIdentity (docs/aws-facts.md §1.1)",
    text: "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid",
    want: {
      format: "aws-cli",
      code: "InvalidClientTokenId",
      operation: "GetCallerIdentity",
      service: "sts",
      action: "sts:GetCallerIdentity",
      message: "The security token included in the request is invalid",
    },
  },
  {
    name: "UnrecognizedClientException on DescribeTable (docs/aws-facts.md §1.2)",
    text: "An error occurred (UnrecognizedClientException) when calling the DescribeTable operation: The security token included in the request is invalid",
    want: { code: "UnrecognizedClientException", service: "dynamodb", action: "dynamodb:DescribeTable" },
  },
  {
    name: "retries inserted after the operation (Conventions)",
    text: "An error occurred (ThrottlingException) when calling the AssumeRole operation (reached max retries: 4): Rate exceeded",
    want: { code: "ThrottlingException", retries: 4, operation: "AssumeRole", service: "sts" },
  },
  {
    name: "AssumeRole AccessDenied without the policy phrase (docs/aws-facts.md §1.14)",
    text: "An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::123456789012:user/X is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::987654321098:role/Y",
    want: {
      action: "sts:AssumeRole",
      principal: { kind: "iam-user", account: "123456789012", name: "X" },
      resource: "arn:aws:iam::987654321098:role/Y",
    },
    absent: ["policyType", "denyKind"],
  },
  {
    name: "AssumeRole denied by the role trust policy",
    text: "An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::123456789012:user/X is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::987654321098:role/Y because no role trust policy allows the sts:AssumeRole action",
    want: { policyType: "resource-based", denyKind: "implicit", action: "sts:AssumeRole" },
  },
  {
    name: "web identity incorrect audience (docs/aws-facts.md §1.15)",
    text: "An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation: Incorrect token audience",
    want: { code: "InvalidIdentityToken", service: "sts", action: "sts:AssumeRoleWithWebIdentity" },
  },
  {
    name: "S3 HeadObject 403 without body (docs/aws-facts.md §1.20)",
    text: "An error occurred (403) when calling the HeadObject operation: Forbidden",
    want: { code: "403", httpStatus: 403, service: "s3", action: "s3:GetObject", message: "Forbidden" },
  },
  {
    name: "EC2 UnauthorizedOperation with an encoded message (docs/aws-facts.md §1.12)",
    text: `An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. Encoded authorization failure message: ${"Ab3_-x".repeat(80)}`,
    want: {
      code: "UnauthorizedOperation",
      service: "ec2",
      action: "ec2:RunInstances",
      encodedMessage: { text: "Ab3_-x".repeat(80), truncated: false },
    },
  },
  {
    name: "encoded message wrapped over several terminal lines is joined",
    text: `An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. Encoded authorization failure message: ${"Qw".repeat(60)}\n${"Er".repeat(60)}\n${"Ty".repeat(60)}\n\n$ echo done`,
    want: {
      encodedMessage: { text: "Qw".repeat(60) + "Er".repeat(60) + "Ty".repeat(60), truncated: false },
    },
  },
  {
    name: "clock skew on Kinesis (docs/aws-facts.md §1.9)",
    text: "An error occurred (InvalidSignatureException) when calling the PutRecord operation: Signature expired: 20180920T174101Z is now earlier than 20180920T174504Z (20180920T175004Z - 5 min.)",
    want: {
      code: "InvalidSignatureException",
      clock: {
        requestTime: "2018-09-20T17:41:01Z",
        serverTime: "2018-09-20T17:50:04Z",
        skewSeconds: -543,
        toleranceSeconds: 300,
      },
    },
  },
  {
    name: "signature not yet current (client ahead)",
    text: "An error occurred (InvalidSignatureException) when calling the Invoke operation: Signature not yet current: 20181002T170509Z is still later than 20181002T170312Z (20181002T165812Z + 5 min.)",
    want: { clock: { skewSeconds: 417, toleranceSeconds: 300 }, action: "lambda:InvokeFunction" },
  },
  {
    name: "S3 AuthorizationHeaderMalformed names the wrong region (docs/aws-facts.md §1.20)",
    text: "An error occurred (AuthorizationHeaderMalformed) when calling the ListObjectsV2 operation: The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-central-1'",
    want: { region: "us-east-1", regionSource: "message", service: "s3", action: "s3:ListBucket" },
  },
  {
    name: "a CLI command line gives service and region",
    text: "$ aws ec2 describe-instances --region me-south-1\n\nAn error occurred (AuthFailure) when calling the DescribeInstances operation: AWS was not able to validate the provided access credentials",
    want: { code: "AuthFailure", service: "ec2", region: "me-south-1", regionSource: "flag" },
  },
  {
    name: "boto3 traceback repeating the error is one boto3 failure",
    text: [
      "Traceback (most recent call last):",
      '  File "/app/main.py", line 12, in <module>',
      "    s3.get_object(Bucket='b', Key='k')",
      '  File "/usr/lib/python3/site-packages/botocore/client.py", line 1023, in _make_api_call',
      "    raise error_class(parsed_response, operation_name)",
      "botocore.errorfactory.NoSuchKey: An error occurred (AccessDenied) when calling the GetObject operation: Access Denied",
      "",
      "During handling of the above exception, another exception occurred:",
      "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject operation: Access Denied",
    ].join("\n"),
    want: {
      format: "boto3",
      code: "AccessDenied",
      service: "s3",
      action: "s3:GetObject",
      message: "Access Denied",
    },
  },
  {
    name: "explicit deny in a permissions boundary",
    text: "An error occurred (AccessDenied) when calling the CreateUser operation: User: arn:aws:sts::123456789012:assumed-role/dev/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/bob with an explicit deny in a permissions boundary",
    want: {
      policyType: "permissions-boundary",
      denyKind: "explicit",
      principal: { kind: "role-session", session: "alice" },
    },
  },
];

describe("CLI and boto3 service errors", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    check(c);
  });
});
