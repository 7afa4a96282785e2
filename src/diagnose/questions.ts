// When the leading causes are close, the 1-3 questions whose answers would separate them best. Which facts
// separate which causes comes from the calibrated table (src/causes/calibration.ts): a fact separates two causes
// when reports stating it had one cause much more often than the other (counted on the dev corpus).

import { type CalibrationTable, calibration, overallP, smoothedP } from "../causes/calibration.js";
import type { Question, RankedCause, UserFact } from "../core/diagnosis.js";
import { questionFor } from "./notes.js";

/** Leading causes closer than this (in score) are "close". */
export const CLOSE = 0.15;
/** At most this many questions. */
const MAX_QUESTIONS = 3;
/** A fact must have been stated in at least this many reports to be asked about. */
const MIN_REPORTS = 3;
/** And must move the two causes apart by at least this much (difference of lifts). */
const MIN_SEPARATION = 0.08;

/** The questions that would separate the leading causes, or [] when the first is clearly ahead. */
export function separatingQuestions(
  causes: RankedCause[],
  known: UserFact[],
  table: CalibrationTable = calibration(),
): Question[] {
  const lead = causes.filter((c) => c.score > 0);
  if (lead.length < 2) return [];
  const close = lead.filter((c, i) => i === 0 || lead[0]!.score - c.score <= CLOSE).slice(0, 3);
  if (close.length < 2) return [];
  const knownNames = new Set(known.map((f) => f.name));
  const scored: { key: string; sep: number; pair: [string, string] }[] = [];
  for (const [key, group] of Object.entries(table.facts)) {
    const name = key.split("=")[0]!;
    if (knownNames.has(name)) continue;
    const ask = questionFor(key);
    if (!ask) continue;
    let best = 0;
    let pair: [string, string] = [close[0]!.id, close[1]!.id];
    for (let i = 0; i < close.length; i++)
      for (let j = i + 1; j < close.length; j++) {
        const a = close[i]!.id;
        const b = close[j]!.id;
        const la = smoothedP(table, group, a, table.factAlpha ?? table.alpha);
        if (la.n < MIN_REPORTS) continue;
        const lb = smoothedP(table, group, b, table.factAlpha ?? table.alpha);
        const sep = Math.abs(la.p - overallP(table, a) - (lb.p - overallP(table, b)));
        if (sep > best) {
          best = sep;
          pair = [a, b];
        }
      }
    if (best >= MIN_SEPARATION) scored.push({ key, sep: best, pair });
  }
  scored.sort((x, y) => y.sep - x.sep || x.key.localeCompare(y.key));
  const out: Question[] = [];
  const names = new Set<string>();
  for (const s of scored) {
    const name = s.key.split("=")[0]!;
    if (names.has(name)) continue; // one question per fact name (runs-in: ask the best value once)
    names.add(name);
    out.push({
      ask: questionFor(s.key)!,
      fact: s.key,
      separates: s.pair as Question["separates"],
    });
    if (out.length >= MAX_QUESTIONS) break;
  }
  return out;
}
