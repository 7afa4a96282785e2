// `explain`: error text -> Diagnosis, offline; diagnoseFailure is the ranking that `diagnose` re-uses with more signals.

import { factsOf, type TextEvidence } from "../causes/facts.js";
import { CAUSES } from "../causes/index.js";
import { credentialRejected, expiredToken, signatureMismatch } from "../causes/signatures.js";
import {
  DIAGNOSIS_SCHEMA,
  type Diagnosis,
  type Evidence,
  type RankedCause,
  type Unknown,
} from "../core/diagnosis.js";
import { redactText } from "../core/redact.js";
import { parseFailures } from "../errors/index.js";
import { rankCauses, type ScoringError } from "./rank.js";

/** Causes whose own unknowns are listed: the top few that are still plausible. */
const UNKNOWN_TOP = 3;
const UNKNOWN_MIN_SCORE = 0.2;
/** How much of the input is read as context (head and tail when longer: errors sit at either end of logs). */
const CONTEXT_CHARS = 100_000;

/**
 * Rank the causes of one failure and say what the evidence cannot decide. Pure; never throws for a Failure the
 * parser produced (a cause that throws is reported as an unknown).
 */
export function diagnoseFailure(evidence: Evidence): { causes: RankedCause[]; unknowns: Unknown[] } {
  const errors: ScoringError[] = [];
  const causes = rankCauses(evidence, { errors });
  const unknowns: Unknown[] = [];
  const add = (u: Unknown) => {
    if (!unknowns.some((x) => x.what === u.what)) unknowns.push(u);
  };
  const f = factsOf(evidence);

  if (f.encoded)
    add({
      what: "what the encoded authorization message says",
      why: f.encodedTruncated
        ? "the message in the text is truncated and it can only be decoded by AWS"
        : "it can only be decoded by AWS",
      needs: "sts:DecodeAuthorizationMessage (`aws sts decode-authorization-message`)",
    });
  if (f.denied && !f.principalArn)
    add({
      what: "which principal made the call",
      why: "the error text does not name it",
      needs:
        "`aws sts get-caller-identity` with the same credentials, or `--principal` for `authdoctor diagnose`",
    });
  if (credentialRejected(f) || signatureMismatch(f) || expiredToken(f))
    add({
      what: "a CloudTrail record of this failure",
      why: "CloudTrail does not log requests that fail authentication (catalog §6.2)",
      needs: "S3 server access logs, or the client's own debug log",
    });

  for (const c of causes.slice(0, UNKNOWN_TOP)) {
    if (c.score < UNKNOWN_MIN_SCORE) continue;
    try {
      for (const u of CAUSES[c.id].unknowns?.(evidence) ?? []) add(u);
    } catch {
      // a cause's unknowns are advisory; a failing one is skipped
    }
  }
  for (const e of errors)
    add({
      what: `cause ${e.id}`,
      why: `it could not be scored: ${e.message}`,
      needs: "a bug report with the input",
    });
  return { causes, unknowns };
}

/** Diagnose pasted error text offline (`authdoctor explain`). Never throws; unrecognised text gives `failure: null`. */
export function explainText(text: string, opts: { region?: string } = {}): Diagnosis {
  const failures = parseFailures(typeof text === "string" ? text : "");
  const parsed = failures[0];
  if (!parsed) {
    return {
      schema: DIAGNOSIS_SCHEMA,
      failure: null,
      failures: [],
      causes: [],
      unknowns: [
        {
          what: "the input",
          why:
            typeof text === "string" && text.trim() !== ""
              ? "the text was not recognised as an AWS error (no error code, known message or SDK error shape found)"
              : "no text was given",
          needs: "the complete error output as printed (CLI line, SDK exception, HTTP body or traceback)",
        },
      ],
    };
  }
  const region = opts.region?.trim() || undefined;
  // `--region` fills the region the text did not name (regionSource `flag`); when the text names one, the
  // failure keeps it and the flag still wins in the evidence.
  const failure = region && !parsed.region ? { ...parsed, region, regionSource: "flag" } : parsed;
  if (failure !== parsed) failures[0] = failure;
  const evidence = withTextContext({ failure, signals: [], ...(region ? { region } : {}) }, text);
  const { causes, unknowns } = diagnoseFailure(evidence);
  if (failures.length > 1)
    unknowns.push({
      what: `the other ${failures.length - 1} failure(s) in the input`,
      why: "only the first one was diagnosed",
      needs: "run `authdoctor explain` on each of them separately",
    });
  return { schema: DIAGNOSIS_SCHEMA, failure, failures, causes, unknowns };
}

/**
 * `evidence` plus the pasted text as context, so lines around the error (an `export AWS_ACCESS_KEY_ID=ASIA…`, an
 * endpoint URL, a note) count as evidence too. `diagnose` should pass its error text through this as well.
 */
export function withTextContext(evidence: Evidence, text: string): Evidence {
  // INVARIANT: the context is redacted before any cause reads it; causes never print it whole.
  const context = redactText(
    text.length <= CONTEXT_CHARS
      ? text
      : `${text.slice(0, CONTEXT_CHARS / 2)}\n...\n${text.slice(text.length - CONTEXT_CHARS / 2)}`,
  );
  const out: TextEvidence = { ...evidence, context };
  return out;
}
