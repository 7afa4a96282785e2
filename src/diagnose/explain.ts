// `explain`: error text -> Diagnosis, offline. It is the pipeline (./pipeline.ts) with no evidence sources, so
// `explain` and `diagnose` rank the same text the same way.

import type { RankedCause } from "../core/diagnosis.js";
import { DIAGNOSIS_SCHEMA, type Diagnosis } from "../core/diagnosis.js";
import { type Request, requestValues } from "../core/request.js";
import { otherFailuresUnknown, parseInput, rankOnce, unrecognisedUnknown } from "./pipeline.js";
import { fillPlaceholders, placeholderValues } from "./placeholders.js";

export { diagnoseFailure, withTextContext } from "./pipeline.js";

/** Diagnose pasted error text offline (`authdoctor explain`). Never throws; unrecognised text gives `failure: null`. */
export function explainText(text: string, opts: { region?: string } = {}): Diagnosis {
  const region = opts.region?.trim() || undefined;
  const given: Request = region ? { region: { value: region, origin: "flag", label: "--region" } } : {};
  const parsed = parseInput({ text: typeof text === "string" ? text : "", given });
  if (parsed.failures.length === 0) {
    return {
      schema: DIAGNOSIS_SCHEMA,
      failure: null,
      failures: [],
      causes: [],
      unknowns: [unrecognisedUnknown(text)],
    };
  }
  const ranked = rankOnce(parsed, []);
  const { unknowns } = ranked;
  // the text often holds what a command needs (the profile of a pasted `aws ... --profile x`, the role, the
  // resource): filled in, so every printed command runs as it is
  const facts = requestValues(parsed.request);
  const values = placeholderValues({ ...facts, failure: parsed.failure });
  const causes = ranked.causes.map((c) => filledCause(c, (t) => fillPlaceholders(t, values)));
  const other = otherFailuresUnknown(parsed, "explain");
  if (other) unknowns.push(other);
  return { schema: DIAGNOSIS_SCHEMA, failure: parsed.failure, failures: parsed.failures, causes, unknowns };
}

/** A cause with the placeholders of its checks and fix filled from what the input holds. */
function filledCause(c: RankedCause, fill: (text: string) => string): RankedCause {
  return {
    ...c,
    checks: c.checks.map((k) => ({
      ...k,
      text: fill(k.text),
      ...(k.command ? { command: fill(k.command) } : {}),
    })),
    fix: { ...c.fix, steps: c.fix.steps.map(fill), commands: c.fix.commands.map(fill) },
  };
}
