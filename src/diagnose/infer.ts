// Request inference: when the error text does not name the failing request, its fields are taken from the other
// evidence, each with its origin: the principal, account and time from the session the trail shows being issued
// near the failure; the action from the service the text names; the resource from the principal's own policies in
// the authorization snapshot. Only fields nothing stronger gave are filled (core/request.ts `offer`). Pure.

import { accountOfArn } from "../core/arn.js";
import type { Failure } from "../core/failure.js";
import type { RequestField, RequestOriginKind } from "../core/request.js";
import type { CloudTrailRecord } from "../trail/types.js";

/** One inferred request field. */
export interface Offer {
  field: RequestField;
  value: string;
  origin: RequestOriginKind;
  label: string;
}

/** STS calls that issue a session (https://docs.aws.amazon.com/STS/latest/APIReference/API_Operations.html). */
const ISSUING = new Set([
  "AssumeRoleWithWebIdentity",
  "AssumeRoleWithSAML",
  "AssumeRole",
  "GetFederationToken",
  "GetSessionToken",
]);

/** Text that points at a web-identity (Cognito, Amplify, OIDC) caller. */
const WEB_IDENTITY_HINT = /cognito|amplify|appsync|web ?identity|oidc|identity pool/i;

/**
 * The session issued last before the failure time (or, with no time, the last one in the trail): its assumed-role
 * ARN is the failing principal's best guess. Web-identity sessions are preferred when the text points at one.
 */
export function inferFromIssuance(
  records: readonly CloudTrailRecord[],
  opts: { time?: string; failure: Failure | null; text?: string },
): Offer[] {
  const until = opts.time ? Date.parse(opts.time) : Number.POSITIVE_INFINITY;
  const hint = WEB_IDENTITY_HINT.test(
    `${opts.text ?? ""} ${opts.failure?.raw ?? ""} ${opts.failure?.service ?? ""} ${opts.failure?.format ?? ""}`,
  );
  let best: { r: CloudTrailRecord; t: number; arn: string } | undefined;
  for (const r of records) {
    if (
      r.errorCode ||
      !r.eventTime ||
      r.eventSource !== "sts.amazonaws.com" ||
      !ISSUING.has(r.eventName ?? "")
    )
      continue;
    const t = Date.parse(r.eventTime);
    if (!(t <= until)) continue;
    const arn = sessionArn(r);
    if (!arn) continue;
    const web = r.eventName === "AssumeRoleWithWebIdentity";
    const better =
      !best ||
      (hint && web && best.r.eventName !== "AssumeRoleWithWebIdentity") ||
      ((!hint || web === (best.r.eventName === "AssumeRoleWithWebIdentity")) && t > best.t);
    if (better) best = { r, t, arn };
  }
  if (!best) return [];
  const when = new Date(best.t).toISOString().replace(/\.000Z$/, "Z");
  const label = `trail (${best.r.eventName} at ${when})`;
  const out: Offer[] = [{ field: "principal", value: best.arn, origin: "trail", label }];
  const account = accountOfArn(best.arn);
  if (account) out.push({ field: "account", value: account, origin: "trail", label });
  if (!opts.time)
    out.push({ field: "time", value: when, origin: "trail", label: `${label}, the session's issue time` });
  return out;
}

/** The assumed-role ARN of an issuing record: the response's, else built from the role ARN and session name. */
function sessionArn(r: CloudTrailRecord): string | undefined {
  const resp = r.responseElements as {
    assumedRoleUser?: { arn?: unknown };
    federatedUser?: { arn?: unknown };
  } | null;
  const direct = resp?.assumedRoleUser?.arn ?? resp?.federatedUser?.arn;
  if (typeof direct === "string" && direct.startsWith("arn:")) return direct;
  const req = r.requestParameters as { roleArn?: unknown; roleSessionName?: unknown } | null | undefined;
  const roleArn = typeof req?.roleArn === "string" ? req.roleArn : undefined;
  const session = typeof req?.roleSessionName === "string" ? req.roleSessionName : undefined;
  const m = roleArn ? /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn) : null;
  if (!m || !session) return undefined;
  return `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/${session}`;
}

/**
 * The IAM action of a failure that names only its service: `svc:Operation` when the operation is known; for
 * AppSync data-plane calls, `appsync:GraphQL`, the one action every GraphQL request is authorized as
 * (https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#aws-iam-authorization).
 */
export function inferAction(failure: Failure | null): Offer | undefined {
  if (!failure || failure.action) return undefined;
  const svc = failure.service?.toLowerCase();
  if (svc === "appsync" || failure.format === "graphql" || failure.format === "amplify")
    return {
      field: "action",
      value: "appsync:GraphQL",
      origin: "error-text",
      label: "inferred: an AppSync GraphQL request is authorized as appsync:GraphQL",
    };
  if (svc && failure.operation)
    return {
      field: "action",
      value: `${svc}:${failure.operation}`,
      origin: "error-text",
      label: "inferred from the service and operation in the error text",
    };
  return undefined;
}

/** An authorization snapshot's role, as far as inference needs it. */
interface SnapshotRole {
  RoleName?: string;
  Arn?: string;
  RolePolicyList?: { PolicyDocument?: unknown }[];
}

/**
 * The resource of an AppSync request whose text names none: the GraphQL API that the principal's own policies
 * name, with "any field" (`apis/ID/types/*\/fields/*`): GraphQL requests are authorized on the field's ARN.
 */
export function inferResource(
  action: string | undefined,
  principal: string | undefined,
  snapshot: unknown,
): Offer | undefined {
  if (action?.toLowerCase() !== "appsync:graphql" || !principal) return undefined;
  const roleName =
    /:assumed-role\/([^/]+)\//.exec(principal)?.[1] ?? /:role\/(?:.*\/)?([^/]+)$/.exec(principal)?.[1];
  const roles = (snapshot as { RoleDetailList?: SnapshotRole[] } | null)?.RoleDetailList;
  if (!roleName || !Array.isArray(roles)) return undefined;
  const role = roles.find((r) => r?.RoleName === roleName);
  if (!role) return undefined;
  const apis = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === "string") {
      const m = /^(arn:[\w-]+:appsync:[a-z0-9-]+:\d{12}:apis\/[A-Za-z0-9]+)/.exec(v);
      if (m) apis.add(m[1]!);
    } else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === "object") for (const x of Object.values(v)) walk(x);
  };
  for (const p of role.RolePolicyList ?? []) walk(p?.PolicyDocument);
  if (apis.size !== 1) return undefined;
  const api = [...apis][0]!;
  return {
    field: "resource",
    value: `${api}/types/*/fields/*`,
    origin: "authorization-details",
    label: `authorization details: the GraphQL API ${roleName}'s policy names (any field; the text names none)`,
  };
}
