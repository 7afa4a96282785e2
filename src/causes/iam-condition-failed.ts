// IAM_CONDITION_FAILED: a statement would allow but its Condition is not met (§1.12, §1.13, §7).

import { actionOf, principalOf, resourceOf, sh } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { encodedDeny, iamChecks, untypedDeny } from "./deny.js";
import { factsOf } from "./facts.js";

const CONDITION_KEYS_RE =
  /\b(aws:SourceIp|aws:SourceVpce?|aws:RequestedRegion|aws:PrincipalTag|aws:ResourceTag|aws:RequestTag|aws:CurrentTime|aws:SecureTransport|aws:PrincipalOrgID|aws:TagKeys|[a-z0-9]+:ResourceTag\/|iam:PassedToService|s3:x-amz-server-side-encryption|kms:ViaService|kms:EncryptionContext)/i;

export default defineCause({
  id: "IAM_CONDITION_FAILED",
  title: "A policy Condition is not met",
  summary:
    "A statement would allow the request, but its Condition (source IP, VPC endpoint, tags, region, time, encryption...) does not hold for this request.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(
      f.policyKind === "identity-based" && f.denyKind === "implicit",
      0.33,
      "`no identity-based policy allows` also covers an Allow whose Condition did not hold",
      { group: "deny" },
    );
    s.when(
      f.policyKind === "identity-based" && f.denyKind === "explicit",
      0.3,
      "explicit Denies in identity policies are usually guards with conditions (IP, region, MFA, tags)",
      { group: "deny" },
    );
    s.when(untypedDeny(f), 0.2, "an unexplained refusal may be an unmet Condition", { group: "deny" });
    s.when(encodedDeny(f), 0.28, "the decoded context lists the condition keys that were evaluated", {
      group: "deny",
    });
    const key = CONDITION_KEYS_RE.exec(f.text)?.[1];
    s.when(key, 0.4, `the text names the condition key \`${key}\``);
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    return iamChecks(f, [
      {
        text: "evaluate with the request's context keys to see which Condition fails (add a --context KEY=VALUE for each one the request had: aws:SourceIp, aws:SourceVpce, tags)",
        command: `authdoctor can --authz authz.json --principal ${principalOf(f)} --action ${actionOf(f)} --resource ${resourceOf(f)}${f.region ? ` --context ${sh(`aws:RequestedRegion=${f.region}`)}` : ""}`,
      },
    ]);
  },
  fix: () => ({
    summary: "meet the Condition or relax it for this legitimate request",
    steps: [
      "find the statement whose Condition failed (decoded message, `authdoctor can`)",
      "call from the allowed network/endpoint/region or add the expected tags; or adjust the Condition",
    ],
    commands: [],
  }),
  unknowns: () => [
    {
      what: "the request's context (source IP, VPC endpoint, tags, MFA)",
      why: "the error text does not include it",
      needs: "the decoded authorization message or the CloudTrail event of the call",
    },
  ],
});
