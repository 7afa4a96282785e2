// VPC_ENDPOINT_POLICY: a VPC endpoint policy denies (docs/aws-facts.md §1.13, §6.2, §7).

import { allowSnippet, sh } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { bareDeny, iamChecks } from "./deny.js";
import { factsOf, has } from "./facts.js";

export default defineCause({
  id: "VPC_ENDPOINT_POLICY",
  title: "A VPC endpoint policy denies the request",
  summary:
    "The call went through a VPC endpoint whose policy does not allow (or denies) this principal, action or resource; from outside the VPC it works.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(f.policyKind === "vpc-endpoint" && !f.viaScp, 0.88, "AWS names a VPC endpoint policy", {
      group: "deny",
    });
    s.when(f.viaScp, 0.2, "the request came through a VPC endpoint (the SCP is the origin)", {
      group: "deny",
    });
    s.when(
      bareDeny(f),
      0.15,
      "S3 answers VPC endpoint denials with a bare `Access Denied` and logs nothing",
      {
        group: "deny",
      },
    );
    s.when(has(f, /\bvpce-[0-9a-f]{6,}/i), 0.3, "the text names a VPC endpoint");
    s.when(has(f, /aws:SourceVpce/i), 0.15, "the text names aws:SourceVpce");
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    return iamChecks(f, [
      {
        text: "read the policies of the VPC endpoints for the service",
        command: `aws ec2 describe-vpc-endpoints --filters ${sh(`Name=service-name,Values=com.amazonaws.${f.region ?? "<region>"}.${f.service ?? "<service>"}`)} --query 'VpcEndpoints[].[VpcEndpointId,PolicyDocument]'`,
      },
      {
        text: "repeat the same call from outside the VPC (e.g. CloudShell): success there points at the endpoint policy",
      },
    ]);
  },
  fix: (e) => {
    const diff = allowSnippet(factsOf(e), undefined, undefined, '"*"');
    return {
      summary: "allow the principal/action/resource in the endpoint policy",
      steps: [
        "add a statement for this call to the VPC endpoint policy",
        "or route the call through another endpoint",
      ],
      commands: [
        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id <vpce-id> --policy-document file://endpoint-policy.json",
      ],
      ...(diff ? { policyDiff: diff } : {}),
    };
  },
});
