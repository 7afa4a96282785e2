// Which root cause each outcome of the IAM engine points to: one table, checked by the compiler to cover every outcome.
// How the engine reaches an outcome: docs/architecture.md (iam/) and
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

import type { CauseId } from "./cause-ids.js";

/** What the engine found about a refused request, before it is named as a cause. */
export type IamOutcome =
  | "passrole"
  | "action"
  | "resource"
  | "mfa"
  | "condition"
  | "explicit-deny"
  | "trust"
  | "reserved";

/** IAM engine outcome -> cause id. */
export const IAM_OUTCOME_CAUSE = {
  /** `iam:PassRole` refused. */
  passrole: "PASSROLE_MISSING",
  /** No Allow statement names the action (closest statement fails on Action/NotAction). */
  action: "IAM_ACTION_NOT_ALLOWED",
  /** The closest Allow statement fails on Resource/NotResource. */
  resource: "IAM_RESOURCE_MISMATCH",
  /** The closest Allow (or the deciding Deny) hinges on an MFA condition key. */
  mfa: "MFA_REQUIRED",
  /** The closest Allow fails on another condition. */
  condition: "IAM_CONDITION_FAILED",
  /** An identity-based Deny statement matched. */
  "explicit-deny": "IAM_EXPLICIT_DENY",
  /** A role trust policy (resource policy of an sts:AssumeRole* action) refused. */
  trust: "TRUST_POLICY",
  /** Denied whatever the policies say: the target is reserved to AWS (`PreparedRequest.reserved`). */
  reserved: "OTHER",
} as const satisfies Record<IamOutcome, CauseId>;
