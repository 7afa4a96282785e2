// Groups of cause ids that the verdict treats alike (ids: docs/json-contract.md).

import type { CauseId } from "./cause-ids.js";

/** Causes a policy decides (identity, organization, boundary, session, resource, endpoint, trust policies). */
const POLICY_CAUSE_IDS = [
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
  "MFA_REQUIRED",
] as const satisfies readonly CauseId[];

export const POLICY_CAUSES: ReadonlySet<string> = new Set<string>(POLICY_CAUSE_IDS);

/** The evidence `authdoctor collect` asks for (src/collect/guide.ts). */
export type EvidenceKind =
  | "credentials"
  | "identityPolicies"
  | "authorizationDetails"
  | "organizationPolicies"
  | "trail"
  | "region"
  | "resourcePolicy"
  | "resourcePolicyWanted";

const IDENTITY_POLICY_CAUSE_IDS = [
  "IAM_ACTION_NOT_ALLOWED",
  "IAM_RESOURCE_MISMATCH",
  "IAM_CONDITION_FAILED",
  "IAM_EXPLICIT_DENY",
  "PASSROLE_MISSING",
  "PERMISSION_BOUNDARY",
  "SESSION_POLICY",
] as const satisfies readonly CauseId[];

/**
 * The causes each piece of evidence decides (`resourcePolicyWanted`: the causes that make the resource's policy
 * worth reading). Public through `collect --json` as each step's `decides`.
 */
export const EVIDENCE_DECIDES = {
  credentials: [
    "CRED_MISSING",
    "CRED_WRONG_SOURCE",
    "KEY_INVALID_ID",
    "KEY_SECRET_MISMATCH",
    "KEY_INACTIVE",
    "SESSION_TOKEN_MISSING",
    "SESSION_TOKEN_STALE",
    "TOKEN_EXPIRED",
    "SSO_CONFIG",
    "SIGNING_ERROR",
    "ACCOUNT_MISMATCH",
  ],
  identityPolicies: IDENTITY_POLICY_CAUSE_IDS,
  authorizationDetails: [...IDENTITY_POLICY_CAUSE_IDS, "TRUST_POLICY"],
  organizationPolicies: ["SCP_DENY", "RCP_DENY"],
  trail: [
    "TRUST_POLICY",
    "KEY_INACTIVE",
    "SESSION_TOKEN_STALE",
    "STS_TOKEN_VERSION_REGION",
    "IAM_ACTION_NOT_ALLOWED",
    "IAM_EXPLICIT_DENY",
  ],
  region: ["REGION_NOT_ENABLED", "STS_TOKEN_VERSION_REGION", "REGION_MISMATCH"],
  resourcePolicy: ["RESOURCE_POLICY"],
  resourcePolicyWanted: ["RESOURCE_POLICY", "IAM_EXPLICIT_DENY"],
} as const satisfies Record<EvidenceKind, readonly CauseId[]>;
