// What the `trail` subcommands share: their common flags, reading them into read options, the progress bar, and
// the run pattern (flags -> one analysis -> one renderer -> output).
import { resolve } from "node:path";
import type { Command } from "commander";
import { InputError } from "../../../core/input-error.js";
import type { PushdownCliOptions } from "../../../trail/pushdown/run.js";
import type { ReadOptions, Skipped } from "../../../trail/types.js";

export const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Flags every `trail` subcommand takes. */
export interface TrailFlags extends PushdownCliOptions {
  json?: boolean;
  since?: string;
  until?: string;
  region?: string[];
  workers?: string;
  progress?: boolean;
}

/** Adds the shared flags to a subcommand. */
export function common(cmd: Command): Command {
  return cmd
    .option("--json", "print the versioned JSON object")
    .option("--since <time>", "only events at or after TIME (ISO 8601, or 30m/2h/7d ago)")
    .option("--until <time>", "only events at or before TIME")
    .option("--region <region>", "only events in REGION (repeatable, or comma separated)", collect)
    .option("--workers <n>", "worker threads (default: one per core for many files, 0 = none)")
    .option("--no-progress", "no progress bar on stderr")
    .option(
      "--athena <database.table>",
      "run the analysis as SQL on this Athena CloudTrail table (needs --live)",
    )
    .option("--lake <event-data-store>", "run the analysis as SQL on this CloudTrail Lake event data store")
    .option("--workgroup <name>", "Athena workgroup")
    .option("--output-location <s3-url>", "Athena query result location (when the workgroup sets none)")
    .option(
      "--partitioning <kind>",
      "Athena partitions: auto, projection, partitions (region/year/month/day), none",
    )
    .option("--max-scan-gb <n>", "refuse (estimate) or stop (running) a query scanning more than N GB")
    .option("--print-sql", "print the SQL of --athena/--lake and exit (offline)")
    .option("--live", "allow the --athena/--lake query (read-only calls, audited on stderr)")
    .option("--profile <name>", "AWS profile for --live")
    .option(
      "--sso-refresh",
      "with --live: refresh an expired SSO token in memory (SSO OIDC CreateToken, audited; ~/.aws/sso/cache is never written)",
    )
    .option("--query-region <region>", "region of the Athena workgroup or Lake event data store")
    .addHelpText(
      "after",
      `
Push-down: with --athena DATABASE.TABLE or --lake EVENT_DATA_STORE (no paths) the analysis runs as one SELECT where
the logs are, pruned to --since/--until/--region (default --since 7d), the scan estimate printed first; see
docs/trail-pushdown.md.
  $ authdoctor trail ${cmd.name()} --athena security.cloudtrail_logs --since 2d --region eu-west-1 --print-sql`,
    );
}

/** The shared flags as read options; a bad value is an InputError naming the flag. */
export async function readOptions(
  o: TrailFlags,
  onProgress?: (d: number, t: number) => void,
): Promise<ReadOptions> {
  const { parseTimeBound } = await import("../../../trail/files.js");
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

/** A progress bar on stderr (only on a TTY), redrawn at most ten times a second. */
export function progressBar(enabled: boolean): {
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

/**
 * Run one subcommand's analysis with the shared flags read and the progress bar drawn, then render and write its
 * result: `analyse` is the one library call, `render` the one renderer.
 */
export async function runTrailCommand<T extends { skipped: readonly Skipped[] }>(
  flags: TrailFlags,
  analyse: (opts: ReadOptions) => Promise<T>,
  render: (result: T) => string | Iterable<string>,
  paths: readonly string[],
): Promise<number> {
  const bar = progressBar(flags.progress !== false);
  try {
    const result = await analyse(await readOptions(flags, bar.onProgress));
    bar.clear();
    const { writeOutput, writePieces, fitWidth, warn } = await import("../../output.js");
    const out = render(result);
    // JSON and SARIF are written as they are; only text is fitted to the terminal width
    if (typeof out === "string") await writeOutput(flags.json || /^\s*[[{]/.test(out) ? out : fitWidth(out));
    else await writePieces(out);
    const unread = namedInputsSkipped(paths, result.skipped);
    // one stderr line per named input that could not be read (the report above lists it too)
    for (const k of unread) warn(`${k.file}: ${k.reason}`);
    return unread.length > 0 ? 2 : 0;
  } finally {
    bar.clear();
  }
}

/**
 * The files the user named (not one met in a folder walk) could not be read. The analysis of the rest is
 * written first; the exit code then says the input was not all read (2), as for a bundle's `--trail` file
 * (docs/bundle.md "Errors"). Broken files inside a walked folder are reported in `skipped` and exit 0.
 */
export function namedInputsSkipped(paths: readonly string[], skipped: readonly Skipped[]): Skipped[] {
  if (skipped.length === 0) return [];
  const named = new Set(paths.filter((p) => p !== "-").map((p) => resolve(p)));
  return skipped.filter((k) => named.has(resolve(k.file)));
}
