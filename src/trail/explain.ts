// `trail explain`: for each access-denied event, the IAM actions (docs/aws-facts.md §6.4), the request context rebuilt
// from the record (§6.1), what the message says (§1.13), and — with an authorization snapshot — the engine's
// verdict, cause and fix, using the policies as they were at the event's time when the trail holds the changes.

import type { CauseId } from "../core/cause-ids.js";
import { causeOfPolicyType, POLICY_KIND_CAUSE } from "../core/policy-kind.js";
import { maskKeyId, redactText } from "../core/redact.js";
import { type MessageFacts, mineMessage } from "../errors/message.js";
import type { AuthzPrincipal, AuthzSnapshot } from "../iam/authz.js";
import type { EvaluationEnv } from "../iam/request.js";
import type { ContextValue, EvaluationResult, Policy } from "../iam/types.js";
import { actionsFor, loadActionTable } from "./actions.js";
import { type Change, changeOf, isAccessDenied, principalOf, timeOf } from "./classify.js";
import type { CloudTrailRecord } from "./types.js";

export const TRAIL_EXPLAIN_SCHEMA = "authdoctor.trail-explain/v1" as const;

/** Denied events remembered at most (then the earliest `limit` are explained). */
const MAX_DENIED = 10_000;

export interface RequestContextFromTrail {
  principal: string;
  region?: string;
  time?: string;
  sourceIp?: string;
  vpcEndpoint?: string;
  mfa?: boolean;
  tlsVersion?: string;
  endpoint?: string;
  viaService?: string;
  sourceIdentity?: string;
}

export interface ExplainedDenial {
  time: string;
  eventSource: string;
  eventName: string;
  errorCode: string;
  errorMessage?: string;
  keyId?: string;
  actions: string[];
  actionFrom: "error message" | "map" | "guess";
  uncertain?: string;
  resource: string;
  context: RequestContextFromTrail;
  /** What the error message itself says (policy type and deny kind), when it says it. */
  message?: { policyType?: string; denyKind?: "explicit" | "implicit"; cause?: CauseId };
  /** The engine's verdict per action (only with an authorization snapshot). */
  evaluations: EvaluationResult[];
  cause?: CauseId;
  fix?: string;
  /** Policy changes from the trail applied to evaluate as of the event time. */
  policyAsOf: string[];
  notes: string[];
}

export interface TrailExplain {
  schema: typeof TRAIL_EXPLAIN_SCHEMA;
  denied: number;
  explained: ExplainedDenial[];
  evaluated: boolean;
}

/**
 * What an AccessDenied message says about the policy type and deny kind, read by the one denial-message parser
 * (src/errors/message.ts); the cause comes from the policy-kind table (src/core/policy-kind.ts).
 */
export function readDenyMessage(
  msg: string | MessageFacts | undefined,
): ExplainedDenial["message"] | undefined {
  if (!msg) return undefined;
  const m = typeof msg === "string" ? mineMessage(msg) : msg;
  if (!m.denyKind) return undefined;
  const out: NonNullable<ExplainedDenial["message"]> = { denyKind: m.denyKind };
  if (m.namedPolicy === "role-trust") {
    out.policyType = "trust";
    out.cause = POLICY_KIND_CAUSE.trust;
  } else if (m.policyType && m.policyType !== "unknown") {
    out.policyType = m.policyType;
    const cause = causeOfPolicyType(m.policyType, m.denyKind);
    if (cause) out.cause = cause;
  }
  return out;
}

const IP_RE = /^(?:\d{1,3}\.){3}\d{1,3}$|^[0-9a-f:]+:[0-9a-f:]*$/i;

/** The request context a record shows. */
export function contextOf(r: CloudTrailRecord): RequestContextFromTrail {
  const c: RequestContextFromTrail = { principal: principalOf(r) };
  if (r.awsRegion) c.region = r.awsRegion;
  if (r.eventTime) c.time = r.eventTime;
  if (r.sourceIPAddress && IP_RE.test(r.sourceIPAddress)) c.sourceIp = r.sourceIPAddress;
  if (r.vpcEndpointId) c.vpcEndpoint = r.vpcEndpointId;
  const mfa = r.userIdentity?.sessionContext?.attributes?.mfaAuthenticated;
  if (mfa === "true" || mfa === "false") c.mfa = mfa === "true";
  if (r.tlsDetails?.tlsVersion) c.tlsVersion = r.tlsDetails.tlsVersion;
  if (r.tlsDetails?.clientProvidedHostHeader) c.endpoint = r.tlsDetails.clientProvidedHostHeader;
  if (r.userIdentity?.invokedBy) c.viaService = r.userIdentity.invokedBy;
  const sid = r.userIdentity?.sessionContext?.sourceIdentity;
  if (sid) c.sourceIdentity = sid;
  return c;
}

/** IAM condition keys from a record's context (only keys the record really shows). */
export function conditionKeysOf(c: RequestContextFromTrail): Record<string, ContextValue> {
  const k: Record<string, ContextValue> = {};
  if (c.region) k["aws:RequestedRegion"] = c.region;
  if (c.time) {
    const t = Date.parse(c.time);
    if (!Number.isNaN(t)) {
      k["aws:CurrentTime"] = new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
      k["aws:EpochTime"] = Math.floor(t / 1000);
    }
  }
  if (c.sourceIp) k["aws:SourceIp"] = c.sourceIp;
  if (c.vpcEndpoint) k["aws:SourceVpce"] = c.vpcEndpoint;
  if (c.mfa !== undefined) k["aws:MultiFactorAuthPresent"] = c.mfa;
  if (c.tlsVersion) k["aws:SecureTransport"] = true;
  if (c.viaService) k["aws:ViaAWSService"] = true;
  if (c.sourceIdentity) k["aws:SourceIdentity"] = c.sourceIdentity;
  return k;
}

/**
 * The resource ARN of a denied call: the one the message names (`said`, read by the one denial-message parser,
 * src/errors/message.ts), the record's resources, or S3 request parameters.
 */
export function resourceOf(r: CloudTrailRecord, said?: MessageFacts): string {
  const m = said ?? (typeof r.errorMessage === "string" ? mineMessage(r.errorMessage) : undefined);
  if (m?.resource?.startsWith("arn:")) return m.resource;
  const res = r.resources;
  if (Array.isArray(res)) {
    for (const x of res) {
      const arn = (x as Record<string, unknown>)?.ARN;
      if (typeof arn === "string" && arn.startsWith("arn:")) return arn;
    }
  }
  const req = (r.requestParameters ?? {}) as Record<string, unknown>;
  if (r.eventSource === "s3.amazonaws.com" && typeof req.bucketName === "string") {
    return typeof req.key === "string"
      ? `arn:aws:s3:::${req.bucketName}/${req.key}`
      : `arn:aws:s3:::${req.bucketName}`;
  }
  if (typeof req.roleArn === "string") return req.roleArn;
  return "*";
}

/** Collects denied events and the policy changes needed to evaluate them as of their time. */
export class ExplainAccumulator {
  readonly denied: CloudTrailRecord[] = [];
  readonly changes: (Change & { t: number })[] = [];
  total = 0;

  add(r: CloudTrailRecord): void {
    if (isAccessDenied(r)) {
      this.total++;
      if (this.denied.length < MAX_DENIED) this.denied.push(r);
    }
    const ch = changeOf(r);
    if (ch?.succeeded && ch.policyDocument !== undefined) this.changes.push({ ...ch, t: timeOf(r) });
    else if (
      ch?.succeeded &&
      /^(?:Attach|Detach)(?:User|Role|Group)Policy$|^Delete(?:User|Role|Group)Policy$/.test(ch.eventName)
    ) {
      this.changes.push({ ...ch, t: timeOf(r) });
    }
  }

  /** Explain the first `limit` denied events (by time). */
  async result(env: EvaluationEnv | null, limit = 50): Promise<TrailExplain> {
    await loadActionTable();
    const iam = env ? await import("../iam/index.js") : null;
    this.denied.sort((a, b) => timeOf(a) - timeOf(b));
    this.changes.sort((a, b) => a.t - b.t);
    const explained: ExplainedDenial[] = [];
    for (const r of this.denied.slice(0, limit)) {
      // the message read once, by the one denial-message parser: its action, resource, policy type, deny kind
      const mined = typeof r.errorMessage === "string" ? mineMessage(r.errorMessage) : undefined;
      const map = actionsFor(r.eventSource ?? "", r.eventName ?? "", mined?.action);
      const ctx = contextOf(r);
      const e: ExplainedDenial = {
        time: r.eventTime ?? "",
        eventSource: r.eventSource ?? "",
        eventName: r.eventName ?? "",
        errorCode: r.errorCode ?? "",
        actions: map.actions,
        actionFrom: map.from,
        resource: resourceOf(r, mined),
        context: ctx,
        evaluations: [],
        policyAsOf: [],
        notes: [],
      };
      if (typeof r.errorMessage === "string") e.errorMessage = redactText(r.errorMessage);
      if (r.userIdentity?.accessKeyId) e.keyId = maskKeyId(r.userIdentity.accessKeyId);
      if (map.uncertain) e.uncertain = map.uncertain;
      const said = readDenyMessage(mined);
      if (said) e.message = said;
      if (said?.cause) e.cause = said.cause;
      if (env && iam) this.evaluate(r, e, env, iam);
      else if (!said?.cause) e.notes.push("give --authz (and --scp/--rcp) to evaluate the policies");
      explained.push(e);
    }
    return { schema: TRAIL_EXPLAIN_SCHEMA, denied: this.total, explained, evaluated: env !== null };
  }

  private evaluate(
    r: CloudTrailRecord,
    e: ExplainedDenial,
    env: EvaluationEnv,
    iam: typeof import("../iam/index.js"),
  ): void {
    const t = timeOf(r);
    const asOf = this.envAt(env, e.context.principal, t, e.policyAsOf, iam);
    const context = conditionKeysOf(e.context);
    for (const action of e.actions.slice(0, 1)) {
      try {
        const res = iam.evaluateRequest(
          { principal: e.context.principal, action, resource: e.resource, context },
          asOf,
        );
        e.evaluations.push(res);
        if (res.decision === "Allowed") {
          e.notes.push(
            `the given policies allow \`${action}\` now: the denial came from something they do not hold (${missingLayers(env)}), or the policies changed`,
          );
        } else {
          if (res.cause) e.cause = res.cause;
          if (res.fix?.summary) e.fix = res.fix.summary;
        }
      } catch (err) {
        e.notes.push(`could not evaluate \`${action}\`: ${(err as Error).message}`);
      }
    }
  }

  /** The environment with the principal's policies as the trail shows them at time `t`. */
  private envAt(
    env: EvaluationEnv,
    principal: string,
    t: number,
    applied: string[],
    iam: typeof import("../iam/index.js"),
  ): EvaluationEnv {
    const snaps = env.authz === undefined ? [] : Array.isArray(env.authz) ? env.authz : [env.authz];
    if (snaps.length === 0 || this.changes.length === 0 || Number.isNaN(t)) return env;
    let changed = false;
    const out = snaps.map((snap) => {
      const p = iam.findPrincipal(snap, principal);
      if (!p) return snap;
      const owner = `${p.kind}/${p.name}`;
      const before = this.changes.filter((c) => c.t <= t && c.subjects.includes(p.name));
      const after = this.changes.filter((c) => c.t > t && c.subjects.includes(p.name));
      const versioned = this.changes.some((c) => c.eventName === "CreatePolicyVersion");
      if (before.length === 0 && after.length === 0 && !versioned) return snap;
      const policies = [...p.policies];
      // Later changes first undone as far as the trail allows: a Put after the event means the snapshot's
      // version is newer than the event; the version before it is the last Put before the event, if any.
      const inlineNames = new Set(
        [...before, ...after].map((c) => inlineName(c)).filter((n): n is string => !!n),
      );
      for (const name of inlineNames) {
        const full = `${owner}/${name}`;
        const last = [...before].reverse().find((c) => inlineName(c) === name);
        const idx = policies.findIndex((x) => x.name === full);
        if (last) {
          if (idx >= 0) policies.splice(idx, 1);
          if (!/^Delete/.test(last.eventName) && last.policyDocument) {
            const pol = parseDoc(iam, last.policyDocument, full);
            if (pol) policies.push(pol);
          }
          applied.push(`${last.eventName} ${full} at ${last.time}`);
          changed = true;
        } else if (after.some((c) => inlineName(c) === name)) {
          applied.push(
            `${full} changed after the event (${after.find((c) => inlineName(c) === name)!.time}); its earlier version is not in the trail`,
          );
        }
      }
      // Managed policies attached to the principal: the default version as of the event, when the trail holds it.
      for (const [arn, current] of snap.managed) {
        const idx = policies.indexOf(current);
        if (idx < 0) continue;
        const versions = this.changes.filter(
          (c) =>
            c.policyArn === arn &&
            c.eventName === "CreatePolicyVersion" &&
            /setAsDefault true/.test(c.detail ?? ""),
        );
        const last = [...versions].reverse().find((c) => c.t <= t);
        if (last?.policyDocument && versions.some((c) => c.t > t)) {
          const pol = parseDoc(iam, last.policyDocument, current.name);
          if (pol) {
            policies[idx] = pol;
            applied.push(`CreatePolicyVersion ${arn} at ${last.time} (the default version at the event)`);
            changed = true;
          }
        } else if (!last && versions.some((c) => c.t > t)) {
          applied.push(
            `${arn} got a new default version after the event; its earlier version is not in the trail`,
          );
        }
      }
      for (const c of after) {
        if (/^Attach/.test(c.eventName) && c.policyArn) {
          const m = snap.managed.get(c.policyArn);
          const idx = m ? policies.indexOf(m) : -1;
          if (idx >= 0) {
            policies.splice(idx, 1);
            applied.push(`${c.policyArn} was attached after the event (${c.time}): left out`);
            changed = true;
          }
        } else if (/^Detach/.test(c.eventName) && c.policyArn) {
          const m = snap.managed.get(c.policyArn);
          if (m && !policies.includes(m)) {
            policies.push(m);
            applied.push(`${c.policyArn} was detached after the event (${c.time}): counted`);
            changed = true;
          }
        }
      }
      if (!changed) return snap;
      const clone: AuthzPrincipal = { ...p, policies };
      const users = new Map(snap.users);
      const roles = new Map(snap.roles);
      for (const [k, v] of users) if (v === p) users.set(k, clone);
      for (const [k, v] of roles) if (v === p) roles.set(k, clone);
      return { ...snap, users, roles } satisfies AuthzSnapshot;
    });
    return changed ? { ...env, authz: out } : env;
  }
}

function inlineName(c: Change & { policyName?: string }): string | undefined {
  if (!/^(?:Put|Delete)(?:User|Role|Group)Policy$/.test(c.eventName)) return undefined;
  const m = /inline policy ([^,]+)/.exec(c.target);
  return m?.[1];
}

function parseDoc(iam: typeof import("../iam/index.js"), text: string, name: string): Policy | undefined {
  try {
    const decoded = text.includes("%7B") || text.startsWith("%") ? decodeURIComponent(text) : text;
    return iam.parseValue(JSON.parse(decoded), name).policy;
  } catch {
    return undefined;
  }
}

function missingLayers(env: EvaluationEnv): string {
  const miss = [
    !env.scps && "SCPs",
    !env.rcps && "RCPs",
    !env.resourcePolicy && "resource policies",
    !env.vpcEndpointPolicy && "VPC endpoint policies",
    !env.sessionPolicy && "session policies",
  ].filter(Boolean);
  return miss.length > 0 ? `not given: ${miss.join(", ")}` : "all layers given";
}

/** Explain the access-denied events among some records (the first `limit` by time). */
export async function explainDenials(
  records: Iterable<CloudTrailRecord>,
  env: EvaluationEnv | null = null,
  limit = 50,
): Promise<TrailExplain> {
  const acc = new ExplainAccumulator();
  for (const r of records) acc.add(r);
  return acc.result(env, limit);
}
