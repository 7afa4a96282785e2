// ARNs, account ids and principals: the one place that takes them apart. Format:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html

import type { Principal } from "./failure.js";

/** The parts of an ARN (`arn:partition:service:region:account-id:resource`). */
export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  /** The account field as written: 12 digits, empty, or `aws` for AWS-managed policies. */
  account: string;
  resource: string;
}

const ARN_PARTS_RE = /^arn:([\w-]{1,32}):([\w-]{0,64}):([\w-]{0,64}):([\w-]{0,64}):([\s\S]*)$/;

/** Split an ARN into its parts, or undefined when `arn` is not one. */
export function parseArn(arn: string | undefined): ArnParts | undefined {
  if (!arn) return undefined;
  const m = ARN_PARTS_RE.exec(arn.trim());
  if (!m) return undefined;
  return { partition: m[1]!, service: m[2]!, region: m[3]!, account: m[4]!, resource: m[5]! };
}

/** The 12-digit account an ARN names, if it names one. */
export function accountOfArn(arn: string | undefined): string | undefined {
  const a = parseArn(arn)?.account;
  return a && /^\d{12}$/.test(a) ? a : undefined;
}

/** The region an ARN names, if it names one (IAM, S3 and STS ARNs leave it empty). */
export function regionOfArn(arn: string | undefined): string | undefined {
  return parseArn(arn)?.region || undefined;
}

const ARN_RE = /^arn:(aws[a-z-]{0,20}):(iam|sts)::(\d{12}|[a-z0-9-]{1,64})?:(.{1,1500})$/;
const COGNITO_ID_RE =
  /^[a-z]{2}(?:-gov)?-[a-z]+-\d{1,2}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function lastSegment(path: string): string {
  const parts = path.split("/").filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? path;
}

/**
 * Classify a principal as written in an error or a log: IAM user, role, role session (`assumed-role`),
 * federated user, root, anonymous, Cognito identity id, web identity / SAML provider, or an AWS service.
 */
export function parsePrincipal(raw: string): Principal {
  const value = raw.trim().replace(/^["']|["'.,;]$/g, "");
  if (value === "anonymous" || value === "*" || value === "ANONYMOUS_PRINCIPAL") {
    return { raw: value, kind: "anonymous" };
  }
  if (COGNITO_ID_RE.test(value)) return { raw: value, kind: "cognito-identity" };
  if (/^\d{12}$/.test(value)) return { raw: value, kind: "unknown", account: value };
  if (/^[a-z0-9-]{1,64}(?:\.[a-z0-9-]{1,64}){0,3}\.amazonaws\.com(?:\.cn)?$/.test(value)) {
    return { raw: value, kind: value.startsWith("cognito-identity.") ? "web-identity" : "service" };
  }
  const m = ARN_RE.exec(value);
  if (!m) return { raw: value, kind: "unknown" };
  const partition = m[1]!;
  const service = m[2]!;
  const account = m[3] && /^\d{12}$/.test(m[3]) ? m[3] : undefined;
  const rest = m[4]!;
  const base = { raw: value, partition, ...(account ? { account } : {}) };
  if (service === "iam") {
    if (rest === "root") return { ...base, kind: "root" };
    if (rest.startsWith("user/")) return { ...base, kind: "iam-user", name: lastSegment(rest.slice(5)) };
    if (rest.startsWith("role/")) return { ...base, kind: "role", name: lastSegment(rest.slice(5)) };
    if (rest.startsWith("saml-provider/")) return { ...base, kind: "saml", name: rest.slice(14) };
    if (rest.startsWith("oidc-provider/")) return { ...base, kind: "web-identity", name: rest.slice(14) };
    return { ...base, kind: "unknown" };
  }
  if (rest.startsWith("assumed-role/")) {
    const parts = rest.slice(13).split("/");
    const name = parts[0];
    const session = parts.length > 1 ? parts.slice(1).join("/") : undefined;
    return {
      ...base,
      kind: "role-session",
      ...(name ? { name } : {}),
      ...(session ? { session } : {}),
    };
  }
  if (rest.startsWith("federated-user/")) return { ...base, kind: "federated-user", name: rest.slice(15) };
  return { ...base, kind: "unknown" };
}
