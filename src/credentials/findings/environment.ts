// Environment variables: container/metadata endpoints, conflicting sources, stray settings.

import { maskKeyId } from "../../core/redact.js";
import { redactUrl } from "../chains.js";
import { containerUrlAccepted } from "../sources.js";
import type { SdkId, SdkResolution, Snapshot } from "../types.js";
import { type FindingDraft, isSet } from "./common.js";

export function checkEnvironment(
  snap: Snapshot,
  res: Record<SdkId, SdkResolution>,
  out: FindingDraft[],
): void {
  const { env } = snap;
  const keys = isSet(env.AWS_ACCESS_KEY_ID) && isSet(env.AWS_SECRET_ACCESS_KEY);
  const profVar = isSet(env.AWS_PROFILE)
    ? "AWS_PROFILE"
    : isSet(env.AWS_DEFAULT_PROFILE)
      ? "AWS_DEFAULT_PROFILE"
      : undefined;
  if (keys && profVar && !snap.explicitProfile) {
    const jsIgnores = isSet(env.AWS_PROFILE);
    out.push({
      code: "env-keys-shadow-profile",
      severity: "warning",
      message: `AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are set together with ${profVar}=\`${env[profVar]}\`: boto3 and the AWS CLI use the environment keys (${maskKeyId(env.AWS_ACCESS_KEY_ID!)}) and ignore the profile${jsIgnores ? "; JS v3 does the opposite (uses the profile, ignores the keys)" : "; JS v3 also uses the keys"}`,
      where: `${profVar}, AWS_ACCESS_KEY_ID`,
      fix:
        "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN (to use the profile) or unset " +
        profVar,
      sdks: jsIgnores ? ["python", "cli", "js"] : ["python", "cli"],
    });
  }
  if (isSet(env.AWS_PROFILE) && isSet(env.AWS_DEFAULT_PROFILE) && env.AWS_PROFILE !== env.AWS_DEFAULT_PROFILE)
    out.push({
      code: "profile-vars-disagree",
      severity: "warning",
      message: `AWS_PROFILE=\`${env.AWS_PROFILE}\` and AWS_DEFAULT_PROFILE=\`${env.AWS_DEFAULT_PROFILE}\` differ: boto3 uses AWS_DEFAULT_PROFILE, the AWS CLI and JS v3 use AWS_PROFILE`,
      where: "AWS_PROFILE, AWS_DEFAULT_PROFILE",
      fix: "unset AWS_DEFAULT_PROFILE and keep only AWS_PROFILE",
    });
  else if (!isSet(env.AWS_PROFILE) && isSet(env.AWS_DEFAULT_PROFILE) && !snap.explicitProfile)
    out.push({
      code: "default-profile-var-ignored-by-js",
      severity: "warning",
      message: `AWS_DEFAULT_PROFILE=\`${env.AWS_DEFAULT_PROFILE}\` is read by boto3 and the AWS CLI but ignored by JS v3 (which uses \`default\`)`,
      where: "AWS_DEFAULT_PROFILE",
      fix: "set AWS_PROFILE instead",
      sdks: ["js"],
    });
  if (isSet(env.AWS_ACCESS_KEY_ID) !== isSet(env.AWS_SECRET_ACCESS_KEY))
    out.push({
      code: "env-keys-half-set",
      severity: "error",
      message: `only ${isSet(env.AWS_ACCESS_KEY_ID) ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"} is set: ${isSet(env.AWS_ACCESS_KEY_ID) ? "boto3 and the AWS CLI stop with `Partial credentials found in env`, " : ""}JS v3 skips the pair silently`,
      where: isSet(env.AWS_ACCESS_KEY_ID) ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
      fix: "set both variables, or unset both",
    });
  if (isSet(env.AWS_SECURITY_TOKEN) && !isSet(env.AWS_SESSION_TOKEN) && isSet(env.AWS_ACCESS_KEY_ID))
    out.push({
      code: "security-token-var-ignored-by-js",
      severity: "warning",
      message:
        "the session token is only in AWS_SECURITY_TOKEN: boto3 and the AWS CLI read it, JS v3 does not",
      where: "AWS_SECURITY_TOKEN",
      fix: "set AWS_SESSION_TOKEN (the current name) instead",
      sdks: ["js"],
    });
  const overrides = new Map<string, string>();
  for (const r of Object.values(res))
    for (const o of r.endpointOverrides) overrides.set(o.where, `${o.from}=${redactUrl(o.value)}`);
  for (const [where, what] of overrides)
    out.push({
      code: "endpoint-url-override",
      severity: "warning",
      message: `endpoint override ${what}: requests go there instead of AWS (a leftover LocalStack or proxy setting gives odd auth errors)${(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "").toLowerCase() === "true" ? " (ignored: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true)" : ""}`,
      where,
      fix: "unset it unless you mean to use that endpoint",
    });
  const d = env.AWS_EC2_METADATA_DISABLED;
  if (isSet(d)) {
    const js = d !== "false";
    const py = d.toLowerCase() === "true";
    out.push({
      code: "metadata-disabled",
      severity: "info",
      message: `AWS_EC2_METADATA_DISABLED=${d}: instance metadata credentials are off for ${[js ? "JS v3" : "", py ? "boto3, AWS CLI" : ""].filter(Boolean).join(", ") || "no SDK"}${js !== py ? " (JS treats any value but `false` as set, botocore only `true`)" : ""}: on EC2 the instance role is not used`,
      where: "AWS_EC2_METADATA_DISABLED",
      fix: "unset it on EC2 if the instance role should be used",
    });
  }
  const full = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  if (isSet(full) && !containerUrlAccepted(full).ok)
    out.push({
      code: "container-uri-refused",
      severity: "error",
      message:
        "AWS_CONTAINER_CREDENTIALS_FULL_URI is not HTTPS, loopback, the ECS host or the EKS Pod Identity host: the SDKs refuse it",
      where: "AWS_CONTAINER_CREDENTIALS_FULL_URI",
      fix: "use http://169.254.170.23/v1/credentials (EKS Pod Identity), the ECS relative URI, or an HTTPS URL",
    });
  if (snap.containerTokenFile && snap.containerTokenFile.status !== "ok")
    out.push({
      code: "container-token-file-missing",
      severity: "error",
      message: `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${snap.containerTokenFile.display} is ${snap.containerTokenFile.status}`,
      where: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
      fix: "check the EKS Pod Identity agent token mount",
    });
}
