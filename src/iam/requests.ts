// `can --requests`: many requests, one JSON object per line, each checked and evaluated on its own.

import type { CompiledPolicy, PolicySet } from "./compile.js";
import { contextValueProblem } from "./context.js";
import { evaluate } from "./evaluate.js";
import { explain } from "./explain.js";
import { jsonSyntaxError } from "./files.js";
import type { Ctx } from "./match.js";
import {
  type EvaluationEnv,
  evaluateRequest,
  PolicyInputError,
  prepare,
  RequestInputError,
} from "./request.js";
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

/** How much of a result a batch needs: `full` (every explanation field) or `decisions` (decision, cause). */
export type BatchDetail = "full" | "decisions";

/**
 * The signature of a context value as the engine reads it (`undefined`: absent). One value needs no quoting;
 * a list is written as JSON, which no single value's signature can equal (they start with `s`).
 */
function signature(v: string[] | undefined): string {
  return v === undefined ? "u" : v.length === 1 ? `s${v[0]}` : JSON.stringify(v);
}

/** The context as the evaluation reads it, recording the first read of each key and what it found, in order. */
class RecordingCtx implements Ctx {
  readonly reads: Array<[string, string]> = [];
  private readonly seen = new Set<string>();
  constructor(private readonly inner: Ctx) {}
  get(key: string): string[] | undefined {
    const v = this.inner.get(key);
    if (!this.seen.has(key)) {
      this.seen.add(key);
      this.reads.push([key, signature(v)]);
    }
    return v;
  }
}

/**
 * A node of a memo's decision tree: the context key the evaluation reads next and a child per value found, or
 * (a leaf) the result the evaluation came to after reading the keys on the path.
 */
interface MemoNode {
  key?: string;
  next?: Map<string, MemoNode>;
  result?: EvaluationResult;
}

const MAX_MEMO_RESULTS = 4096;
const setIds = new WeakMap<object, number>();
let nextSetId = 1;
function idOf(o: object): number {
  let id = setIds.get(o);
  if (id === undefined) {
    id = nextSetId++;
    setIds.set(o, id);
  }
  return id;
}
const setKeys = new WeakMap<PolicySet, string>();
/** The compiled policies of a set by identity, layer by layer (two sets with the same key evaluate alike). */
function setKey(set: PolicySet): string {
  let k = setKeys.get(set);
  if (k === undefined) {
    const ids = (ps: CompiledPolicy[] | undefined) => (ps ? ps.map(idOf).join(",") : "-");
    const levels = (ls: CompiledPolicy[][] | undefined) => (ls ? ls.map(ids).join("/") : "-");
    k = [
      ids(set.identity),
      ids(set.boundary),
      ids(set.session),
      ids(set.resource),
      ids(set.vpce),
      levels(set.scps),
      levels(set.rcps),
    ].join("|");
    setKeys.set(set, k);
  }
  return k;
}

/**
 * Results of a batch memoised by everything they depend on, so a request asked again (the same caller, action and
 * resource, the same values of the context keys the policies read) costs a look-up instead of an evaluation, near
 * misses and a proven fix. The key has two parts:
 * - what `prepare` made of the request besides its context: the compiled policies of the set (by identity), the
 *   principal, action, resource and owner account, the SCP/RCP exemptions, the reserved-target reason, the notes;
 * - the context as the evaluation read it: a decision tree over the keys read, in the order they were read, with
 *   the value found. The evaluation is a deterministic function of those, so two requests that agree on the first
 *   part and on the value of every key read along one path of the tree get the same result.
 * Results are shared between the lines that hit them: treat them as read-only.
 */
class BatchMemo {
  private roots = new Map<string, MemoNode>();
  private size = 0;

  evaluate(req: CanRequest, env: EvaluationEnv, checked: boolean): EvaluationResult {
    const { request, set, notes } = prepare(req, env, checked);
    const r = request;
    const key = `${setKey(set)}\u0000${req.principal}\u0000${r.action}\u0000${r.resource}\u0000${r.resourceAccount ?? ""}\u0000${r.scpExempt ? 1 : 0}${r.rcpExempt ? 1 : 0}\u0000${r.reserved ?? ""}\u0000${notes.join("\u0001")}`;
    let node = this.roots.get(key);
    while (node) {
      if (node.result) return node.result;
      if (node.key === undefined) break;
      node = node.next?.get(signature(r.ctx.get(node.key)));
    }
    const rec = new RecordingCtx(r.ctx);
    r.ctx = rec;
    const raw = evaluate(r, set);
    const result = explain(raw, r, set);
    if (notes.length) result.notes.unshift(...notes);
    // every field computed now, while the reads are recorded (the result computes its explanation on first read)
    result.toJSON?.();
    this.insert(key, rec.reads, result);
    return result;
  }

  private insert(key: string, reads: Array<[string, string]>, result: EvaluationResult): void {
    if (this.size >= MAX_MEMO_RESULTS) {
      this.roots.clear();
      this.size = 0;
    }
    let node = this.roots.get(key);
    if (!node) {
      node = {};
      this.roots.set(key, node);
    }
    for (const [k, sig] of reads) {
      if (node.result) return; // cannot happen for a deterministic evaluation: keep the tree as it is
      if (node.key === undefined) {
        node.key = k;
        node.next = new Map();
      } else if (node.key !== k) return;
      let child = node.next!.get(sig);
      if (!child) {
        child = {};
        node.next!.set(sig, child);
      }
      node = child;
    }
    if (node.key !== undefined || node.result) return;
    node.result = result;
    this.size++;
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

/**
 * The same, one line at a time (a large batch is written as it goes, in bounded memory). Requests asked again are
 * answered from a memo (see BatchMemo: the same result object for each); `detail` says how much of each result the
 * caller reads (`decisions`: the explanation is not computed).
 */
export function* requestLines(
  text: string,
  origin: string,
  env: EvaluationEnv,
  context: Record<string, ContextValue> = {},
  detail: BatchDetail = "full",
): Generator<RequestLineResult> {
  const hasContext = Object.keys(context).length > 0;
  // a bad shared value is reported on every line, by prepare, as before
  const checked = Object.entries(context).every(([k, v]) => contextValueProblem(k, v) === undefined);
  // a decision alone costs less to evaluate than to look up: the memo serves the full results only
  const memo = detail === "full" ? new BatchMemo() : undefined;
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
      // checkRequest checked the line's own context values; the shared ones were checked once above
      result = memo ? memo.evaluate(req, env, checked) : evaluateRequest(req, env, {}, checked);
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
