import { describe, it } from "vitest";
import { type Case, check } from "../support.js";

const cases: Case[] = [
  {
    name: "v1 S3 AccessDenied with Error Code and Proxy",
    text: "com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: 4442587FB7D0A2F9; S3 Extended Request ID: abc/def+ghi=; Proxy: null)",
    want: {
      format: "java",
      code: "AccessDenied",
      message: "Access Denied",
      service: "s3",
      httpStatus: 403,
      requestId: "4442587FB7D0A2F9",
    },
  },
  {
    name: "v1 DynamoDB UnrecognizedClientException (docs/aws-facts.md §1.2)",
    text: "com.amazonaws.services.dynamodbv2.model.AmazonDynamoDBException: The security token included in the request is invalid. (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: UnrecognizedClientException; Request ID: ABCDEF)",
    want: { code: "UnrecognizedClientException", service: "dynamodb", httpStatus: 400 },
  },
  {
    name: "v1 KMS AccessDeniedException with 400 (docs/aws-facts.md §1.13)",
    text: "com.amazonaws.services.kms.model.AWSKMSException: User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab because no resource-based policy allows the kms:Decrypt action (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; Request ID: 11-22)",
    want: {
      code: "AccessDeniedException",
      service: "kms",
      action: "kms:Decrypt",
      policyType: "resource-based",
      region: "eu-west-1",
      regionSource: "arn",
      resource: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    },
  },
  {
    name: "v1 STS service name",
    text: "com.amazonaws.services.securitytoken.model.AWSSecurityTokenServiceException: The security token included in the request is expired (Service: AWSSecurityTokenService; Status Code: 403; Error Code: ExpiredToken; Request ID: 5a1e)",
    want: { code: "ExpiredToken", service: "sts" },
  },
  {
    name: "v2 comma form without error code",
    text: 'Exception in thread "main" software.amazon.awssdk.services.sts.model.StsException: The security token included in the request is invalid. (Service: Sts, Status Code: 403, Request ID: 9f0a-11)',
    want: { format: "java", service: "sts", httpStatus: 403, requestId: "9f0a-11" },
    absent: ["code"],
  },
  {
    name: "v2 modeled exception gives the code",
    text: "software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException: Requested resource not found (Service: DynamoDb, Status Code: 400, Request ID: RID1)",
    want: { code: "ResourceNotFoundException", service: "dynamodb" },
  },
  {
    name: "v2 EC2 AuthFailure implied by its message",
    text: "software.amazon.awssdk.services.ec2.model.Ec2Exception: AWS was not able to validate the provided access credentials (Service: Ec2, Status Code: 401, Request ID: r-1)",
    want: { code: "AuthFailure", service: "ec2", httpStatus: 401 },
  },
  {
    name: "Caused by chain repeats one error",
    text: [
      "software.amazon.awssdk.services.s3.model.S3Exception: Access Denied (Service: S3, Status Code: 403, Request ID: X1, Extended Request ID: Y1)",
      "\tat software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)",
      "Caused by: software.amazon.awssdk.services.s3.model.S3Exception: Access Denied (Service: S3, Status Code: 403, Request ID: X1, Extended Request ID: Y1)",
    ].join("\n"),
    want: { service: "s3", requestId: "X1" },
  },
];

describe("Java SDK v1/v2", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    check(c);
  });
});
