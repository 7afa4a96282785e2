// `trail timeline`: the ordered events around a moment (a failure), for one principal, key or role when
// asked; failures marked; credential issuances and access changes always included.

import { maskKeyId, redactText } from "../core/redact.js";
import { changeOf, errorCodeOf, isFailure, issuanceOf, principalOf, roleNameOf, timeOf } from "./classify.js";
import { parseTimeBound } from "./files.js";
import type { CloudTrailRecord } from "./types.js";

export const TRAIL_TIMELINE_SCHEMA = "authdoctor.trail-timeline/v1" as const;

/** Most entries kept; the ones nearest to `around` win. */
const MAX_ENTRIES = 2000;

export interface TimelineOptions {
  /** The moment to centre on (ISO 8601). */
  around: string;
  /** Half-width of the window in ms (default 10 minutes). */
  windowMs?: number;
  /** Keep the calls of this principal ARN (or the sessions of this role/user ARN). */
  principal?: string;
  /** Keep the calls signed with this access key id (and its issuance and changes). */
  keyId?: string;
  /** Keep the calls of sessions of this role name (and its issuance and changes). */
  role?: string;
}

export interface TimelineEntry {
  time: string;
  /** Signed seconds from `around`. */
  offsetSeconds: number;
  kind: "failure" | "issuance" | "change" | "call";
  eventSource: string;
  eventName: string;
  principal: string;
  keyId?: string;
  region?: string;
  sourceIP?: string;
  errorCode?: string;
  errorMessage?: string;
  /** For issuances: role and issued key; for changes: target and detail. */
  detail?: string;
}

export interface TrailTimeline {
  schema: typeof TRAIL_TIMELINE_SCHEMA;
  around: string;
  windowSeconds: number;
  filter: { principal?: string; keyId?: string; role?: string };
  entries: TimelineEntry[];
  /** Entries dropped beyond the cap (farthest from `around` first). */
  truncated: number;
}

/** Parse `10m`, `90s`, `2h`, `1d` or plain seconds into ms. */
export function parseWindow(value: string | undefined, fallbackMs = 600_000): number {
  if (!value) return fallbackMs;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i.exec(value.trim());
  if (!m) return Number.NaN;
  const unit = (m[2] ?? "s").toLowerCase();
  const mult =
    unit === "ms" ? 1 : unit === "s" ? 1000 : unit === "m" ? 60_000 : unit === "h" ? 3_600_000 : 86_400_000;
  return Number(m[1]) * mult;
}

/** Incremental timeline over records in any order. */
export class TimelineAccumulator {
  private readonly centre: number;
  private readonly half: number;
  private readonly entries: TimelineEntry[] = [];
  private dropped = 0;

  constructor(private readonly opts: TimelineOptions) {
    const t = parseTimeBound(opts.around);
    if (t === undefined) throw new RangeError(`cannot read time \`${opts.around}\``);
    this.centre = t;
    this.half = opts.windowMs ?? 600_000;
  }

  /** The [since, until] bounds in ms, to prune files before reading. */
  bounds(): { since: number; until: number } {
    return { since: this.centre - this.half, until: this.centre + this.half };
  }

  add(r: CloudTrailRecord): void {
    const t = timeOf(r);
    if (Number.isNaN(t) || Math.abs(t - this.centre) > this.half) return;
    const iss = issuanceOf(r);
    const ch = iss ? null : changeOf(r);
    const failed = isFailure(r);
    const filtered =
      this.opts.principal !== undefined || this.opts.keyId !== undefined || this.opts.role !== undefined;
    if (filtered && !this.matches(r, iss, ch)) return;
    const e: TimelineEntry = {
      time: r.eventTime ?? "",
      offsetSeconds: Math.round((t - this.centre) / 1000),
      kind: failed ? "failure" : iss ? "issuance" : ch ? "change" : "call",
      eventSource: r.eventSource ?? "",
      eventName: r.eventName ?? "",
      principal: principalOf(r),
    };
    const key = r.userIdentity?.accessKeyId;
    if (key) e.keyId = maskKeyId(key);
    if (r.awsRegion) e.region = r.awsRegion;
    if (r.sourceIPAddress) e.sourceIP = r.sourceIPAddress;
    if (failed) {
      e.errorCode = errorCodeOf(r) ?? "";
      if (typeof r.errorMessage === "string") e.errorMessage = redactText(r.errorMessage);
    }
    if (iss) {
      const parts = [
        iss.roleArn && `role ${iss.roleArn}`,
        iss.keyId && `issued ${maskKeyId(iss.keyId)}`,
        iss.provider,
      ];
      e.detail = parts.filter(Boolean).join(", ");
    } else if (ch) {
      e.detail = `${ch.category}: ${ch.target}${ch.detail ? ` (${ch.detail})` : ""}`;
    }
    this.entries.push(e);
    if (this.entries.length > MAX_ENTRIES * 2) this.trim();
  }

  /** Whether a record concerns the principal, key or role asked for. */
  private matches(
    r: CloudTrailRecord,
    iss: ReturnType<typeof issuanceOf>,
    ch: ReturnType<typeof changeOf>,
  ): boolean {
    const { principal, keyId, role } = this.opts;
    const u = r.userIdentity;
    const arn = u?.arn ?? "";
    const issuerArn = u?.sessionContext?.sessionIssuer?.arn ?? "";
    if (keyId) {
      if (u?.accessKeyId === keyId) return true;
      if (iss?.keyId === keyId) return true;
      if (ch?.subjects.includes(maskKeyId(keyId))) return true;
    }
    if (principal) {
      if (arn === principal || issuerArn === principal) return true;
      if (iss && (iss.sessionArn === principal || iss.roleArn === principal)) return true;
      const name = roleNameOf(principal) ?? principal.split("/").pop();
      if (ch && name && ch.subjects.includes(name)) return true;
      // an assumed-role session ARN also matches the calls of that role's other sessions
      const rn = roleNameOf(principal);
      if (rn && roleNameOf(arn) === rn && /:assumed-role\//.test(principal) === false) return true;
    }
    if (role) {
      if (roleNameOf(arn) === role || u?.sessionContext?.sessionIssuer?.userName === role) return true;
      if (iss && roleNameOf(iss.roleArn) === role) return true;
      if (ch?.subjects.includes(role)) return true;
    }
    // Account-wide changes (SCPs, STS preference, regions) concern everyone.
    return ch !== null && ch.target === "(account)";
  }

  private trim(): void {
    this.entries.sort((a, b) => Math.abs(a.offsetSeconds) - Math.abs(b.offsetSeconds));
    this.dropped += this.entries.length - MAX_ENTRIES;
    this.entries.length = MAX_ENTRIES;
  }

  result(): TrailTimeline {
    if (this.entries.length > MAX_ENTRIES) this.trim();
    const entries = this.entries.sort(
      (a, b) => a.offsetSeconds - b.offsetSeconds || (a.time < b.time ? -1 : a.time > b.time ? 1 : 0),
    );
    const filter: TrailTimeline["filter"] = {};
    if (this.opts.principal) filter.principal = this.opts.principal;
    if (this.opts.keyId) filter.keyId = maskKeyId(this.opts.keyId);
    if (this.opts.role) filter.role = this.opts.role;
    return {
      schema: TRAIL_TIMELINE_SCHEMA,
      around: new Date(this.centre).toISOString(),
      windowSeconds: Math.round(this.half / 1000),
      filter,
      entries,
      truncated: this.dropped,
    };
  }
}

/** The timeline of some records (pure). */
export function timeline(records: Iterable<CloudTrailRecord>, opts: TimelineOptions): TrailTimeline {
  const acc = new TimelineAccumulator(opts);
  for (const r of records) acc.add(r);
  return acc.result();
}
