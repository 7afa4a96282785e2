// `trail changes`: changes that affect access (IAM, Organizations SCP/RCP, KMS, S3, VPC endpoints, Cognito,
// Identity Center, STS token version, regions) and the failures that began right after each one.

import { accountOfArn as accountOf } from "../core/arn.js";
import {
  type Change,
  changeOf,
  errorCodeOf,
  isFailure,
  principalOf,
  roleNameOf,
  timeOf,
} from "./classify.js";
import type { CloudTrailRecord } from "./types.js";

export const TRAIL_CHANGES_SCHEMA = "authdoctor.trail-changes/v1" as const;

/** Failures remembered for the before/after comparison (bounded memory). */
const MAX_FAILURES = 200_000;

export interface ChangesOptions {
  /** How long after a change its failures are looked for, and how far before for the baseline (default 30 min). */
  afterMs?: number;
}

/** A kind of failure that was not seen in the window before a change and began after it. */
export interface NewFailure {
  principal: string;
  eventSource: string;
  eventName: string;
  errorCode: string;
  first: string;
  count: number;
  /** The failing principal is the user/role the change was about, or the failing call was on its resource. */
  relatedToTarget: boolean;
  /** What ties the failure to the change, when something does: its principal or the resource it called. */
  matchedBy?: "principal" | "resource";
}

export interface ChangeWithEffects extends Change {
  /** Failures in the window after the change. */
  failuresAfter: number;
  /** Failures in the same window before it. */
  failuresBefore: number;
  /** Failure kinds (principal + call + code) that began after it, in the same account unless the change is an
   * Organizations policy. */
  newFailures: NewFailure[];
}

export interface TrailChanges {
  schema: typeof TRAIL_CHANGES_SCHEMA;
  windowSeconds: number;
  changes: ChangeWithEffects[];
}

interface FailureRow {
  t: number;
  time: string;
  principal: string;
  eventSource: string;
  eventName: string;
  errorCode: string;
  /** Names of what the call was on: resource ARNs and the request's name/ARN/URL parameters (a few, short). */
  resources: string[];
}

/**
 * Changes to one service's resource policy only change what that service allows: a queue policy cannot refuse
 * a Secrets Manager call. Failures of other services are not linked to them.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html
 */
const SERVICE_BOUND = new Set([
  "resource-policy",
  "bucket-policy",
  "public-access-block",
  "key-policy",
  "kms-grant",
]);

/** At most this many resource names are kept per failure. */
const MAX_RESOURCES = 6;

/** Names of what a record's call was on: `resources[].ARN` and short string request parameters. */
function resourcesOf(r: CloudTrailRecord): string[] {
  const out: string[] = [];
  const res = (r as { resources?: unknown }).resources;
  if (Array.isArray(res))
    for (const x of res) {
      const arn = (x as { ARN?: unknown } | null)?.ARN;
      if (typeof arn === "string" && out.length < MAX_RESOURCES) out.push(arn);
    }
  const rp = r.requestParameters;
  if (rp && typeof rp === "object" && !Array.isArray(rp))
    for (const [k, v] of Object.entries(rp as Record<string, unknown>)) {
      if (out.length >= MAX_RESOURCES) break;
      if (typeof v === "string" && v.length <= 512 && /name|arn|url|id$|Id$|key/i.test(k)) out.push(v);
    }
  return out;
}

/** Incremental changes analysis over records in any order. */
export class ChangesAccumulator {
  private readonly changes: (Change & { t: number })[] = [];
  private readonly failures: FailureRow[] = [];
  private readonly win: number;

  constructor(opts: ChangesOptions = {}) {
    this.win = opts.afterMs ?? 1_800_000;
  }

  add(r: CloudTrailRecord): void {
    const ch = changeOf(r);
    if (ch) this.changes.push({ ...ch, t: timeOf(r) });
    if (isFailure(r) && this.failures.length < MAX_FAILURES) {
      const t = timeOf(r);
      if (Number.isNaN(t)) return;
      this.failures.push({
        t,
        time: r.eventTime ?? "",
        principal: principalOf(r),
        eventSource: r.eventSource ?? "",
        eventName: r.eventName ?? "",
        errorCode: errorCodeOf(r) ?? "",
        resources: resourcesOf(r),
      });
    }
  }

  result(): TrailChanges {
    // Organizations: AttachPolicy/DetachPolicy name only the policy id; its type is known when the trail
    // holds the policy's CreatePolicy/UpdatePolicy.
    const typeOf = new Map<string, "scp" | "rcp">();
    for (const c of this.changes) {
      if (c.category === "scp" || c.category === "rcp") for (const s of c.subjects) typeOf.set(s, c.category);
    }
    for (const c of this.changes) {
      if (c.category !== "organization-policy") continue;
      const known = c.subjects.map((s) => typeOf.get(s)).find((x) => x !== undefined);
      if (known) c.category = known;
    }
    const fails = this.failures.sort((a, b) => a.t - b.t);
    // changes without a readable time first (they get no failure windows), then by time
    const sorted = this.changes.sort((a, b) => {
      const an = Number.isNaN(a.t);
      const bn = Number.isNaN(b.t);
      // undated changes first; changes at the same time keep their input order (log order)
      if (an || bn) return an && bn ? 0 : an ? -1 : 1;
      return a.t - b.t;
    });

    // Both windows only move forward as the changes do: failures enter and leave each window once, so the
    // whole pass is linear in the failures (plus, per change, the distinct failure kinds after it).
    const before = new Map<string, number>();
    const after = new Map<string, { rows: number[]; head: number }>();
    let bLo = 0;
    let bHi = 0;
    let aHi = 0;
    const n = fails.length;
    const out: ChangeWithEffects[] = [];
    for (const { t, ...ch } of sorted) {
      if (Number.isNaN(t)) {
        out.push({ ...ch, failuresAfter: 0, failuresBefore: 0, newFailures: [] });
        continue;
      }
      // after window: (t, t + win]; before window: [t - win, t]
      while (aHi < n && fails[aHi]!.t <= t + this.win) {
        const k = sig(fails[aHi]!);
        const e = after.get(k);
        if (e) e.rows.push(aHi);
        else after.set(k, { rows: [aHi], head: 0 });
        aHi++;
      }
      while (bHi < n && fails[bHi]!.t <= t) {
        const k = sig(fails[bHi]!);
        before.set(k, (before.get(k) ?? 0) + 1);
        const e = after.get(k)!;
        e.head++;
        if (e.head === e.rows.length) after.delete(k);
        else if (e.head > 64 && e.head * 2 > e.rows.length) {
          e.rows = e.rows.slice(e.head);
          e.head = 0;
        }
        bHi++;
      }
      while (bLo < bHi && fails[bLo]!.t < t - this.win) {
        const k = sig(fails[bLo]!);
        const c = before.get(k)! - 1;
        if (c === 0) before.delete(k);
        else before.set(k, c);
        bLo++;
      }
      const account = accountOf(ch.actor);
      const orgWide = ch.category === "scp" || ch.category === "rcp" || ch.category === "organization-policy";
      const fresh: NewFailure[] = [];
      for (const [k, e] of after) {
        if (before.has(k)) continue;
        let f = fails[e.rows[e.head]!]!;
        // An account's own change cannot break another account's calls (Organizations policies can).
        const fa = accountOf(f.principal);
        if (!orgWide && account && fa && fa !== account) continue;
        let count = e.rows.length - e.head;
        let onResource = onChangedResource(ch, f);
        if (SERVICE_BOUND.has(ch.category)) {
          // A resource policy change only touches its own service's calls, and only that resource's when the
          // failure names what it was on (resource policy changes are few: the rows are looked at one by one).
          if (f.eventSource !== ch.eventSource) continue;
          const rows = e.rows
            .slice(e.head)
            .map((i) => fails[i]!)
            .filter((r) => onChangedResource(ch, r) !== false);
          if (rows.length === 0) continue;
          f = rows[0]!;
          count = rows.length;
          onResource = onChangedResource(ch, f);
        }
        const byPrincipal = related(ch, f.principal);
        fresh.push({
          principal: f.principal,
          eventSource: f.eventSource,
          eventName: f.eventName,
          errorCode: f.errorCode,
          first: f.time,
          count,
          relatedToTarget: byPrincipal || onResource === true,
          ...(byPrincipal
            ? { matchedBy: "principal" as const }
            : onResource
              ? { matchedBy: "resource" as const }
              : {}),
        });
      }
      const newFailures = fresh
        .sort(
          (a, b) =>
            Number(b.relatedToTarget) - Number(a.relatedToTarget) ||
            b.count - a.count ||
            cmp(a.first, b.first) ||
            cmp(a.principal, b.principal) ||
            cmp(a.eventSource, b.eventSource) ||
            cmp(a.eventName, b.eventName) ||
            cmp(a.errorCode, b.errorCode),
        )
        .slice(0, 20);
      out.push({ ...ch, failuresAfter: aHi - bHi, failuresBefore: bHi - bLo, newFailures });
    }
    const changes = out;
    return { schema: TRAIL_CHANGES_SCHEMA, windowSeconds: Math.round(this.win / 1000), changes };
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sig(f: FailureRow): string {
  return `${f.principal}|${f.eventSource}|${f.eventName}|${f.errorCode}`;
}

/** Whether a failing principal is what a change was about (its user, role or group member by name). */
function related(ch: Change, principal: string): boolean {
  const role = roleNameOf(principal);
  const user = /:user\/(?:.*\/)?([^/]+)$/.exec(principal)?.[1];
  return ch.subjects.some((s) => s === role || s === user);
}

/**
 * Whether a failure was on the resource a change was about: true when one of the change's subjects is in one of
 * the failure's resource names, false when both name things and none match, undefined when either names none.
 */
function onChangedResource(ch: Change, f: FailureRow): boolean | undefined {
  const subjects = ch.subjects.filter((s) => s.length >= 3);
  if (subjects.length === 0 || f.resources.length === 0) return undefined;
  return subjects.some((s) => f.resources.some((r) => r === s || r.includes(s)));
}

/** Changes in some records and the failures after each (pure). */
export function changes(records: Iterable<CloudTrailRecord>, opts: ChangesOptions = {}): TrailChanges {
  const acc = new ChangesAccumulator(opts);
  for (const r of records) acc.add(r);
  return acc.result();
}
