// Cause modules about Cognito, app auth modes, SSO profiles and OTHER, tested with hand-built failures.

import { CAUSES } from "../../src/causes/index.js";
import { ev, testCause } from "./tester.js";

const invalidToken = ev({
  code: "InvalidClientTokenId",
  message: "The security token included in the request is invalid",
});
const denied = ev({
  code: "AccessDenied",
  message:
    "User: arn:aws:iam::123456789012:user/a is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no identity-based policy allows the s3:GetObject action",
});

testCause(CAUSES.COGNITO_CONFIG, {
  applies: [
    {
      name: "guest access off",
      evidence: ev({
        code: "NotAuthorizedException",
        message: "Unauthenticated access is not supported for this identity pool.",
      }),
      minScore: 0.85,
    },
    {
      name: "issuer mismatch",
      evidence: ev({
        code: "NotAuthorizedException",
        message: "Invalid login token. Issuer doesn't match providerName",
      }),
      minScore: 0.85,
    },
    {
      name: "access token instead of ID token",
      evidence: ev({
        code: "NotAuthorizedException",
        message: "Invalid login token. Missing a required claim: aud",
      }),
      minScore: 0.85,
    },
    {
      name: "guest role in a downstream denial",
      evidence: ev({
        code: "AccessDenied",
        message:
          "User: arn:aws:sts::123456789012:assumed-role/Cognito_AppUnauth_Role/CognitoIdentityCredentials is not authorized to perform: s3:GetObject",
      }),
      minScore: 0.4,
    },
  ],
  doesNotApply: [
    {
      name: "expired login token",
      evidence: ev({
        code: "NotAuthorizedException",
        message: "Invalid login token. Token expired: 1700003600 >= 1700000000",
      }),
    },
    { name: "plain denial", evidence: denied },
  ],
});

testCause(CAUSES.APP_AUTH_MODE, {
  applies: [
    {
      name: "AppSync 401",
      evidence: ev({ format: "graphql", code: "UnauthorizedException", message: "Permission denied" }),
      minScore: 0.5,
    },
    {
      name: "Amplify recoverySuggestion",
      evidence: ev({
        format: "amplify",
        message: "Unauthorized",
        hint: 'make sure to set the "authMode" in generateClient',
      }),
      minScore: 0.45,
    },
    {
      name: "Bearer to an IAM method",
      evidence: ev({
        message:
          "'tok' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer tok'.",
      }),
      minScore: 0.8,
    },
    {
      name: "Amplify NoApiKey",
      evidence: ev({ code: "NoApiKey", message: "No api-key configured" }),
      minScore: 0.8,
    },
  ],
  doesNotApply: [
    { name: "invalid token", evidence: invalidToken },
    { name: "plain denial", evidence: denied },
  ],
});

testCause(CAUSES.SSO_CONFIG, {
  applies: [
    {
      name: "no cached token",
      evidence: ev({ message: "Error loading SSO Token: Token for my-sso does not exist" }),
      minScore: 0.65,
    },
    {
      name: "missing sso-session block",
      evidence: ev({ message: "Sso session 'corp' could not be found in shared credentials file." }),
      minScore: 0.8,
    },
    {
      name: "profile not found",
      evidence: ev({ message: "The config profile (sso-dev) could not be found" }),
      minScore: 0.4,
    },
  ],
  doesNotApply: [{ name: "invalid token", evidence: invalidToken }],
});

testCause(CAUSES.OTHER, {
  applies: [
    {
      name: "KeyPairMismatch",
      evidence: ev({
        code: "KeyPairMismatch",
        message: "The public key certificate and the private key do not match.",
      }),
      minScore: 0.85,
    },
    {
      name: "API Gateway missing route",
      evidence: ev({ format: "api-gateway", message: "Missing Authentication Token" }),
      minScore: 0.5,
    },
    {
      name: "profile loop",
      evidence: ev({
        message: "Detected a cycle attempting to resolve credentials for profile a. Profiles visited: a, b",
      }),
      minScore: 0.85,
    },
  ],
  doesNotApply: [
    { name: "plain denial", evidence: denied },
    { name: "invalid token", evidence: invalidToken },
  ],
});
