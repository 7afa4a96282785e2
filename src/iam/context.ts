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

/** The evaluator's view of a caller (role ARN of a session, service-linked role); for classifying a principal
 * elsewhere use core/arn.ts parsePrincipal. Work out what kind of caller `raw` names (`action` tells identity providers from services). */
export function principalInfoOf(raw: string, actionLower = ""): PrincipalInfo {
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
      const role = res.split("/")[1];
      return {
        ...out,
        kind: "role-session",
        name: role,
        roleArn: `arn:${partition}:iam::${account}:role/${role}`,
        // Service-linked roles are named AWSServiceRoleFor...; the snapshot confirms it by the path.
        serviceLinked: role?.startsWith("AWSServiceRoleFor") === true,
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

/** The largest time a JavaScript date holds (ms): ±8.64e15, about 275,000 years either side of 1970. */
const MAX_DATE_MS = 8.64e15;

/**
 * Why a context value cannot be used, or undefined when it can: a number that JSON could not hold (`1e400` reads
 * as Infinity), or a time key out of range (`aws:EpochTime` = 1e16 seconds is past year 275,000).
 */
export function contextValueProblem(key: string, v: unknown): string | undefined {
  const list = Array.isArray(v) ? v : [v];
  for (const x of list)
    if (typeof x === "number" && !Number.isFinite(x))
      return `\`${key}\`: the number is out of range (not a finite number)`;
  const k = key.toLowerCase();
  if (v === null || v === undefined) return undefined;
  if (k === "aws:epochtime") {
    const t = Number(list[0]);
    if (list.length !== 1 || String(list[0]).trim() === "" || !Number.isFinite(t))
      return `\`${key}\` must be a number of seconds since 1970, got \`${String(list[0]).slice(0, 40)}\``;
    if (Math.abs(t * 1000) > MAX_DATE_MS)
      return `\`${key}\` = ${String(list[0]).slice(0, 40)} is out of range (too far from 1970)`;
  } else if (k === "aws:currenttime") {
    const t = Date.parse(String(list[0]));
    if (list.length !== 1 || Number.isNaN(t))
      return `\`${key}\` must be a date such as 2026-01-15T12:00:00Z, got \`${String(list[0]).slice(0, 40)}\``;
  }
  return undefined;
}

/** Turn a request's context value into the evaluator's form (strings). */
export function contextValues(v: ContextValue): string[] {
  if (Array.isArray(v)) return v.map(String);
  return [String(v)];
}

const lowerCache = new Map<string, string>();
/** Lower-case a context key (cached: the same keys come back request after request). */
export function lowerKey(k: string): string {
  let l = lowerCache.get(k);
  if (l === undefined) {
    l = k.toLowerCase();
    if (lowerCache.size > 10_000) lowerCache.clear();
    lowerCache.set(k, l);
  }
  return l;
}

let nowSecond = -1;
let nowIso = "";
function isoSecond(ms: number): [string, string] {
  const sec = Math.floor(ms / 1000);
  if (sec !== nowSecond) {
    nowSecond = sec;
    nowIso = new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  return [nowIso, String(sec)];
}

let lastTime = "";
let lastEpoch: string | undefined;
/** Epoch seconds of an ISO time (the last one is cached: a batch usually shares one time). */
function epochOf(iso: string): string | undefined {
  if (iso !== lastTime) {
    const t = Date.parse(iso);
    lastTime = iso;
    lastEpoch = Number.isNaN(t) ? undefined : String(Math.floor(t / 1000));
  }
  return lastEpoch;
}

/** The keys that follow from the caller alone (cache them per principal). */
export function principalContext(p: PrincipalInfo, facts: PrincipalFacts | undefined): Map<string, string[]> {
  const ctx = new Map<string, string[]>();
  const set = (k: string, v: string | undefined) => {
    if (v !== undefined && v !== "") ctx.set(k, [v]);
  };
  set("aws:principalarn", principalArnOf(p));
  set("aws:principalaccount", p.account);
  set("aws:principaltype", PRINCIPAL_TYPE[p.kind]);
  if (p.kind === "user" || p.kind === "federated-user") set("aws:username", p.name);
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
  set("aws:securetransport", "true");
  return ctx;
}

/** The request's own keys over the keys derived from the caller (which are shared, never copied). */
export class LayeredCtx implements Ctx {
  constructor(
    readonly own: Map<string, string[] | null>,
    readonly base: Ctx,
  ) {}
  get(key: string): string[] | undefined {
    const v = this.own.get(key);
    if (v !== undefined) return v ?? undefined;
    return this.base.get(key);
  }
}

/** Build the context: derived keys first, then the request's own keys, which win. */
export function buildContext(
  p: PrincipalInfo,
  resource: string,
  resourceParts: string[] | undefined,
  resourceAccount: string | undefined,
  facts: PrincipalFacts | undefined,
  given: Record<string, ContextValue | null> | undefined,
  now: Date | undefined = undefined,
  base?: Ctx,
): Ctx {
  const own = new Map<string, string[] | null>();
  if (resourceParts && resourceParts[0] === "arn" && resourceParts[3])
    own.set("aws:requestedregion", [resourceParts[3]]);
  const racct = resourceAccount ?? (resourceParts?.[4] || undefined);
  if (racct) own.set("aws:resourceaccount", [racct]);
  let gaveTime = false;
  let gaveEpoch = false;
  if (given) {
    for (const k in given) {
      const v = given[k];
      const key = lowerKey(k);
      if (key === "aws:currenttime") gaveTime = true;
      else if (key === "aws:epochtime") gaveEpoch = true;
      if (v === null || v === undefined) own.set(key, null);
      else own.set(key, typeof v === "string" ? [v] : contextValues(v));
    }
  }
  // aws:CurrentTime and aws:EpochTime describe one instant: keep them consistent when one is given.
  if (gaveTime && !gaveEpoch) {
    const e = epochOf(own.get("aws:currenttime")?.[0] ?? "");
    if (e) own.set("aws:epochtime", [e]);
  } else if (gaveEpoch && !gaveTime) {
    const t = Number(own.get("aws:epochtime")?.[0]);
    if (Number.isFinite(t) && Math.abs(t * 1000) <= MAX_DATE_MS)
      own.set("aws:currenttime", [new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, "Z")]);
  } else if (!gaveTime && !gaveEpoch) {
    const [iso, epoch] = isoSecond(now ? now.getTime() : Date.now());
    own.set("aws:currenttime", [iso]);
    own.set("aws:epochtime", [epoch]);
  }
  void resource;
  return new LayeredCtx(own, base ?? principalContext(p, facts));
}
