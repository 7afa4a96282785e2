// `diagnose --fail-on`: conditions on the verdict that make the command exit 3 (for CI jobs).

import { CAUSE_IDS, type CauseId } from "../core/cause-ids.js";
import type { Diagnosis, VerdictStrength } from "../core/diagnosis.js";
import { InputError } from "../core/input-error.js";

/** Strengths from the firmest down: `likely` also meets on a confirmed verdict. */
const STRENGTHS: VerdictStrength[] = ["confirmed", "likely", "possible", "undecided"];

/** One parsed condition. */
export type FailOn =
  | { kind: "strength"; at: VerdictStrength }
  | { kind: "cause"; id: CauseId }
  | { kind: "any" };

/**
 * Parse `--fail-on` values (comma-separated, repeatable): `any` (a verdict was reached), a strength
 * (`confirmed`, `likely`, `possible`: a verdict at least that firm) or a root-cause id (the verdict is that cause).
 */
export function parseFailOn(values: string[]): FailOn[] {
  const out: FailOn[] = [];
  for (const raw of values.flatMap((v) => v.split(","))) {
    const v = raw.trim();
    if (!v) continue;
    if (v === "any") out.push({ kind: "any" });
    else if ((STRENGTHS as string[]).includes(v) && v !== "undecided")
      out.push({ kind: "strength", at: v as VerdictStrength });
    else if ((CAUSE_IDS as readonly string[]).includes(v.toUpperCase()))
      out.push({ kind: "cause", id: v.toUpperCase() as CauseId });
    else
      throw new InputError(
        "--fail-on",
        `unknown condition \`${v}\` (any, confirmed, likely, possible, or a root-cause id such as SCP_DENY)`,
      );
  }
  return out;
}

/** The first condition the diagnosis meets, as words for the message, or undefined. */
export function failOnMet(d: Diagnosis, conditions: FailOn[]): string | undefined {
  const v = d.verdict;
  if (!v) return undefined;
  for (const c of conditions) {
    if (c.kind === "any" && v.strength !== "undecided") return `a verdict was reached (${v.cause})`;
    if (c.kind === "strength" && STRENGTHS.indexOf(v.strength) <= STRENGTHS.indexOf(c.at))
      return `the verdict ${v.cause} is ${v.strength}`;
    if (c.kind === "cause" && v.cause === c.id) return `the verdict is ${c.id} (${v.strength})`;
  }
  return undefined;
}
