// AWS's own evaluation (IAM Access Troubleshooter authorization details) -> Signals, all `verified`.
// https://docs.aws.amazon.com/iam-toolbox/latest/APIReference/API_Evaluation.html

import type { CauseId, Signal } from "../../core/index.js";
import { POLICY_KIND_CAUSE, type PolicyKind } from "../../core/policy-kind.js";
import type { AuthorizationFinding } from "../../iam/authorization-details.js";

const KIND_LABEL: Record<PolicyKind, string> = {
  identity: "identity-based policy",
  resource: "resource-based policy",
  trust: "role trust policy",
  boundary: "permissions boundary",
  session: "session policy",
  scp: "service control policy",
  rcp: "resource control policy",
  vpce: "VPC endpoint policy",
};

const KIND_OF_TYPE: Record<string, PolicyKind> = {
  IDENTITY_BASED_POLICY: "identity",
  PERMISSIONS_BOUNDARY: "boundary",
  RESOURCE_BASED_POLICY: "resource",
  RESOURCE_CONTROL_POLICY: "rcp",
  SERVICE_CONTROL_POLICY: "scp",
  SESSION_POLICY: "session",
  VPC_ENDPOINT_POLICY: "vpce",
};

/** The cause of a denial by a policy of `kind`; an explicit deny in an identity policy is IAM_EXPLICIT_DENY. */
function causeOf(kind: PolicyKind, explicit: boolean): CauseId {
  return kind === "identity" && explicit ? "IAM_EXPLICIT_DENY" : POLICY_KIND_CAUSE[kind];
}

/** What AWS's evaluation settles: the denying evaluation, its policy type and statements. */
export function authorizationSignals(f: AuthorizationFinding, source: string): Signal[] {
  const out: Signal[] = [];
  const add = (cause: CauseId, effect: Signal["effect"], text: string) =>
    out.push({ cause, effect, text, source, grade: "verified" });
  const d = f.denied;
  if (!d) {
    add(
      "OTHER",
      "supports",
      "AWS's evaluation allowed every action and resource: the refusal came from elsewhere",
    );
    for (const c of [
      "IAM_ACTION_NOT_ALLOWED",
      "IAM_EXPLICIT_DENY",
      "SCP_DENY",
      "PERMISSION_BOUNDARY",
    ] as const)
      add(c, "refutes", "AWS's evaluation shows no deny");
    return out;
  }
  const what = `${d.action}${d.resource ? ` on ${d.resource}` : ""}`;
  const inside = f.secondary && f.primary ? ` (evaluated inside ${f.primary.action})` : "";
  const explicit = d.effect === "EXPLICIT_DENY";
  const causes = new Set<CauseId>();
  if (explicit) {
    for (const p of f.denyingPolicies) {
      const kind = p.policy.type ? KIND_OF_TYPE[p.policy.type] : undefined;
      const where = `${p.policy.type ?? "policy"} ${p.policy.uri}, statement ${p.sids.join(", ")}`;
      if (kind) {
        causes.add(causeOf(kind, true));
        add(causeOf(kind, true), "confirms", `AWS denied ${what}${inside} with an explicit deny in ${where}`);
      } else {
        add("IAM_EXPLICIT_DENY", "supports", `AWS denied ${what}${inside} with an explicit deny in ${where}`);
      }
    }
    add(
      "IAM_ACTION_NOT_ALLOWED",
      "refutes",
      `AWS's evaluation of ${d.action} is an explicit deny, not a missing allow`,
    );
  } else {
    const passRole = d.action.toLowerCase() === "iam:passrole";
    for (const kind of f.missingAllow) {
      // No identity allow for iam:PassRole is the PassRole cause itself.
      const c = passRole && kind === "identity" ? "PASSROLE_MISSING" : causeOf(kind, false);
      causes.add(c);
      add(c, "confirms", `AWS denied ${what}${inside}: no ${KIND_LABEL[kind]} allows it (implicit deny)`);
    }
    add(
      "IAM_EXPLICIT_DENY",
      "refutes",
      `AWS's evaluation of ${d.action} is an implicit deny: no statement denies it`,
    );
  }
  if (d.action.toLowerCase() === "iam:passrole" && !causes.has("PASSROLE_MISSING"))
    add(
      "PASSROLE_MISSING",
      "supports",
      `AWS denied iam:PassRole${d.resource ? ` on ${d.resource}` : ""}${inside}`,
    );
  // A denial elsewhere than the action named in the error: the first action was allowed.
  if (f.secondary && f.primary?.effect === "ALLOW")
    add(
      "IAM_ACTION_NOT_ALLOWED",
      causes.has("IAM_ACTION_NOT_ALLOWED") ? "supports" : "weakens",
      `AWS allowed ${f.primary.action} itself; the denial is ${d.action}`,
    );
  return out;
}
