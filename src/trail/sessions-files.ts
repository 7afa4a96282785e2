// `sessions` over files: with workers, each worker aggregates its own files and the partial results are merged
// (records never cross threads); without, records are read in this thread.

import { expandInputs } from "./files.js";
import { fileRecords, filterOf, progressOf, workerCount } from "./read.js";
import { SessionsAccumulator, type TrailSessions } from "./sessions.js";
import type { ReadOptions, Skipped } from "./types.js";

/** Link the sessions in CloudTrail files, folders and `-`. */
export async function sessionsTrail(
  paths: string[],
  opts: ReadOptions = {},
): Promise<{ result: TrailSessions; files: number; skipped: Skipped[] }> {
  const skipped: Skipped[] = [];
  const files = await expandInputs(paths, opts, skipped);
  const filter = filterOf(opts);
  const acc = new SessionsAccumulator();
  const n = workerCount(files, opts);
  const progress = progressOf(files, opts);
  if (n > 0) {
    const { poolSessions } = await import("./pool.js");
    for (const s of await poolSessions(files, filter, n, skipped, progress)) acc.merge(s);
  } else {
    for (const file of files) {
      for await (const batch of fileRecords(file, { filter, skipped, lifted: (f) => acc.addLifted(f) })) {
        for (const r of batch) acc.add(r);
      }
      progress?.(1);
    }
  }
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { result: acc.result(), files: files.length, skipped };
}
