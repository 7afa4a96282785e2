// Ranks every cause module against one piece of evidence; signals from other modules settle or move causes.

import { type CalibrationTable, calibration, familyP, overallP, smoothedP } from "../causes/calibration.js";
import { clamp01 } from "../causes/define.js";
import { factsOf } from "../causes/facts.js";
import { CAUSES } from "../causes/index.js";
import { CAUSE_IDS, type CauseId } from "../core/cause-ids.js";
import {
  type Evidence,
  gradeOfSource,
  type RankedCause,
  type Signal,
  type UserFact,
  type WhyLine,
} from "../core/diagnosis.js";
import { broadFamily, type FamilyId, messageFamily } from "../errors/family.js";

/** Causes scoring below this are left out of a ranking (unless a signal names them). */
export const MIN_SCORE = 0.05;
/** At most this many causes are listed. */
export const MAX_CAUSES = 8;
/** When no cause reaches this, OTHER is raised so the ranking says "nothing specific matched". */
const WEAK_EVIDENCE = 0.25;

const SIGNAL_WEIGHT = { supports: 0.2, weakens: -0.2 } as const;

interface Scored extends RankedCause {
  /** 1 confirmed, 0 plain, -1 refuted. */
  standing: number;
}

/** One cause that threw while scoring (a bug): reported, never fatal. */
export interface ScoringError {
  id: CauseId;
  message: string;
}

/**
 * Score every cause against `evidence`, apply its signals and sort: confirmed causes first, refuted ones last,
 * the rest by score (taxonomy order breaks ties). Causes near 0 are dropped and at most `limit` are kept.
 */
export function rankCauses(
  evidence: Evidence,
  opts: { limit?: number; minScore?: number; errors?: ScoringError[] } = {},
): RankedCause[] {
  const limit = opts.limit ?? MAX_CAUSES;
  const minScore = opts.minScore ?? MIN_SCORE;
  const byCause = new Map<CauseId, Signal[]>();
  for (const s of evidence.signals) byCause.set(s.cause, [...(byCause.get(s.cause) ?? []), s]);

  const table = calibration();
  const family = familyOfEvidence(evidence);
  const facts = evidence.facts ?? [];
  const bayes = table.factMode === "bayes" && table.factWeight > 0 && facts.length > 0;
  const steps = bayes ? factSteps(table, family, facts) : undefined;
  const scored: Scored[] = [];
  for (const id of CAUSE_IDS) {
    const def = CAUSES[id];
    let base: { score: number; why: WhyLine[] } | undefined;
    try {
      base = def.score(evidence);
    } catch (err) {
      opts.errors?.push({ id, message: (err as Error)?.message ?? String(err) });
      base = undefined;
    }
    const signals = byCause.get(id) ?? [];
    const prior = family ? priorLine(table, family, id) : undefined;
    const factLines = steps ? [] : factWeights(table, facts, id);
    const chain = steps?.get(id);
    const raisedByFacts = chain !== undefined && chain[chain.length - 1]!.p > chain[0]!.p;
    if (!base && signals.length === 0 && !prior && !raisedByFacts && !factLines.some((l) => l.weight > 0))
      continue;
    const why = [...(base?.why ?? [])];
    let score = base?.score ?? 0;
    const confirms = signals.some((s) => s.effect === "confirms");
    const refutes = signals.some((s) => s.effect === "refutes");
    for (const s of signals) {
      if (s.effect === "supports" || s.effect === "weakens") {
        const w = SIGNAL_WEIGHT[s.effect];
        why.push({ text: s.text, weight: w, source: s.source, grade: s.grade ?? gradeOfSource(s.source) });
        score += w;
      } else {
        why.push({ text: s.text, weight: 0, source: s.source, grade: s.grade ?? gradeOfSource(s.source) });
      }
    }
    score = clamp01(score);
    if (prior) {
      // noisy-OR: a text that names its cause keeps it; the prior decides where the text does not.
      const lifted = clamp01(1 - (1 - score) * (1 - prior.weight));
      why.push({ ...prior, weight: clamp01(lifted - score) });
      score = lifted;
    }
    for (const l of factLines) {
      why.push(l);
      score += l.weight;
    }
    if (chain) {
      // Each fact multiplies the family prior by its likelihood ratio (naive Bayes over the dev reports); its line
      // is the change it makes to the noisy-OR score, so the lines still add up to the score.
      let prev = prior ? chain[0]!.p : 0;
      const start = prior ? (why[why.length - 1]?.weight ?? 0) : 0;
      const s0 = clamp01(score - start);
      for (const step of chain.slice(1)) {
        const w = noisyOr(s0, table.priorWeight * step.p) - noisyOr(s0, table.priorWeight * prev);
        prev = step.p;
        if (Math.abs(w) < 0.005) continue;
        why.push({ text: step.text, weight: Math.round(w * 1000) / 1000, source: step.source });
        score += w;
      }
    }
    score = clamp01(score);
    let standing = 0;
    // A cause both confirmed and refuted keeps its plain score: the evidence disagrees.
    if (confirms && !refutes) {
      const lift = clamp01(Math.max(score, 0.97));
      fillSignalWeight(why, signals, "confirms", lift - score);
      score = lift;
      standing = 1;
    } else if (refutes && !confirms) {
      fillSignalWeight(why, signals, "refutes", -score);
      score = 0;
      standing = -1;
    }
    if (standing === 0 && score < minScore) continue;
    if (standing === -1 && (base?.score ?? 0) < minScore && signals.every((s) => s.effect === "refutes"))
      continue;
    scored.push({
      id,
      score,
      title: def.title,
      why: sortWhy(why).map((l) => (l.grade ? l : { ...l, grade: gradeOfSource(l.source) })),
      checks: [],
      fix: { summary: "", steps: [], commands: [] },
      standing,
    });
  }

  // With a calibrated family prior, OTHER is one of the family's counted causes; the score it gets when nothing
  // is strong is calibrated too (scripts/calibrate.mjs), else the fixed floor.
  const otherScore =
    family && table.families[family] && table.otherWeight !== undefined ? table.otherWeight : WEAK_EVIDENCE;
  if (!scored.some((c) => c.standing >= 0 && c.score >= WEAK_EVIDENCE) && otherScore > 0)
    raiseOther(scored, otherScore);

  scored.sort(
    (a, b) =>
      b.standing - a.standing || b.score - a.score || CAUSE_IDS.indexOf(a.id) - CAUSE_IDS.indexOf(b.id),
  );
  return scored.slice(0, limit).map(({ standing: _standing, ...c }) => {
    const def = CAUSES[c.id];
    return { ...c, checks: safe(() => def.checks(evidence), []), fix: safe(() => def.fix(evidence), c.fix) };
  });
}

/** The message family of the evidence's text (code, message, raw text and context). */
export function familyOfEvidence(evidence: Evidence): FamilyId | undefined {
  if (evidence.family) return evidence.family as FamilyId;
  return messageFamily(factsOf(evidence).text);
}

const PCT = (p: number) => `${Math.round(p * 100)}%`;

/**
 * The calibrated prior of `id` in `family`, as an evidence line (only for causes seen in that family or, with
 * back-off, in its broader group).
 */
function priorLine(t: CalibrationTable, family: string, id: CauseId): WhyLine | undefined {
  if (!t.families[family] || t.priorWeight <= 0) return undefined;
  const broad = broadFamily(family);
  const { p, n, seen } = familyP(t, family, broad, id);
  if (!seen) return undefined;
  const k = t.families[family]?.[id] ?? 0;
  const backoff = t.broadAlpha !== undefined && broad ? `, smoothed toward the "${broad}" group` : "";
  return {
    text: `prior for the "${family}" message family: ${PCT(p)} of ${n} real reports had this cause (${k} counted${backoff}; ${t.source})`,
    weight: t.priorWeight * p,
    source: "calibration",
  };
}

function noisyOr(a: number, b: number): number {
  return 1 - (1 - a) * (1 - b);
}

interface FactStep {
  /** The cause's probability after this step. */
  p: number;
  text: string;
  source: string;
}

/**
 * Naive Bayes over the user's facts: starting from P(cause | family) (the overall distribution without a family),
 * each fact multiplies every cause by (P(cause | fact) / P(cause))^factWeight, renormalised. Returns per cause the
 * chain of probabilities, the first entry the prior.
 */
function factSteps(
  t: CalibrationTable,
  family: FamilyId | undefined,
  facts: UserFact[],
): Map<CauseId, FactStep[]> {
  const broad = family ? broadFamily(family) : undefined;
  let cur = new Map<CauseId, number>(
    CAUSE_IDS.map((id) => [
      id,
      family && t.families[family] ? familyP(t, family, broad, id).p : overallP(t, id),
    ]),
  );
  const out = new Map<CauseId, FactStep[]>(
    CAUSE_IDS.map((id) => [id, [{ p: cur.get(id)!, text: "", source: "calibration" }]]),
  );
  for (const f of facts) {
    const key = f.value ? `${f.name}=${f.value}` : f.name;
    const group = t.facts[key];
    if (!group) continue;
    const next = new Map<CauseId, number>();
    let z = 0;
    for (const id of CAUSE_IDS) {
      const ratio = smoothedP(t, group, id, t.factAlpha ?? t.alpha).p / overallP(t, id);
      const v = cur.get(id)! * ratio ** t.factWeight;
      next.set(id, v);
      z += v;
    }
    for (const id of CAUSE_IDS) {
      const p = next.get(id)! / z;
      next.set(id, p);
      const { p: pf, n } = smoothedP(t, group, id, t.factAlpha ?? t.alpha);
      out.get(id)!.push({
        p,
        text: `you said "${f.quote}" (${key}): ${PCT(pf)} of ${n} real reports stating it had this cause, ${PCT(overallP(t, id))} overall`,
        source: f.quote.startsWith("--fact") ? "--fact" : "notes",
      });
    }
    cur = next;
  }
  return out;
}

/** A fact's line is shown when it moves the cause's share of reports by at least this much. */
const MIN_FACT_SHIFT = 0.05;

/** What each user fact does to `id`: the calibrated lift P(id | fact) - P(id), one line per fact. */
function factWeights(t: CalibrationTable, facts: UserFact[], id: CauseId): WhyLine[] {
  const out: WhyLine[] = [];
  const base = overallP(t, id);
  for (const f of facts) {
    const key = f.value ? `${f.name}=${f.value}` : f.name;
    const group = t.facts[key];
    if (!group) continue;
    const { p, n } = smoothedP(t, group, id, t.factAlpha ?? t.alpha);
    // The line is shown when the fact changes the cause's share of reports noticeably; its weight is the
    // calibrated one (0 when cross-validation found that facts do not improve the ranking).
    if (Math.abs(p - base) < MIN_FACT_SHIFT) continue;
    const weight = Math.max(0, t.factWeight) > 0 ? Math.round(t.factWeight * (p - base) * 1000) / 1000 : 0;
    out.push({
      text: `you said "${f.quote}" (${key}): ${PCT(p)} of ${n} real reports stating it had this cause, ${PCT(base)} overall`,
      weight,
      source: f.quote.startsWith("--fact") ? "--fact" : "notes",
    });
  }
  return out;
}

function fillSignalWeight(why: WhyLine[], signals: Signal[], effect: Signal["effect"], weight: number): void {
  const first = signals.find((s) => s.effect === effect);
  const line = why.find((l) => l.weight === 0 && l.text === first?.text && l.source === first?.source);
  if (line) line.weight = Math.round(weight * 1000) / 1000;
}

function sortWhy(why: WhyLine[]): WhyLine[] {
  return why.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
}

function raiseOther(scored: Scored[], weight: number): void {
  const line: WhyLine = {
    text: "no specific cause matches the text strongly: read the message itself and gather more evidence",
    weight,
    source: "ranking",
    grade: "inferred",
  };
  const other = scored.find((c) => c.id === "OTHER");
  if (other) {
    if (other.standing !== 0) return;
    other.why.push(line);
    other.score = clamp01(Math.max(other.score, weight));
    return;
  }
  scored.push({
    id: "OTHER",
    score: weight,
    title: CAUSES.OTHER.title,
    why: [line],
    checks: [],
    fix: { summary: "", steps: [], commands: [] },
    standing: 0,
  });
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
