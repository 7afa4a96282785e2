// The calibrated table the ranking reads: per message family the distribution of confirmed causes, per user fact
// the distribution of causes among reports stating it, and the weight of each kind of evidence. Counted on the
// dev split of the real-world corpus (test/corpus/dev.jsonl) by scripts/calibrate.mjs, which writes ./priors.ts;
// no number here is set by hand.

import type { CauseId } from "../core/cause-ids.js";
import { PRIORS } from "./priors.js";

/** Counts of confirmed causes. */
export type CauseCounts = Partial<Record<CauseId, number>>;

/** The table scripts/calibrate.mjs writes. */
export interface CalibrationTable {
  /** Where the counts come from (`test/corpus/dev.jsonl`). */
  source: string;
  /** Number of reports counted. */
  cases: number;
  /** Additive smoothing: pseudo-counts spread by the overall distribution. */
  alpha: number;
  /** Weight of the family prior (noisy-OR with the text's own evidence). */
  priorWeight: number;
  /** Weight of a user fact's lift (P(cause | fact) - P(cause)). */
  factWeight: number;
  /** Smoothing of the per-fact distributions (facts are noisier than message families). */
  factAlpha?: number;
  /** Causes over every counted report. */
  overall: CauseCounts;
  /** Family id -> causes of the reports in that family. */
  families: Record<string, CauseCounts>;
  /** Fact key (`tool=aws-vault`, `mfa`) -> causes of the reports whose notes state it. */
  facts: Record<string, CauseCounts>;
}

let override: CalibrationTable | undefined;

/** The table in use. */
export function calibration(): CalibrationTable {
  return override ?? (PRIORS as CalibrationTable);
}

/** Use another table (scripts/calibrate.mjs tries weights with it); `undefined` goes back to ./priors.ts. */
export function useCalibration(table: CalibrationTable | undefined): void {
  override = table;
}

function total(c: CauseCounts): number {
  let n = 0;
  for (const v of Object.values(c)) n += v ?? 0;
  return n;
}

/** P(cause) over every report, add-one smoothed over the causes seen. */
export function overallP(t: CalibrationTable, id: CauseId): number {
  const n = total(t.overall);
  const k = Object.keys(t.overall).length + 1;
  return ((t.overall[id] ?? 0) + 1) / (n + k);
}

/** Smoothed P(cause | group) and the group's report count. */
export function smoothedP(
  t: CalibrationTable,
  group: CauseCounts,
  id: CauseId,
  alpha: number = t.alpha,
): { p: number; n: number } {
  const n = total(group);
  return { p: ((group[id] ?? 0) + alpha * overallP(t, id)) / (n + alpha), n };
}
