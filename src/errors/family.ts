// Message families: which kind of refusal a text is, from general signals only (codes, fixed AWS phrases, SDK and
// tool wording). The ranking reads a calibrated prior per family (src/causes/priors.ts, written by
// scripts/calibrate.mjs from the dev split of test/corpus). A text with no family has no sign of an AWS
// authentication or authorization failure.
//
// Codes and phrases: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html,
// https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html,
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html, docs/aws-facts.md.

import type { Failure } from "../core/failure.js";

/**
 * Broader groups of families: the calibrated prior of a family with few reports backs off to its group's
 * distribution, then to the overall one (scripts/calibrate.mjs chooses how much by cross-validation on dev).
 */
export type BroadFamily = "credentials" | "token" | "signing" | "policy" | "app" | "other";

/** Every family, most specific first: the first whose pattern matches names the text's family. */
export const FAMILIES = [
  {
    id: "clock",
    broad: "signing",
    re: /Signature expired|RequestTimeTooSkewed|not yet current|time ?skew|clock skew|difference between the request time and the (?:current|server) time|\bRequestExpired\b|RequestTimeTooSkew/i,
  },
  {
    // S3 pre-signed URLs past X-Amz-Expires, or signed with temporary credentials that expired:
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html
    id: "presigned-expired",
    broad: "token",
    re: /Request has expired|X-Amz-Expires|pre-?signed URL.{0,80}expired/i,
  },
  {
    id: "mfa",
    broad: "credentials",
    re: /MultiFactorAuthentication|AssumeRoleTokenProvider|\bMFA\b|token ?code|one time pass/i,
  },
  {
    id: "sso-expired",
    broad: "credentials",
    re: /UnauthorizedSSOToken|SSO (?:session|token)[^\n]{0,80}(?:expired|invalid)|(?:expired|refresh failed)[^\n]{0,80}\bSSO\b|Token has expired and refresh failed|Error loading SSO Token|SSOTokenProviderFailure/i,
  },
  {
    id: "sso",
    broad: "credentials",
    re: /\bsso[_-]|\bSSO\b|sso-session|invalid_grant|IAM Identity Center|UnauthorizedClient|InvalidGrant|awsapps\.com\/start/i,
  },
  { id: "passrole", broad: "policy", re: /iam:PassRole|PassRole/ },
  {
    id: "assume-role-denied",
    broad: "policy",
    re: /not authorized to perform:? sts:(?:AssumeRole|TagSession|SetSourceIdentity)|cannot be assumed|unable to assume|could not assume|failed to assume|was unable to assume|is not authorized to assume|AssumeRole(?:WithWebIdentity|WithSAML)?\b.{0,60}AccessDenied|AccessDenied.{0,80}AssumeRole/i,
  },
  {
    // OIDC / web identity federation refused by STS (the identity provider's token or its trust):
    // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html#API_AssumeRoleWithWebIdentity_Errors
    id: "web-identity",
    broad: "credentials",
    re: /IDPRejectedClaim|InvalidIdentityToken|IDPCommunicationError|WebIdentityErr|AssumeRoleWithWebIdentity|web ?identity token/i,
  },
  {
    id: "denial-named-policy",
    broad: "policy",
    re: /because no [A-Za-z -]+?polic(?:y|ies) allows?|with an explicit deny in|explicit deny/i,
  },
  {
    // The SigV4 credential scope names a region the endpoint does not serve:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html
    id: "region-scope",
    broad: "signing",
    re: /scoped to (?:a valid|the correct) region|AuthorizationHeaderMalformed[^\n]{0,200}region|the region '?[a-z0-9-]+'? is wrong/i,
  },
  {
    // The signing scheme itself (SigV2 where SigV4 is required, malformed or incomplete headers, payload hash).
    id: "signing-scheme",
    broad: "signing",
    re: /authorization mechanism you have provided is not supported|Please use AWS4-HMAC-SHA256|IncompleteSignature|AuthorizationHeaderMalformed|X-Amz-Content-Sha256|Authorization header requires|InvalidRequest[^\n]{0,80}(?:signature|authorization)/i,
  },
  {
    id: "signature",
    broad: "signing",
    re: /SignatureDoesNotMatch|signature we calculated does not match|InvalidSignature|Signature does not match/i,
  },
  {
    id: "unknown-key",
    broad: "token",
    re: /InvalidAccessKeyId|Access Key Id you provided does not exist|AWS Access Key Id does not exist|access key .{0,20}(?:deleted|inactive|deactivated|disabled)/i,
  },
  {
    id: "invalid-token",
    broad: "token",
    re: /InvalidClientTokenId|UnrecognizedClient|security token included in the request is (?:invalid|expired)|AuthFailure|InvalidToken|provided token is malformed|OptInRequired|needs a subscription|RegionDisabled|InvalidSecurity\b/i,
  },
  {
    id: "expired-token",
    broad: "token",
    re: /ExpiredToken|TokenExpired|token (?:has|is) expired|session (?:has )?expired|expired token|credentials (?:have|has) expired|TokenRefreshRequired|refresh failed|Failed to refresh/i,
  },
  {
    id: "region-endpoint",
    broad: "signing",
    re: /PermanentRedirect|must be addressed using the specified endpoint|wrong region|IllegalLocationConstraint|AuthorizationQueryParametersError|expecting '?[a-z]{2}-[a-z]+-\d|Could not connect to the endpoint URL|\.(?:undefined|None|null)\.amazonaws\.com|Missing region|NoRegionError|You must specify a region|region (?:is )?(?:missing|not set|required)/i,
  },
  {
    id: "network",
    broad: "credentials",
    re: /169\.254\.1(?:69|70)\.\d+|instance metadata|EC2 ?Metadata|IMDS|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|dial tcp|connection (?:refused|timed out|reset)|certificate verify failed|self[- ]signed certificate|SSL(?:Error| validation)|proxy|Could not connect to the endpoint|container metadata|container credentials|timed? ?out|\btimeout\b|x509|TLS handshake|no such host|getaddrinfo|Name or service not known/i,
  },
  {
    id: "no-credentials",
    broad: "credentials",
    re: /Unable to locate credentials|NoCredentialProviders|CredentialsProviderError|Could not load credentials|Missing credentials|no valid (?:AWS )?credential|could not find (?:any )?(?:valid )?(?:AWS )?credentials|NoCredentialsError|credentials? (?:file|not found|could not be)|ProfileNotFound|config profile .{0,40}could not be found|failed to (?:load|retrieve|get) (?:aws )?credentials|Unable to load (?:AWS )?credentials|no basic auth credentials|AWS_ACCESS_KEY_ID|unable to (?:get|retrieve|find) .{0,30}credentials|SharedCredentials|credential_process|credential source|EC2RoleRequestError|SharedCredsLoad|ProcessProviderExecutionError|(?:shared )?config profile/i,
  },
  {
    id: "app-unauthorized",
    broad: "app",
    re: /Missing Authentication Token|\bUnauthorized\b|UnauthorizedException|NotAuthorizedException|\b401\b|Not Authorized to access|identity pool|user pool|RoleMappings|enhanced flow|(?:UserPool|IdentityPool)Configuration|ForbiddenException|Cognito|Unauthenticated|Invalid permissions on Lambda|You must be logged in/i,
  },
  {
    // Anonymous callers are allowed only by a resource's own policy (bucket policy, API Gateway resource policy):
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
    id: "anonymous-denied",
    broad: "policy",
    re: /User: anonymous is not authorized|anonymous (?:user|access|caller)s? (?:is |are )?(?:not authorized|denied)/i,
  },
  {
    // EC2 terminates an instance at launch with this when it cannot use the KMS key of an encrypted volume
    // (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/troubleshooting-launch.html).
    id: "kms",
    broad: "policy",
    re: /\bkms[:.]|KMS key|KMS\.|AWSKMS|kms\.amazonaws|KMSAccessDenied|Decrypt|Encrypt|Client error on launch/,
  },
  {
    id: "s3-access-denied",
    broad: "policy",
    re: /(?:\bs3[:.]|S3|bucket|s3\.amazonaws|putObject|getObject|ListObjects|HeadObject|AmazonS3).{0,400}(?:Access ?Denied|Forbidden|\b403\b)|(?:Access ?Denied|Forbidden|\b403\b).{0,400}(?:\bs3[:.]|S3|bucket|s3\.amazonaws|Object)/is,
  },
  {
    id: "action-denied",
    broad: "policy",
    re: /is not authorized to perform|not authorized to perform|UnauthorizedOperation|does not have permissions? to|not have (?:the )?(?:required )?permissions?|AuthorizationError|insufficient permissions|permission denied/i,
  },
  {
    // S3's account-level 403 codes too: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
    id: "access-denied",
    broad: "policy",
    re: /Access ?Denied|\bForbidden\b|\b403\b|AccessDeniedException|not authorized|AllAccessDisabled|AccountProblem|InvalidPayer|NotSignedUp|pending verification/i,
  },
  {
    id: "other-sign",
    broad: "other",
    re: /credential|authenticat|authori[sz]|\btoken\b|signature|\bsts\b|assume ?role|\biam\b|secret (?:access )?key|access key|permission|not allowed|\bdenied\b|AccessControlListNotSupported|does not allow ACLs|PackedPolicyTooLarge|MalformedPolicyDocument|assumed-role\/|role chaining|DurationSeconds|MaxSessionDuration|key pair does not match|Unable to validate the following destination configurations/i,
  },
  {
    // An error class or code word of an auth failure that no family above names (other SDKs and tools:
    // `SSOProviderInvalidTokenError`, `KMSAccessDeniedException`, `InvalidPermissionsFault`), case-sensitive.
    id: "auth-code",
    broad: "other",
    re: /\b[A-Z][A-Za-z]*(?:Token|Credential|Auth|Signature|Permission|Forbidden|Denied|Unauthori[sz]ed|Identity|Role|Polic|SSO|Sso|MFA|Mfa|KMS|Kms|Access)[A-Za-z]*(?:Exception|Error|Fault)\b/,
  },
  {
    // The last resort: an AWS service, SDK or tool named next to a failure word. Ranked with the prior of the
    // texts that fell here on the dev corpus, else OTHER ("nothing specific matched").
    id: "aws-error",
    broad: "other",
    re: /^(?=[\s\S]*(?:amazonaws|aws-sdk|botocore|boto3|\bAWS\b|\bAmazon\b|\bS3\b|\bEC2\b|\bLambda\b|DynamoDB|\bECR\b|\bEKS\b|\bECS\b|aws-vault|awsume|saml2aws|\bgranted\b|aws-runas|gimme-aws-creds|okta-aws|aws2-wrap|aws-sso|\bleapp\b|terraform|terragrunt|pulumi|serverless|\bcdk\b|amplify|eksctl|kubectl|\bsst\b|chalice|zappa|copilot|libaws|aws-c-|AWS_ERROR_|\b(?:Get|Set|New|Remove|Write|Read|Copy|Invoke|Use|Initialize)-(?:AWS|S3|EC2|IAM|STS|SSM|SEC|KMS|DDB|CFN|ECR|ECS|EKS|SQS|SNS|CW|LM)[A-Za-z]*))(?=[\s\S]*(?:error|exception|fail(?:ed|ure)?|refused|invalid|unable|haven't|have not|not (?:set|specified|configured|found)|missing))/i,
  },
] as const satisfies readonly { id: string; broad: BroadFamily; re: RegExp }[];

/** A message family id. */
export type FamilyId = (typeof FAMILIES)[number]["id"];

/** The broader group of a family. */
export function broadFamily(id: string): BroadFamily | undefined {
  return FAMILIES.find((f) => f.id === id)?.broad;
}

/** The family of a text (code, message and context joined), or undefined when it shows no sign of an auth failure. */
export function messageFamily(text: string): FamilyId | undefined {
  const t = text.length > 20_000 ? `${text.slice(0, 10_000)}\n${text.slice(-10_000)}` : text;
  for (const f of FAMILIES) if (f.re.test(t)) return f.id;
  return undefined;
}

/** A code-like word (`FooBarException`, `AccessDenied`, `ExpiredToken`) in a text the parser did not recognise. */
const CODE_RE =
  /\b([A-Z][a-z]+(?:[A-Z][a-z0-9]+)+(?:Exception|Error|Denied|Token|Id|Failure|Required)|AccessDenied|Forbidden|Unauthorized)\b/;

/**
 * A Failure for a text the error parser did not recognise but that shows a sign of an AWS authentication or
 * authorization failure (other SDKs, tool wrappers, partial pastes): its first meaningful line is the message,
 * a code-like word the code, so every cause module can score it. Undefined when the text shows no sign.
 */
export function signFailure(text: string): Failure | undefined {
  const family = messageFamily(text);
  if (!family) return undefined;
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const pick = FAMILIES.find((f) => f.id === family)!.re;
  const line = lines.find((l) => pick.test(l)) ?? lines[0] ?? "";
  const code = CODE_RE.exec(line)?.[1] ?? CODE_RE.exec(text)?.[1];
  const status = /\b(40[0-9])\b/.exec(line)?.[1];
  return {
    format: "plain",
    raw: text.length > 20_000 ? `${text.slice(0, 10_000)}\n...\n${text.slice(-10_000)}` : text,
    message: line.slice(0, 2000),
    ...(code ? { code } : {}),
    ...(status ? { httpStatus: Number(status) } : {}),
    notes: [
      `not a known AWS error shape: read as a "${family}" message from its wording (family of the text, src/errors/family.ts)`,
    ],
  };
}
