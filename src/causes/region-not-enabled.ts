// REGION_NOT_ENABLED: the opt-in region is not enabled for the account (docs/aws-facts.md §1.11, §1.14, §3.1, §3.3).

import { regionOptCheck } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { codeIs, factsOf, has } from "./facts.js";
import { authFailure, tokenInvalid } from "./signatures.js";

export default defineCause({
  id: "REGION_NOT_ENABLED",
  title: "The region is not enabled for the account",
  summary:
    "Regions launched after March 2019 must be enabled per account (and STS can be deactivated per region); calls there fail until it is.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(codeIs(f, "optinrequired"), 0.45, "`OptInRequired`: the account is not opted in", {
      group: "code",
      exact: true,
    });
    s.when(
      codeIs(f, "regiondisabled") || has(f, /STS is not activated in this region|RegionDisabledException/i),
      0.85,
      "STS is not activated in this region for the account",
      { group: "code", exact: true },
    );
    s.when(
      has(f, /needs a subscription for the service/i),
      0.3,
      "the key is not subscribed in this region/service",
      {
        group: "code",
      },
    );
    const family = tokenInvalid(f) || authFailure(f);
    s.when(family && f.optInRegion, 0.3, `${f.region} is an opt-in region`, {
      source: f.regionSource,
      group: "region",
    });
    s.when(family && !f.region, 0.05, "a region that is not enabled rejects credentials this way");
    s.when(codeIs(f, "optinrequired") && f.optInRegion, 0.35, `${f.region} is an opt-in region`, {
      source: f.regionSource,
      group: "region",
    });
    s.when(
      codeIs(f, "optinrequired") && f.region !== undefined && !f.optInRegion,
      -0.2,
      `${f.region} is enabled by default: a service subscription is likelier`,
      { source: f.regionSource },
    );
    return s.result();
  },
  checks: (e) => [
    regionOptCheck(factsOf(e)),
    {
      text: "list every region with its opt-in status",
      command:
        "aws ec2 describe-regions --all-regions --query 'Regions[].[RegionName,OptInStatus]' --output text",
    },
  ],
  fix: (e) => ({
    summary: "enable the region for the account (or stop calling it)",
    steps: [
      "enable the region (account:EnableRegion); it can take minutes to hours",
      "if STS was deactivated in a default region, activate it in IAM account settings",
      "or skip regions that are not enabled when iterating all regions",
    ],
    commands: [`aws account enable-region --region-name ${factsOf(e).region ?? "<region>"}`],
  }),
});
