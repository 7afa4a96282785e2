import { describe, expect, it } from "vitest";
import { parseFailure } from "../../../src/errors/index.js";

// Exact (code, message) pairs of the catalog (§1.1–§1.24) as the CLI prints them: code, operation and
// message must come through unchanged, whatever the message says.
const rows: [code: string, operation: string, message: string][] = [
  ["InvalidClientTokenId", "GetCallerIdentity", "The security token included in the request is invalid."],
  [
    "InvalidAccessKeyId",
    "ListObjectsV2",
    "The AWS Access Key Id you provided does not exist in our records.",
  ],
  ["InvalidToken", "GetObject", "The provided token is malformed or otherwise invalid."],
  [
    "SignatureDoesNotMatch",
    "GetCallerIdentity",
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  ],
  [
    "IncompleteSignature",
    "GetCallerIdentity",
    "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter.",
  ],
  [
    "MissingAuthenticationToken",
    "DescribeInstances",
    "The request must contain either a valid (registered) AWS access key ID or X.509 certificate.",
  ],
  ["ExpiredToken", "ListBuckets", "The provided token has expired."],
  [
    "ExpiredTokenException",
    "AssumeRoleWithWebIdentity",
    "Token expired: current date/time 1700000000 must be before the expiration date/time 1699990000",
  ],
  ["RequestExpired", "DescribeInstances", "Request has expired."],
  ["AuthFailure", "DescribeInstances", "AWS was not able to validate the provided access credentials"],
  [
    "OptInRequired",
    "DescribeInstances",
    "You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.",
  ],
  [
    "InvalidIdentityToken",
    "AssumeRoleWithWebIdentity",
    "No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com",
  ],
  [
    "IDPCommunicationError",
    "AssumeRoleWithWebIdentity",
    "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
  ],
  ["NotAuthorizedException", "GetId", "Unauthenticated access is not supported for this identity pool."],
  ["NotAuthorizedException", "GetId", "Invalid login token. Issuer doesn't match providerName"],
  [
    "InvalidIdentityPoolConfigurationException",
    "GetCredentialsForIdentity",
    "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
  ],
  [
    "ValidationError",
    "AssumeRole",
    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
  ],
  [
    "RegionDisabledException",
    "AssumeRole",
    "STS is not activated in this region for account:123456789012. Your account administrator can activate STS in this region using the IAM Console.",
  ],
  [
    "KeyPairMismatch",
    "UploadServerCertificate",
    "The public key certificate and the private key do not match.",
  ],
  [
    "AccessDeniedException",
    "Decrypt",
    "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.",
  ],
  ["AllAccessDisabled", "GetObject", "All access to this Amazon S3 resource has been disabled."],
];

describe("catalog codes and messages through the CLI form", () => {
  it.each(rows)("%s on %s", (code, operation, message) => {
    const f = parseFailure(`An error occurred (${code}) when calling the ${operation} operation: ${message}`);
    expect(f).toMatchObject({ format: "aws-cli", code, operation, message });
    expect(f?.action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
  });

  it("reads the STS region-disabled account and keeps no region it cannot know", () => {
    const f = parseFailure(
      `An error occurred (${rows[17]![0]}) when calling the AssumeRole operation: ${rows[17]![2]}`,
    );
    expect(f?.region).toBeUndefined();
    expect(f?.notes).toContain("no region in the text");
  });
});
