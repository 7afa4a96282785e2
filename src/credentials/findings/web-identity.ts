// Web identity (AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_ARN) settings.

import type { SdkId, SdkResolution, Snapshot } from "../types.js";
import { type FindingDraft, isSet, ROLE_ARN_RE } from "./common.js";

export function checkWebIdentity(
  snap: Snapshot,
  res: Record<SdkId, SdkResolution>,
  out: FindingDraft[],
): void {
  const { env } = snap;
  if (isSet(env.AWS_WEB_IDENTITY_TOKEN_FILE) !== isSet(env.AWS_ROLE_ARN))
    out.push({
      code: "web-identity-half-set",
      severity: "warning",
      message: `${isSet(env.AWS_ROLE_ARN) ? "AWS_ROLE_ARN" : "AWS_WEB_IDENTITY_TOKEN_FILE"} is set without ${isSet(env.AWS_ROLE_ARN) ? "AWS_WEB_IDENTITY_TOKEN_FILE" : "AWS_ROLE_ARN"}: web identity needs both`,
      where: isSet(env.AWS_ROLE_ARN) ? "AWS_ROLE_ARN" : "AWS_WEB_IDENTITY_TOKEN_FILE",
      fix: "set both (EKS IRSA sets them in the pod) or neither",
    });
  if (isSet(env.AWS_ROLE_ARN) && !ROLE_ARN_RE.test(env.AWS_ROLE_ARN.trim()))
    out.push({
      code: "role-arn-malformed",
      severity: "error",
      message: "AWS_ROLE_ARN is not a role ARN (expected `arn:aws:iam::123456789012:role/NAME`)",
      where: "AWS_ROLE_ARN",
      fix: "set AWS_ROLE_ARN to the role's ARN",
    });
  const used = new Set<string>();
  for (const r of Object.values(res))
    for (const o of r.chain)
      if (o.source.startsWith("web-identity") && o.reached && o.outcome !== "skipped") used.add(o.source);
  for (const [raw, info] of snap.tokenFiles) {
    const where = raw === env.AWS_WEB_IDENTITY_TOKEN_FILE ? "AWS_WEB_IDENTITY_TOKEN_FILE" : info.display;
    if (info.status === "missing" || info.status === "unreadable")
      out.push({
        code: info.status === "missing" ? "web-identity-token-missing" : "web-identity-token-unreadable",
        severity: "error",
        message: `web identity token file ${info.display} ${info.status === "missing" ? "does not exist" : `cannot be read: ${info.error}`}${raw.startsWith("~") ? " (the SDKs do not expand `~` in this path)" : ""}`,
        where,
        fix: "check the path (EKS: the projected service-account token volume is mounted at /var/run/secrets/eks.amazonaws.com/serviceaccount/token)",
      });
    else if (info.status === "garbled")
      out.push({
        code: "web-identity-token-garbled",
        severity: "error",
        message: `web identity token file ${info.display} ${info.error}`,
        where,
        fix: "write the OIDC token (a JWT) to the file, nothing else",
      });
    else {
      if (info.exp !== undefined && info.exp * 1000 <= snap.now.getTime())
        out.push({
          code: "web-identity-token-expired",
          severity: "error",
          message: `the web identity token in ${info.display} expired at ${new Date(info.exp * 1000).toISOString()} (\`exp\` claim, not verified)`,
          where,
          fix: "let the token be refreshed (kubelet rotates projected tokens; CI systems issue a new one per job)",
        });
      out.push({
        code: "web-identity-token-claims",
        severity: "info",
        message: `web identity token in ${info.display}: issuer \`${info.iss ?? "?"}\`, audience \`${info.aud ?? "?"}\`: the role's trust policy must name this OIDC provider and audience`,
        where,
        fix: "compare with the role's trust policy (`aws iam get-role --role-name NAME`): Federated principal, `:aud` and `:sub` conditions",
      });
    }
  }
  void used;
}
