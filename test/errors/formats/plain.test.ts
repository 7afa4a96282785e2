import { describe, it } from "vitest";
import { type Case, check } from "../support.js";

const cases: Case[] = [
  {
    name: "bare AccessDenied message (docs/aws-facts.md §1.13)",
    text: "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: s3:ListBucket on resource: arn:aws:s3:::my-bucket because no identity-based policy allows the s3:ListBucket action",
    want: {
      format: "plain",
      action: "s3:ListBucket",
      service: "s3",
      principal: { kind: "iam-user", name: "alice", account: "123456789012" },
      resource: "arn:aws:s3:::my-bucket",
      policyType: "identity-based",
      denyKind: "implicit",
    },
  },
  {
    name: "log line with a code prefix",
    text: "2024-05-01T10:00:00Z ERROR AccessDenied: User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:ap-southeast-2:123456789012:q because no session policy allows the sqs:SendMessage action",
    want: { code: "AccessDenied", policyType: "session", region: "ap-southeast-2", regionSource: "arn" },
  },
  {
    name: "Ruby SDK error class",
    text: "Aws::STS::Errors::InvalidClientTokenId: The security token included in the request is invalid.",
    want: { code: "InvalidClientTokenId", service: "sts" },
  },
  {
    name: "PHP SDK message",
    text: 'Error executing "GetObject" on "https://b.s3.eu-west-2.amazonaws.com/k"; AWS HTTP error: Client error: `GET https://b.s3.eu-west-2.amazonaws.com/k` resulted in a `403 Forbidden` response: AccessDenied (client): Access Denied',
    want: { code: "AccessDenied", service: "s3", region: "eu-west-2", regionSource: "endpoint" },
  },
  {
    name: "message only: code inferred (docs/aws-facts.md §1.10)",
    text: "AWS was not able to validate the provided access credentials",
    want: { code: "AuthFailure" },
  },
  {
    name: "Cognito unauthenticated access (docs/aws-facts.md §1.16)",
    text: "NotAuthorizedException: Unauthenticated access is not supported for this identity pool.",
    want: { code: "NotAuthorizedException" },
  },
  {
    name: "web identity trust failure without a colon",
    text: "AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity",
    want: { code: "AccessDenied", action: "sts:AssumeRoleWithWebIdentity", service: "sts" },
  },
  {
    name: "CloudFormation handler message (Java block inside)",
    text: 'Resource handler returned message: "User: arn:aws:sts::123456789012:assumed-role/cdk-deploy/x is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/fn-role because no identity-based policy allows the iam:PassRole action (Service: Lambda, Status Code: 403, Request ID: 1a2b)" (RequestToken: 3c4d, HandlerErrorCode: AccessDenied)',
    want: {
      format: "cloudformation",
      code: "AccessDenied",
      action: "iam:PassRole",
      service: "lambda",
      httpStatus: 403,
      requestId: "1a2b",
      resource: "arn:aws:iam::123456789012:role/fn-role",
    },
  },
  {
    name: "CloudFormation older API: prefix",
    text: "CREATE_FAILED AWS::IAM::Role MyRole API: iam:CreateRole User: arn:aws:sts::123456789012:assumed-role/cfn/x is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/MyRole with an explicit deny in a service control policy",
    want: {
      format: "cloudformation",
      action: "iam:CreateRole",
      policyType: "service-control",
      denyKind: "explicit",
    },
  },
  {
    name: "VPC endpoint deny reached through an SCP",
    text: 'User: arn:aws:iam::123456789012:user/u is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" with an explicit deny in a VPC endpoint policy transitively through a service control policy',
    want: { policyType: "service-control", denyKind: "explicit" },
  },
  {
    name: "KMS ciphertext message (docs/aws-facts.md §1.19)",
    text: "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.",
    want: { code: "AccessDeniedException" },
  },
];

describe("plain messages and CloudFormation wrappers", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    check(c);
  });
});
