// RCP_DENY: a resource control policy (Organizations) denies (docs/aws-facts.md §1.13, §1.20).

import { actionOf, or, principalOf, resourceOf } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { bareDeny, iamChecks } from "./deny.js";
import { factsOf } from "./facts.js";
import { crossAccount } from "./signatures.js";

export default defineCause({
  id: "RCP_DENY",
  title: "A resource control policy (Organizations) denies access",
  summary:
    "An RCP on the resource's account or OU denies the request, typically a data-perimeter rule against callers outside the organization.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(f.policyKind === "resource-control", 0.9, "AWS names a resource control policy", {
      group: "deny",
    });
    s.when(
      f.denyingPolicyArn !== undefined && /resource_control_policy/.test(f.denyingPolicyArn),
      0.9,
      `the denying policy ${f.denyingPolicyArn} is an RCP`,
      { group: "deny" },
    );
    s.when(
      bareDeny(f),
      0.08,
      "a bare `Access Denied` on S3/KMS/SQS/STS/Secrets Manager can come from an RCP",
      {
        group: "deny",
      },
    );
    s.when(crossAccount(f) && f.denied, 0.08, "RCPs usually deny callers outside the organization");
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    return iamChecks(f, [
      {
        text: "list the RCPs in effect for the resource's account (management account)",
        command: `aws organizations list-policies-for-target --target-id ${or(f.resourceAccount, "account-id")} --filter RESOURCE_CONTROL_POLICY`,
      },
      {
        text: "evaluate with the RCPs of the resource's account",
        command: `authdoctor can --rcp rcp.json --principal ${principalOf(f)} --action ${actionOf(f)} --resource ${resourceOf(f)}`,
      },
    ]);
  },
  fix: () => ({
    summary: "change the RCP or call from inside the perimeter it enforces",
    steps: [
      "find the RCP statement (often aws:PrincipalOrgID / aws:SourceVpce conditions)",
      "add an exception for this principal or call through the expected network/organization",
    ],
    commands: ["aws organizations describe-policy --policy-id <p-id>"],
  }),
});
