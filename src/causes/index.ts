// The cause registry: taxonomy id -> cause module. A missing or extra id does not compile.

import type { CauseId } from "../core/cause-ids.js";
import accountMismatch from "./account-mismatch.js";
import appAuthMode from "./app-auth-mode.js";
import clockSkew from "./clock-skew.js";
import cognitoConfig from "./cognito-config.js";
import credMissing from "./cred-missing.js";
import credWrongSource from "./cred-wrong-source.js";
import type { CauseDef } from "./define.js";
import iamActionNotAllowed from "./iam-action-not-allowed.js";
import iamConditionFailed from "./iam-condition-failed.js";
import iamExplicitDeny from "./iam-explicit-deny.js";
import iamResourceMismatch from "./iam-resource-mismatch.js";
import keyInactive from "./key-inactive.js";
import keyInvalidId from "./key-invalid-id.js";
import keySecretMismatch from "./key-secret-mismatch.js";
import mfaRequired from "./mfa-required.js";
import networkPath from "./network-path.js";
import other from "./other.js";
import passroleMissing from "./passrole-missing.js";
import permissionBoundary from "./permission-boundary.js";
import rcpDeny from "./rcp-deny.js";
import regionMismatch from "./region-mismatch.js";
import regionNotEnabled from "./region-not-enabled.js";
import resourcePolicy from "./resource-policy.js";
import roleSessionLimit from "./role-session-limit.js";
import scpDeny from "./scp-deny.js";
import sessionPolicy from "./session-policy.js";
import sessionTokenMissing from "./session-token-missing.js";
import sessionTokenStale from "./session-token-stale.js";
import signingError from "./signing-error.js";
import ssoConfig from "./sso-config.js";
import stsTokenVersionRegion from "./sts-token-version-region.js";
import tokenExpired from "./token-expired.js";
import trustPolicy from "./trust-policy.js";
import vpcEndpointPolicy from "./vpc-endpoint-policy.js";

/** Every cause module by taxonomy id (alphabetical). */
export const CAUSES = {
  ACCOUNT_MISMATCH: accountMismatch,
  APP_AUTH_MODE: appAuthMode,
  CLOCK_SKEW: clockSkew,
  COGNITO_CONFIG: cognitoConfig,
  CRED_MISSING: credMissing,
  CRED_WRONG_SOURCE: credWrongSource,
  IAM_ACTION_NOT_ALLOWED: iamActionNotAllowed,
  IAM_CONDITION_FAILED: iamConditionFailed,
  IAM_EXPLICIT_DENY: iamExplicitDeny,
  IAM_RESOURCE_MISMATCH: iamResourceMismatch,
  KEY_INACTIVE: keyInactive,
  KEY_INVALID_ID: keyInvalidId,
  KEY_SECRET_MISMATCH: keySecretMismatch,
  MFA_REQUIRED: mfaRequired,
  NETWORK_PATH: networkPath,
  OTHER: other,
  PASSROLE_MISSING: passroleMissing,
  PERMISSION_BOUNDARY: permissionBoundary,
  RCP_DENY: rcpDeny,
  REGION_MISMATCH: regionMismatch,
  REGION_NOT_ENABLED: regionNotEnabled,
  RESOURCE_POLICY: resourcePolicy,
  ROLE_SESSION_LIMIT: roleSessionLimit,
  SCP_DENY: scpDeny,
  SESSION_POLICY: sessionPolicy,
  SESSION_TOKEN_MISSING: sessionTokenMissing,
  SESSION_TOKEN_STALE: sessionTokenStale,
  SIGNING_ERROR: signingError,
  SSO_CONFIG: ssoConfig,
  STS_TOKEN_VERSION_REGION: stsTokenVersionRegion,
  TOKEN_EXPIRED: tokenExpired,
  TRUST_POLICY: trustPolicy,
  VPC_ENDPOINT_POLICY: vpcEndpointPolicy,
} as const satisfies { [K in CauseId]: CauseDef<K> };

/** The cause module of `id`. */
export function causeOf(id: CauseId): CauseDef {
  return CAUSES[id];
}

/** All cause modules. */
export const ALL_CAUSES: readonly CauseDef[] = Object.values(CAUSES);

export type { CauseDef, CauseScore } from "./define.js";
export { defineCause } from "./define.js";
