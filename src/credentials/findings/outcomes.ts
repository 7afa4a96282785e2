// What each SDK ends up with: no credentials, different sources between SDKs.

import { sourceLabel } from "../chains.js";
import type { SdkId, SdkResolution, Snapshot } from "../types.js";
import { type FindingDraft, NAMES, sdkList } from "./common.js";

export function checkOutcomes(res: Record<SdkId, SdkResolution>, snap: Snapshot, out: FindingDraft[]): void {
  const none = (["js", "python", "cli"] as const).filter((s) => res[s].result === "none");
  if (none.length > 0) {
    const looked = (sdk: SdkId) =>
      res[sdk].chain
        .filter(
          (o) => o.source !== "sso-arguments" && o.source !== "profile-lookup" && o.source !== "legacy-boto",
        )
        .map((o) => `${sourceLabel(o.source)}${o.outcome === "unusable" ? ` (${o.reason})` : ""}`)
        .join(", ");
    out.push({
      code: "no-credentials",
      severity: "error",
      message: `no credentials for ${sdkList(none)} (profile \`${res[none[0]!].profile.value}\`): ${none.map((s) => `${NAMES[s]} looked at ${looked(s)}`).join("; ")}`,
      where: `${snap.config.display}, ${snap.credentials.display}, environment`,
      fix: "run `aws configure` (keys), `aws configure sso` (IAM Identity Center) or set AWS_PROFILE to a profile that has credentials",
      sdks: none,
    });
  }
  const net = (["js", "python", "cli"] as const).filter(
    (s) => res[s].result === "network" && res[s].decidedBy?.source === "imds",
  );
  if (net.length > 0)
    out.push({
      code: "falls-through-to-imds",
      severity: "warning",
      message: `${sdkList(net)} ${net.length === 1 ? "finds" : "find"} nothing locally and would ask EC2 instance metadata: off EC2 this ends in \`${net.includes("js") ? "Could not load credentials from any providers" : "Unable to locate credentials"}\` after a timeout`,
      where: "-",
      fix: "on EC2 check the instance profile and the IMDS hop limit; elsewhere configure credentials",
      sdks: net,
    });
  // which SDKs use which source: disagreement is the CRED_WRONG_SOURCE pattern (docs/aws-facts.md §2.4)
  const src = (s: SdkId) => {
    const w = res[s].winner;
    if (!w) return res[s].result;
    const id = w.identity;
    return `${id?.accessKeyId}|${id?.roleArn ?? ""}|${id?.account ?? ""}|${id?.kind}|${(w.profiles ?? []).join(">")}`;
  };
  const jsS = src("js");
  const pyS = src("python");
  const cliS = src("cli");
  if (jsS !== pyS || pyS !== cliS) {
    const desc = (s: SdkId) => {
      const w = res[s].winner;
      return w
        ? `${sourceLabel(w.source)}${w.identity && w.identity.accessKeyId !== "unknown" ? ` ${w.identity.accessKeyId}` : ""}${w.profiles?.length ? ` (profile ${w.profiles.join(" -> ")})` : ""}`
        : res[s].result === "error"
          ? "an error"
          : res[s].result === "network"
            ? "the network"
            : "nothing";
    };
    out.push({
      code: "sdks-disagree",
      severity: "warning",
      message: `the SDKs resolve different credentials: JS v3 ${desc("js")}; boto3 ${desc("python")}; AWS CLI v2 ${desc("cli")}`,
      where: [...new Set((["js", "python", "cli"] as const).map((s) => res[s].decidedBy?.where ?? "-"))].join(
        ", ",
      ),
      fix: "leave one credential source configured (unset the environment keys or the web identity variables you do not mean to use)",
    });
  }
}
