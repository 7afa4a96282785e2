// Regenerates docs/causes/<ID>.md from the cause modules (title, summary, checks, fix) plus the notes below.
// Usage: npx tsc -p tsconfig.build.json && node docs/causes/generate.mjs
import { writeFileSync } from "node:fs";
import { CAUSES } from "../../dist/causes/index.js";
const R = {
  CRED_MISSING: [["`Unable to locate credentials` (botocore/CLI)", "`Could not load credentials from any providers` (JS v3)", "`no valid providers in chain` (Go)", "`Partial credentials found in env`", "`User: anonymous` in a denial"], ["NETWORK_PATH (unreachable metadata endpoint looks the same)", "CRED_WRONG_SOURCE"], "§1.21, §7"],
  CRED_WRONG_SOURCE: [["`The config profile (NAME) could not be found`", "JS v3 `Multiple credential sources detected`", "expired or rejected keys that come from a static copy"], ["SSO_CONFIG", "TOKEN_EXPIRED", "ACCOUNT_MISMATCH"], "§1.21, §2.4, §1.7"],
  ACCOUNT_MISMATCH: [["principal account differs from the resource ARN's account", "credential errors against aws-cn / aws-us-gov", "`No OpenIDConnect provider found in your account`"], ["RESOURCE_POLICY", "KEY_INVALID_ID", "TRUST_POLICY"], "§1.1, §1.13, §1.15"],
  KEY_INVALID_ID: [["`InvalidClientTokenId` / `UnrecognizedClientException` (`The security token included in the request is invalid`)", "S3 `InvalidAccessKeyId`", "EC2 `AuthFailure`", "`Credential= AKIA…` (space) in an IncompleteSignature message"], ["KEY_INACTIVE", "SESSION_TOKEN_MISSING", "STS_TOKEN_VERSION_REGION"], "§1.1–§1.3, §1.5, §1.10"],
  KEY_SECRET_MISMATCH: [["`SignatureDoesNotMatch` / `InvalidSignatureException` with `The request signature we calculated does not match…`"], ["SIGNING_ERROR", "NETWORK_PATH (rewriting proxy)", "not IAM `KeyPairMismatch` (OTHER)"], "§1.4, §1.23"],
  KEY_INACTIVE: [["the same codes as KEY_INVALID_ID, more likely with an AKIA key id"], ["KEY_INVALID_ID"], "§1.1, §1.3"],
  SESSION_TOKEN_MISSING: [["`InvalidAccessKeyId` / `InvalidClientTokenId` / `UnrecognizedClientException` with an `ASIA` key id"], ["SESSION_TOKEN_STALE", "KEY_INVALID_ID"], "§1.1–§1.3, §2.6"],
  SESSION_TOKEN_STALE: [["S3 `InvalidToken` (`The provided token is malformed or otherwise invalid.`)", "an `AKIA` key sent with a session token"], ["STS_TOKEN_VERSION_REGION", "SESSION_TOKEN_MISSING"], "§1.1, §1.3"],
  TOKEN_EXPIRED: [["`ExpiredToken` / `ExpiredTokenException`", "`The provided token has expired.`", "SSO `…session associated with this profile has expired…`", "Cognito `Invalid login token. Token expired`", "EC2 `RequestExpired` with temporary keys"], ["CRED_WRONG_SOURCE", "CLOCK_SKEW", "ROLE_SESSION_LIMIT"], "§1.7, §1.8, §1.15, §1.16, §1.22"],
  CLOCK_SKEW: [["`Signature expired: … is now earlier than …`", "`Signature not yet current`", "S3 `RequestTimeTooSkewed`", "EC2 `RequestExpired`"], ["TOKEN_EXPIRED"], "§1.8, §1.9, §4"],
  STS_TOKEN_VERSION_REGION: [["`InvalidClientTokenId`, `AuthFailure`, `UnrecognizedClientException` or S3 `InvalidToken` in an opt-in region (`--region` or the endpoint)", "ASIA key ids"], ["REGION_NOT_ENABLED", "KEY_INVALID_ID", "SESSION_TOKEN_STALE"], "§1.1, §1.10, §3.2, §3.3"],
  REGION_NOT_ENABLED: [["`OptInRequired`", "`RegionDisabledException` (STS not activated)", "credential errors in an opt-in region"], ["STS_TOKEN_VERSION_REGION", "OTHER (service subscription)"], "§1.11, §1.14, §3.3"],
  REGION_MISMATCH: [["S3 `AuthorizationHeaderMalformed … the region 'X' is wrong; expecting 'Y'`", "`IdentityPool 'REGION:…' not found.`", "`You must specify a region.` / `Region is missing`", "`Credential should be scoped to a valid Region`"], ["SIGNING_ERROR", "ACCOUNT_MISMATCH"], "§1.16, §1.20, §1.21, §1.24"],
  SIGNING_ERROR: [["`Credential should be scoped to correct service`", "`x-amz-content-sha256` mismatch", "`IncompleteSignature`", "signature mismatches with a canonical request from API Gateway"], ["KEY_SECRET_MISMATCH", "NETWORK_PATH"], "§1.4, §1.5, §1.24"],
  IAM_ACTION_NOT_ALLOWED: [["`… because no identity-based policy allows the X action`", "older `… is not authorized to perform: X on resource: R` without a policy type", "EC2 `UnauthorizedOperation` with an encoded message"], ["IAM_RESOURCE_MISMATCH", "IAM_CONDITION_FAILED", "PASSROLE_MISSING"], "§1.12, §1.13"],
  IAM_RESOURCE_MISMATCH: [["the same implicit identity-based denial (the message cannot tell)", "AppSync `Not Authorized to access F on type T`"], ["IAM_ACTION_NOT_ALLOWED", "APP_AUTH_MODE"], "§1.13, §1.17, §5.4"],
  IAM_CONDITION_FAILED: [["implicit identity-based denials", "condition keys named near the error (`aws:SourceIp`, `aws:RequestedRegion`…)", "decoded authorization context"], ["IAM_EXPLICIT_DENY", "MFA_REQUIRED"], "§1.12, §1.13, §7"],
  IAM_EXPLICIT_DENY: [["`… with an explicit deny in an identity-based policy` (optionally `: arn:…`)"], ["IAM_CONDITION_FAILED", "MFA_REQUIRED", "SCP_DENY"], "§1.13"],
  SCP_DENY: [["`… service control policy` (explicit or implicit)", "`… transitively through a service control policy`", "`…/service_control_policy/p-…` policy ARN"], ["IAM_EXPLICIT_DENY", "VPC_ENDPOINT_POLICY"], "§1.13"],
  RCP_DENY: [["`… with an explicit deny in a resource control policy`", "`…/resource_control_policy/p-…` policy ARN"], ["RESOURCE_POLICY", "SCP_DENY"], "§1.13"],
  PERMISSION_BOUNDARY: [["`because no permissions boundary allows …` / `with an explicit deny in a permissions boundary`"], ["IAM_ACTION_NOT_ALLOWED"], "§1.13"],
  SESSION_POLICY: [["`… session policy …` / `… sessions policy` (sic)", "denials of Cognito guest credentials (scope-down policy)"], ["COGNITO_CONFIG", "IAM_ACTION_NOT_ALLOWED"], "§1.13, §5.2"],
  RESOURCE_POLICY: [["`… resource-based policy …`", "KMS `The ciphertext refers to a customer master key that does not exist…`", "bare S3 `Access Denied`", "API Gateway `User: anonymous is not authorized to perform: execute-api:Invoke`"], ["ACCOUNT_MISMATCH", "RCP_DENY", "VPC_ENDPOINT_POLICY"], "§1.13, §1.19, §1.20, §7"],
  VPC_ENDPOINT_POLICY: [["`… VPC endpoint policy …`", "bare S3 `Access Denied` with a `vpce-…` id around"], ["SCP_DENY (transitive)", "RESOURCE_POLICY"], "§1.13, §6.2, §7"],
  PASSROLE_MISSING: [["`… not authorized to perform: iam:PassRole on resource: arn:aws:iam::…:role/…`"], ["IAM_ACTION_NOT_ALLOWED", "TRUST_POLICY"], "§1.18"],
  TRUST_POLICY: [["AccessDenied on `sts:AssumeRole*`", "`because no role trust policy allows…`", "`Not authorized to perform sts:AssumeRoleWithWebIdentity`", "`Incorrect token audience`", "Cognito `InvalidIdentityPoolConfigurationException`"], ["IAM_ACTION_NOT_ALLOWED (caller side)", "MFA_REQUIRED", "COGNITO_CONFIG"], "§1.13–§1.16, §5.1"],
  ROLE_SESSION_LIMIT: [["`The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`", "`… 1 hour session limit for roles assumed by role chaining.`"], ["TOKEN_EXPIRED"], "§1.14, §3.4, §3.5"],
  COGNITO_CONFIG: [["`Unauthenticated access is not supported for this identity pool.`", "`Invalid login token. Issuer doesn't match providerName`", "`Missing a required claim: aud`", "denials of `…Unauth_Role/CognitoIdentityCredentials`"], ["TRUST_POLICY", "SESSION_POLICY", "TOKEN_EXPIRED"], "§1.16, §5"],
  APP_AUTH_MODE: [["AppSync 401 `UnauthorizedException` `Permission denied`", "`Not Authorized to access F on type T`", "Amplify `Unauthorized` with an `authMode` recoverySuggestion", "`Bearer` in an IAM-authorised API Gateway's Authorization error"], ["IAM_RESOURCE_MISMATCH", "COGNITO_CONFIG"], "§1.5, §1.6, §1.17, §5.4"],
  MFA_REQUIRED: [["`requires multi-factor authentication, but no MFA code callback was provided`", "`Cannot refresh credentials: MFA token required.`", "`aws:MultiFactorAuthPresent` near the error"], ["TRUST_POLICY", "IAM_EXPLICIT_DENY"], "§1.14, §1.21"],
  SSO_CONFIG: [["`Error loading SSO Token: Token for NAME does not exist`", "`Sso session 'NAME' could not be found`", "`Conflicting SSO region`", "`The config profile (NAME) could not be found`"], ["TOKEN_EXPIRED", "CRED_WRONG_SOURCE"], "§1.21, §1.22"],
  NETWORK_PATH: [["`Could not connect to the endpoint URL`", "`Connect timeout on endpoint URL`", "`getaddrinfo ENOTFOUND`", "TLS errors", "`IDPCommunicationError`", "metadata endpoint failures"], ["CRED_MISSING", "SIGNING_ERROR"], "§7, §1.15"],
  OTHER: [["IAM `KeyPairMismatch` (server certificates)", "API Gateway `Missing Authentication Token` (route does not exist)", "credential-profile loops", "`AllAccessDisabled`", "`InvalidCiphertextException`", "throttling"], ["APP_AUTH_MODE", "REGION_NOT_ENABLED"], "§1.6, §1.11, §1.19–§1.23"],
};
const ev = { failure: { format: "plain", raw: "", notes: [] }, signals: [] };
for (const [id, def] of Object.entries(CAUSES)) {
  const [rec, confused, sec] = R[id];
  const checks = def.checks(ev);
  const fix = def.fix(ev);
  const md = [
    `# ${id}: ${def.title}`,
    "",
    "## What it means",
    "",
    def.summary,
    "",
    "## How it is recognised",
    "",
    ...rec.map((r) => `- ${r}`),
    "",
    `Never from the code alone: authdoctor ranks every plausible cause and shows the evidence lines behind each score (\`authdoctor explain --verbose\`). AWS facts ([aws-facts.md](../aws-facts.md)): ${sec}.`,
    "",
    "## How to confirm",
    "",
    ...checks.flatMap((c) => [`- ${c.text}`, ...(c.command ? ["", "  ```sh", `  ${c.command}`, "  ```", ""] : [])]),
    "",
    "## Fix",
    "",
    `${fix.summary}.`,
    "",
    ...fix.steps.map((s) => `- ${s}`),
    ...(fix.commands.length ? ["", "```sh", ...fix.commands, "```"] : []),
    "",
    "## Often confused with",
    "",
    ...confused.map((c) => `- ${c}`),
    "",
  ].join("\n").replace(/\n{3,}/g, "\n\n");
  writeFileSync(new URL(`./${id}.md`, import.meta.url), md);
}
console.log("ok", Object.keys(CAUSES).length);
