// `explain`: error text -> Diagnosis, offline. It is the pipeline (./pipeline.ts) with no evidence sources, so
// `explain` and `diagnose` rank the same text the same way.

import { settledCause } from "../causes/commands.js";
import { DIAGNOSIS_SCHEMA, type Diagnosis, type UserFact } from "../core/diagnosis.js";
import { type Request, requestValues } from "../core/request.js";
import { readNotes } from "./notes.js";
import { otherFailuresUnknown, parseInput, rankOnce, unrecognisedUnknown } from "./pipeline.js";
import { fillPlaceholders, placeholderValues } from "./placeholders.js";
import { separatingQuestions } from "./questions.js";

export { diagnoseFailure, withTextContext } from "./pipeline.js";

/** Diagnose pasted error text offline (`authdoctor explain`). Never throws; unrecognised text gives `failure: null`. */
export function explainText(
  text: string,
  opts: { region?: string; notes?: string; facts?: UserFact[] } = {},
): Diagnosis {
  const region = opts.region?.trim() || undefined;
  const given: Request = region ? { region: { value: region, origin: "flag", label: "--region" } } : {};
  const facts = mergeFacts(opts.facts ?? [], readNotes(opts.notes));
  const notes = typeof opts.notes === "string" && opts.notes.trim() !== "" ? opts.notes : undefined;
  const parsed = parseInput({
    text: typeof text === "string" ? text : "",
    given,
    facts,
    ...(notes ? { notes } : {}),
  });
  if (parsed.failures.length === 0) {
    return {
      schema: DIAGNOSIS_SCHEMA,
      failure: null,
      failures: [],
      causes: [],
      unknowns: [unrecognisedUnknown(text)],
      ...(facts.length > 0 ? { facts } : {}),
    };
  }
  const ranked = rankOnce(parsed, []);
  const { unknowns, family } = ranked;
  // the text often holds what a command needs (the profile of a pasted `aws ... --profile x`, the role, the
  // resource): filled in, so every printed command runs as it is
  const values = placeholderValues({ ...requestValues(parsed.request), failure: parsed.failure });
  const causes = ranked.causes.map((c) => settledCause(c, (t) => fillPlaceholders(t, values)));
  const other = otherFailuresUnknown(parsed, "explain");
  if (other) unknowns.push(other);
  const questions = separatingQuestions(causes, facts);
  return {
    schema: DIAGNOSIS_SCHEMA,
    failure: parsed.failure,
    failures: parsed.failures,
    causes,
    unknowns,
    ...(family ? { family } : {}),
    ...(facts.length > 0 ? { facts } : {}),
    ...(questions.length > 0 ? { questions } : {}),
  };
}

/** `--fact` values first, then facts read from notes that no `--fact` already set (same name and value). */
export function mergeFacts(flags: UserFact[], notes: UserFact[]): UserFact[] {
  const key = (f: UserFact) => `${f.name}=${f.value ?? ""}`;
  const seen = new Set(flags.map(key));
  return [...flags, ...notes.filter((f) => !seen.has(key(f)))];
}
