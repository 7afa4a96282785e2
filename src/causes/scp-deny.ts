// SCP_DENY: a service control policy denies or does not allow (docs/aws-facts.md §1.13, §1.14; SCP implicit denies may read as explicit).

import { actionOf, or, principalOf, resourceOf } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { bareDeny, encodedDeny, iamChecks, untypedDeny } from "./deny.js";
import { factsOf, has } from "./facts.js";
import { assumeRoleCall } from "./signatures.js";

export default defineCause({
  id: "SCP_DENY",
  title: "A service control policy (Organizations) denies the action",
  summary:
    "An SCP on the account or one of its OUs denies the action, or no SCP at some level allows it. SCPs apply to every principal of the member account, including its root user.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(f.policyKind === "service-control", 0.88, "AWS names a service control policy", { group: "deny" });
    s.when(f.viaScp, 0.9, "the deny came transitively through a service control policy", { group: "deny" });
    s.when(
      f.denyingPolicyArn !== undefined && /service_control_policy/.test(f.denyingPolicyArn),
      0.9,
      `the denying policy ${f.denyingPolicyArn} is an SCP`,
      { group: "deny" },
    );
    s.when(encodedDeny(f), 0.25, "SCP denials also come back as encoded messages", { group: "deny" });
    s.when(
      untypedDeny(f) && !bareDeny(f),
      0.15,
      "services without the policy-type suffix do not name the SCP",
      {
        group: "deny",
      },
    );
    s.when(bareDeny(f), 0.12, "a bare `Access Denied` can come from an SCP", { group: "deny" });
    s.when(assumeRoleCall(f) && untypedDeny(f), 0.05, "the caller account's SCP can deny sts:AssumeRole");
    s.when(has(f, /aws:RequestedRegion/i), 0.1, "region-restricting SCPs use aws:RequestedRegion");
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    return iamChecks(f, [
      {
        text: "list the SCPs in effect for the account (needs Organizations read access from the management account)",
        command: `aws organizations list-policies-for-target --target-id ${or(f.principalAccount, "account-id")} --filter SERVICE_CONTROL_POLICY`,
      },
      {
        text: "evaluate with the SCPs of every level, root first",
        command: `authdoctor can --scp root.json --scp ou.json --scp account.json --principal ${principalOf(f)} --action ${actionOf(f)} --resource ${resourceOf(f)}`,
      },
    ]);
  },
  fix: () => ({
    summary: "change the SCP (from the management account) or do the call where it is allowed",
    steps: [
      "find the SCP statement that denies (or the level with no Allow)",
      "add an exception (e.g. aws:PrincipalArn for a break-glass role) or allow the action at that level",
      "region-restricting SCPs: call an allowed region",
    ],
    commands: ["aws organizations describe-policy --policy-id <p-id>"],
  }),
  unknowns: () => [
    {
      what: "the SCPs attached above the account",
      why: "only the management account (or a delegated admin) can read them",
      needs: "organizations:ListPoliciesForTarget and organizations:DescribePolicy",
    },
  ],
});
