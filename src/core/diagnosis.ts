// Evidence, ranked causes and the Diagnosis object shared by explain, diagnose and the renderers.

import type { CauseId } from "./cause-ids.js";
import type { Failure } from "./failure.js";

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
}

/** Everything a cause can be scored against. */
export interface Evidence {
  failure: Failure;
  /** Region given by the user (`--region`), which wins over the one in the text. */
  region?: string;
  /** Signals from other evidence sources. */
  signals: Signal[];
}

/** One evidence line behind a score. */
export interface WhyLine {
  text: string;
  /** Contribution to the score (negative lowers it). */
  weight: number;
  /** `error text`, `region`, or a Signal's source. */
  source: string;
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
}
