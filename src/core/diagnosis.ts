// Evidence, ranked causes and the Diagnosis object shared by explain, diagnose and the renderers.

import type { CauseId } from "./cause-ids.js";
import type { Failure } from "./failure.js";
import type { NetworkReport } from "./network.js";
import type { Request } from "./request.js";

/**
 * Provenance of an evidence line, strongest first: `verified` (AWS's own evaluation: authorization details, a
 * decoded authorization message), `reported` (AWS's error text), `observed` (trail records, the failing machine's
 * files, live responses), `simulated` (the policy engine on given policies), `inferred` (rules, notes).
 * Documented in docs/json-contract.md.
 */
export type Grade = "verified" | "reported" | "observed" | "simulated" | "inferred";

/** Grades from strongest to weakest. */
export const GRADES: readonly Grade[] = ["verified", "reported", "observed", "simulated", "inferred"];

/** The stronger of two grades. */
export function strongerGrade(a: Grade | undefined, b: Grade): Grade {
  return a === undefined || GRADES.indexOf(b) < GRADES.indexOf(a) ? b : a;
}

/**
 * The grade of an evidence line from its source label, for lines that do not carry one: `error text` and
 * `region` are AWS's own words or the user's; policy evaluation is the engine; credentials, trail, live and
 * bundle files are observed; anything else (ranking rules, notes) is inferred.
 */
export function gradeOfSource(source: string): Grade {
  const s = source.toLowerCase();
  if (/^(authorization details|decoded message)\b/.test(s)) return "verified";
  if (/^(error text|region|signature)\b/.test(s)) return "reported";
  if (/^(polic(y|ies)|engine)\b/.test(s)) return "simulated";
  if (/^(creds|credentials|trail|live|bundle|network)\b/.test(s)) return "observed";
  return "inferred";
}

/**
 * One piece of evidence from outside the error text (credential setup, policy evaluation, CloudTrail,
 * live probes) about one cause. Adapters in src/diagnose turn each module's output into signals; cause
 * modules and the ranker read them.
 */
export interface Signal {
  cause: CauseId;
  /** `confirms`/`refutes` settle the cause; `supports`/`weakens` move it. */
  effect: "confirms" | "supports" | "weakens" | "refutes";
  /** One line in plain words, no secrets. */
  text: string;
  /** Where it came from: `creds: ~/.aws/credentials:4`, `trail: 2023-07-10T11:42:18Z AssumeRole (id)`... */
  source: string;
  /** Provenance; when absent it follows from `source` ({@link gradeOfSource}). */
  grade?: Grade;
}

/** Everything a cause can be scored against. */
export interface Evidence {
  failure: Failure;
  /** Region given by the user (`--region`), which wins over the one in the text. */
  region?: string;
  /** Signals from other evidence sources. */
  signals: Signal[];
  /** What the user told us (`--notes`, `--fact`, case.json `notes`). */
  facts?: UserFact[];
  /**
   * The message family of the error text alone (src/errors/family.ts), set by the pipeline so that words in the
   * user's notes never change which family's prior applies; absent, it is read from the evidence's text.
   */
  family?: string;
}

/** One fact the user knows about the failure (docs/facts.md), with the words it came from. */
export interface UserFact {
  /** A name of the documented vocabulary (`runs-in`, `tool`, `works-elsewhere`...). */
  name: string;
  /** The value, for facts that take one (`lambda`, `aws-vault`, `region`). */
  value?: string;
  /** The words it came from, or `--fact NAME=VALUE`. */
  quote: string;
}

/** A question whose answer would separate the leading causes. */
export interface Question {
  ask: string;
  /** The `--fact` that answers it (`tool=aws-vault`). */
  fact: string;
  /** The causes its answer separates. */
  separates: CauseId[];
}

/** One evidence line behind a score. */
export interface WhyLine {
  text: string;
  /** Contribution to the score (negative lowers it). */
  weight: number;
  /** `error text`, `region`, or a Signal's source. */
  source: string;
  /** Provenance of the line. */
  grade?: Grade;
}

/** What would confirm or rule out a cause. */
export interface Check {
  text: string;
  /** A command the user can run (`aws ...` or `authdoctor ...`). */
  command?: string;
}

export interface Fix {
  summary: string;
  steps: string[];
  commands: string[];
  /** A unified-diff-like policy change, when one is known. */
  policyDiff?: string;
}

/** One ranked cause in a diagnosis. */
export interface RankedCause {
  id: CauseId;
  /** 0..1, higher is more likely. */
  score: number;
  title: string;
  /** The evidence lines that produced the score. */
  why: WhyLine[];
  checks: Check[];
  fix: Fix;
}

/** "Could not check X because Y": an output, never a silence. */
export interface Unknown {
  what: string;
  why: string;
  /** The data or permission that would decide it. */
  needs?: string;
}

/** SignatureDoesNotMatch: what the server's signing strings show, and how they differ from the client's. */
export interface SignatureEvidence {
  /** What the server's StringToSign shows (the scope the client signed with, as received). */
  server: { scope?: string; date?: string; region?: string; service?: string; timestamp?: string };
  /** Where the client's own strings came from (`--client-request` path), when given. */
  client?: string;
  /** Part by part: `method`, `path`, `query`, `header:<name>`, `signed-headers`, `payload-hash`, `scope`, `string-to-sign`. */
  differences: Array<{ part: string; server: string; client: string; cause: string }>;
  /** What the comparison concludes, in plain words. */
  notes: string[];
}

export const DIAGNOSIS_SCHEMA = "authdoctor.diagnosis/v1" as const;

export interface Diagnosis {
  schema: typeof DIAGNOSIS_SCHEMA;
  /** The failure diagnosed (the first when the input held several), or null when nothing was recognised. */
  failure: Failure | null;
  /** Every failure found in the input, in order. */
  failures: Failure[];
  /** Sorted best first. */
  causes: RankedCause[];
  unknowns: Unknown[];
  /** The message family the text belongs to (src/errors/family.ts), when it shows a sign of an auth failure. */
  family?: string;
  /** The facts read from the user's notes and `--fact` flags. */
  facts?: UserFact[];
  /** When the leading causes are close: 1-3 questions whose answers would separate them best. */
  questions?: Question[];
  /** Set by diagnose: the verdict with its evidence chain. */
  verdict?: Verdict;
  /** Set by diagnose: every signal gathered from the evidence sources. */
  evidence?: Signal[];
  /** Set by diagnose: trail events around the failure time. */
  timeline?: TimelineEntry[];
  /** Set by diagnose: the near-miss policy change that would allow the request, as a diff. */
  policyDiff?: string;
  /** Set by diagnose: which evidence sources were used, missing or failed. */
  checked?: CheckedSource[];
  /** Set by diagnose: the request as diagnosed. */
  request?: DiagnosedRequest;
  /** Set by diagnose when there was network evidence or a network finding (docs/network.md). */
  network?: NetworkReport;
  /** SignatureDoesNotMatch with the server's signing strings: what they show and the part-by-part differences. */
  signature?: SignatureEvidence;
}

// ---------------------------------------------------------------------------------------------------------
// Optional fields added by `diagnose` (src/diagnose): explain never sets them; renderers show them when set.

/** How firmly the evidence settles the verdict. */
export type VerdictStrength = "confirmed" | "likely" | "possible" | "undecided";

/** A cause that came close, and what would separate it from the verdict. */
export interface RunnerUp {
  id: CauseId;
  title: string;
  score: number;
  /** The check or data that would tell it apart from the verdict. */
  separate: string;
}

/** The verdict of a diagnosis: the cause, its chain of evidence, the runners-up and the fix. */
export interface Verdict {
  cause: CauseId;
  title: string;
  score: number;
  strength: VerdictStrength;
  /** One line: what went wrong, in plain words. */
  summary: string;
  /** The evidence for (and against) the verdict, in the order it was gathered. */
  chain: EvidenceLink[];
  runnersUp: RunnerUp[];
  fix: Fix;
  /** The strongest provenance among the links for the verdict's cause (`verified`: AWS's own evaluation). */
  grade?: Grade;
}

/** One link of an evidence chain: a signal (or an error-text line) and what it did to a cause. */
export interface EvidenceLink {
  cause: CauseId;
  effect: Signal["effect"] | "points-to";
  text: string;
  source: string;
  /** Provenance of the link (always set by diagnose). */
  grade?: Grade;
}

/** One evidence source and what became of it. */
export interface CheckedSource {
  /** `error text`, `case`, `credentials`, `policies`, `trail`, `live`. */
  source: string;
  status: "used" | "not-given" | "failed" | "skipped";
  /** What was read or why not, one line. */
  detail: string;
}

/** One trail event around the failure, for the report's timeline. */
export interface TimelineEntry {
  time: string;
  /** `sts:AssumeRoleWithWebIdentity`, `iam:UpdateAccessKey`, or `failure` for the diagnosed failure. */
  event: string;
  /** Principal or identity that made the call, masked where it holds a key id. */
  actor?: string;
  region?: string;
  /** Error code when the call failed. */
  error?: string;
  /** `issuance`, `change`, `failure`, `call`, `diagnosed`. */
  kind: string;
  /** One line of detail, no secrets. */
  detail?: string;
}

/**
 * The request that was diagnosed (core/request.ts's Request as JSON). The flat fields and `origins` (field ->
 * label) are the v1 shape; `fields` adds each field's origin kind (`error-text`, `flag`, `case.json`, `trail`...).
 */
export interface DiagnosedRequest {
  principal?: string;
  action?: string;
  resource?: string;
  region?: string;
  time?: string;
  account?: string;
  resourceAccount?: string;
  sdk?: string;
  profile?: string;
  /** Field name -> origin label (`--action`, `case.json`, `error text (endpoint)`). */
  origins: Record<string, string>;
  /** Field name -> value, origin kind and label. */
  fields?: Request;
}
