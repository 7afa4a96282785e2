// `can --requests`: many requests, one JSON object per line, each checked and evaluated on its own.

import { contextValueProblem } from "./context.js";
import { jsonSyntaxError } from "./files.js";
import { type EvaluationEnv, evaluateRequest, PolicyInputError, RequestInputError } from "./request.js";
import type { CanRequest, ContextValue, EvaluationResult } from "./types.js";

const POLICY_FIELDS = [
  "identityPolicies",
  "resourcePolicy",
  "sessionPolicy",
  "vpcEndpointPolicy",
  "boundary",
] as const;

const isScalar = (x: unknown): boolean =>
  typeof x === "string" || typeof x === "number" || typeof x === "boolean";

/** Check one JSONL request object; returns a message for a bad one. */
export function checkRequest(v: unknown): string | undefined {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return "a request must be a JSON object";
  const o = v as Record<string, unknown>;
  if (typeof o.principal !== "string" || o.principal === "") return "`principal` must be a non-empty string";
  if (typeof o.action !== "string" || !/^[A-Za-z0-9_.-]+:[A-Za-z0-9_*?-]+$/.test(o.action))
    return "`action` must be a string `service:Action`";
  if (o.resource !== undefined && typeof o.resource !== "string") return "`resource` must be a string";
  if (o.resourceAccount !== undefined && typeof o.resourceAccount !== "string")
    return "`resourceAccount` must be a string";
  if (
    o.context !== undefined &&
    (typeof o.context !== "object" || o.context === null || Array.isArray(o.context))
  )
    return "`context` must be an object";
  for (const [k, cv] of Object.entries((o.context ?? {}) as Record<string, unknown>)) {
    // nested lists or objects are no context value (and a deep one would overflow String()); null = absent
    const flat = cv === null || (Array.isArray(cv) ? cv.every(isScalar) : isScalar(cv));
    if (!flat)
      return `\`context\` value of \`${k}\` must be a string, number, boolean, a list of them, or null (absent)`;
    const problem = contextValueProblem(k, cv);
    if (problem) return `context ${problem}`;
  }
  for (const f of POLICY_FIELDS) {
    const p = o[f];
    if (p === undefined) continue;
    const list = Array.isArray(p) ? p : [p];
    if (!list.every((x) => typeof x === "object" && x !== null && !Array.isArray(x)))
      return `\`${f}\` must be a policy or an array of policies`;
  }
  return undefined;
}

/** One line of a requests file: its evaluation, or why it could not be evaluated (`internal`: an engine fault). */
export type RequestLineResult =
  | { line: number; result: EvaluationResult }
  | { line: number; error: string; internal?: boolean };

const interned = new Map<string, unknown>();

/**
 * Lines of a batch often repeat the same inline policy (a bucket policy on every request to it): the same text
 * becomes the same object, so it is parsed and compiled once (the engine caches by object).
 */
function internPolicies(req: CanRequest): void {
  const r = req as unknown as Record<string, unknown>;
  for (const f of POLICY_FIELDS) {
    const p = r[f];
    if (p === undefined) continue;
    const key = `${f}\u0000${JSON.stringify(p)}`;
    const hit = interned.get(key);
    if (hit !== undefined) r[f] = hit;
    else {
      if (interned.size > 1000) interned.clear();
      interned.set(key, p);
    }
  }
}

/**
 * Evaluate every non-blank line of a JSON Lines text (`origin` names it in messages). `context` keys apply to
 * every request; a request's own context wins. A bad line is an error entry, the others go on.
 */
export function evaluateRequestLines(
  text: string,
  origin: string,
  env: EvaluationEnv,
  context: Record<string, ContextValue> = {},
): RequestLineResult[] {
  return [...requestLines(text, origin, env, context)];
}

/** The same, one line at a time (a large batch is written as it goes, in bounded memory). */
export function* requestLines(
  text: string,
  origin: string,
  env: EvaluationEnv,
  context: Record<string, ContextValue> = {},
): Generator<RequestLineResult> {
  const hasContext = Object.keys(context).length > 0;
  let start = 0;
  for (let n = 1; start < text.length; n++) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line.trim() === "") continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      const e = jsonSyntaxError(line);
      const at = e.where.line > 0 ? `, column ${e.where.column}` : "";
      yield { line: n, error: `${origin} (line ${n}${at}): invalid JSON: ${e.message}` };
      continue;
    }
    const bad = checkRequest(v);
    if (bad) {
      yield { line: n, error: `${origin} (line ${n}): ${bad}` };
      continue;
    }
    const req = v as CanRequest;
    if (hasContext) req.context = { ...context, ...(req.context ?? {}) };
    internPolicies(req);
    let result: EvaluationResult;
    try {
      result = evaluateRequest(req, env);
    } catch (err) {
      if (err instanceof PolicyInputError || err instanceof RequestInputError)
        yield { line: n, error: `${origin} (line ${n}): ${err.message}` };
      // One request the engine could not handle does not lose the batch; the exit code says so.
      else
        yield {
          line: n,
          error: `${origin} (line ${n}): internal error: ${err instanceof Error ? err.message : String(err)}`,
          internal: true,
        };
      continue;
    }
    yield { line: n, result };
  }
}
