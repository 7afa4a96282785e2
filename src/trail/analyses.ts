// The trail analyses over files, folders or stdin, as plain data: one function per `authdoctor trail` subcommand.

import { InputError } from "../core/input-error.js";
import type { EvaluationEnv } from "../iam/request.js";
import { ChangesAccumulator, type TrailChanges } from "./changes.js";
import { ExplainAccumulator, type TrailExplain } from "./explain.js";
import { parseTimeBound } from "./files.js";
import { readTrail } from "./read.js";
import type { TrailSessions } from "./sessions.js";
import { sessionsTrail } from "./sessions-files.js";
import { summarizeTrail } from "./summarize-files.js";
import type { TrailSummary } from "./summary.js";
import { TimelineAccumulator, type TimelineOptions, type TrailTimeline } from "./timeline.js";
import type { ReadOptions, Skipped } from "./types.js";

/** What was read: log files opened and inputs (or records) left out, with why. */
export interface TrailInputs {
  files: number;
  skipped: Skipped[];
}

/** An analysis result with the inputs it was made from. */
export type WithInputs<T> = { result: T } & TrailInputs;

/**
 * Fail with an InputError when no input could be read at all, or when the inputs hold no log file and no
 * filter explains it (a window or region that prunes every file is an empty result, not an error).
 */
export function checkInputs(paths: string[], read: TrailInputs, filtered: boolean): void {
  if (read.files > 0) return;
  const unreadable = paths.filter((p) => read.skipped.some((s) => s.file === p));
  if (unreadable.length === paths.length && read.skipped.length > 0) {
    const first = read.skipped[0]!;
    throw new InputError(first.file, first.reason);
  }
  if (!filtered) throw new InputError(paths.join(" "), noFilesFound(read.skipped));
}

/** "no CloudTrail files found", naming what was found instead (ignored names, FIFOs, unreadable files). */
function noFilesFound(skipped: TrailInputs["skipped"]): string {
  const first = skipped[0];
  if (!first) return "no CloudTrail files found";
  const more = skipped.length > 1 ? ` (and ${skipped.length - 1} more)` : "";
  return `no CloudTrail files found; ${skipped.length} skipped: ${first.file}: ${first.reason}${more}`;
}

function isFiltered(opts: ReadOptions): boolean {
  return opts.since !== undefined || opts.until !== undefined || (opts.regions?.length ?? 0) > 0;
}

function needPaths(paths: string[]): void {
  if (paths.length === 0) throw new InputError("trail", "give at least one file, folder or `-` (stdin)");
}

/** Events and failures by error code, source, name, principal, region and user agent. */
export async function trailSummary(paths: string[], opts: ReadOptions = {}): Promise<TrailSummary> {
  needPaths(paths);
  const r = await summarizeTrail(paths, opts);
  checkInputs(paths, r, isFiltered(opts));
  return r;
}

/** Each key or session linked to the STS call that issued it, back to the original identity. */
export async function trailSessions(
  paths: string[],
  opts: ReadOptions = {},
): Promise<WithInputs<TrailSessions>> {
  needPaths(paths);
  const r = await sessionsTrail(paths, opts);
  checkInputs(paths, r, isFiltered(opts));
  return r;
}

/** Ordered events around a moment. Files are pruned to the window; `opts.since/until` narrow it further. */
export async function trailTimeline(
  paths: string[],
  timeline: TimelineOptions,
  opts: ReadOptions = {},
): Promise<WithInputs<TrailTimeline>> {
  needPaths(paths);
  let acc: TimelineAccumulator;
  try {
    acc = new TimelineAccumulator(timeline);
  } catch (err) {
    throw new InputError("--around", (err as Error).message);
  }
  const b = acc.bounds();
  const read: ReadOptions = {
    ...opts,
    since: Math.max(b.since, parseTimeBound(opts.since) ?? b.since),
    until: Math.min(b.until, parseTimeBound(opts.until) ?? b.until),
  };
  const reader = readTrail(paths, read);
  for await (const r of reader) acc.add(r);
  // the window itself filters: no file in it is an empty timeline
  checkInputs(paths, reader, true);
  return { result: acc.result(), files: reader.files, skipped: reader.skipped };
}

/** Changes that affect access, and the failures that began within `afterMs` of each. */
export async function trailChanges(
  paths: string[],
  afterMs: number,
  opts: ReadOptions = {},
): Promise<WithInputs<TrailChanges>> {
  needPaths(paths);
  const acc = new ChangesAccumulator({ afterMs });
  // only failures and access changes are read: the others are never parsed
  const reader = readTrail(paths, { ...opts, only: ["failure", "change"] });
  for await (const r of reader) acc.add(r);
  checkInputs(paths, reader, isFiltered(opts));
  return { result: acc.result(), files: reader.files, skipped: reader.skipped };
}

/**
 * For each access-denied event (at most `limit` explained): the IAM actions, the request context and, with an
 * evaluation environment, the cause and fix.
 */
export async function trailExplain(
  paths: string[],
  env: EvaluationEnv | null,
  limit: number,
  opts: ReadOptions = {},
): Promise<WithInputs<TrailExplain>> {
  needPaths(paths);
  const acc = new ExplainAccumulator();
  // Only access denials and access changes matter here: the others are never parsed.
  const reader = readTrail(paths, { ...opts, only: ["denied", "change"] });
  for await (const r of reader) acc.add(r);
  if (reader.files === 0 && !isFiltered(opts)) {
    const first = reader.skipped[0];
    throw new InputError(first?.file ?? paths.join(" "), first?.reason ?? "no CloudTrail files found");
  }
  return { result: await acc.result(env, limit), files: reader.files, skipped: reader.skipped };
}
