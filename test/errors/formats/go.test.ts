import { describe, it } from "vitest";
import { type Case, check } from "../support.js";

const cases: Case[] = [
  {
    name: "Go v2 `api error CODE` with no message (aws-vault and other wrappers print it so)",
    text: "aws-vault: error: exec: Failed to get credentials for dev: operation error STS: GetSessionToken, https response error StatusCode: 403, RequestID: 1a2b, api error InvalidClientTokenId",
    want: { format: "go-v2", code: "InvalidClientTokenId", service: "sts", httpStatus: 403 },
  },
  {
    name: "Go v1 error with its `status code` trailer joined on the same line",
    text: "runner 2018/08/29 08:34:04 [CRIT] Error getting credentials: InvalidClientTokenId: The security token included in the request is invalid. status code: 403, request id: 93f9a497-ab98",
    want: {
      code: "InvalidClientTokenId",
      httpStatus: 403,
      requestId: "93f9a497-ab98",
      message: "The security token included in the request is invalid.",
    },
  },
  {
    name: "Go v2 STS InvalidClientTokenId",
    text: "operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: 6b5e7c1a-2f3d-4b1a-9c8e-0f1e2d3c4b5a, api error InvalidClientTokenId: The security token included in the request is invalid.",
    want: {
      format: "go-v2",
      code: "InvalidClientTokenId",
      service: "sts",
      operation: "GetCallerIdentity",
      httpStatus: 403,
      requestId: "6b5e7c1a-2f3d-4b1a-9c8e-0f1e2d3c4b5a",
      message: "The security token included in the request is invalid.",
    },
  },
  {
    name: "Go v2 EC2 AuthFailure 401 with retries (docs/aws-facts.md §1.10)",
    text: "operation error EC2: DescribeInstances, exceeded maximum number of attempts, 3, https response error StatusCode: 401, RequestID: a-b-c, api error AuthFailure: AWS was not able to validate the provided access credentials",
    want: {
      code: "AuthFailure",
      service: "ec2",
      httpStatus: 401,
      retries: 3,
      action: "ec2:DescribeInstances",
    },
  },
  {
    name: "Go v2 S3 with HostID",
    text: "operation error S3: GetObject, https response error StatusCode: 403, RequestID: R1, HostID: H1/abc=, api error AccessDenied: Access Denied",
    want: { code: "AccessDenied", service: "s3", requestId: "R1", action: "s3:GetObject" },
  },
  {
    name: "Go v2 credential failure without a response",
    text: "operation error STS: GetCallerIdentity, get identity: get credentials: failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, request canceled, context deadline exceeded",
    want: { format: "go-v2", service: "sts", operation: "GetCallerIdentity" },
    absent: ["httpStatus"],
  },
  {
    name: "Terraform wrapping Go v2 (permissions boundary)",
    text: `Error: creating IAM Role (deploy): operation error IAM: CreateRole, https response error StatusCode: 403, RequestID: 1234-abcd, api error AccessDenied: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/deploy because no permissions boundary allows the iam:CreateRole action

  with aws_iam_role.deploy,
  on main.tf line 1, in resource "aws_iam_role" "deploy":`,
    want: {
      format: "terraform",
      code: "AccessDenied",
      service: "iam",
      action: "iam:CreateRole",
      policyType: "permissions-boundary",
      denyKind: "implicit",
      principal: { kind: "iam-user", name: "ci" },
    },
  },
  {
    name: "Terraform boxed and wrapped diagnostics are re-joined",
    text: [
      "╷",
      "│ Error: validating provider credentials: retrieving caller identity from STS: operation error STS:",
      "│ GetCallerIdentity, https response error StatusCode: 403, RequestID: 0f0f-1e1e, api error",
      "│ InvalidClientTokenId: The security token included in the request is invalid.",
      "│ ",
      '│   with provider["registry.terraform.io/hashicorp/aws"],',
      '│   on main.tf line 10, in provider "aws":',
      "╵",
    ].join("\n"),
    want: { format: "terraform", code: "InvalidClientTokenId", service: "sts", requestId: "0f0f-1e1e" },
  },
  {
    name: "older Terraform / Go v1 form with status code trailer",
    text: "Error: error creating IAM Role (x): AccessDenied: User: arn:aws:iam::123456789012:user/tf is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/x\n\tstatus code: 403, request id: 5b6c-7d8e",
    want: {
      code: "AccessDenied",
      httpStatus: 403,
      requestId: "5b6c-7d8e",
      action: "iam:CreateRole",
      principal: { kind: "iam-user", name: "tf" },
    },
  },
];

describe("Go SDK and Terraform", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    check(c);
  });
});
