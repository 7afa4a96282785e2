// Turns an evaluation into evidence for the diagnosis: which causes it confirms, supports or refutes.

import type { CauseId } from "../../core/cause-ids.js";
import type { Signal } from "../../core/diagnosis.js";
import { POLICY_KIND_CAUSE } from "../../core/policy-kind.js";
import type { EvaluationResult, PolicyKind } from "../../iam/types.js";

// Layers other than identity: identity denials are told apart by IDENTITY_CAUSES below.
const LAYER_CAUSE: Partial<Record<PolicyKind, CauseId>> = { ...POLICY_KIND_CAUSE, identity: undefined };

const IDENTITY_CAUSES: CauseId[] = [
  "IAM_ACTION_NOT_ALLOWED",
  "IAM_RESOURCE_MISMATCH",
  "IAM_CONDITION_FAILED",
  "IAM_EXPLICIT_DENY",
];

function describe(r: EvaluationResult): string {
  return `${r.request.action} on ${r.request.resource} by ${r.request.principal}`;
}

/** Evidence from one evaluation. `source` defaults to `policy evaluation`. */
export function evaluationSignals(result: EvaluationResult, source = "policy evaluation"): Signal[] {
  const out: Signal[] = [];
  const add = (cause: CauseId, effect: Signal["effect"], text: string) =>
    out.push({ cause, effect, text, source });
  const what = describe(result);
  const conditional = result.missingContext.length > 0;
  // Every layer that allowed rules out its own cause.
  for (const l of result.layers) {
    const c = LAYER_CAUSE[l.type];
    if (c && l.result === "allow" && !(result.decision !== "Allowed" && result.cause === c))
      add(
        c,
        conditional ? "weakens" : "refutes",
        `the ${l.type}${l.level !== undefined ? ` (level ${l.level})` : ""} policies allow ${what}`,
      );
  }
  if (result.decision === "Allowed") {
    for (const c of IDENTITY_CAUSES)
      add(c, conditional ? "weakens" : "refutes", `the policies given allow ${what}`);
    if (result.request.action.toLowerCase() === "iam:passrole")
      add("PASSROLE_MISSING", conditional ? "weakens" : "refutes", `iam:PassRole is allowed: ${what}`);
    for (const m of result.missingContext)
      add(
        m.key.toLowerCase().startsWith("aws:multifactorauth") ? "MFA_REQUIRED" : "IAM_CONDITION_FAILED",
        "supports",
        `${m.text} (${m.statement.policy})`,
      );
    add(
      "CRED_WRONG_SOURCE",
      "supports",
      `the policies allow ${what}: the failing call may have used other credentials`,
    );
    return out;
  }
  const cause = result.cause;
  if (!cause) return out;
  const by = result.decidedBy[0] ?? result.nearMisses[0];
  const where = by ? ` (${by.policy}${by.sid ? ` \`${by.sid}\`` : ""} #${by.index})` : "";
  if (result.decision === "ExplicitDeny") {
    add(cause, "confirms", `an explicit deny in a ${result.deniedBy} policy matches ${what}${where}`);
    if (cause !== "IAM_ACTION_NOT_ALLOWED")
      add("IAM_ACTION_NOT_ALLOWED", "weakens", "the request is explicitly denied, not just not allowed");
    return out;
  }
  if (conditional) {
    for (const m of result.missingContext) add(cause, "supports", `${what} is ${m.text}`);
  } else add(cause, "confirms", `no ${result.deniedBy} policy allows ${what}${where}`);
  if (cause === "IAM_RESOURCE_MISMATCH") {
    add(
      "IAM_ACTION_NOT_ALLOWED",
      "refutes",
      `a statement allows ${result.request.action} but its Resource does not match${where}`,
    );
    add("IAM_CONDITION_FAILED", "weakens", "the closest statement fails on its Resource");
  } else if (cause === "IAM_CONDITION_FAILED" || cause === "MFA_REQUIRED") {
    add(
      "IAM_ACTION_NOT_ALLOWED",
      "refutes",
      `a statement allows ${result.request.action} on this resource but its Condition fails${where}`,
    );
    add("IAM_RESOURCE_MISMATCH", "refutes", "the closest statement matches the resource");
  } else if (cause === "IAM_ACTION_NOT_ALLOWED") {
    add("IAM_RESOURCE_MISMATCH", "weakens", `no statement allows ${result.request.action} at all`);
  }
  if (result.deniedBy !== "identity") {
    const layers = new Set(result.layers.map((l) => l.type));
    if (layers.has("identity") && result.layers.find((l) => l.type === "identity")?.result === "allow")
      for (const c of IDENTITY_CAUSES) add(c, "refutes", `identity-based policies allow ${what}`);
  }
  return out;
}
