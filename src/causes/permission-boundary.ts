// PERMISSION_BOUNDARY: the permissions boundary does not allow (or denies) the action (docs/aws-facts.md §1.13).

import { actionOf, allowSnippet, principalOf, resourceOf } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { encodedDeny, iamChecks, untypedDeny } from "./deny.js";
import { factsOf } from "./facts.js";

export default defineCause({
  id: "PERMISSION_BOUNDARY",
  title: "The permissions boundary does not allow the action",
  summary:
    "The user or role has a permissions boundary; the action must be allowed by both the identity policy and the boundary.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(f.policyKind === "permissions-boundary", 0.88, "AWS names the permissions boundary", {
      group: "deny",
    });
    s.when(encodedDeny(f), 0.2, "boundary denials also come back as encoded messages", { group: "deny" });
    s.when(untypedDeny(f), 0.08, "services without the policy-type suffix do not name the boundary", {
      group: "deny",
    });
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    const name = /:(?:role|user)\/(?:.*\/)?([^/]+)$/.exec(f.principalArn ?? "")?.[1];
    const roleName = /assumed-role\/([^/]+)/.exec(f.principalArn ?? "")?.[1] ?? name;
    return iamChecks(f, [
      {
        text: "read the principal's permissions boundary",
        command: roleName
          ? `aws iam get-role --role-name ${roleName} --query Role.PermissionsBoundary`
          : "aws iam get-role --role-name <role-name> --query Role.PermissionsBoundary",
      },
      {
        text: "evaluate with the boundary",
        command: `authdoctor can --boundary boundary.json --principal ${principalOf(f)} --action ${actionOf(f)} --resource ${resourceOf(f)}`,
      },
    ]);
  },
  fix: (e) => {
    const diff = allowSnippet(factsOf(e));
    return {
      summary: `allow \`${factsOf(e).action ?? "the action"}\` in the boundary policy too`,
      steps: [
        "add the action (and resource) to the boundary policy, or attach a broader boundary",
        "identity policies alone cannot exceed the boundary",
      ],
      commands: [
        "aws iam create-policy-version --policy-arn <boundary-arn> --policy-document file://boundary.json --set-as-default",
      ],
      ...(diff ? { policyDiff: diff } : {}),
    };
  },
});
