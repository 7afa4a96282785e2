// Message families: general signals put a text in one family; texts without a sign of an auth failure get none.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { explainText } from "../../src/diagnose/explain.js";
import { FAMILIES, messageFamily, signFailure } from "../../src/errors/family.js";

describe("messageFamily", () => {
  it.each([
    [
      "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid",
      "invalid-token",
    ],
    [
      "Aws::STS::Errors::InvalidClientTokenId The security token included in the request is invalid",
      "invalid-token",
    ],
    ["A client error (SignatureDoesNotMatch) occurred when calling the PutObject operation", "signature"],
    [
      "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
      "signing-scheme",
    ],
    ["Credential should be scoped to a valid region, not 'us-east-2'.", "region-scope"],
    ["Signature expired: 20170103T233357Z is now earlier than 20170104T042623Z", "clock"],
    [
      "<Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>3600</X-Amz-Expires></Error>",
      "presigned-expired",
    ],
    ["panic: assume role with MFA enabled, but AssumeRoleTokenProvider session option not set.", "mfa"],
    [
      "botocore.exceptions.UnauthorizedSSOTokenError: The SSO session associated with this profile has expired",
      "sso-expired",
    ],
    [
      "User: arn:aws:iam::111122223333:user/u is not authorized to perform: iam:PassRole on resource: arn:aws:iam::111122223333:role/r",
      "passrole",
    ],
    [
      "User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:111122223333:a/b",
      "anonymous-denied",
    ],
    [
      'Unable to locate credentials. You can configure credentials by running "aws configure".',
      "no-credentials",
    ],
    ["error: You must be logged in to the server (Unauthorized)", "app-unauthorized"],
    [
      "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied",
      "s3-access-denied",
    ],
  ])("%s -> %s", (text, family) => {
    expect(messageFamily(text)).toBe(family);
  });

  it("has no family for text without a sign of an AWS auth failure", () => {
    expect(messageFamily("hello world")).toBeUndefined();
    expect(messageFamily("TypeError: Cannot read properties of undefined (reading 'map')")).toBeUndefined();
    expect(messageFamily("")).toBeUndefined();
  });

  it("family ids are unique", () => {
    expect(new Set(FAMILIES.map((f) => f.id)).size).toBe(FAMILIES.length);
  });

  it("never throws and stays fast on any input", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), (s) => {
        const f = messageFamily(s);
        expect(f === undefined || FAMILIES.some((x) => x.id === f)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

// Error codes and fixed phrases of AWS authentication and authorization failures across services, SDKs and tools
// (STS, IAM, S3, Cognito, SDK credential providers), each of which must give a family in any surrounding noise.
const SIGNS = [
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "The security token included in the request is invalid",
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
  "IncompleteSignature",
  "RequestTimeTooSkewed",
  "ExpiredToken",
  "ExpiredTokenException",
  "TokenExpired",
  "InvalidAccessKeyId",
  "InvalidToken",
  "AuthFailure",
  "OptInRequired",
  "RegionDisabledException",
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "is not authorized to perform",
  "MissingAuthenticationTokenException",
  "NotAuthorizedException",
  "ForbiddenException",
  "InvalidIdentityPoolConfigurationException",
  "InvalidUserPoolConfigurationException",
  "IDPRejectedClaim",
  "InvalidIdentityToken",
  "IDPCommunicationError",
  "PackedPolicyTooLarge",
  "MalformedPolicyDocument",
  "MultiFactorAuthentication",
  "UnauthorizedSSOTokenError",
  "Unable to locate credentials",
  "NoCredentialProviders",
  "CredentialsProviderError",
  "EC2RoleRequestError",
  "SharedCredsLoad",
  "ProcessProviderExecutionError",
  "WebIdentityErr",
  "failed to get shared config profile, dev",
  "The requested DurationSeconds exceeds the MaxSessionDuration set for this role",
  "AllAccessDisabled",
  "AccountProblem",
  "KMSAccessDeniedException",
  "SomeVendorInvalidTokenError",
  "aws-vault: error: exec: failed",
  "Get-S3Object : Specified value has invalid CRLF characters.",
  "Unable to validate the following destination configurations",
  "Basic (classic) flow is not supported with RoleMappings, please use enhanced flow.",
  "Failed to connect: libaws-c-mqtt: AWS_ERROR_MQTT_UNEXPECTED_HANGUP",
  "You haven't specified the aws route53 api key id and api key secret yet.",
];

describe("no auth sign is lost in noise", () => {
  const noiseWord = fc.constantFrom("INFO", "step", "build", "done", "12:00:01", "[worker-3]", "->", "#", "");
  const noise = fc.array(noiseWord, { maxLength: 12 }).map((ws) => ws.join(" "));
  const sep = fc.constantFrom(" ", "\n", ": ", "\n\t", " | ");
  it("any text with a known auth code or phrase embedded in noise has a family and ranked causes", () => {
    fc.assert(
      fc.property(noise, sep, fc.constantFrom(...SIGNS), sep, noise, (a, s1, sign, s2, b) => {
        const text = `${a}${s1}${sign}${s2}${b}`;
        expect(messageFamily(text), text).toBeDefined();
        const d = explainText(text);
        expect(d.causes.length, text).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });
  it("text with no sign stays without causes and says how to get the real error", () => {
    for (const text of [
      "ERROR: Job failed: exit code 1",
      "Access to XMLHttpRequest blocked by CORS policy",
    ]) {
      const d = explainText(text);
      expect(d.causes, text).toEqual([]);
      expect(d.unknowns[0]?.needs).toMatch(/--debug/);
    }
  });
});

describe("signFailure", () => {
  it("turns unfamiliar wording with a sign into a plain failure with its best line and a code", () => {
    const f = signFailure(
      "Running deploy...\nERROR AssumeRoleTokenProviderNotSetError: assume role with MFA enabled, but AssumeRoleTokenProvider session option not set.\nexit 1",
    );
    expect(f?.format).toBe("plain");
    expect(f?.code).toBe("AssumeRoleTokenProviderNotSetError");
    expect(f?.message).toContain("AssumeRoleTokenProvider");
    expect(f?.notes.join(" ")).toContain('"mfa"');
  });
  it("gives nothing for text without a sign", () => {
    expect(signFailure("the build finished in 3 s")).toBeUndefined();
  });
});
