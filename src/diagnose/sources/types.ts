// What each evidence source hands back to the orchestrator.

import type { CauseId } from "../../core/cause-ids.js";
import type {
  CheckedSource,
  Signal,
  SignatureEvidence,
  TimelineEntry,
  Unknown,
} from "../../core/diagnosis.js";
import type { RequestValues } from "../../core/request.js";
import type { AuditEntry } from "../../live/types.js";
import type { Offer } from "../infer.js";

/** The outcome of one evidence source: signals for the ranker plus what the report shows. */
export interface SourceOutcome {
  checked: CheckedSource[];
  signals: Signal[];
  unknowns: Unknown[];
  timeline?: TimelineEntry[];
  policyDiff?: string;
  /** The audit of what was called (live probes), one entry per call; the CLI prints it (src/report/live.ts). */
  audit?: AuditEntry[];
  /** Raw access key ids in use (credentials source), for matching CloudTrail records; never printed. */
  keyIds?: string[];
  /** The failure time taken from the trail when none was given (trail source). */
  inferredTime?: string;
  /** The resource's owner account, when its ARN names none, and the record field it came from (trail). */
  inferredResourceAccount?: { account: string; field: string };
  /** The taxonomy cause of a policy evaluation that denied the request (policies source). */
  denialCause?: CauseId;
  /** Request fields this source inferred (src/diagnose/infer.ts); they fill only what nothing stronger gave. */
  offers?: Offer[];
  /** SignatureDoesNotMatch: the signing strings compared (signature source). */
  signature?: SignatureEvidence;
}

/** The request being diagnosed, as the sources see it: the values of core/request.ts's Request. */
export type RequestFacts = RequestValues;

export function emptyOutcome(): SourceOutcome {
  return { checked: [], signals: [], unknowns: [] };
}
