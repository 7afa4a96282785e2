import { describe, it } from "vitest";
import { type Case, check } from "../support.js";

const inspectDump = `AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/lambda-role/fn is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/t because no identity-based policy allows the dynamodb:GetItem action
    at throwDefaultError (/app/node_modules/@smithy/smithy-client/dist-cjs/index.js:838:20)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5) {
  '$fault': 'client',
  '$metadata': {
    httpStatusCode: 400,
    requestId: 'ABCD1234EFGH5678',
    extendedRequestId: undefined,
    cfId: undefined,
    attempts: 1,
    totalRetryDelay: 0
  },
  __type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException'
}`;

const cases: Case[] = [
  {
    name: "util.inspect dump of a modeled exception",
    text: inspectDump,
    want: {
      format: "js-v3",
      code: "AccessDeniedException",
      httpStatus: 400,
      requestId: "ABCD1234EFGH5678",
      service: "dynamodb",
      action: "dynamodb:GetItem",
      policyType: "identity-based",
      region: "eu-west-1",
    },
  },
  {
    name: "inspect with retries and clock-skew correction",
    text: `InvalidSignatureException: Signature expired: 20231010T101010Z is now earlier than 20231010T102510Z (20231010T103010Z - 5 min.)
    at de_InvalidSignatureExceptionRes (/app/node_modules/@aws-sdk/client-lambda/dist-cjs/index.js:1:1) {
  '$fault': 'client',
  '$metadata': {
    httpStatusCode: 403,
    requestId: 'req-1',
    attempts: 3,
    totalRetryDelay: 200,
    clockSkewCorrected: true
  }
}`,
    want: {
      code: "InvalidSignatureException",
      retries: 2,
      httpStatus: 403,
      clock: { skewSeconds: -1200, toleranceSeconds: 300 },
    },
  },
  {
    name: "S3 HEAD 403 with no body (docs/aws-facts.md, Conventions)",
    text: `403: UnknownError
    at throwDefaultError (/app/node_modules/@smithy/smithy-client/dist-cjs/index.js:1:1) {
  '$fault': 'client',
  '$metadata': { httpStatusCode: 403, requestId: 'RQ', extendedRequestId: 'EX=', cfId: undefined, attempts: 1, totalRetryDelay: 0 }
}`,
    want: { code: "403", httpStatus: 403, message: "UnknownError" },
  },
  {
    name: "JSON.stringify of the error",
    text: '{"name":"ExpiredTokenException","$fault":"client","$metadata":{"httpStatusCode":400,"requestId":"abc-123","attempts":1,"totalRetryDelay":0},"message":"The security token included in the request is expired"}',
    want: { format: "js-v3", code: "ExpiredTokenException", httpStatus: 400, requestId: "abc-123" },
  },
  {
    name: "half of a JSON error dump",
    text: '{"name":"AccessDenied","$fault":"client","$metadata":{"httpStatusCode":403,"requestId":"R-9","attempts":1},"message":"Access Den',
    want: { format: "js-v3", code: "AccessDenied", httpStatus: 403, requestId: "R-9" },
  },
  {
    name: "JS v2 style error with stack",
    text: "AccessDenied: Access Denied\n    at Request.extractError (/app/node_modules/aws-sdk/lib/services/s3.js:711:35)",
    want: { format: "js-v3", code: "AccessDenied", message: "Access Denied" },
  },
  {
    name: "unmodeled error shown with its class",
    text: `S3ServiceException [AccessDenied]: Access Denied
    at x (/a.js:1:1) {
  '$fault': 'client',
  '$metadata': { httpStatusCode: 403, requestId: 'Q1', attempts: 1 }
}`,
    want: { code: "AccessDenied", httpStatus: 403 },
  },
];

describe("JavaScript SDK v3", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    check(c);
  });
});
