import { describe, expect, it } from "vitest";
import { type Case, check } from "../support.js";

const cases: Case[] = [
  {
    name: "S3 AccessDenied XML with request and host id",
    text: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>7Q4M2N9X</RequestId><HostId>abc/DEF+ghi=</HostId></Error>',
    want: {
      format: "http-xml",
      code: "AccessDenied",
      message: "Access Denied",
      requestId: "7Q4M2N9X",
      service: "s3",
    },
  },
  {
    name: "S3 RequestTimeTooSkewed (docs/aws-facts.md §1.9)",
    text: "<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestTime>20150604T232559Z</RequestTime><ServerTime>2015-06-04T22:26:16Z</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds><RequestId>R</RequestId><HostId>H</HostId></Error>",
    want: {
      code: "RequestTimeTooSkewed",
      clock: {
        requestTime: "2015-06-04T23:25:59Z",
        serverTime: "2015-06-04T22:26:16Z",
        skewSeconds: 3583,
        toleranceSeconds: 900,
      },
    },
  },
  {
    name: "S3 InvalidAccessKeyId echoes the key id (masked)",
    text: "<Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist in our records.</Message><AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId><RequestId>R</RequestId><HostId>H</HostId></Error>",
    want: { code: "InvalidAccessKeyId", accessKeyId: { masked: "AKIA****MPLE", prefix: "AKIA" } },
  },
  {
    name: "STS ErrorResponse with Type and RequestId outside Error",
    text: '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n    <Code>ExpiredToken</Code>\n    <Message>The security token included in the request is expired</Message>\n  </Error>\n  <RequestId>4c5d-6e7f</RequestId>\n</ErrorResponse>',
    want: { code: "ExpiredToken", requestId: "4c5d-6e7f" },
  },
  {
    name: "EC2 Response/Errors with RequestID",
    text: "<Response><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to validate the provided access credentials</Message></Error></Errors><RequestID>ec2-req</RequestID></Response>",
    want: { code: "AuthFailure", service: "ec2", requestId: "ec2-req" },
  },
  {
    name: "curl -i output: status line, headers and bucket region",
    text: "HTTP/1.1 400 Bad Request\nx-amz-request-id: 0A1B2C3D4E5F\nx-amz-bucket-region: eu-central-1\nContent-Type: application/xml\n\n<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-central-1'</Message><Region>eu-central-1</Region><RequestId>0A1B2C3D4E5F</RequestId></Error>",
    want: {
      code: "AuthorizationHeaderMalformed",
      httpStatus: 400,
      region: "eu-central-1",
      regionSource: "x-amz-bucket-region",
    },
  },
  {
    name: "truncated XML body",
    text: "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAcc",
    want: { code: "SignatureDoesNotMatch", accessKeyId: { prefix: "AKIA" } },
  },
  {
    name: "JSON body with coral __type (docs/aws-facts.md §1.2)",
    text: '{"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"The security token included in the request is invalid"}',
    want: { format: "http-json", code: "UnrecognizedClientException" },
  },
  {
    name: "JSON body with capital Message",
    text: '{"__type":"AccessDeniedException","Message":"User: arn:aws:iam::123456789012:user/u is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf because no VPC endpoint policy allows the secretsmanager:GetSecretValue action"}',
    want: {
      code: "AccessDeniedException",
      policyType: "vpc-endpoint",
      action: "secretsmanager:GetSecretValue",
      region: "us-east-1",
    },
  },
  {
    name: "API Gateway missing token (docs/aws-facts.md §1.6)",
    text: '{"message":"Missing Authentication Token"}',
    want: { format: "api-gateway", code: "MissingAuthenticationTokenException", service: "execute-api" },
  },
  {
    name: "API Gateway anonymous caller with capital Message (docs/aws-facts.md §7)",
    text: '{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-west-1:123456789012:abcde12345/prod/GET/items"}',
    want: {
      format: "api-gateway",
      principal: { kind: "anonymous" },
      action: "execute-api:Invoke",
      region: "eu-west-1",
      resource: "arn:aws:execute-api:eu-west-1:123456789012:abcde12345/prod/GET/items",
    },
  },
  {
    name: "API Gateway body after its headers: the error type header gives the code",
    text: 'HTTP/2 403\ncontent-type: application/json\nx-amzn-requestid: 7d1c2b3a-0000-1111-2222-333344445555\nx-amzn-errortype: ForbiddenException\n\n{"message":"Forbidden"}',
    want: {
      format: "api-gateway",
      code: "ForbiddenException",
      httpStatus: 403,
      requestId: "7d1c2b3a-0000-1111-2222-333344445555",
    },
  },
  {
    name: "boto3 e.response printed by Python (dict repr, not JSON)",
    text: "{'Error': {'Code': 'AccessDenied', 'Message': 'Access Denied'}, 'ResponseMetadata': {'RequestId': 'A1B2C3', 'HostId': 'xyz=', 'HTTPStatusCode': 403, 'HTTPHeaders': {'x-amz-request-id': 'A1B2C3'}, 'RetryAttempts': 0}}",
    want: {
      format: "boto3",
      code: "AccessDenied",
      message: "Access Denied",
      httpStatus: 403,
      requestId: "A1B2C3",
    },
  },
  {
    name: "boto3 e.response dict",
    text: '{"Error": {"Code": "AccessDenied", "Message": "Access Denied"}, "ResponseMetadata": {"RequestId": "RID", "HTTPStatusCode": 403}}',
    want: { format: "boto3", code: "AccessDenied", httpStatus: 403, requestId: "RID" },
  },
  {
    name: "Cognito identity JSON body with the pool region (docs/aws-facts.md §1.16)",
    text: 'HTTP/1.1 400 Bad Request\nx-amzn-ErrorType: ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.cognito.identity.model/\n\n{"__type":"ResourceNotFoundException","message":"IdentityPool \'eu-west-1:0f0e0d0c-1111-2222-3333-444455556666\' not found."}',
    want: {
      code: "ResourceNotFoundException",
      region: "eu-west-1",
      regionSource: "identity-pool-id",
      httpStatus: 400,
    },
  },
];

describe("HTTP bodies", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    check(c);
  });

  it("never echoes an S3 <Token-0> session token", () => {
    const token = "QmFzZTY0canaryTOKEN0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH";
    const text = `<Error><Code>InvalidToken</Code><Message>The provided token is malformed or otherwise invalid.</Message><Token-0>${token}</Token-0><RequestId>R</RequestId></Error>`;
    const f = check({ name: "token", text, want: { code: "InvalidToken" } });
    expect(JSON.stringify(f)).not.toContain(token);
    expect(JSON.stringify(f)).not.toContain("canaryTOKEN");
  });
});
