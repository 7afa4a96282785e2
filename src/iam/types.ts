// Types of the IAM policy engine: parsed policies, requests, policy sets and evaluation results.

import type { CauseId } from "../core/cause-ids.js";
import type { Where } from "./json.js";

export type { PolicyKind } from "../core/policy-kind.js";
export type { Where } from "./json.js";

import type { PolicyKind } from "../core/policy-kind.js";

/** `{ AWS: [...], Service: [...], Federated: [...], CanonicalUser: [...] }` or `*`. */
export type PrincipalBlock = "*" | Record<string, string[]>;

/** One `operator: { key: values }` entry of a Condition block. */
export interface ConditionEntry {
  /** The operator as written (`ForAnyValue:StringLikeIfExists`). */
  operator: string;
  key: string;
  values: string[];
}

/** One statement of a policy, normalised to arrays. */
export interface Statement {
  /** 0-based position in the policy. */
  index: number;
  sid?: string;
  effect: "Allow" | "Deny";
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: PrincipalBlock;
  notPrincipal?: PrincipalBlock;
  condition: ConditionEntry[];
  where?: Where;
  /** Where each element (`Action`, `Resource`, `Condition`...) starts, and each Action/Resource value. */
  elementWhere?: Record<string, Where>;
  valueWhere?: { action?: Where[]; resource?: Where[] };
}

/** A parsed policy document. */
export interface Policy {
  /** Name shown in explanations: file name, policy name or ARN. */
  name: string;
  version?: string;
  statements: Statement[];
  /** The plain document (for diffs). */
  document?: unknown;
  /** Problems that did not stop the evaluation (lenient forms, values that can never match). */
  warnings?: PolicyError[];
}

/** One problem found while parsing a policy. */
export interface PolicyError {
  /** Stable code: `json_syntax`, `json_duplicate_key`, `policy_missing_element`, `policy_type_error`... */
  code: string;
  message: string;
  where: Where;
  severity?: "error" | "warning";
}

/** The result of parsing: the policy when it could be built, and every problem. */
export interface ParseResult {
  policy?: Policy;
  errors: PolicyError[];
}

/** A context value as a request carries it. */
export type ContextValue = string | number | boolean | Array<string | number | boolean>;

/** A policy as accepted on input: a parsed Policy or a plain document. */
export type PolicyInput = Policy | Record<string, unknown>;

/** One request as `authdoctor can` and `evaluateRequest` take it (also one line of `--requests`). */
export interface CanRequest {
  /** ARN of the caller, `*`/`anonymous`, a service (`lambda.amazonaws.com`) or an identity provider. */
  principal: string;
  action: string;
  /** ARN of the resource; `*` when the action has none. */
  resource?: string;
  /** `null` means the key is absent (it overrides a key the engine would derive). */
  context?: Record<string, ContextValue | null>;
  /** The account that owns the resource, for ARNs that do not name it (S3). */
  resourceAccount?: string;
  identityPolicies?: PolicyInput | PolicyInput[];
  resourcePolicy?: PolicyInput | PolicyInput[];
  sessionPolicy?: PolicyInput | PolicyInput[];
  vpcEndpointPolicy?: PolicyInput | PolicyInput[];
  boundary?: PolicyInput | PolicyInput[];
}

/** A reference to one statement. */
export interface StatementRef {
  policy: string;
  policyType: PolicyKind;
  sid?: string;
  index: number;
  effect: "Allow" | "Deny";
  /** Why this statement matched (for a Deny). */
  why?: string;
}

/** What failed in a statement that did not apply. */
export interface ElementFailure {
  element: "Action" | "NotAction" | "Resource" | "NotResource" | "Condition" | "Principal" | "NotPrincipal";
  /** One line in plain words. */
  detail: string;
  /** For Resource: which part of the ARN differs (`resource`, `region`, `account`...). */
  segment?: string;
  /** For Condition. */
  operator?: string;
  key?: string;
  expected?: string[];
  actual?: string[] | null;
}

/** A statement that came close to allowing, and what failed. */
export interface NearMiss extends StatementRef {
  failed: ElementFailure[];
  /** Lower is closer. */
  distance: number;
}

/** The smallest change we know that would allow the request. */
export interface PolicyFix {
  summary: string;
  /** The policy to change (name) and its kind. */
  policy?: string;
  policyType?: PolicyKind;
  /** A unified-diff-like text. */
  diff?: string;
  /** The whole changed policy document, ready to apply (`policy` names it). */
  document?: unknown;
  /** Context the request must carry instead (an MFA session, a key to send or leave out; `null` = absent). */
  context?: Record<string, string | null>;
  /** The engine re-evaluated the request with this change (and `also`) applied: true when it was then Allowed. */
  verified?: boolean;
  /** Further changes needed in other policies (another layer also denies), in order. */
  also?: PolicyFix[];
}

/** A decision that depends on a context key nobody supplied. */
export interface MissingContext {
  key: string;
  /** `allowed only if aws:SourceVpce = vpce-1a2b` */
  text: string;
  statement: StatementRef;
}

export type Decision = "Allowed" | "ImplicitDeny" | "ExplicitDeny";

export const EVALUATION_SCHEMA = "authdoctor.evaluation/v1" as const;

/** The `authdoctor.evaluation/v1` object. */
export interface EvaluationResult {
  schema: typeof EVALUATION_SCHEMA;
  request: { principal: string; action: string; resource: string };
  decision: Decision;
  /** Taxonomy id when denied. */
  cause?: CauseId;
  /** The policy type that decided a denial. */
  deniedBy?: PolicyKind;
  /** The determining statements: matching Denies if any, else the Allows that granted it. */
  decidedBy: StatementRef[];
  nearMisses: NearMiss[];
  fix: PolicyFix | null;
  missingContext: MissingContext[];
  /** Each policy layer that took part and its verdict. */
  layers: Array<{
    type: PolicyKind;
    level?: number;
    result: "allow" | "deny" | "no-allow" | "not-applicable";
  }>;
  /** Plain-words notes (assumptions, skipped statements). */
  notes: string[];
  /** The plain object (explanation fields are computed on first read; JSON.stringify uses this). */
  toJSON?(): Omit<EvaluationResult, "toJSON">;
}
