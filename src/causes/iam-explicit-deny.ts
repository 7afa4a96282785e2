// IAM_EXPLICIT_DENY: an explicit Deny in an identity-based policy (docs/aws-facts.md §1.12, §1.13).

import { sh } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { encodedDeny, iamChecks, untypedDeny } from "./deny.js";
import { factsOf, has } from "./facts.js";

export default defineCause({
  id: "IAM_EXPLICIT_DENY",
  title: "An identity policy explicitly denies the action",
  summary:
    "A Deny statement in a policy attached to the user, group or role matches the request; no Allow can override it.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(
      f.policyKind === "identity-based" && f.denyKind === "explicit",
      0.8,
      "AWS says an explicit deny in an identity-based policy refused the call",
      { group: "deny" },
    );
    s.when(
      f.denyKind === "explicit" && !f.policyKind,
      0.5,
      "the refusal is an explicit deny and names no policy type",
      { group: "deny" },
    );
    s.when(untypedDeny(f) && !has(f, /explicit/i), 0.12, "an untyped refusal can be an explicit Deny", {
      group: "deny",
    });
    s.when(encodedDeny(f), 0.2, "`explicitDeny` in the decoded message tells", { group: "deny" });
    s.when(
      f.denyingPolicyArn !== undefined && /:policy\/|:iam::aws:policy/.test(f.denyingPolicyArn),
      0.1,
      `the denying policy is ${f.denyingPolicyArn}`,
    );
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    return iamChecks(
      f,
      f.denyingPolicyArn
        ? [
            {
              text: "read the denying policy named in the message",
              command: `aws iam get-policy-version --policy-arn ${sh(f.denyingPolicyArn)} --version-id $(aws iam get-policy --policy-arn ${sh(f.denyingPolicyArn)} --query Policy.DefaultVersionId --output text)`,
            },
          ]
        : [],
    );
  },
  fix: () => ({
    summary: "satisfy or narrow the Deny statement (an Allow cannot override it)",
    steps: [
      "find the Deny that matches (decoded message, `authdoctor can`, the policy ARN in the message)",
      "meet its condition (MFA, source IP, region) or exclude this principal/action from it",
    ],
    commands: [],
  }),
});
