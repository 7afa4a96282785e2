// The request as the evaluator sees it: principal kind, ARN parts and the context keys derived from them.

import type { PrincipalInfo } from "./compile.js";
import { type Ctx, splitArn } from "./match.js";
import type { ContextValue } from "./types.js";

/** Actions that assume a role: the role's trust policy is the resource policy. */
export const TRUST_ACTIONS = new Set([
  "sts:assumerole",
  "sts:assumerolewithwebidentity",
  "sts:assumerolewithsaml",
  "sts:tagsession",
  "sts:setsourceidentity",
  "sts:setcontext",
]);

/** Work out what kind of caller `raw` names (`action` tells identity providers from services). */
export function parsePrincipal(raw: string, actionLower = ""): PrincipalInfo {
  const s = raw.trim();
  const base: PrincipalInfo = { raw: s, kind: "anonymous", partition: "aws", serviceLinked: false };
  if (s === "" || s === "*" || s.toLowerCase() === "anonymous") return base;
  const arn = splitArn(s);
  if (arn && arn[0] === "arn") {
    const partition = arn[1]!;
    const account = arn[4] || undefined;
    const res = arn[5]!;
    const out: PrincipalInfo = { ...base, partition, account };
    if (arn[2] === "sts" && res.startsWith("assumed-role/")) {
      const [, role, ...session] = res.split("/");
      return {
        ...out,
        kind: "role-session",
        name: role,
        roleArn: `arn:${partition}:iam::${account}:role/${role}`,
        serviceLinked: false,
        ...(session.length ? {} : {}),
      };
    }
    if (arn[2] === "sts" && res.startsWith("federated-user/"))
      return { ...out, kind: "federated-user", name: res.slice(15) };
    if (arn[2] === "iam") {
      if (res === "root") return { ...out, kind: "root" };
      if (res.startsWith("user/")) return { ...out, kind: "user", name: res.slice(res.lastIndexOf("/") + 1) };
      if (res.startsWith("role/"))
        return {
          ...out,
          kind: "role",
          name: res.slice(res.lastIndexOf("/") + 1),
          roleArn: s,
          serviceLinked: res.startsWith("role/aws-service-role/"),
        };
      if (res.startsWith("saml-provider/") || res.startsWith("oidc-provider/"))
        return { ...out, kind: "federated" };
    }
    return { ...out, kind: "user" };
  }
  if (/^\d{12}$/.test(s)) return { ...base, kind: "root", account: s, raw: `arn:aws:iam::${s}:root` };
  const federatedAction =
    actionLower === "sts:assumerolewithwebidentity" || actionLower === "sts:assumerolewithsaml";
  if (federatedAction) return { ...base, kind: "federated" };
  if (/\.amazonaws\.com(\.cn)?$/i.test(s) || /\.amazon\.com$/i.test(s)) return { ...base, kind: "service" };
  return { ...base, kind: "federated" };
}

/** The principal ARN IAM puts in `aws:PrincipalArn` (a session's role ARN, not the session). */
export function principalArnOf(p: PrincipalInfo): string | undefined {
  switch (p.kind) {
    case "role-session":
    case "role":
      return p.roleArn;
    case "user":
    case "root":
    case "federated-user":
      return p.raw;
    default:
      return undefined;
  }
}

const PRINCIPAL_TYPE: Partial<Record<PrincipalInfo["kind"], string>> = {
  user: "User",
  "role-session": "AssumedRole",
  role: "AssumedRole",
  root: "Account",
  "federated-user": "FederatedUser",
  anonymous: "Anonymous",
};

/** Facts about the caller from a snapshot, used to derive context keys. */
export interface PrincipalFacts {
  /** `AIDA...` or `AROA...`. */
  id?: string;
  tags?: Record<string, string>;
  /** The role ARN with its path. */
  arn?: string;
}

/** Turn a request's context value into the evaluator's form (strings). */
export function contextValues(v: ContextValue): string[] {
  if (Array.isArray(v)) return v.map(String);
  return [String(v)];
}

/** Build the context: derived keys first, then the request's own keys, which win. */
export function buildContext(
  p: PrincipalInfo,
  resource: string,
  resourceParts: string[] | undefined,
  resourceAccount: string | undefined,
  facts: PrincipalFacts | undefined,
  given: Record<string, ContextValue> | undefined,
  now: Date = new Date(),
): Ctx {
  const ctx: Ctx = new Map();
  const set = (k: string, v: string | undefined) => {
    if (v !== undefined && v !== "") ctx.set(k, [v]);
  };
  const parn = principalArnOf(p);
  set("aws:principalarn", parn);
  set("aws:principalaccount", p.account);
  set("aws:principaltype", PRINCIPAL_TYPE[p.kind]);
  if (p.kind === "user") set("aws:username", p.name);
  if (p.kind === "federated-user") set("aws:username", p.name);
  if (facts?.id) {
    if (p.kind === "role-session") set("aws:userid", `${facts.id}:${p.raw.split("/").slice(2).join("/")}`);
    else set("aws:userid", facts.id);
  } else if (p.kind === "root") set("aws:userid", p.account);
  else if (p.kind === "anonymous") set("aws:userid", "anonymous");
  if (facts?.tags)
    for (const [k, v] of Object.entries(facts.tags)) set(`aws:principaltag/${k.toLowerCase()}`, v);
  if (p.kind === "service") {
    set("aws:principalisawsservice", "true");
    set("aws:principalservicename", p.raw);
  } else if (p.kind !== "federated") set("aws:principalisawsservice", "false");
  if (resourceParts && resourceParts[0] === "arn" && resourceParts[3])
    set("aws:requestedregion", resourceParts[3]);
  const racct = resourceAccount ?? (resourceParts?.[4] || undefined);
  set("aws:resourceaccount", racct);
  set("aws:securetransport", "true");
  set("aws:currenttime", now.toISOString().replace(/\.\d{3}Z$/, "Z"));
  set("aws:epochtime", String(Math.floor(now.getTime() / 1000)));
  if (resource && resource !== "*" && resourceParts?.[2] === "s3") {
    // No derived s3 keys: they come from the request.
  }
  if (given) {
    for (const [k, v] of Object.entries(given)) {
      const key = k.toLowerCase();
      if (v === null || v === undefined) ctx.delete(key);
      else ctx.set(key, contextValues(v));
    }
    // aws:CurrentTime and aws:EpochTime describe one instant: keep them consistent when one is given.
    const low = new Set(Object.keys(given).map((k) => k.toLowerCase()));
    if (low.has("aws:currenttime") && !low.has("aws:epochtime")) {
      const t = Date.parse(ctx.get("aws:currenttime")?.[0] ?? "");
      if (!Number.isNaN(t)) ctx.set("aws:epochtime", [String(Math.floor(t / 1000))]);
    } else if (low.has("aws:epochtime") && !low.has("aws:currenttime")) {
      const t = Number(ctx.get("aws:epochtime")?.[0]);
      if (!Number.isNaN(t))
        ctx.set("aws:currenttime", [new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, "Z")]);
    }
  }
  return ctx;
}
