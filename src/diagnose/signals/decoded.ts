// A decoded authorization message (AWS's own evaluation, pasted or decoded live) -> Signals. One reader for both:
// https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html

import type { DecodedAuthorization } from "../../core/decoded-message.js";
import type { CauseId, Failure, Signal } from "../../core/index.js";
import { causeOfPolicyType } from "../../core/policy-kind.js";

/** What the decoded message settles about `failure`'s causes; every signal is `verified` (AWS's evaluation). */
export function decodedSignals(
  decoded: DecodedAuthorization,
  failure: Failure | null | undefined,
  source: string,
): Signal[] {
  const out: Signal[] = [];
  const add = (cause: CauseId, effect: Signal["effect"], text: string) =>
    out.push({ cause, effect, text, source, grade: "verified" });
  const statements = decoded.matchedStatements
    .map((s) => `${s.statementId ?? "(no Sid)"} (${s.effect ?? "?"})`)
    .join(", ");
  const act = decoded.context.action;
  if (decoded.allowed === true) {
    add(
      "OTHER",
      "supports",
      `AWS evaluated ${act ?? "the request"} as allowed: the refusal is not this policy evaluation`,
    );
    return out;
  }
  if (decoded.explicitDeny) {
    const named = causeOfPolicyType(failure?.policyType, "explicit");
    const withStatements = statements ? `: ${statements}` : "";
    if (named) add(named, "confirms", `the decoded message names an explicit deny${withStatements}`);
    else
      for (const cause of ["IAM_EXPLICIT_DENY", "SCP_DENY", "PERMISSION_BOUNDARY"] as const)
        add(
          cause,
          "supports",
          `the decoded message names an explicit deny${withStatements} (policy type not said)`,
        );
    add(
      "IAM_ACTION_NOT_ALLOWED",
      "refutes",
      "the decoded message names an explicit deny, not a missing allow",
    );
  } else if (decoded.allowed === false) {
    add(
      "IAM_ACTION_NOT_ALLOWED",
      "supports",
      `the decoded message: no statement allows ${act ?? "the request"}`,
    );
    add("IAM_EXPLICIT_DENY", "refutes", "the decoded message names no explicit deny");
  }
  if (act?.toLowerCase() === "iam:passrole")
    add("PASSROLE_MISSING", "confirms", "the decoded message's action is iam:PassRole");
  const mfa = decoded.context.conditions.find((c) => c.key.toLowerCase() === "aws:multifactorauthpresent");
  if (mfa?.values.includes("false"))
    add("MFA_REQUIRED", "supports", "the request carried aws:MultiFactorAuthPresent = false");
  return out;
}
