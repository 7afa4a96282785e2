import { describe, expect, it } from "vitest";
import { parseFailures } from "../../src/errors/index.js";

// Canary values: none may appear in any field of any Failure.
const KEY = "AKIAIOSFODNN7EXAMPLE";
const TEMP_KEY = "ASIAY34FZKBOKMUTVV7A";
const SECRET = "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";
const TOKEN =
  "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDcanaryTOKENvalue1234567890abcdefghijklmnopqrstu";
const CANARIES = [KEY, TEMP_KEY, SECRET, TOKEN, "CANARYKEY1", "canaryTOKEN"];

const inputs: [string, string][] = [
  [
    "CLI debug with env dump",
    `AWS_ACCESS_KEY_ID=${KEY}\nAWS_SECRET_ACCESS_KEY=${SECRET}\nAWS_SESSION_TOKEN=${TOKEN}\nAn error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.`,
  ],
  [
    "message echoing an Authorization header",
    `An error occurred (IncompleteSignature) when calling the GetCallerIdentity operation: '${SECRET}' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential= ${KEY}/20200122/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=abcdef0123456789abcdef'`,
  ],
  [
    "JS error with credentials in the dump",
    `InvalidClientTokenId: The security token included in the request is invalid.\n    at x (/a.js:1:1) {\n  '$fault': 'client',\n  '$metadata': { httpStatusCode: 403, requestId: 'r', attempts: 1 },\n  credentials: { accessKeyId: '${TEMP_KEY}', secretAccessKey: '${SECRET}', sessionToken: '${TOKEN}' }\n}`,
  ],
  [
    "JSON with escaped secret",
    `{"__type":"ExpiredTokenException","message":"The security token included in the request is expired","SessionToken":"${TOKEN}","Secret":"${SECRET.replace("/", "\\/")}"}`,
  ],
  [
    "CloudTrail record with a key id",
    JSON.stringify({
      eventSource: "sts.amazonaws.com",
      eventName: "GetCallerIdentity",
      errorCode: "AccessDenied",
      errorMessage: `denied for ${KEY}`,
      userIdentity: { type: "IAMUser", arn: "arn:aws:iam::123456789012:user/u", accessKeyId: TEMP_KEY },
    }),
  ],
  [
    "S3 XML echoing the token",
    `<Error><Code>InvalidToken</Code><Message>The provided token is malformed or otherwise invalid.</Message><Token-0>${TOKEN}</Token-0><AWSAccessKeyId>${TEMP_KEY}</AWSAccessKeyId></Error>`,
  ],
  [
    "Go error with a pre-signed URL",
    `operation error S3: GetObject, https response error StatusCode: 403, RequestID: R, api error AccessDenied: Request has expired https://b.s3.amazonaws.com/k?X-Amz-Credential=${TEMP_KEY}%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=${encodeURIComponent(TOKEN)}&X-Amz-Signature=0123456789abcdef0123456789abcdef`,
  ],
];

describe("secrets never reach a Failure", () => {
  it.each(inputs)("%s", (_name, text) => {
    const fs = parseFailures(text);
    expect(fs.length).toBeGreaterThan(0);
    const out = JSON.stringify(fs);
    for (const c of CANARIES) expect(out).not.toContain(c);
  });

  it("reports key ids only masked, with their prefix", () => {
    const [f] = parseFailures(inputs[4]![1]);
    expect(f?.accessKeyId).toEqual({ masked: "ASIA****VV7A", prefix: "ASIA" });
  });
});
