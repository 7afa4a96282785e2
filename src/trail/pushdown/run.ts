// `trail <analysis> --athena DB.TABLE | --lake EVENT_DATA_STORE`: the analysis as SQL run where the logs are, its
// rows fed to the same accumulators as local files (same report shapes). Offline with --print-sql; otherwise only
// with --live, every call on the read-only allow-list and in the audit printed on stderr.

import { InputError } from "../../core/input-error.js";
import type { RecordKind } from "../types.js";
import { type Row, rowToRecord, summaryStateOf } from "./rows.js";
import {
  isSelectOnly,
  parseAthenaTable,
  parseEventDataStore,
  QueryNameError,
  type QueryTarget,
  type QueryWindow,
  recordsSql,
  summarySql,
} from "./sql.js";

export interface PushdownCliOptions {
  athena?: string;
  lake?: string;
  workgroup?: string;
  outputLocation?: string;
  partitioning?: string;
  maxScanGb?: string;
  printSql?: boolean;
  live?: boolean;
  profile?: string;
  queryRegion?: string;
  /** `--sso-refresh`: an expired SSO token is refreshed in memory (src/live/credentials.ts). */
  ssoRefresh?: boolean;
}

/** What the analysis needs from the query. */
export type PushdownPlan =
  | { kind: "summary"; onState(state: ReturnType<typeof summaryStateOf>): void }
  | { kind: "records"; only?: RecordKind[]; onRecord(r: ReturnType<typeof rowToRecord>): void };

/** Whether the options ask for push-down. */
export function wantsPushdown(o: PushdownCliOptions): boolean {
  return o.athena !== undefined || o.lake !== undefined;
}

const PARTITIONINGS = ["auto", "projection", "partitions", "none"] as const;

function targetOf(o: PushdownCliOptions, partitioning: "projection" | "partitions" | "none", region = false) {
  try {
    if (o.athena !== undefined && o.lake !== undefined)
      throw new InputError("--athena", "give --athena or --lake, not both");
    if (o.lake !== undefined)
      return { engine: "lake", eventDataStore: parseEventDataStore(o.lake) } satisfies QueryTarget;
    return {
      engine: "athena",
      table: parseAthenaTable(o.athena ?? ""),
      partitioning,
      ...(region ? { regionPartition: true } : {}),
    } satisfies QueryTarget;
  } catch (err) {
    if (err instanceof QueryNameError)
      throw new InputError(o.lake !== undefined ? "--lake" : "--athena", err.message);
    throw err;
  }
}

function sqlOf(t: QueryTarget, w: QueryWindow, plan: PushdownPlan): string {
  let sql: string;
  try {
    sql = plan.kind === "summary" ? summarySql(t, w) : recordsSql(t, w, plan.only);
  } catch (err) {
    if (err instanceof QueryNameError) throw new InputError("--region", err.message);
    throw err;
  }
  // INVARIANT: only one generated SELECT is ever sent
  if (!isSelectOnly(sql)) throw new Error("internal: generated SQL is not one SELECT");
  return sql;
}

/**
 * Run the plan. Returns the SQL when --print-sql (nothing is sent); else feeds the plan and returns null.
 * `log` gets the estimate before the query and the audit after it (stderr).
 */
export async function runPushdown(
  o: PushdownCliOptions,
  w: QueryWindow,
  plan: PushdownPlan,
  log: (line: string) => void,
): Promise<string | null> {
  const part = (o.partitioning ?? "auto") as (typeof PARTITIONINGS)[number];
  if (!PARTITIONINGS.includes(part))
    throw new InputError(
      "--partitioning",
      `expected one of ${PARTITIONINGS.join(", ")}, got \`${o.partitioning}\``,
    );
  let maxScanBytes: number | undefined;
  if (o.maxScanGb !== undefined) {
    const gb = Number(o.maxScanGb);
    if (!Number.isFinite(gb) || gb <= 0)
      throw new InputError("--max-scan-gb", `expected a positive number, got \`${o.maxScanGb}\``);
    maxScanBytes = gb * 1e9;
  }
  if (o.printSql) {
    // offline: the partitioning is what the user said, or the projection layout of the AWS docs
    const t = targetOf(o, part === "auto" ? "projection" : part);
    return `${sqlOf(t, w, plan)};`;
  }
  if (!o.live)
    throw new InputError(
      o.lake !== undefined ? "--lake" : "--athena",
      "the query runs in your AWS account: add --live to run it, or --print-sql to see it",
    );
  const { liveContext } = await import("../../live/context.js");
  const { athenaTable, runAthena, runLake, QueryFailedError } = await import("../../live/query.js");
  let live: Awaited<ReturnType<typeof liveContext>>;
  try {
    live = await liveContext({
      ...(o.profile ? { profile: o.profile } : {}),
      ...(o.queryRegion ? { region: o.queryRegion } : {}),
      ...(o.ssoRefresh ? { ssoRefresh: true } : {}),
    });
  } catch (err) {
    throw new InputError("--live", (err as Error).message);
  }
  const { ctx, region } = live;
  let target: QueryTarget;
  let estimate: number | undefined;
  let estimateHow = "";
  try {
    if (o.lake !== undefined) {
      target = targetOf(o, "none");
      estimateHow = "not known before running (CloudTrail Lake reports the bytes scanned as the query runs)";
    } else {
      const [db, table] = (o.athena ?? "").split(".");
      const md = await athenaTable(ctx, region, db ?? "", table ?? "");
      const keys = md.partitionKeys;
      const detected = keys.includes("timestamp")
        ? "projection"
        : keys.includes("year") && keys.includes("month") && keys.includes("day")
          ? "partitions"
          : "none";
      target = targetOf(o, part === "auto" ? detected : part, keys.includes("region"));
      ({ estimate, how: estimateHow } = estimateAthena(md.parameters, w));
    }
    const sql = sqlOf(target, w, plan);
    log(
      `scan estimate: ${estimate !== undefined ? `${(estimate / 1e9).toFixed(2)} GB (${estimateHow})` : estimateHow}${maxScanBytes !== undefined ? `; limit --max-scan-gb ${maxScanBytes / 1e9}` : ""}`,
    );
    if (estimate !== undefined && maxScanBytes !== undefined && estimate > maxScanBytes)
      throw new InputError(
        "--max-scan-gb",
        `the query would scan about ${(estimate / 1e9).toFixed(2)} GB: narrow --since/--until/--region or raise the limit`,
      );
    const onRows = (rows: Row[]) => {
      if (plan.kind === "summary") plan.onState(summaryStateOf(rows));
      else for (const r of rows) plan.onRecord(rowToRecord(r, target.engine === "lake"));
    };
    const settings = { region, onRows, ...(maxScanBytes !== undefined ? { maxScanBytes } : {}) };
    const res =
      target.engine === "lake"
        ? await runLake(ctx, sql, settings)
        : await runAthena(ctx, sql, {
            ...settings,
            ...(o.workgroup ? { workgroup: o.workgroup } : {}),
            ...(o.outputLocation ? { outputLocation: o.outputLocation } : {}),
          });
    log(`query ${res.queryId}: ${res.rows} rows, ${(res.bytesScanned / 1e9).toFixed(3)} GB scanned`);
  } catch (err) {
    if (err instanceof QueryFailedError)
      throw new InputError(o.lake !== undefined ? "--lake" : "--athena", err.message);
    throw err;
  } finally {
    for (const a of ctx.audit)
      log(
        `audit: ${a.operation} ${a.region} ${a.endpoint} ${a.outcome} ${a.ms} ms${a.detail ? ` (${a.detail})` : ""}`,
      );
  }
  return null;
}

/**
 * Bytes an Athena query over the window would scan, from the table's own size statistics (`totalSize`, or
 * `rawDataSize`, when the Glue table has them) pro rata to the days of the window over the days the
 * projection range covers. Athena bills the compressed bytes it reads; CloudTrail tables rarely carry statistics,
 * so the estimate is often unknown: the running query is then watched and stopped past --max-scan-gb.
 */
export function estimateAthena(
  params: Record<string, string>,
  w: QueryWindow,
  now = Date.now(),
): { estimate?: number; how: string } {
  const size = Number(params.totalSize ?? params.rawDataSize ?? Number.NaN);
  if (!Number.isFinite(size) || size <= 0)
    return {
      how: "not known before running: the table has no size statistics (totalSize); the scan is watched as it runs",
    };
  const range = (params["projection.timestamp.range"] ?? "").split(",");
  const from = Date.parse((range[0] ?? "").trim().replace(/\//g, "-"));
  const toText = (range[1] ?? "").trim();
  const to = toText.toUpperCase().startsWith("NOW") ? now : Date.parse(toText.replace(/\//g, "-"));
  if (Number.isNaN(from) || Number.isNaN(to) || to <= from)
    return { estimate: size, how: "the whole table's size statistics (no projection range to prorate by)" };
  const lo = Math.max(from, w.since ?? from);
  const hi = Math.min(to, w.until ?? to);
  const frac = Math.max(0, Math.min(1, (hi - lo + 86_400_000) / (to - from + 86_400_000)));
  return {
    estimate: Math.round(size * frac),
    how: `table size statistics × ${(frac * 100).toFixed(1)}% of the projected days`,
  };
}
