// Message families: general signals put a text in one family; texts without a sign of an auth failure get none.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
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
