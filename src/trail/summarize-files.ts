// `summary` over files: the fast path (fields lifted by the scanner, no JSON.parse) on every core.

import { expandInputs } from "./files.js";
import { fileRecords, filterOf, progressOf, workerCount } from "./read.js";
import { SummaryAccumulator, type TrailSummary } from "./summary.js";
import type { ReadOptions, Skipped } from "./types.js";

/** Summarise CloudTrail files, folders and `-` with bounded memory. */
export async function summarizeTrail(paths: string[], opts: ReadOptions = {}): Promise<TrailSummary> {
  const skipped: Skipped[] = [];
  const files = await expandInputs(paths, opts, skipped);
  const filter = filterOf(opts);
  const acc = new SummaryAccumulator();
  const n = workerCount(files, opts);
  const progress = progressOf(files, opts);
  if (n > 0) {
    const { poolSummary } = await import("./pool.js");
    for (const s of await poolSummary(files, filter, n, skipped, progress)) acc.merge(s);
  } else {
    const fast = (f: Parameters<SummaryAccumulator["addFields"]>[0]) => acc.addFields(f);
    for (const file of files) {
      const it = fileRecords(file, { filter, skipped, fast });
      while (!(await it.next()).done) {
        // fast mode yields nothing; drain
      }
      progress?.(1);
    }
  }
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return acc.result(files.length, skipped);
}
