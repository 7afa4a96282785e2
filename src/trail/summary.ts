// `trail summary`: counts of events and failures by error code, source, name, principal, region and user agent.

import { type FailureKind, failureKind } from "./classify.js";
import { parseEventTime } from "./files.js";
import { fastFieldsOf } from "./normalize.js";
import type { CloudTrailRecord, FastFields, Skipped } from "./types.js";

export const TRAIL_SUMMARY_SCHEMA = "authdoctor.trail-summary/v1" as const;

/** Distinct keys kept per breakdown; the rest is counted under `(other)` so memory stays bounded. */
const MAX_KEYS = 5000;
const OTHER = "(other)";

/** Result of `summary` (`--json` output). */
export interface TrailSummary {
  schema: typeof TRAIL_SUMMARY_SCHEMA;
  files: number;
  events: number;
  failures: number;
  /**
   * The failures by kind: authorization (AccessDenied, UnauthorizedOperation...), authentication (rejected keys
   * or tokens), throttling, not-found (NoSuch*, *NotFound*) and other. Error codes beyond the bounded breakdown
   * count as other.
   */
  failuresByKind: Record<FailureKind, number>;
  /** Error code -> events. Failures without an errorCode (ConsoleLogin) count under `(no errorCode)`. */
  byErrorCode: Record<string, number>;
  byEventSource: Record<string, number>;
  byEventName: Record<string, number>;
  byPrincipal: Record<string, number>;
  byRegion: Record<string, number>;
  byUserAgent: Record<string, number>;
  /** `eventSource eventName` -> failures. */
  failuresByEvent: Record<string, number>;
  /** principal -> failures. */
  failuresByPrincipal: Record<string, number>;
  firstSeen: string | null;
  lastSeen: string | null;
  skipped: Skipped[];
}

/** Serialisable accumulator state (what workers send back). */
export interface SummaryState {
  events: number;
  failures: number;
  maps: Record<MapName, [string, number][]>;
  firstText: string | null;
  lastText: string | null;
}

type MapName =
  | "byErrorCode"
  | "byEventSource"
  | "byEventName"
  | "byPrincipal"
  | "byRegion"
  | "byUserAgent"
  | "failuresByEvent"
  | "failuresByPrincipal";

const MAP_NAMES: MapName[] = [
  "byErrorCode",
  "byEventSource",
  "byEventName",
  "byPrincipal",
  "byRegion",
  "byUserAgent",
  "failuresByEvent",
  "failuresByPrincipal",
];

/**
 * A bounded count per key. Consecutive records mostly repeat the same source, region, agent and principal, so
 * the last key's cell is kept: an equal key is counted with one string comparison, no hashing.
 */
class Counter {
  readonly cells = new Map<string, { n: number }>();
  private lastKey: string | null = null;
  private lastCell: { n: number } = { n: 0 };

  add(key: string, by = 1): void {
    if (key === this.lastKey) {
      this.lastCell.n += by;
      return;
    }
    let k = key;
    let c = this.cells.get(k);
    if (c === undefined) {
      if (this.cells.size >= MAX_KEYS) k = OTHER;
      c = this.cells.get(k);
      if (c === undefined) {
        c = { n: 0 };
        this.cells.set(k, c);
      }
    }
    c.n += by;
    this.lastKey = k;
    this.lastCell = c;
  }

  entries(): [string, number][] {
    return [...this.cells.entries()].map(([k, c]) => [k, c.n]);
  }
}

/** The principal a summary counts a record under. */
export function principalKey(f: FastFields): string {
  return f.principal ?? f.invokedBy ?? (f.identityType ? `(${f.identityType})` : "(none)");
}

/** Incremental summary: `add` records or fast fields, `merge` partial results, `result` at the end. */
export class SummaryAccumulator {
  events = 0;
  failures = 0;
  private readonly maps = new Map<MapName, Counter>(MAP_NAMES.map((n) => [n, new Counter()]));
  private readonly cSource = this.maps.get("byEventSource")!;
  private readonly cName = this.maps.get("byEventName")!;
  private readonly cPrincipal = this.maps.get("byPrincipal")!;
  private readonly cRegion = this.maps.get("byRegion")!;
  private readonly cAgent = this.maps.get("byUserAgent")!;
  private firstText: string | null = null;
  private lastText: string | null = null;

  /** Count one record. */
  addRecord(r: CloudTrailRecord): void {
    this.addFields(fastFieldsOf(r));
  }

  /** Count one record from its fast fields. */
  addFields(f: FastFields): void {
    this.events++;
    const m = this.maps;
    const source = f.eventSource ?? "(none)";
    const name = f.eventName ?? "(none)";
    const principal = principalKey(f);
    this.cSource.add(source);
    this.cName.add(name);
    this.cPrincipal.add(principal);
    this.cRegion.add(f.awsRegion ?? "(none)");
    this.cAgent.add(f.userAgent ?? "(none)");
    const code = f.errorCode || (f.hasErrorMessage ? "(no errorCode)" : undefined);
    if (code !== undefined) {
      this.failures++;
      m.get("byErrorCode")!.add(code);
      m.get("failuresByEvent")!.add(`${source} ${name}`);
      m.get("failuresByPrincipal")!.add(principal);
    }
    const t = f.eventTime;
    if (t !== undefined && t.length >= 10 && t.charCodeAt(0) >= 48 && t.charCodeAt(0) <= 57) {
      // ISO 8601 UTC strings of the same shape order like their times; compare the text first, cheaply.
      if (this.firstText === null || t < this.firstText) this.setFirst(t);
      if (this.lastText === null || t > this.lastText) this.setLast(t);
    }
  }

  private setFirst(t: string): void {
    this.firstText = isoText(t);
  }

  private setLast(t: string): void {
    this.lastText = isoText(t);
  }

  /** Serialisable state. */
  state(): SummaryState {
    const maps = {} as SummaryState["maps"];
    for (const n of MAP_NAMES) maps[n] = this.maps.get(n)!.entries();
    return {
      events: this.events,
      failures: this.failures,
      maps,
      firstText: this.firstText,
      lastText: this.lastText,
    };
  }

  /** Add another accumulator's state. */
  merge(s: SummaryState): void {
    this.events += s.events;
    this.failures += s.failures;
    for (const n of MAP_NAMES) {
      const m = this.maps.get(n)!;
      for (const [k, v] of s.maps[n]) m.add(k, v);
    }
    if (s.firstText !== null && (this.firstText === null || s.firstText < this.firstText))
      this.setFirst(s.firstText);
    if (s.lastText !== null && (this.lastText === null || s.lastText > this.lastText))
      this.setLast(s.lastText);
  }

  /** The summary object (maps sorted by count, highest first). */
  result(files: number, skipped: Skipped[]): TrailSummary {
    const obj = (n: MapName): Record<string, number> =>
      Object.fromEntries(
        this.maps
          .get(n)!
          .entries()
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
      );
    return {
      schema: TRAIL_SUMMARY_SCHEMA,
      files,
      events: this.events,
      failures: this.failures,
      failuresByKind: kinds(this.maps.get("byErrorCode")!.entries()),
      byErrorCode: obj("byErrorCode"),
      byEventSource: obj("byEventSource"),
      byEventName: obj("byEventName"),
      byPrincipal: obj("byPrincipal"),
      byRegion: obj("byRegion"),
      byUserAgent: obj("byUserAgent"),
      failuresByEvent: obj("failuresByEvent"),
      failuresByPrincipal: obj("failuresByPrincipal"),
      firstSeen: this.firstText,
      lastSeen: this.lastText,
      skipped,
    };
  }
}

/** Panther's `YYYY-MM-DD HH:MM:SS.fffffffff` as ISO 8601 UTC; other text unchanged. */
function isoText(t: string): string {
  if (t.charCodeAt(10) !== 32) return t;
  const ms = parseEventTime(t);
  return Number.isNaN(ms) ? t : new Date(ms).toISOString();
}

/** Summarise records (pure). */
export function summarize(
  records: Iterable<CloudTrailRecord>,
  files = 0,
  skipped: Skipped[] = [],
): TrailSummary {
  const acc = new SummaryAccumulator();
  for (const r of records) acc.addRecord(r);
  return acc.result(files, skipped);
}

/** Failures per kind from the error code counts. */
function kinds(codes: [string, number][]): Record<FailureKind, number> {
  const out: Record<FailureKind, number> = {
    authorization: 0,
    authentication: 0,
    throttling: 0,
    "not-found": 0,
    other: 0,
  };
  for (const [code, n] of codes) out[failureKind(code)] += n;
  return out;
}
