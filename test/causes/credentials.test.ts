// Cause modules about credentials, keys, tokens and clocks, tested with hand-built failures.

import { CAUSES } from "../../src/causes/index.js";
import { ev, testCause } from "./tester.js";

const TOKEN_INVALID = "The security token included in the request is invalid";
const invalidToken = (extra = {}) =>
  ev({ code: "InvalidClientTokenId", message: TOKEN_INVALID, service: "sts", ...extra });
const accessDenied = ev({
  code: "AccessDenied",
  message:
    "User: arn:aws:iam::123456789012:user/a is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no identity-based policy allows the s3:GetObject action",
});
const skew = ev({
  code: "InvalidSignatureException",
  message:
    "Signature expired: 20180920T174101Z is now earlier than 20180920T174504Z (20180920T175004Z - 5 min.)",
});

testCause(CAUSES.CRED_MISSING, {
  applies: [
    {
      name: "botocore NoCredentialsError",
      evidence: ev({ message: "Unable to locate credentials" }),
      minScore: 0.8,
    },
    {
      name: "JS v3 chain exhausted",
      evidence: ev({
        code: "CredentialsProviderError",
        message: "Could not load credentials from any providers",
      }),
      minScore: 0.8,
    },
    {
      name: "anonymous principal",
      evidence: ev({
        code: "AccessDenied",
        principal: { raw: "anonymous", kind: "anonymous" },
        message: "User: anonymous is not authorized to perform: s3:ListBucket",
      }),
      minScore: 0.2,
    },
  ],
  doesNotApply: [
    { name: "an access denial", evidence: accessDenied },
    { name: "invalid token", evidence: invalidToken() },
  ],
});

testCause(CAUSES.CRED_WRONG_SOURCE, {
  applies: [
    {
      name: "profile not found",
      evidence: ev({ message: "The config profile (dev) could not be found" }),
      minScore: 0.55,
    },
    {
      name: "JS v3 multiple sources warning",
      evidence: ev({
        message:
          "Multiple credential sources detected: Both AWS_PROFILE and the pair AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY static credentials are set.",
      }),
      minScore: 0.75,
    },
    {
      name: "expired token",
      evidence: ev({ code: "ExpiredToken", message: "The provided token has expired." }),
      minScore: 0.25,
    },
  ],
  doesNotApply: [{ name: "clock skew", evidence: skew }],
});

testCause(CAUSES.ACCOUNT_MISMATCH, {
  applies: [
    {
      name: "commercial InvalidClientTokenId keeps it as a low candidate",
      evidence: invalidToken(),
      minScore: 0.01,
    },
    {
      name: "GovCloud partition via --region",
      evidence: ev({ code: "InvalidClientTokenId", message: TOKEN_INVALID }, { region: "us-gov-west-1" }),
      minScore: 0.5,
      why: /partition/,
    },
    {
      name: "cross-account resource",
      evidence: ev({
        code: "AccessDeniedException",
        message:
          "User: arn:aws:iam::111122223333:user/ci is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:444455556666:key/k",
      }),
      minScore: 0.25,
      why: /111122223333.*444455556666/,
    },
  ],
  doesNotApply: [{ name: "same-account denial", evidence: accessDenied }],
});

testCause(CAUSES.KEY_INVALID_ID, {
  applies: [
    { name: "InvalidClientTokenId", evidence: invalidToken(), minScore: 0.5 },
    {
      name: "S3 InvalidAccessKeyId",
      evidence: ev({
        code: "InvalidAccessKeyId",
        message: "The AWS Access Key Id you provided does not exist in our records.",
      }),
      minScore: 0.6,
    },
    {
      name: "whitespace in the key id",
      evidence: ev({
        code: "IncompleteSignature",
        message:
          "'x' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential= AKIA****MPLE/20200122/us-east-1/sts/aws4_request'",
      }),
      minScore: 0.7,
    },
  ],
  doesNotApply: [
    { name: "access denied", evidence: accessDenied },
    { name: "clock skew", evidence: skew },
  ],
});

testCause(CAUSES.KEY_SECRET_MISMATCH, {
  applies: [
    {
      name: "SignatureDoesNotMatch",
      evidence: ev({
        code: "SignatureDoesNotMatch",
        message:
          "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
      }),
      minScore: 0.6,
    },
  ],
  doesNotApply: [
    { name: "Signature expired (clock)", evidence: skew },
    {
      name: "IAM KeyPairMismatch",
      evidence: ev({
        code: "KeyPairMismatch",
        message: "The public key certificate and the private key do not match.",
      }),
    },
  ],
});

testCause(CAUSES.KEY_INACTIVE, {
  applies: [
    {
      name: "AKIA key rejected",
      evidence: invalidToken({ accessKeyId: { masked: "AKIA****MPLE", prefix: "AKIA" } }),
      minScore: 0.3,
    },
    {
      name: "S3 unknown key",
      evidence: ev({
        code: "InvalidAccessKeyId",
        message: "The AWS Access Key Id you provided does not exist in our records.",
      }),
      minScore: 0.25,
    },
  ],
  doesNotApply: [
    {
      name: "temporary key",
      evidence: invalidToken({ accessKeyId: { masked: "ASIA****VV7A", prefix: "ASIA" } }),
    },
    { name: "access denied", evidence: accessDenied },
  ],
});

testCause(CAUSES.SESSION_TOKEN_MISSING, {
  applies: [
    {
      name: "ASIA key at S3",
      evidence: ev({
        code: "InvalidAccessKeyId",
        message: "The AWS Access Key Id you provided does not exist in our records.",
        accessKeyId: { masked: "ASIA****VV7A", prefix: "ASIA" },
      }),
      minScore: 0.6,
      why: /ASIA/,
    },
  ],
  doesNotApply: [
    { name: "AKIA key", evidence: invalidToken({ accessKeyId: { masked: "AKIA****MPLE", prefix: "AKIA" } }) },
    {
      name: "expired",
      evidence: ev({
        code: "ExpiredToken",
        message: "The security token included in the request is expired",
      }),
    },
  ],
});

testCause(CAUSES.SESSION_TOKEN_STALE, {
  applies: [
    {
      name: "S3 InvalidToken",
      evidence: ev({
        code: "InvalidToken",
        message: "The provided token is malformed or otherwise invalid.",
      }),
      minScore: 0.4,
    },
    {
      name: "AKIA key sent with a session token",
      evidence: invalidToken({
        accessKeyId: { masked: "AKIA****MPLE", prefix: "AKIA" },
        raw: `AWS_SESSION_TOKEN=****(20 chars) ${TOKEN_INVALID}`,
      }),
      minScore: 0.6,
    },
  ],
  doesNotApply: [{ name: "access denied", evidence: accessDenied }],
});

testCause(CAUSES.TOKEN_EXPIRED, {
  applies: [
    {
      name: "ExpiredToken",
      evidence: ev({
        code: "ExpiredToken",
        message: "The security token included in the request is expired",
      }),
      minScore: 0.7,
    },
    {
      name: "SSO expired",
      evidence: ev({
        message:
          "The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.",
      }),
      minScore: 0.7,
    },
    {
      name: "Cognito login token expired",
      evidence: ev({
        code: "NotAuthorizedException",
        message: "Invalid login token. Token expired: 1700003600 >= 1700000000",
      }),
      minScore: 0.8,
    },
  ],
  doesNotApply: [
    { name: "invalid token", evidence: invalidToken() },
    { name: "clock skew", evidence: skew },
  ],
});

testCause(CAUSES.CLOCK_SKEW, {
  applies: [
    { name: "Signature expired", evidence: skew, minScore: 0.9 },
    {
      name: "S3 RequestTimeTooSkewed",
      evidence: ev({
        code: "RequestTimeTooSkewed",
        message: "The difference between the request time and the current time is too large.",
      }),
      minScore: 0.9,
    },
    {
      name: "EC2 RequestExpired",
      evidence: ev({ code: "RequestExpired", message: "Request has expired." }),
      minScore: 0.5,
    },
  ],
  doesNotApply: [
    { name: "invalid token", evidence: invalidToken() },
    { name: "access denied", evidence: accessDenied },
  ],
});
