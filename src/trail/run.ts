// The `authdoctor trail` command implementation: reads the inputs, runs one analysis, prints text or JSON.

import { InputError } from "../core/input-error.js";
import { jsonPieces } from "../report/json-stream.js";
import { colourEnabled, makeStyle } from "../report/style.js";
import { ChangesAccumulator } from "./changes.js";
import { parseTimeBound } from "./files.js";
import type { PushdownCliOptions } from "./pushdown/run.js";
import { readTrail } from "./read.js";
import { renderChanges, renderSessions, renderSummary, renderTimeline } from "./render.js";
import { sessionsTrail } from "./sessions-files.js";
import { summarizeTrail } from "./summarize-files.js";
import { parseWindow, TimelineAccumulator } from "./timeline.js";
import type { CloudTrailRecord, ReadOptions, RecordKind, Skipped } from "./types.js";

/** Options shared by every `trail` subcommand, as commander hands them over. */
export interface TrailCliOptions extends PushdownCliOptions {
  json?: boolean;
  since?: string;
  until?: string;
  region?: string[];
  workers?: string;
  progress?: boolean;
  around?: string;
  window?: string;
  principal?: string;
  key?: string;
  role?: string;
  limit?: string;
  authz?: string;
  scp?: string[];
  rcp?: string[];
}

/** A progress bar on stderr (only on a TTY), redrawn at most ten times a second. */
function progressBar(enabled: boolean): {
  onProgress?: (done: number, total: number) => void;
  clear(): void;
} {
  if (!enabled || !process.stderr.isTTY) return { clear() {} };
  let last = 0;
  let drawn = false;
  return {
    onProgress(done, total) {
      const now = Date.now();
      if (now - last < 100 || total <= 0) return;
      last = now;
      drawn = true;
      const frac = Math.min(1, done / total);
      const width = 30;
      const fill = Math.round(frac * width);
      process.stderr.write(
        `\r[${"#".repeat(fill)}${"-".repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)}% ${done}/${total} files`,
      );
    },
    clear() {
      if (drawn) process.stderr.write("\r\u001b[K");
    },
  };
}

function readOptions(o: TrailCliOptions, onProgress?: (d: number, t: number) => void): ReadOptions {
  const opts: ReadOptions = {};
  if (o.since) {
    if (parseTimeBound(o.since) === undefined)
      throw new InputError("--since", `cannot read time \`${o.since}\``);
    opts.since = o.since;
  }
  if (o.until) {
    if (parseTimeBound(o.until) === undefined)
      throw new InputError("--until", `cannot read time \`${o.until}\``);
    opts.until = o.until;
  }
  const regions = (o.region ?? [])
    .flatMap((r) => r.split(","))
    .map((r) => r.trim())
    .filter(Boolean);
  if (regions.length > 0) opts.regions = regions;
  if (o.workers !== undefined) {
    const n = Number(o.workers);
    if (!Number.isInteger(n) || n < 0)
      throw new InputError("--workers", `expected a whole number, got \`${o.workers}\``);
    opts.workers = n;
  }
  if (onProgress) opts.onProgress = onProgress;
  return opts;
}

/**
 * Fail with exit code 2 when no input could be read at all, or when the inputs hold no log file and no
 * filter explains it (a window or region that prunes every file is an empty result, not an error).
 */
function checkInputs(paths: string[], files: number, skipped: Skipped[], filtered = false): void {
  if (files > 0) return;
  const unreadable = paths.filter((p) => skipped.some((s) => s.file === p));
  if (unreadable.length === paths.length && skipped.length > 0) {
    const first = skipped[0]!;
    throw new InputError(first.file, first.reason);
  }
  if (!filtered) throw new InputError(paths.join(" "), "no CloudTrail files found");
}

function isFiltered(o: TrailCliOptions): boolean {
  return Boolean(o.since || o.until || (o.region && o.region.length > 0));
}

/** Run one subcommand; returns the text to print. */
export async function runTrail(
  sub: string,
  paths: string[],
  o: TrailCliOptions,
): Promise<string | Iterable<string>> {
  if (o.athena !== undefined || o.lake !== undefined) return runTrailPushdown(sub, paths, o);
  if (paths.length === 0) throw new InputError("trail", "give at least one file, folder or `-` (stdin)");
  const style = makeStyle(colourEnabled(process.stdout));
  const bar = progressBar(o.progress !== false);
  const json = (v: unknown) => JSON.stringify(v, null, 2);
  try {
    if (sub === "summary") {
      const r = await summarizeTrail(paths, readOptions(o, bar.onProgress));
      bar.clear();
      checkInputs(paths, r.files, r.skipped, isFiltered(o));
      return o.json ? json(r) : renderSummary(r, style);
    }
    if (sub === "sessions") {
      const { result: res, files, skipped } = await sessionsTrail(paths, readOptions(o, bar.onProgress));
      bar.clear();
      checkInputs(paths, files, skipped, isFiltered(o));
      if (o.json) return jsonPieces({ ...res, files, skipped }, "sessions");
      return renderSessions(res, style, skipped, o.limit ? Number(o.limit) : 30);
    }
    if (sub === "timeline") {
      if (!o.around) throw new InputError("--around", "timeline needs `--around TIME` (ISO 8601)");
      const windowMs = parseWindow(o.window);
      if (Number.isNaN(windowMs))
        throw new InputError("--window", `cannot read duration \`${o.window}\` (e.g. 10m, 90s, 2h)`);
      let acc: TimelineAccumulator;
      try {
        acc = new TimelineAccumulator({
          around: o.around,
          windowMs,
          ...(o.principal ? { principal: o.principal } : {}),
          ...(o.key ? { keyId: o.key } : {}),
          ...(o.role ? { role: o.role } : {}),
        });
      } catch (err) {
        throw new InputError("--around", (err as Error).message);
      }
      const b = acc.bounds();
      const opts = readOptions(o, bar.onProgress);
      // Prune files by the window; a user-given --since/--until narrows it further.
      opts.since = Math.max(b.since, parseTimeBound(opts.since) ?? b.since);
      opts.until = Math.min(b.until, parseTimeBound(opts.until) ?? b.until);
      const reader = readTrail(paths, opts);
      for await (const r of reader) acc.add(r);
      bar.clear();
      checkInputs(paths, reader.files, reader.skipped, isFiltered(o) || sub === "timeline");
      const res = acc.result();
      if (o.json) return json({ ...res, files: reader.files, skipped: reader.skipped });
      return renderTimeline(res, style, reader.skipped);
    }
    if (sub === "changes") {
      const windowMs = parseWindow(o.window, 1_800_000);
      if (Number.isNaN(windowMs))
        throw new InputError("--window", `cannot read duration \`${o.window}\` (e.g. 30m)`);
      const acc = new ChangesAccumulator({ afterMs: windowMs });
      // only failures and access changes are read: the others are never parsed
      const reader = readTrail(paths, { ...readOptions(o, bar.onProgress), only: ["failure", "change"] });
      for await (const r of reader) acc.add(r);
      bar.clear();
      checkInputs(paths, reader.files, reader.skipped, isFiltered(o));
      const res = acc.result();
      if (o.json) {
        // policy documents can be large: keep them in JSON, they are the evidence; written change by change
        return jsonPieces({ ...res, files: reader.files, skipped: reader.skipped }, "changes");
      }
      return renderChanges(res, style, reader.skipped);
    }
    if (sub === "explain") {
      const { runExplain } = await import("./explain-run.js");
      const out = await runExplain(paths, o, readOptions(o, bar.onProgress), style);
      bar.clear();
      return out;
    }
    throw new InputError(
      "trail",
      `unknown subcommand \`${sub}\` (summary, sessions, timeline, changes, explain)`,
    );
  } finally {
    bar.clear();
  }
}

/** Default window of a push-down query without --since: a query over a whole organization trail is never implied. */
const PUSHDOWN_DEFAULT_SINCE = "7d";

/** `trail <sub> --athena/--lake`: the analysis as SQL where the logs are, rendered like a local one. */
async function runTrailPushdown(
  sub: string,
  paths: string[],
  o: TrailCliOptions,
): Promise<string | Iterable<string>> {
  if (paths.length > 0) throw new InputError(paths[0]!, "give files/folders or --athena/--lake, not both");
  const { runPushdown } = await import("./pushdown/run.js");
  const { SummaryAccumulator } = await import("./summary.js");
  const { SessionsAccumulator } = await import("./sessions.js");
  const style = makeStyle(colourEnabled(process.stdout));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const opts = readOptions(o);
  if (opts.since === undefined && sub !== "timeline") {
    opts.since = PUSHDOWN_DEFAULT_SINCE;
    log(`window: --since ${PUSHDOWN_DEFAULT_SINCE} (no --since given)`);
  }
  const window = {
    ...(parseTimeBound(opts.since) !== undefined ? { since: parseTimeBound(opts.since)! } : {}),
    ...(parseTimeBound(opts.until) !== undefined ? { until: parseTimeBound(opts.until)! } : {}),
    ...(opts.regions ? { regions: opts.regions } : {}),
  };
  const json = (v: unknown) => JSON.stringify(v, null, 2);
  if (sub === "summary") {
    const acc = new SummaryAccumulator();
    const sql = await runPushdown(o, window, { kind: "summary", onState: (s) => acc.merge(s) }, log);
    if (sql !== null) return sql;
    const r = acc.result(0, []);
    return o.json ? json(r) : renderSummary(r, style);
  }
  if (sub === "sessions") {
    const acc = new SessionsAccumulator();
    const sql = await runPushdown(o, window, { kind: "records", onRecord: (r) => acc.add(r) }, log);
    if (sql !== null) return sql;
    const res = acc.result();
    if (o.json) return jsonPieces({ ...res, files: 0, skipped: [] }, "sessions");
    return renderSessions(res, style, [], o.limit ? Number(o.limit) : 30);
  }
  if (sub === "timeline") {
    if (!o.around) throw new InputError("--around", "timeline needs `--around TIME` (ISO 8601)");
    const windowMs = parseWindow(o.window);
    if (Number.isNaN(windowMs))
      throw new InputError("--window", `cannot read duration \`${o.window}\` (e.g. 10m, 90s, 2h)`);
    let acc: TimelineAccumulator;
    try {
      acc = new TimelineAccumulator({
        around: o.around,
        windowMs,
        ...(o.principal ? { principal: o.principal } : {}),
        ...(o.key ? { keyId: o.key } : {}),
        ...(o.role ? { role: o.role } : {}),
      });
    } catch (err) {
      throw new InputError("--around", (err as Error).message);
    }
    const b = acc.bounds();
    const w = {
      ...window,
      since: Math.max(b.since, window.since ?? b.since),
      until: Math.min(b.until, window.until ?? b.until),
    };
    const sql = await runPushdown(o, w, { kind: "records", onRecord: (r) => acc.add(r) }, log);
    if (sql !== null) return sql;
    const res = acc.result();
    return o.json ? json({ ...res, files: 0, skipped: [] }) : renderTimeline(res, style, []);
  }
  if (sub === "changes") {
    const windowMs = parseWindow(o.window, 1_800_000);
    if (Number.isNaN(windowMs))
      throw new InputError("--window", `cannot read duration \`${o.window}\` (e.g. 30m)`);
    const acc = new ChangesAccumulator({ afterMs: windowMs });
    const plan = {
      kind: "records" as const,
      only: ["failure", "change"] as RecordKind[],
      onRecord: (r: CloudTrailRecord) => acc.add(r),
    };
    const sql = await runPushdown(o, window, plan, log);
    if (sql !== null) return sql;
    const res = acc.result();
    if (o.json) return jsonPieces({ ...res, files: 0, skipped: [] }, "changes");
    return renderChanges(res, style, []);
  }
  if (sub === "explain") {
    const { ExplainAccumulator } = await import("./explain.js");
    const { renderExplain } = await import("./explain-run.js");
    const acc = new ExplainAccumulator();
    const plan = {
      kind: "records" as const,
      only: ["denied", "change"] as RecordKind[],
      onRecord: (r: CloudTrailRecord) => acc.add(r),
    };
    const sql = await runPushdown(o, window, plan, log);
    if (sql !== null) return sql;
    let env = null;
    if (o.authz || o.scp?.length || o.rcp?.length) {
      const { loadEnv } = await import("../iam/can-command.js");
      env = await loadEnv({
        ...(o.authz ? { authz: [o.authz] } : {}),
        ...(o.scp ? { scp: o.scp } : {}),
        ...(o.rcp ? { rcp: o.rcp } : {}),
      });
    }
    const res = await acc.result(env, o.limit ? Number(o.limit) : 50);
    return o.json ? json({ ...res, files: 0, skipped: [] }) : renderExplain(res, style, []);
  }
  throw new InputError(
    "trail",
    `unknown subcommand \`${sub}\` (summary, sessions, timeline, changes, explain)`,
  );
}
