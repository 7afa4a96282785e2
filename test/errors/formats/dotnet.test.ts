import { describe, it } from "vitest";
import { type Case, check } from "../support.js";

const cases: Case[] = [
  {
    name: "generic S3 exception with the inner HTTP status",
    text: "Amazon.S3.AmazonS3Exception: Access Denied\n ---> Amazon.Runtime.Internal.HttpErrorResponseException: The remote server returned an error: (403) Forbidden.",
    want: { format: "dotnet", message: "Access Denied", service: "s3", httpStatus: 403 },
    absent: ["code"],
  },
  {
    name: "modeled STS exception",
    text: "Amazon.SecurityToken.Model.ExpiredTokenException: The security token included in the request is expired",
    want: { format: "dotnet", code: "ExpiredTokenException", service: "sts" },
  },
  {
    name: "logged Error Code and Status Code",
    text: "Amazon.DynamoDBv2.AmazonDynamoDBException: User: arn:aws:iam::123456789012:user/svc is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-west-2:123456789012:table/Orders with an explicit deny in an identity-based policy\nError Code: AccessDeniedException, Status Code: 400, Request Id: ABC123DEF",
    want: {
      code: "AccessDeniedException",
      service: "dynamodb",
      httpStatus: 400,
      requestId: "ABC123DEF",
      policyType: "identity-based",
      denyKind: "explicit",
      region: "us-west-2",
    },
  },
  {
    name: "runtime service exception",
    text: "Amazon.Runtime.AmazonServiceException: Unable to get IAM security credentials from EC2 Instance Metadata Service.",
    want: { format: "dotnet" },
  },
];

describe(".NET SDK", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    check(c);
  });
});
