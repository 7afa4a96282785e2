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
  /** The failing principal is the user/role the change was about. */
  relatedToTarget: boolean;
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
        const f = fails[e.rows[e.head]!]!;
        // An account's own change cannot break another account's calls (Organizations policies can).
        const fa = accountOf(f.principal);
        if (!orgWide && account && fa && fa !== account) continue;
        fresh.push({
          principal: f.principal,
          eventSource: f.eventSource,
          eventName: f.eventName,
          errorCode: f.errorCode,
          first: f.time,
          count: e.rows.length - e.head,
          relatedToTarget: related(ch, f.principal),
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

/** Changes in some records and the failures after each (pure). */
export function changes(records: Iterable<CloudTrailRecord>, opts: ChangesOptions = {}): TrailChanges {
  const acc = new ChangesAccumulator(opts);
  for (const r of records) acc.add(r);
  return acc.result();
}
