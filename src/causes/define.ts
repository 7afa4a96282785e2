// The shape of a cause module and the small scorer every module uses to turn evidence into WhyLines.

import type { CauseId } from "../core/cause-ids.js";
import type { Check, Evidence, Fix, Unknown, WhyLine } from "../core/diagnosis.js";
import { codeWeight } from "./calibration.js";

/** A cause's score from the evidence, with the lines that produced it. */
export interface CauseScore {
  /** 0..1. */
  score: number;
  why: WhyLine[];
}

/** One root-cause module: pure functions of the evidence. */
export interface CauseDef<I extends CauseId = CauseId> {
  id: I;
  /** Short title shown in rankings. */
  title: string;
  /** One or two sentences: what the cause is. */
  summary: string;
  /** How strongly the evidence points here; `undefined` when nothing does (the cause does not apply). */
  score(evidence: Evidence): CauseScore | undefined;
  /** What would confirm or rule the cause out, with commands filled from the failure. */
  checks(evidence: Evidence): Check[];
  fix(evidence: Evidence): Fix;
  /** What cannot be decided offline for this cause and what would decide it. */
  unknowns?(evidence: Evidence): Unknown[];
}

/** Declare a cause module (identity function that fixes the id's literal type). */
export function defineCause<const I extends CauseId>(def: CauseDef<I>): CauseDef<I> {
  return def;
}

/** Source label of evidence lines drawn from the pasted text. */
export const FROM_TEXT = "error text";
/** Source label of evidence lines drawn from `--region`. */
export const FROM_REGION_FLAG = "--region";

/**
 * Collects weighted evidence lines. Lines sharing a `group` describe the same fact (a code and the phrase that
 * always comes with it): only the strongest of a group counts, so one fact is never counted twice.
 */
export class Scorer {
  private readonly lines: (WhyLine & { group?: string })[] = [];

  /** Add one evidence line; `weight` may be negative. */
  add(weight: number, text: string, opts: { group?: string; source?: string; exact?: boolean } = {}): this {
    // Lines of group "code" only restate what the message's code usually means; the calibrated family prior says
    // the same from real reports, so their hand-set weight is scaled by the calibrated code weight. An `exact`
    // line reads something only this cause produces (a code no other cause shares) and keeps its weight.
    if (opts.group === "code" && weight > 0 && !opts.exact)
      weight = Math.round(weight * codeWeight() * 1000) / 1000;
    const line: WhyLine & { group?: string } = { text, weight, source: opts.source ?? FROM_TEXT };
    if (opts.group !== undefined) {
      const i = this.lines.findIndex((l) => l.group === opts.group);
      if (i >= 0) {
        if (Math.abs(weight) > Math.abs(this.lines[i]!.weight))
          this.lines[i] = { ...line, group: opts.group };
        return this;
      }
      line.group = opts.group;
    }
    this.lines.push(line);
    return this;
  }

  /** Add when `cond` holds. */
  when(
    cond: unknown,
    weight: number,
    text: string,
    opts?: { group?: string; source?: string; exact?: boolean },
  ): this {
    if (cond) this.add(weight, text, opts);
    return this;
  }

  /** The score (sum of weights clamped to 0..1), or undefined when no line raised it. */
  result(): CauseScore | undefined {
    if (!this.lines.some((l) => l.weight > 0)) return undefined;
    const sum = this.lines.reduce((acc, l) => acc + l.weight, 0);
    const why = this.lines
      .map(({ text, weight, source }) => ({ text, weight: round(weight), source }))
      .sort((a, b) => b.weight - a.weight);
    return { score: clamp01(sum), why };
  }
}

/** Clamp to 0..1 and round to three decimals. */
export function clamp01(n: number): number {
  if (!Number.isFinite(n)) return 0;
  return round(Math.min(1, Math.max(0, n)));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
