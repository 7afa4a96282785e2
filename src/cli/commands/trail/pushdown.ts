// `trail <subcommand> --athena DB.TABLE | --lake EVENT_DATA_STORE`: flags -> the analysis as SQL where the logs
// are (src/trail/pushdown) -> the same renderer as for files.

import { InputError } from "../../../core/input-error.js";
import type { CloudTrailRecord, RecordKind } from "../../../trail/types.js";
import { readOptions, type TrailFlags } from "./shared.js";

/** The flags of any trail subcommand a push-down run may read. */
export interface PushdownFlags extends TrailFlags {
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

/** Whether the flags ask for push-down. */
export function isPushdown(f: TrailFlags): boolean {
  return f.athena !== undefined || f.lake !== undefined;
}

const PUSHDOWN_DEFAULT_SINCE = "7d";

/** `trail <sub> --athena/--lake`: the analysis as SQL where the logs are, rendered like a local one. */
export async function runPushdownCommand(sub: string, paths: string[], o: PushdownFlags): Promise<number> {
  const out = await pushdownText(sub, paths, o);
  const { writeOutput, writePieces } = await import("../../output.js");
  if (typeof out === "string") await writeOutput(out);
  else await writePieces(out);
  return 0;
}

async function pushdownText(
  sub: string,
  paths: string[],
  o: PushdownFlags,
): Promise<string | Iterable<string>> {
  if (paths.length > 0) throw new InputError(paths[0]!, "give files/folders or --athena/--lake, not both");
  const { runPushdown } = await import("../../../trail/pushdown/run.js");
  const { SummaryAccumulator } = await import("../../../trail/summary.js");
  const { SessionsAccumulator } = await import("../../../trail/sessions.js");
  const { ChangesAccumulator } = await import("../../../trail/changes.js");
  const { parseTimeBound } = await import("../../../trail/files.js");
  const { parseWindow, TimelineAccumulator } = await import("../../../trail/timeline.js");
  const { jsonPieces } = await import("../../../report/json-stream.js");
  const { renderChanges, renderExplain, renderSessions, renderSummary, renderTimeline } = await import(
    "../../../report/trail.js"
  );
  const { stdoutStyle } = await import("../../output.js");
  const style = stdoutStyle();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const opts = await readOptions(o);
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
    let acc: InstanceType<typeof TimelineAccumulator>;
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
    const { ExplainAccumulator } = await import("../../../trail/explain.js");
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
      const { loadEvaluationEnv } = await import("../../../iam/env.js");
      const { warn } = await import("../../output.js");
      const loaded = await loadEvaluationEnv({
        ...(o.authz ? { authz: [o.authz] } : {}),
        ...(o.scp ? { scp: o.scp } : {}),
        ...(o.rcp ? { rcp: o.rcp } : {}),
      });
      for (const w of loaded.warnings) warn(w);
      env = loaded.env;
    }
    const res = await acc.result(env, o.limit ? Number(o.limit) : 50);
    return o.json ? json({ ...res, files: 0, skipped: [] }) : renderExplain(res, style, []);
  }
  throw new InputError(
    "trail",
    `unknown subcommand \`${sub}\` (summary, sessions, timeline, changes, explain)`,
  );
}
