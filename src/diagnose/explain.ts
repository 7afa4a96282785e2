// `explain`: error text -> Diagnosis, offline. It is the pipeline (./pipeline.ts) with no evidence sources, so
// `explain` and `diagnose` rank the same text the same way.

import { DIAGNOSIS_SCHEMA, type Diagnosis } from "../core/diagnosis.js";
import type { Request } from "../core/request.js";
import { otherFailuresUnknown, parseInput, rankOnce, unrecognisedUnknown } from "./pipeline.js";

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
  const { causes, unknowns } = rankOnce(parsed, []);
  const other = otherFailuresUnknown(parsed, "explain");
  if (other) unknowns.push(other);
  return { schema: DIAGNOSIS_SCHEMA, failure: parsed.failure, failures: parsed.failures, causes, unknowns };
}
