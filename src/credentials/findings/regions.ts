// Region settings: malformed, opt-in, disagreeing between SDKs.

import { OPT_IN_REGIONS } from "../../core/regions.js";
import type { SdkId, SdkResolution } from "../types.js";
import { type FindingDraft, NAMES, REGION_RE, sdkList } from "./common.js";

export function checkRegions(res: Record<SdkId, SdkResolution>, out: FindingDraft[]): void {
  const seen = new Set<string>();
  for (const r of Object.values(res)) {
    const reg = r.region;
    if (!reg || seen.has(reg.where)) continue;
    seen.add(reg.where);
    if (!REGION_RE.test(reg.value))
      out.push({
        code: "region-invalid",
        severity: "error",
        message: `region \`${reg.value.trim()}\` (${reg.where}) is not a valid Region name${/[a-z]$/.test(reg.value.trim()) && /\d[a-z]$/.test(reg.value.trim()) ? " (an Availability Zone?)" : ""}`,
        where: reg.where,
        fix: "use a Region code such as `us-east-1` (lower case, no spaces, no Availability Zone letter)",
      });
  }
  const bySdk = (["js", "python", "cli"] as const).map((s) => [s, res[s].region?.value ?? "(none)"] as const);
  if (new Set(bySdk.map(([, v]) => v)).size > 1)
    out.push({
      code: "region-differs-by-sdk",
      severity: "warning",
      message: `the SDKs use different Regions: ${bySdk.map(([s, v]) => `${NAMES[s]} ${v}`).join(", ")} (JS reads AWS_REGION, boto3 AWS_DEFAULT_REGION, the CLI both)`,
      where: [...new Set((["js", "python", "cli"] as const).map((s) => res[s].region?.where ?? "-"))].join(
        ", ",
      ),
      fix: "set AWS_REGION and AWS_DEFAULT_REGION to the same value (or only `region` in the profile)",
    });
  const noRegion = (["js", "python", "cli"] as const).filter((s) => !res[s].region);
  if (noRegion.length > 0)
    out.push({
      code: "region-missing",
      severity: "info",
      message: `no Region for ${sdkList(noRegion)}${noRegion.includes("js") ? " (JS v3 would ask IMDS, then fail with `Region is missing`)" : ""}${noRegion.some((s) => s !== "js") ? " (boto3/CLI: `You must specify a region.`)" : ""}`,
      where: "-",
      fix: "set `region` in the profile, or AWS_REGION and AWS_DEFAULT_REGION",
      sdks: noRegion,
    });
  for (const sdk of ["js", "python", "cli"] as const) {
    const r = res[sdk];
    const region = r.region?.value.trim();
    if (!region || !OPT_IN_REGIONS.has(region)) continue;
    if (r.sts.mode === "global")
      out.push({
        code: "opt-in-region-global-sts",
        severity: "warning",
        message: `${NAMES[sdk]} uses the opt-in Region ${region} but gets STS credentials from the global endpoint (${r.sts.why}): v1 global tokens are rejected in opt-in Regions`,
        where: r.sts.why.match(/\(([^)]+)\)/)?.[1] ?? r.region!.where,
        fix: "use the Regional STS endpoint (remove the override / `sts_regional_endpoints = regional`), or `aws iam set-security-token-service-preferences --global-endpoint-token-version v2Token`",
        sdks: [sdk],
      });
    else if (r.winner?.identity?.kind === "temporary" && r.winner.identity.accessKeyId !== "unknown")
      out.push({
        code: "opt-in-region-static-temporary-keys",
        severity: "info",
        message: `${NAMES[sdk]} signs for the opt-in Region ${region} with stored temporary keys ${r.winner.identity.accessKeyId}: if they came from the global STS endpoint as v1 tokens, AWS rejects them there`,
        where: r.winner.where,
        fix: "get the credentials from the Regional STS endpoint, or check `aws iam get-account-summary` (GlobalEndpointTokenVersion)",
        sdks: [sdk],
      });
  }
}
