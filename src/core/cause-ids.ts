// The root-cause ids of ../shared/knowledge/taxonomy.md: public output, one `as const` list.

/** Every taxonomy id, in the taxonomy's order. */
export const CAUSE_IDS = [
  "CRED_MISSING",
  "CRED_WRONG_SOURCE",
  "ACCOUNT_MISMATCH",
  "KEY_INVALID_ID",
  "KEY_SECRET_MISMATCH",
  "KEY_INACTIVE",
  "SESSION_TOKEN_MISSING",
  "SESSION_TOKEN_STALE",
  "TOKEN_EXPIRED",
  "CLOCK_SKEW",
  "STS_TOKEN_VERSION_REGION",
  "REGION_NOT_ENABLED",
  "REGION_MISMATCH",
  "SIGNING_ERROR",
  "IAM_ACTION_NOT_ALLOWED",
  "IAM_RESOURCE_MISMATCH",
  "IAM_CONDITION_FAILED",
  "IAM_EXPLICIT_DENY",
  "SCP_DENY",
  "RCP_DENY",
  "PERMISSION_BOUNDARY",
  "SESSION_POLICY",
  "RESOURCE_POLICY",
  "VPC_ENDPOINT_POLICY",
  "PASSROLE_MISSING",
  "TRUST_POLICY",
  "ROLE_SESSION_LIMIT",
  "COGNITO_CONFIG",
  "APP_AUTH_MODE",
  "MFA_REQUIRED",
  "SSO_CONFIG",
  "NETWORK_PATH",
  "OTHER",
] as const;

/** A taxonomy root-cause id. */
export type CauseId = (typeof CAUSE_IDS)[number];

/** The id of "none of the specific causes": AWS errors that are no auth problem, or text too weak to decide. */
export const OTHER_CAUSE = "OTHER" as const satisfies CauseId;

const ID_SET: ReadonlySet<string> = new Set(CAUSE_IDS);

/** True when `value` is a taxonomy id. */
export function isCauseId(value: unknown): value is CauseId {
  return typeof value === "string" && ID_SET.has(value);
}
