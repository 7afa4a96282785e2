// `trail sessions`: link each access key / session to the call that issued it and back to the original
// identity (role chains, cross-account, web identity incl. Cognito, SAML, Identity Center), and show what
// each session did and where it failed. Facts: docs/aws-facts.md §3.5, §5.3, §6.1.

import { maskKeyId } from "../core/redact.js";
import {
  errorCodeOf,
  type Issuance,
  isFailure,
  isIssuanceEvent,
  issuanceOf,
  principalOf,
  timeOf,
} from "./classify.js";
import { typedRecord } from "./normalize.js";
import type { CloudTrailRecord, FastFields } from "./types.js";

export const TRAIL_SESSIONS_SCHEMA = "authdoctor.trail-sessions/v1" as const;

/** Failed calls kept per session. */
const MAX_FAILED_CALLS = 20;

/** One failed call of a session. */
export interface FailedCall {
  time: string;
  eventSource: string;
  eventName: string;
  errorCode: string;
  errorMessage?: string;
  region?: string;
}

/** One credential (access key) and everything known about it. */
export interface TrailSession {
  /** Masked key id (`ASIA****WXYZ`), or `(no key)` for issuances whose response hides it. */
  keyId: string;
  /** `AKIA` (long-term user key), `ASIA` (temporary)... */
  keyType: string;
  /**
   * How it was issued; `long-term` for AKIA keys, `console` for console sign-in sessions
   * (`sessionCredentialFromConsole`), `unknown` when the issuing call is not in the trail.
   */
  issuedBy: Issuance["kind"] | "long-term" | "console" | "unknown";
  issuedAt?: string;
  /** The session principal (assumed-role / federated-user ARN, or the user for long-term keys). */
  principal: string;
  roleArn?: string;
  /** Who asked for it: the caller of the issuing call. */
  issuer?: string;
  issuerType?: string;
  /** Masked key that signed the issuing call (links chains). */
  issuerKeyId?: string;
  /** Chain from the original identity to this session, oldest first. */
  chain: string[];
  /** The original identity at the start of the chain. */
  origin: string;
  crossAccount: boolean;
  identityCenter: boolean;
  /** Web identity / SAML details of the issuance. */
  federation?: { provider?: string; subject?: string; audience?: string; cognito: boolean };
  sourceIdentity?: string;
  durationSeconds?: number;
  expiration?: string;
  /** STS host the issuer used. */
  endpoint?: string;
  events: number;
  failures: number;
  firstUse?: string;
  lastUse?: string;
  regions: string[];
  sourceIPs: string[];
  /** eventName -> calls, top 10. */
  topCalls: Record<string, number>;
  failedCalls: FailedCall[];
}

/** An issuing call that failed (no credentials were issued). */
export interface FailedIssuance {
  time: string;
  kind: Issuance["kind"];
  caller: string;
  roleArn?: string;
  errorCode: string;
  errorMessage?: string;
  provider?: string;
}

export interface TrailSessions {
  schema: typeof TRAIL_SESSIONS_SCHEMA;
  sessions: TrailSession[];
  failedIssuances: FailedIssuance[];
}

/** What one key did (part of the mergeable state). */
export interface Usage {
  events: number;
  failures: number;
  first?: string;
  firstMs: number;
  last?: string;
  lastMs: number;
  regions: Set<string>;
  ips: Set<string>;
  calls: Map<string, number>;
  failed: FailedCall[];
  principal: string;
  identityType?: string;
  sessionIssuerArn?: string;
  mfa?: string;
  console: boolean;
}

/** Mergeable partial result of the sessions analysis. */
export interface SessionsState {
  issued: Map<string, Issuance>;
  issuedNoKey: Map<string, Issuance>;
  failedIssuances: Map<string, FailedIssuance>;
  usage: Map<string, Usage>;
}

/** Incremental sessions analysis (records in any order). */
export class SessionsAccumulator {
  private readonly issued = new Map<string, Issuance>();
  /** Keyed like `seenRequests` so that merged partial results stay deduplicated. */
  private readonly issuedNoKey = new Map<string, Issuance>();
  private readonly failedIssuances = new Map<string, FailedIssuance>();
  private readonly usage = new Map<string, Usage>();
  private readonly seenRequests = new Set<string>();
  private unkeyed = 0;

  /** The state to merge elsewhere (structured-clone friendly: Maps and Sets). */
  state(): SessionsState {
    return {
      issued: this.issued,
      issuedNoKey: this.issuedNoKey,
      failedIssuances: this.failedIssuances,
      usage: this.usage,
    };
  }

  /** Add a partial result computed elsewhere (another worker's files). */
  merge(s: SessionsState): void {
    for (const [k, iss] of s.issued) {
      const prev = this.issued.get(k);
      if (!prev || (!prev.callerKeyId && iss.callerKeyId)) this.issued.set(k, iss);
    }
    for (const [k, v] of s.issuedNoKey) if (!this.issuedNoKey.has(k)) this.issuedNoKey.set(k, v);
    for (const [k, v] of s.failedIssuances) if (!this.failedIssuances.has(k)) this.failedIssuances.set(k, v);
    for (const [k, u] of s.usage) {
      const mine = this.usage.get(k);
      if (!mine) {
        this.usage.set(k, u);
        continue;
      }
      mine.events += u.events;
      mine.failures += u.failures;
      if (u.firstMs < mine.firstMs || (u.firstMs === mine.firstMs && u.principal < mine.principal)) {
        mine.principal = u.principal;
        copyOptional(mine, u, "identityType");
        copyOptional(mine, u, "sessionIssuerArn");
        copyOptional(mine, u, "mfa");
      }
      if (u.firstMs < mine.firstMs) {
        mine.firstMs = u.firstMs;
        if (u.first !== undefined) mine.first = u.first;
      }
      if (u.lastMs > mine.lastMs) {
        mine.lastMs = u.lastMs;
        if (u.last !== undefined) mine.last = u.last;
      }
      for (const x of u.regions) if (mine.regions.size < 50) mine.regions.add(x);
      for (const x of u.ips) if (mine.ips.size < 50) mine.ips.add(x);
      for (const [n, c] of u.calls) mine.calls.set(n, (mine.calls.get(n) ?? 0) + c);
      mine.failed = [...mine.failed, ...u.failed].sort(cmpFailed).slice(0, MAX_FAILED_CALLS);
      mine.console ||= u.console;
    }
  }

  /**
   * A record known by its wide-lifted fields (scan-machine.ts): true when they were enough and the record was
   * counted, false when it must be parsed and passed to `add` (issuances and failures, whose request, response
   * and message are read; a userIdentity that is not JSON). The others need only their identity, time, region,
   * address and name: their userIdentity is parsed alone, never the whole record.
   */
  addLifted(f: FastFields): boolean {
    if (
      (f.errorCode !== undefined && f.errorCode !== "") ||
      f.hasErrorMessage ||
      f.eventName === "ConsoleLogin" ||
      isIssuanceEvent(f.eventSource, f.eventName)
    )
      return false;
    // no access key, nothing to count (add() would stop at the same point)
    if (f.identity === undefined || !f.identity.includes('"accessKeyId"')) return true;
    let userIdentity: unknown;
    try {
      userIdentity = JSON.parse(f.identity);
    } catch {
      return false;
    }
    const r: CloudTrailRecord = { userIdentity: userIdentity as CloudTrailRecord["userIdentity"] };
    if (f.eventTime !== undefined) r.eventTime = f.eventTime;
    if (f.eventSource !== undefined) r.eventSource = f.eventSource;
    if (f.eventName !== undefined) r.eventName = f.eventName;
    if (f.awsRegion !== undefined) r.awsRegion = f.awsRegion;
    if (f.sourceIPAddress !== undefined) r.sourceIPAddress = f.sourceIPAddress;
    if (f.console) r.sessionCredentialFromConsole = "true";
    this.add(typedRecord(r));
    return true;
  }

  add(r: CloudTrailRecord): void {
    const iss = issuanceOf(r);
    if (iss) this.addIssuance(iss);
    const key = r.userIdentity?.accessKeyId;
    if (typeof key !== "string" || key === "") return;
    let u = this.usage.get(key);
    if (!u) {
      u = {
        events: 0,
        failures: 0,
        firstMs: Number.POSITIVE_INFINITY,
        lastMs: Number.NEGATIVE_INFINITY,
        regions: new Set(),
        ips: new Set(),
        calls: new Map(),
        failed: [],
        principal: principalOf(r),
        console: false,
      };
      this.usage.set(key, u);
    }
    u.events++;
    const t = timeOf(r);
    if (r.sessionCredentialFromConsole === "true" || r.sessionCredentialFromConsole === true)
      u.console = true;
    // The identity of a key is taken from its earliest call (ties: the smaller ARN), whatever the reading order:
    // redacted logs reuse one key id for several principals.
    const p = principalOf(r);
    if (u.events === 1 || t < u.firstMs || (t === u.firstMs && p < u.principal)) setIdentity(u, r, p);
    if (t < u.firstMs) {
      u.firstMs = t;
      u.first = r.eventTime;
    }
    if (t > u.lastMs) {
      u.lastMs = t;
      u.last = r.eventTime;
    }
    if (r.awsRegion && u.regions.size < 50) u.regions.add(r.awsRegion);
    if (r.sourceIPAddress && u.ips.size < 50) u.ips.add(r.sourceIPAddress);
    const name = r.eventName ?? "(none)";
    if (u.calls.size < 500 || u.calls.has(name)) u.calls.set(name, (u.calls.get(name) ?? 0) + 1);
    if (isFailure(r)) {
      u.failures++;
      const latest = u.failed.length < MAX_FAILED_CALLS ? undefined : u.failed[u.failed.length - 1];
      if (
        !latest ||
        cmpFailed({ time: r.eventTime ?? "", eventName: name, errorCode: errorCodeOf(r) ?? "" }, latest) < 0
      ) {
        // keep the earliest failures (a sorted list), whatever the reading order
        const fc: FailedCall = {
          time: r.eventTime ?? "",
          eventSource: r.eventSource ?? "",
          eventName: name,
          errorCode: errorCodeOf(r) ?? "",
        };
        if (typeof r.errorMessage === "string") fc.errorMessage = r.errorMessage;
        if (r.awsRegion) fc.region = r.awsRegion;
        u.failed.push(fc);
        u.failed.sort(cmpFailed);
        if (u.failed.length > MAX_FAILED_CALLS) u.failed.pop();
      }
    }
  }

  private addIssuance(iss: Issuance): void {
    // A cross-account call is delivered to both accounts (same requestID): count it once.
    let dedupe = `${iss.requestID ?? ""}|${iss.sharedEventID ?? ""}|${iss.kind}|${iss.time}|${iss.keyId ?? ""}`;
    if (iss.requestID) {
      if (this.seenRequests.has(dedupe)) return;
      this.seenRequests.add(dedupe);
    } else {
      dedupe += `#${this.unkeyed++}`;
    }
    if (iss.errorCode) {
      const f: FailedIssuance = {
        time: iss.time,
        kind: iss.kind,
        caller: iss.caller,
        errorCode: iss.errorCode,
      };
      if (iss.roleArn) f.roleArn = iss.roleArn;
      if (iss.errorMessage) f.errorMessage = iss.errorMessage;
      if (iss.provider) f.provider = iss.provider;
      this.failedIssuances.set(dedupe, f);
      return;
    }
    if (iss.keyId) {
      const prev = this.issued.get(iss.keyId);
      // Prefer the copy with more detail (the caller's account sees the caller's key).
      if (!prev || (!prev.callerKeyId && iss.callerKeyId)) this.issued.set(iss.keyId, iss);
    } else if (this.issuedNoKey.size < 10_000) {
      this.issuedNoKey.set(dedupe, iss);
    }
  }

  /** The linked sessions, oldest first. */
  result(): TrailSessions {
    const keys = new Set<string>([...this.issued.keys(), ...this.usage.keys()]);
    const sessions: TrailSession[] = [];
    for (const key of keys) sessions.push(this.session(key));
    for (const iss of this.issuedNoKey.values()) sessions.push(this.sessionOf("(no key)", iss, undefined));
    sessions.sort(
      (a, b) =>
        sortTime(a) - sortTime(b) ||
        cmp(a.principal, b.principal) ||
        cmp(a.keyId, b.keyId) ||
        cmp(a.issuedAt ?? "", b.issuedAt ?? "") ||
        b.events - a.events,
    );
    const failedIssuances = [...this.failedIssuances.values()].sort(
      (a, b) =>
        Date.parse(a.time) - Date.parse(b.time) ||
        cmp(a.caller, b.caller) ||
        cmp(a.roleArn ?? "", b.roleArn ?? ""),
    );
    return { schema: TRAIL_SESSIONS_SCHEMA, sessions, failedIssuances };
  }

  private session(key: string): TrailSession {
    return this.sessionOf(key, this.issued.get(key), this.usage.get(key));
  }

  private sessionOf(key: string, iss: Issuance | undefined, u: Usage | undefined): TrailSession {
    const keyType = key.startsWith("(") ? "" : key.slice(0, 4);
    const chain = this.chainOf(key, iss, u);
    const s: TrailSession = {
      keyId: key.startsWith("(") ? key : maskKeyId(key),
      keyType,
      issuedBy: iss ? iss.kind : keyType === "AKIA" ? "long-term" : u?.console ? "console" : "unknown",
      principal: iss?.sessionArn ?? u?.principal ?? iss?.roleArn ?? "(unknown)",
      chain,
      origin: chain[0] ?? "(unknown)",
      crossAccount: iss?.crossAccount ?? false,
      identityCenter: iss?.identityCenter ?? /\/AWSReservedSSO_/.test(u?.sessionIssuerArn ?? ""),
      events: u?.events ?? 0,
      failures: u?.failures ?? 0,
      regions: u ? [...u.regions].sort() : [],
      sourceIPs: u ? [...u.ips].sort() : [],
      topCalls: u ? top(u.calls, 10) : {},
      failedCalls: u
        ? [...u.failed].sort(
            (a, b) => cmp(a.time, b.time) || cmp(a.eventName, b.eventName) || cmp(a.errorCode, b.errorCode),
          )
        : [],
    };
    if (iss) {
      s.issuedAt = iss.time;
      if (iss.roleArn) s.roleArn = iss.roleArn;
      s.issuer = iss.caller;
      if (iss.callerType) s.issuerType = iss.callerType;
      if (iss.callerKeyId) s.issuerKeyId = maskKeyId(iss.callerKeyId);
      if (iss.provider || iss.subject) {
        s.federation = { cognito: /cognito-identity\.amazon(?:aws)?\.com/.test(iss.provider ?? "") };
        if (iss.provider) s.federation.provider = iss.provider;
        if (iss.subject) s.federation.subject = iss.subject;
        if (iss.audience) s.federation.audience = iss.audience;
      }
      if (iss.sourceIdentity) s.sourceIdentity = iss.sourceIdentity;
      if (iss.durationSeconds !== undefined) s.durationSeconds = iss.durationSeconds;
      if (iss.expiration) s.expiration = iss.expiration;
      if (iss.endpoint) s.endpoint = iss.endpoint;
    } else if (u?.sessionIssuerArn) {
      s.roleArn = u.sessionIssuerArn;
    }
    if (u?.first) s.firstUse = u.first;
    if (u?.last) s.lastUse = u.last;
    return s;
  }

  /** Identities from the original one to this session, following the keys that signed each issuance. */
  private chainOf(key: string, iss: Issuance | undefined, u: Usage | undefined): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    let curKey: string | undefined = key;
    let cur = iss;
    out.push(iss?.sessionArn ?? u?.principal ?? iss?.roleArn ?? "(unknown)");
    while (cur && out.length < 20) {
      const parentKey: string | undefined = cur.callerKeyId;
      if (curKey) seen.add(curKey);
      const parent = parentKey && !seen.has(parentKey) ? this.issued.get(parentKey) : undefined;
      if (parent) {
        out.push(parent.sessionArn ?? parent.roleArn ?? parent.caller);
        cur = parent;
        curKey = parentKey;
        continue;
      }
      // The chain ends at the caller of the oldest issuance we hold.
      const caller = cur.caller;
      if (out[out.length - 1] !== caller) out.push(caller);
      // An assumed-role caller whose issuance is not in the trail: name the role it came from.
      const pu = parentKey ? this.usage.get(parentKey) : undefined;
      if (pu?.sessionIssuerArn && pu.sessionIssuerArn !== caller)
        out.push(`${pu.sessionIssuerArn} (issuance not in trail)`);
      break;
    }
    if (!cur && u?.sessionIssuerArn && u.identityType === "AssumedRole") {
      out.push(`${u.sessionIssuerArn} (issuance not in trail)`);
    }
    return out.reverse();
  }
}

function setIdentity(u: Usage, r: CloudTrailRecord, principal: string): void {
  u.principal = principal;
  const ui = r.userIdentity;
  if (ui?.type) u.identityType = ui.type;
  else delete u.identityType;
  const si = ui?.sessionContext?.sessionIssuer?.arn;
  if (si) u.sessionIssuerArn = si;
  else delete u.sessionIssuerArn;
  const mfa = ui?.sessionContext?.attributes?.mfaAuthenticated;
  if (mfa) u.mfa = mfa;
  else delete u.mfa;
}

function copyOptional(to: Usage, from: Usage, k: "identityType" | "sessionIssuerArn" | "mfa"): void {
  const v = from[k];
  if (v === undefined) delete to[k];
  else to[k] = v;
}

function cmpFailed(
  a: { time: string; eventName: string; errorCode: string },
  b: { time: string; eventName: string; errorCode: string },
): number {
  return cmp(a.time, b.time) || cmp(a.eventName, b.eventName) || cmp(a.errorCode, b.errorCode);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortTime(s: TrailSession): number {
  const t = Date.parse(s.issuedAt ?? s.firstUse ?? "");
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

function top(m: Map<string, number>, n: number): Record<string, number> {
  return Object.fromEntries(
    [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n),
  );
}

/** Link sessions in some records (pure). */
export function sessions(records: Iterable<CloudTrailRecord>): TrailSessions {
  const acc = new SessionsAccumulator();
  for (const r of records) acc.add(r);
  return acc.result();
}
