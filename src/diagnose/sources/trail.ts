// Evidence source: CloudTrail (--trail): the session behind the key or principal, the events around the failure
// time, and the access changes in the day before it.

import type { Stats } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { TimelineEntry } from "../../core/diagnosis.js";
import type { Failure } from "../../core/failure.js";
import { maskKeyId, redactText } from "../../core/redact.js";
import type { TrailChanges } from "../../trail/changes.js";
import type { PushdownCliOptions } from "../../trail/pushdown/run.js";
import type { QueryWindow } from "../../trail/pushdown/sql.js";
import type { TrailSessions } from "../../trail/sessions.js";
import type { TrailTimeline } from "../../trail/timeline.js";
import type { CloudTrailRecord, ReadOptions, Skipped } from "../../trail/types.js";
import { inferFromIssuance } from "../infer.js";
import { correlate } from "../signals/correlate.js";
import { trailSignals } from "../signals/trail.js";
import { loadModule } from "./modules.js";
import { emptyOutcome, type RequestFacts, type SourceOutcome } from "./types.js";

interface TrailReaderLike extends AsyncIterable<CloudTrailRecord> {
  readonly skipped: Skipped[];
  files: number;
}

interface TrailModule {
  readTrail(paths: string[], opts?: ReadOptions): TrailReaderLike;
  timeline(
    records: Iterable<CloudTrailRecord>,
    opts: { around: string; windowMs?: number; principal?: string; keyId?: string },
  ): TrailTimeline;
  changes(records: Iterable<CloudTrailRecord>, opts?: { afterMs?: number }): TrailChanges;
  sessions(records: Iterable<CloudTrailRecord>): TrailSessions;
  essentialRecord?(r: CloudTrailRecord): CloudTrailRecord;
}

/**
 * How far before the failure access changes and the last successful use are looked for (a key deactivated
 * the evening before a nightly job, whose previous run is a day earlier).
 */
const CHANGES_BEFORE_MS = 36 * 3_600_000;
/** Half-width of the timeline around the failure. */
const TIMELINE_HALF_MS = 15 * 60_000;
/** Records kept in memory for the analyses; beyond it the window is what was read first. */
const MAX_RECORDS = 500_000;
/** Timeline rows in the report. */
const MAX_ROWS = 60;

const LOOKUP_HINT =
  "`aws cloudtrail lookup-events --start-time <failure time - 30 min> --end-time <failure time + 5 min> --output json > trail.json` in the failing region and in us-east-1 (IAM, global STS), or the trail's S3 files; pass --trail";

/**
 * `diagnose --athena DB.TABLE | --lake EVENT_DATA_STORE`: the trail read where it is stored (docs/trail-pushdown.md).
 * `live` comes from diagnose's own --live; --print-sql is handled by `trailQuerySql`.
 */
export type TrailQuery = Omit<PushdownCliOptions, "printSql" | "live">;

/** How far back a push-down query reads when the failure time is unknown (the trail subcommands' default). */
const QUERY_DEFAULT_BACK_MS = 7 * 86_400_000;
/**
 * Global services (IAM, STS's global endpoint) log in us-east-1
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events),
 * so a region-pruned query reads it too.
 */
const GLOBAL_EVENTS_REGION = "us-east-1";

/**
 * The slice of the trail diagnose reads with a query: the same window as for local files around the failure
 * time (36 h before, 15 min after), else the last 7 days; the failing region plus us-east-1 when the region is known.
 */
export function trailQueryWindow(request: RequestFacts, now = Date.now()): QueryWindow {
  const centre = request.time ? Date.parse(request.time) : Number.NaN;
  const regions =
    request.region && /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/.test(request.region)
      ? [...new Set([request.region, GLOBAL_EVENTS_REGION])]
      : undefined;
  return {
    ...(Number.isNaN(centre)
      ? { since: now - QUERY_DEFAULT_BACK_MS }
      : { since: centre - CHANGES_BEFORE_MS, until: centre + TIMELINE_HALF_MS }),
    ...(regions ? { regions } : {}),
  };
}

/** The SQL `diagnose` would run for the trail (--print-sql: offline, nothing is sent). */
export async function trailQuerySql(
  query: TrailQuery,
  request: RequestFacts,
  now = Date.now(),
): Promise<string> {
  const { runPushdown } = await import("../../trail/pushdown/run.js");
  const sql = await runPushdown(
    { ...query, printSql: true },
    trailQueryWindow(request, now),
    { kind: "records", onRecord: () => {} },
    () => {},
  );
  // INVARIANT: with printSql, runPushdown returns the statement and sends nothing
  if (sql === null) throw new Error("internal: --print-sql ran a query");
  return sql;
}

/** Records of the trail, from files or from a query, bounded to MAX_RECORDS. */
interface ReadTrail {
  records: CloudTrailRecord[];
  dropped: number;
  skipped: Skipped[];
  /** What was read, for the checked line. */
  detail: string;
}

/** Records kept without the bodies only issuances and changes need; failures keep `resources` (the owner account). */
function keeper(trail: TrailModule): (r: CloudTrailRecord) => CloudTrailRecord {
  const essential = trail.essentialRecord;
  if (!essential) return (r) => r;
  return (r) => {
    const e = essential(r);
    return r.errorCode && r.resources !== undefined && e.resources === undefined
      ? { ...e, resources: r.resources }
      : e;
  };
}

async function readFiles(trail: TrailModule, paths: string[], centre: number): Promise<ReadTrail> {
  const opts: ReadOptions = Number.isNaN(centre)
    ? {}
    : { since: centre - CHANGES_BEFORE_MS, until: centre + TIMELINE_HALF_MS };
  // Worker threads pay off on large inputs only; a case's own trail folder is read in this thread.
  if (await smallerThan(paths, SMALL_TRAIL_BYTES)) opts.workers = 0;
  const reader = trail.readTrail(paths, opts);
  const records: CloudTrailRecord[] = [];
  let dropped = 0;
  // kept without the bodies only issuances and changes need: memory stays bounded on large windows
  const keep = keeper(trail);
  for await (const r of reader) {
    if (records.length < MAX_RECORDS) records.push(keep(r));
    else dropped++;
  }
  const detail = `${records.length} records from ${reader.files} file(s)${Number.isNaN(centre) ? "" : ` between ${iso(centre - CHANGES_BEFORE_MS)} and ${iso(centre + TIMELINE_HALF_MS)}`}${reader.skipped.length ? `; ${reader.skipped.length} skipped` : ""}`;
  return { records, dropped, skipped: [...reader.skipped], detail };
}

async function readQuery(
  trail: TrailModule,
  query: TrailQuery,
  live: boolean,
  request: RequestFacts,
  log: (line: string) => void,
): Promise<ReadTrail> {
  const { runPushdown } = await import("../../trail/pushdown/run.js");
  const w = trailQueryWindow(request);
  const records: CloudTrailRecord[] = [];
  let dropped = 0;
  const keep = keeper(trail);
  const lines: string[] = [];
  await runPushdown(
    { ...query, live },
    w,
    {
      kind: "records",
      onRecord: (r) => {
        if (records.length < MAX_RECORDS) records.push(keep(r));
        else dropped++;
      },
    },
    (line) => {
      lines.push(line);
      log(line);
    },
  );
  const where = query.lake !== undefined ? `CloudTrail Lake ${query.lake}` : `Athena ${query.athena}`;
  const scanned = lines.find((l) => l.startsWith("query "));
  const detail = `${records.length} records from ${where} between ${iso(w.since!)} and ${w.until !== undefined ? iso(w.until) : "now"}${w.regions ? ` in ${w.regions.join(", ")}` : ""}${scanned ? ` (${scanned})` : ""}`;
  return { records, dropped, skipped: [], detail };
}

/** Read the trail (files, or a query with `query`) and turn it into signals and a timeline. */
export async function trailSource(
  paths: string[],
  ctx: {
    request: RequestFacts;
    failure: Failure | null;
    keyIds: string[];
    explicit: Set<string>;
    query?: TrailQuery;
    live?: boolean;
    log?: (line: string) => void;
  },
): Promise<SourceOutcome> {
  const out = emptyOutcome();
  if (paths.length === 0 && !ctx.query) {
    out.checked.push({ source: "trail", status: "not-given", detail: "no --trail" });
    out.unknowns.push({
      what: "no CloudTrail records",
      why: "could not check which session made the call, what happened around the failure or what changed before it",
      needs: LOOKUP_HINT,
    });
    return out;
  }
  const loaded = await loadModule<TrailModule>(() => import("../../trail/index.js"));
  if (!loaded.ok) {
    out.checked.push({ source: "trail", status: "skipped", detail: `CloudTrail analysis ${loaded.reason}` });
    out.unknowns.push({ what: "CloudTrail evidence", why: `the CloudTrail analysis is ${loaded.reason}` });
    return out;
  }
  const trail = loaded.mod;
  let time = ctx.request.time;
  let centre = time ? Date.parse(time) : Number.NaN;
  let read: ReadTrail;
  if (ctx.query) {
    try {
      read = await readQuery(trail, ctx.query, ctx.live === true, ctx.request, ctx.log ?? (() => {}));
    } catch (err) {
      const e = err as Error & { input?: string };
      const what = ctx.query.lake !== undefined ? "--lake" : "--athena";
      out.checked.push({ source: "trail", status: "skipped", detail: redactText(`${what}: ${e.message}`) });
      out.unknowns.push({
        what: "CloudTrail records around the failure",
        why: redactText(`the ${what} query did not run: ${e.message.split("\n")[0]}`),
        needs: `${what} with --live (read-only Athena/CloudTrail Lake permissions), or ${LOOKUP_HINT}`,
      });
      return out;
    }
  } else {
    read = await readFiles(trail, paths, centre);
  }
  const { records, dropped, detail } = read;
  for (const s of read.skipped) {
    out.unknowns.push({ what: `CloudTrail input \`${s.file}\` (part) not read`, why: s.reason });
  }
  if (dropped > 0) {
    out.unknowns.push({
      what: `${dropped} CloudTrail records beyond the first ${MAX_RECORDS}`,
      why: "not analysed",
      needs: "a narrower --trail folder or --time",
    });
  }
  if (records.length === 0) {
    out.checked.push({ source: "trail", status: "used", detail: `${detail}: nothing in the window` });
    out.unknowns.push({
      what: "CloudTrail records around the failure",
      why: "the trail given holds none in the window",
      needs: LOOKUP_HINT,
    });
    return out;
  }
  out.checked.push({ source: "trail", status: "used", detail });

  const keyId = ctx.keyIds[0];
  let principal = ctx.request.principal;
  if (!principal) {
    // Request inference: the session the trail shows being issued last before the failure (src/diagnose/infer.ts).
    const offers = inferFromIssuance(records, {
      ...(time ? { time } : {}),
      failure: ctx.failure,
    });
    if (offers.length > 0) {
      out.offers = offers;
      principal = offers.find((o) => o.field === "principal")?.value;
      const t = offers.find((o) => o.field === "time");
      if (t && Number.isNaN(centre)) {
        time = t.value;
        centre = Date.parse(t.value);
      }
      out.checked.push({
        source: "trail: request",
        status: "used",
        detail: `no principal given: took ${principal}, from ${offers[0]!.label}`,
      });
    }
  }
  if (Number.isNaN(centre)) {
    // No time given: the latest matching failure of this principal or key in the trail stands in for it.
    const found = lastMatchingFailure(records, { principal, keyIds: ctx.keyIds, code: ctx.failure?.code });
    if (found) {
      time = found.time;
      centre = Date.parse(found.time);
      out.inferredTime = found.time;
      out.checked.push({
        source: "trail: failure time",
        status: "used",
        detail: `no time given: took ${found.time}, the latest ${found.what} in the trail`,
      });
    }
  }
  if (!ctx.request.resourceAccount && !accountOfArn(ctx.request.resource)) {
    const owner = resourceOwner(records, {
      principal,
      keyIds: ctx.keyIds,
      resource: ctx.request.resource,
      action: ctx.request.action,
      centre,
    });
    if (owner) {
      out.inferredResourceAccount = owner;
      out.checked.push({
        source: "trail: resource account",
        status: "used",
        detail: `the resource's ARN names no account: ${owner.account} from the failing record's ${owner.field}`,
      });
    }
  }
  const sess = trail.sessions(records);
  const chg = trail.changes(records);
  let tl: TrailTimeline | undefined;
  if (!Number.isNaN(centre)) {
    tl = trail.timeline(records, {
      around: new Date(centre).toISOString(),
      windowMs: TIMELINE_HALF_MS,
      ...(keyId ? { keyId } : principal ? { principal } : {}),
    });
    out.timeline = buildTimeline(tl, chg, centre, { principal, keyId });
    const last = lastSuccess(records, centre, { principal, keyIds: ctx.keyIds });
    if (last && !out.timeline.some((r) => r.time === last.time && r.event === last.event)) {
      out.timeline.push(last);
      out.timeline.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    }
  } else {
    out.unknowns.push({
      what: "the timeline around the failure",
      why: "the failure time is unknown",
      needs: "--time ISO8601 (or `time` in case.json)",
    });
  }
  {
    const signals = trailSignals({
      // records are given, so trailSignals reads issuances and changes from them itself
      records,
      ...(ctx.failure ? { failure: ctx.failure } : {}),
      ...(time ? { time } : {}),
      ...(principal ? { principal } : {}),
      ...(keyId ? { keyId } : {}),
    });
    out.signals.push(...signals.map((s) => ({ ...s, text: redactText(s.text) })));
  }
  out.signals.push(
    ...correlate({
      failure: ctx.failure,
      ...(ctx.request.region ? { region: ctx.request.region } : {}),
      ...(time ? { time } : {}),
      ...(principal ? { principal } : {}),
      keyIds: ctx.keyIds,
      sessions: sess.sessions,
      ...regionActivity(records, ctx.request, ctx.failure),
    }),
  );
  return out;
}

/** The 12-digit account of an ARN, when it names one (S3 bucket and object ARNs do not). */
function accountOfArn(arn: string | undefined): string | undefined {
  return /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn ?? "")?.[1];
}

/**
 * The account owning the failing call's resource, from the failing record: its `resources[].accountId` (the entry
 * for the resource, else the only one naming an account), else its `recipientAccountId`
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 * The failing record is the failed call of this principal or key nearest the failure time, of the action when known.
 */
function resourceOwner(
  records: CloudTrailRecord[],
  who: {
    principal?: string | undefined;
    keyIds: string[];
    resource?: string | undefined;
    action?: string | undefined;
    centre: number;
  },
): { account: string; field: string } | undefined {
  const keys = new Set(who.keyIds);
  const op = who.action?.split(":")[1]?.toLowerCase();
  let best: CloudTrailRecord | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const r of records) {
    if (!r.errorCode) continue;
    const u = r.userIdentity;
    const mine =
      (who.principal !== undefined &&
        (u?.arn === who.principal || u?.sessionContext?.sessionIssuer?.arn === who.principal)) ||
      (u?.accessKeyId !== undefined && keys.has(u.accessKeyId));
    if (!mine) continue;
    if (op && r.eventName?.toLowerCase() !== op) continue;
    const t = Date.parse(r.eventTime ?? "");
    const d = Number.isNaN(who.centre) || Number.isNaN(t) ? 0 : Math.abs(t - who.centre);
    if (d < bestD) {
      bestD = d;
      best = r;
    }
  }
  if (!best) return undefined;
  const res = Array.isArray(best.resources)
    ? (best.resources as { ARN?: unknown; accountId?: unknown }[])
    : [];
  const named = res.filter((x) => typeof x?.accountId === "string" && /^\d{12}$/.test(x.accountId as string));
  const match =
    named.find((x) => who.resource !== undefined && x.ARN === who.resource) ??
    (named.length === 1 ? named[0] : undefined);
  if (match) return { account: match.accountId as string, field: "resources[].accountId" };
  const rcpt = best.recipientAccountId;
  if (typeof rcpt === "string" && /^\d{12}$/.test(rcpt))
    return { account: rcpt, field: "recipientAccountId" };
  return undefined;
}

const REGION_CODES =
  /^(AuthFailure|InvalidClientTokenId|UnrecognizedClientException|OptInRequired|InvalidToken|InvalidAccessKeyId)$/;

/** The last successful call of the failing key (else principal) before the failure, as a timeline row. */
function lastSuccess(
  records: CloudTrailRecord[],
  centre: number,
  who: { principal?: string | undefined; keyIds: string[] },
): TimelineEntry | undefined {
  const keys = new Set(who.keyIds);
  let best: CloudTrailRecord | undefined;
  let bestT = Number.NEGATIVE_INFINITY;
  for (const r of records) {
    if (r.errorCode || !r.eventTime) continue;
    const u = r.userIdentity;
    const mine =
      keys.size > 0
        ? u?.accessKeyId !== undefined && keys.has(u.accessKeyId)
        : who.principal !== undefined && u?.arn === who.principal;
    if (!mine) continue;
    const t = Date.parse(r.eventTime);
    if (t < centre && t > bestT) {
      bestT = t;
      best = r;
    }
  }
  if (!best) return undefined;
  return {
    time: new Date(bestT).toISOString().replace(/\.000Z$/, "Z"),
    event: `${service(best.eventSource ?? "?")}:${best.eventName ?? "?"}`,
    kind: "call",
    actor: redactText(best.userIdentity?.arn ?? "?"),
    ...(best.awsRegion ? { region: best.awsRegion } : {}),
    detail: `last successful call ${keys.size > 0 ? "with this key" : "of this principal"} before the failure`,
  };
}

/** The latest failed call in the trail that matches the failing principal or key (and code, when known). */
function lastMatchingFailure(
  records: CloudTrailRecord[],
  who: { principal?: string | undefined; keyIds: string[]; code?: string | undefined },
): { time: string; what: string } | undefined {
  if (!who.principal && who.keyIds.length === 0) return undefined;
  const keys = new Set(who.keyIds);
  let best: CloudTrailRecord | undefined;
  let bestT = Number.NEGATIVE_INFINITY;
  for (const r of records) {
    if (!r.errorCode || !r.eventTime) continue;
    if (who.code && !r.errorCode.toLowerCase().includes(who.code.toLowerCase().replace(/exception$/, "")))
      continue;
    const u = r.userIdentity;
    const mine =
      (who.principal &&
        (u?.arn === who.principal || u?.sessionContext?.sessionIssuer?.arn === who.principal)) ||
      (u?.accessKeyId !== undefined && keys.has(u.accessKeyId));
    if (!mine) continue;
    const t = Date.parse(r.eventTime);
    if (t > bestT) {
      bestT = t;
      best = r;
    }
  }
  if (!best) return undefined;
  return {
    time: new Date(bestT).toISOString().replace(/\.000Z$/, "Z"),
    what: `${best.errorCode} of ${service(best.eventSource ?? "?")}:${best.eventName ?? "?"}`,
  };
}

/** Successful calls in the failing region, in the failing principal's account. */
function regionActivity(
  records: CloudTrailRecord[],
  req: RequestFacts,
  failure: Failure | null,
): { regionActivity?: { region: string; account?: string; calls: number; example?: string } } {
  const region = req.region;
  // Only failures a disabled region can explain (docs/aws-facts.md §1.10, §1.11) look at the region's activity.
  if (!failure?.code || !REGION_CODES.test(failure.code)) return {};
  const account = failure?.principal?.account ?? /^arn:[^:]+:[^:]*::(\d{12}):/.exec(req.principal ?? "")?.[1];
  if (!region || !account) return {};
  let calls = 0;
  let example: string | undefined;
  for (const r of records) {
    if (r.awsRegion !== region || r.errorCode || r.recipientAccountId !== account) continue;
    calls++;
    example ??= `${service(r.eventSource ?? "?")}:${r.eventName ?? "?"} at ${r.eventTime ?? "?"}`;
  }
  return { regionActivity: { region, account, calls, ...(example ? { example } : {}) } };
}

/** Trails below this many bytes are read without worker threads. */
const SMALL_TRAIL_BYTES = 32 << 20;

/** Whether the files under `paths` add up to less than `limit` bytes (stdin counts as large). */
async function smallerThan(paths: string[], limit: number): Promise<boolean> {
  let total = 0;
  let seen = 0;
  const walk = async (p: string): Promise<boolean> => {
    if (p === "-") return false;
    let st: Stats;
    try {
      st = await stat(p);
    } catch {
      return true;
    }
    if (st.isFile()) {
      total += st.size;
      return total < limit;
    }
    if (!st.isDirectory()) return true;
    for (const e of await readdir(p)) {
      if (++seen > 5000) return false;
      if (!(await walk(join(p, e)))) return false;
    }
    return true;
  };
  for (const p of paths) if (!(await walk(p))) return false;
  return true;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function service(eventSource: string): string {
  return eventSource.replace(/\.amazonaws\.com$/, "");
}

/** The report's timeline: events around the failure plus related access changes of the day before. */
function buildTimeline(
  tl: TrailTimeline,
  chg: TrailChanges,
  centre: number,
  who: { principal?: string | undefined; keyId?: string | undefined },
): TimelineEntry[] {
  const rows: TimelineEntry[] = [];
  const seen = new Set<string>();
  const push = (row: TimelineEntry) => {
    const k = `${row.time}|${row.event}|${row.actor ?? ""}`;
    if (seen.has(k)) return;
    seen.add(k);
    rows.push(row);
  };
  for (const e of tl.entries) {
    push({
      time: e.time,
      event: `${service(e.eventSource)}:${e.eventName}`,
      kind: e.kind,
      actor: redactText(e.principal),
      ...(e.region ? { region: e.region } : {}),
      ...(e.errorCode ? { error: e.errorCode } : {}),
      ...(e.detail
        ? { detail: redactText(e.detail) }
        : e.errorMessage
          ? { detail: redactText(e.errorMessage) }
          : {}),
    });
  }
  const subjects = subjectNames(who);
  for (const c of chg.changes) {
    const t = Date.parse(c.time);
    if (!(t <= centre && t >= centre - CHANGES_BEFORE_MS)) continue;
    const related = subjects.size === 0 || c.subjects.some((s) => subjects.has(s.toLowerCase()));
    if (!related) continue;
    push({
      time: c.time,
      event: `${service(c.eventSource)}:${c.eventName}`,
      kind: "change",
      actor: redactText(c.actor),
      ...(c.region ? { region: c.region } : {}),
      ...(c.succeeded ? {} : { error: c.errorCode ?? "failed" }),
      detail: redactText(`${c.target}${c.detail ? `: ${c.detail}` : ""}`),
    });
  }
  rows.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  if (rows.length <= MAX_ROWS) return rows;
  // Keep the changes and the rows nearest to the failure.
  const keep = rows
    .map((r, i) => ({ r, i, d: r.kind === "change" ? -1 : Math.abs(Date.parse(r.time) - centre) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, MAX_ROWS)
    .sort((a, b) => a.i - b.i);
  return keep.map((k) => k.r);
}

/** Names a change may be about for this principal or key: role/user name, masked key id. */
function subjectNames(who: { principal?: string | undefined; keyId?: string | undefined }): Set<string> {
  const out = new Set<string>();
  if (who.keyId) {
    out.add(maskKeyId(who.keyId).toLowerCase());
    out.add(who.keyId.toLowerCase());
  }
  const p = who.principal;
  if (p) {
    const m = /:(?:assumed-role|role|user)\/(.+)$/.exec(p);
    if (m) {
      const parts = m[1]!.split("/");
      const name = p.includes(":assumed-role/") ? parts[0]! : parts[parts.length - 1]!;
      out.add(name.toLowerCase());
    }
    out.add(p.toLowerCase());
  }
  return out;
}
