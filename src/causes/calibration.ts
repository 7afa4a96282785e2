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
  /**
   * How facts move causes: `lift` adds factWeight * (P(cause | fact) - P(cause)); `bayes` multiplies the family
   * prior by (P(cause | fact) / P(cause))^factWeight and renormalises (naive Bayes). Chosen by cross-validation.
   */
  factMode?: "lift" | "bayes";
  /**
   * Weight of the text lines that only restate the message's code (`InvalidClientTokenId` -> "a typo in the key
   * id"): the family prior says from real reports what the code usually means, so these hand-set lines are scaled.
   */
  codeWeight?: number;
  /** Score OTHER gets when no cause is strong and the text's family has a calibrated prior. */
  otherWeight?: number;
  /** Smoothing of a family's distribution toward its broader group (`broad`); absent: toward the overall one. */
  broadAlpha?: number;
  /** Broad family group -> causes of the reports in that group (src/errors/family.ts `broad`). */
  broad?: Record<string, CauseCounts>;
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

/**
 * P(cause | family) backed off to the family's broader group and then to the overall distribution:
 * `(n_fc + alpha * P(c | broad)) / (n_f + alpha)`, `P(c | broad) = (n_bc + broadAlpha * P(c)) / (n_b + broadAlpha)`.
 */
export function familyP(
  t: CalibrationTable,
  family: string,
  broad: string | undefined,
  id: CauseId,
): { p: number; n: number; seen: boolean } {
  const group = t.families[family] ?? {};
  const bgroup = broad && t.broad && t.broadAlpha !== undefined ? t.broad[broad] : undefined;
  const base = bgroup
    ? ((bgroup[id] ?? 0) + t.broadAlpha! * overallP(t, id)) / (total(bgroup) + t.broadAlpha!)
    : overallP(t, id);
  const n = total(group);
  return {
    p: ((group[id] ?? 0) + t.alpha * base) / (n + t.alpha),
    n,
    seen: (group[id] ?? 0) > 0 || (bgroup?.[id] ?? 0) > 0,
  };
}

/** The weight of lines that only restate the message's code (1 when not calibrated). */
export function codeWeight(): number {
  return calibration().codeWeight ?? 1;
}
