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
