// Policy kinds and the root cause a denial by each points to: the one table (docs/pipeline.md). Policy types
// and evaluation order: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

import type { CauseId } from "./cause-ids.js";
import type { PolicyType } from "./failure.js";

/** Which kind of policy a document plays in an evaluation. */
export type PolicyKind = "identity" | "resource" | "trust" | "boundary" | "session" | "scp" | "rcp" | "vpce";

/** The cause a request refused by a policy of each kind points to (identity: the action is not allowed). */
export const POLICY_KIND_CAUSE = {
  identity: "IAM_ACTION_NOT_ALLOWED",
  resource: "RESOURCE_POLICY",
  trust: "TRUST_POLICY",
  boundary: "PERMISSION_BOUNDARY",
  session: "SESSION_POLICY",
  scp: "SCP_DENY",
  rcp: "RCP_DENY",
  vpce: "VPC_ENDPOINT_POLICY",
} as const satisfies Record<PolicyKind, CauseId>;

/** The policy type an AWS denial message names, as the evaluator's policy kind. */
export const POLICY_TYPE_KIND = {
  "identity-based": "identity",
  "resource-based": "resource",
  "permissions-boundary": "boundary",
  session: "session",
  "service-control": "scp",
  "resource-control": "rcp",
  "vpc-endpoint": "vpce",
} as const satisfies Record<Exclude<PolicyType, "unknown">, PolicyKind>;

/**
 * The cause a denial message points to from its policy type and deny kind: an explicit deny in an identity-based
 * policy is IAM_EXPLICIT_DENY; otherwise the kind's cause.
 */
export function causeOfPolicyType(
  type: PolicyType | undefined,
  denyKind?: "explicit" | "implicit",
): CauseId | undefined {
  if (!type || type === "unknown") return undefined;
  if (type === "identity-based" && denyKind === "explicit") return "IAM_EXPLICIT_DENY";
  return POLICY_KIND_CAUSE[POLICY_TYPE_KIND[type]];
}
