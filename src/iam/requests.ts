// `can --requests`: many requests, one JSON object per line, each checked and evaluated on its own.

import { jsonSyntaxError } from "./files.js";
import { type EvaluationEnv, evaluateRequest, PolicyInputError } from "./request.js";
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
    // nested lists or objects are no context value (and a deep one would overflow String())
    const flat = Array.isArray(cv) ? cv.every(isScalar) : isScalar(cv);
    if (!flat) return `\`context\` value of \`${k}\` must be a string, number, boolean or a list of them`;
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

/** One line of a requests file: its evaluation, or why it could not be evaluated. */
export type RequestLineResult = { line: number; result: EvaluationResult } | { line: number; error: string };

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
  const out: RequestLineResult[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    const n = i + 1;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      const e = jsonSyntaxError(line);
      const at = e.where.line > 0 ? `, column ${e.where.column}` : "";
      out.push({ line: n, error: `${origin} (line ${n}${at}): invalid JSON: ${e.message}` });
      return;
    }
    const bad = checkRequest(v);
    if (bad) {
      out.push({ line: n, error: `${origin} (line ${n}): ${bad}` });
      return;
    }
    const req = v as CanRequest;
    if (Object.keys(context).length) req.context = { ...context, ...(req.context ?? {}) };
    try {
      out.push({ line: n, result: evaluateRequest(req, env) });
    } catch (err) {
      if (!(err instanceof PolicyInputError)) throw err;
      out.push({ line: n, error: `${origin} (line ${n}): ${err.message}` });
    }
  });
  return out;
}
