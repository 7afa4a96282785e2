// IAM_ACTION_NOT_ALLOWED: no identity-based policy allows the action (implicit deny; docs/aws-facts.md §1.12, §1.13, §1.19, §1.20).

import { allowSnippet, putIdentityPolicyCommand, whoAmI } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { bareDeny, encodedDeny, headForbidden, iamChecks, untypedDeny } from "./deny.js";
import { factsOf, has } from "./facts.js";
import { assumeRoleCall, cognitoGuestPrincipal, servicePrincipalCaller } from "./signatures.js";

export default defineCause({
  id: "IAM_ACTION_NOT_ALLOWED",
  title: "No identity policy allows the action",
  summary:
    "None of the principal's identity-based policies (user, group, role) has an Allow for this action, so it is implicitly denied.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(
      f.policyKind === "identity-based" && f.denyKind === "implicit",
      0.75,
      `AWS says no identity-based policy allows \`${f.action ?? "the action"}\``,
      { group: "deny" },
    );
    s.when(
      // An explicit deny is not a missing Allow: an Allow cannot override it
      // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
      untypedDeny(f) && !bareDeny(f) && f.denyKind !== "explicit",
      0.5,
      "the principal is not authorized to perform the action and no other policy type is named",
      { group: "deny" },
    );
    s.when(
      bareDeny(f),
      0.3,
      "a bare `Access Denied` is most often a missing Allow (or the resource's policy)",
      {
        group: "deny",
      },
    );
    s.when(
      headForbidden(f),
      0.35,
      "a 403 without body (HEAD) hides the reason: a missing Allow is the most common",
      {
        group: "deny",
      },
    );
    s.when(encodedDeny(f), 0.45, "EC2 hides the reason in an encoded message; most are a missing Allow", {
      group: "deny",
    });
    s.when(
      has(f, /customer master key that does not exist/i),
      0.3,
      "kms:Decrypt (or GenerateDataKey) may be missing from the caller's policies",
      {
        group: "deny",
      },
    );
    s.when(
      servicePrincipalCaller(f),
      -0.3,
      "the caller is an AWS service, which has no identity policy of its own",
    );
    s.when(f.actionKey === "iam:passrole", -0.35, "iam:PassRole denials have their own cause");
    s.when(
      assumeRoleCall(f) && f.policyKind !== "identity-based",
      -0.15,
      "an AssumeRole refusal is more often the role's trust policy",
    );
    s.when(
      cognitoGuestPrincipal(f),
      -0.15,
      "the caller is a Cognito guest role: the identity pool setup is likelier",
    );
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    return iamChecks(f, f.principalArn ? [] : [whoAmI]);
  },
  fix: (e) => {
    const f = factsOf(e);
    const diff = allowSnippet(f);
    return {
      summary: `allow \`${f.action ?? "the action"}\` on the resource in the principal's identity policy`,
      steps: [
        "add a statement allowing the action on the exact resource ARN to a policy attached to the principal",
        "if an Allow already exists, its Resource or Condition does not match: fix that instead",
      ],
      commands: [
        putIdentityPolicyCommand(f, `allow-${(f.action ?? "action").replace(/[^A-Za-z0-9]/g, "-")}`),
      ],
      ...(diff ? { policyDiff: diff } : {}),
    };
  },
  unknowns: () => [
    {
      what: "which identity policies the principal has and whether one of them almost allows the call",
      why: "the error text does not include policies",
      needs:
        "`aws iam get-account-authorization-details` (iam:GetAccountAuthorizationDetails) for `authdoctor can --authz`",
    },
  ],
});
