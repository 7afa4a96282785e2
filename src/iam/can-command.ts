// `authdoctor can` implementation: load policies and snapshots, evaluate one request or a JSONL file of them.

import { readTextFile } from "../cli/io.js";
import { InputError } from "../core/input-error.js";
import { colourEnabled, makeStyle, oneLine, terminalSafe } from "../report/style.js";
import { type AuthzSnapshot, loadAuthzSnapshot } from "./authz.js";
import { valueChecks } from "./checks.js";
import { contextValueProblem } from "./context.js";
import { jsonSyntaxError, parseJsonText, policiesFromText } from "./files.js";
import { renderEvaluation } from "./render.js";
import { type EvaluationEnv, evaluateRequest, PolicyInputError, RequestInputError } from "./request.js";
import {
  type CanRequest,
  type ContextValue,
  EVALUATION_SCHEMA,
  type EvaluationResult,
  type Policy,
} from "./types.js";

/** The lean line of `--output decisions`. */
export const DECISION_SCHEMA = "authdoctor.decision/v1" as const;

/** Options as commander hands them over. */
export interface CanOptions {
  principal?: string;
  action?: string;
  resource?: string;
  resourceAccount?: string;
  context?: string[];
  requests?: string;
  authz?: string[];
  policy?: string[];
  scp?: string[];
  rcp?: string[];
  boundary?: string[];
  resourcePolicy?: string[];
  sessionPolicy?: string[];
  vpcePolicy?: string[];
  managementAccount?: string;
  json?: boolean;
  /** `full` (default) or `decisions`: one short JSON line per request (decision, cause, layer). */
  output?: string;
  /** `deny`: exit 3 when a request is denied. */
  failOn?: string;
}

/** Parse `key=value` (a value starting with `[` is a JSON list). */
export function parseContextFlag(text: string): [string, ContextValue] {
  const i = text.indexOf("=");
  if (i <= 0) throw new InputError("--context", `expected \`key=value\`, got \`${text}\``);
  const key = text.slice(0, i).trim();
  const raw = text.slice(i + 1);
  let value: ContextValue = raw;
  if (raw.trim().startsWith("[")) {
    try {
      const v = JSON.parse(raw) as unknown;
      if (Array.isArray(v) && v.every((x) => ["string", "number", "boolean"].includes(typeof x)))
        value = v as Array<string | number | boolean>;
    } catch {
      // taken as a plain string
    }
  }
  const problem = contextValueProblem(key, value);
  if (problem) throw new InputError("--context", problem);
  return [key, value];
}

const fileCache = new Map<string, Policy[]>();

/**
 * The policies of one file, read and parsed once per run: a file given to two options (`--policy` and `--scp`) is
 * one parse (a 50,000-statement file costs its parse once); each option compiles it for its own role.
 */
async function policiesOfFile(f: string): Promise<Policy[]> {
  let hit = fileCache.get(f);
  if (!hit) {
    hit = policiesFromText(await readTextFile(f), f);
    // stdin can be read once only; other paths are cached by name for this run
    fileCache.set(f, hit);
  }
  return hit;
}

async function policiesOf(files: string[] | undefined): Promise<Policy[] | undefined> {
  if (!files || files.length === 0) return undefined;
  const out: Policy[] = [];
  for (const f of files) out.push(...(await policiesOfFile(f)));
  return out;
}

/**
 * One stderr line per problem of the policies `can` evaluates (values that never match, unknown variables,
 * placeholders, lenient readings): the evaluation goes on, but its answer may not be what the author meant.
 */
export function warnPolicies(env: EvaluationEnv): void {
  const all: Policy[] = [];
  const addAll = (v: unknown) => {
    if (Array.isArray(v)) for (const x of v) addAll(x);
    else if (v && typeof v === "object" && Array.isArray((v as Policy).statements)) all.push(v as Policy);
  };
  for (const v of [
    env.identityPolicies,
    env.scps,
    env.rcps,
    env.boundary,
    env.resourcePolicy,
    env.sessionPolicy,
    env.vpcEndpointPolicy,
  ])
    addAll(v);
  const lines: string[] = [];
  let more = 0;
  for (const p of all) {
    const found = [...(p.warnings ?? []).filter((w) => w.code !== "policy_no_version"), ...valueChecks(p)];
    for (const f of found) {
      if (lines.length >= 20) {
        more++;
        continue;
      }
      const at = f.where.line > 0 ? ` (line ${f.where.line}, column ${f.where.column})` : "";
      lines.push(`authdoctor: ${oneLine(`${p.name}${at}: warning: ${f.message}`)}`);
    }
  }
  if (more) lines.push(`authdoctor: ... ${more} more policy warnings (run \`authdoctor lint\` on the files)`);
  if (lines.length) process.stderr.write(`${lines.join("\n")}\n`);
}

/** Build the environment from the option files; every unreadable input is one InputError. */
export async function loadEnv(o: CanOptions): Promise<EvaluationEnv> {
  const env: EvaluationEnv = {};
  if (o.authz?.length) {
    const snaps: AuthzSnapshot[] = [];
    for (const f of o.authz) {
      const snap = loadAuthzSnapshot(parseJsonText(await readTextFile(f), f), f);
      const fatal = snap.errors.find((e) => e.message.startsWith("$:"));
      if (fatal) throw new InputError(f, fatal.message.slice(3));
      // entries of the wrong shape are left out, not fatal: one line says so (the evaluation goes on)
      const n = snap.errors.length;
      if (n > 0)
        process.stderr.write(
          `authdoctor: ${oneLine(`${f}: warning: ${n} ${n === 1 ? "entry" : "entries"} not used (${snap.errors[0]!.message}${n > 1 ? "; ..." : ""})`)}\n`,
        );
      snaps.push(snap);
    }
    env.authz = snaps;
  }
  env.identityPolicies = await policiesOf(o.policy);
  if (o.scp?.length) {
    const levels: Policy[][] = [];
    for (const f of o.scp) levels.push(await policiesOfFile(f));
    env.scps = levels;
  }
  if (o.rcp?.length) {
    const levels: Policy[][] = [];
    for (const f of o.rcp) levels.push(await policiesOfFile(f));
    env.rcps = levels;
  }
  env.boundary = await policiesOf(o.boundary);
  env.resourcePolicy = await policiesOf(o.resourcePolicy);
  env.sessionPolicy = await policiesOf(o.sessionPolicy);
  env.vpcEndpointPolicy = await policiesOf(o.vpcePolicy);
  if (o.managementAccount) env.managementAccount = o.managementAccount;
  return env;
}

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

function errorLine(line: number, message: string): string {
  return JSON.stringify({ schema: EVALUATION_SCHEMA, line, error: message });
}

function isDenied(r: EvaluationResult): boolean {
  return r.decision !== "Allowed";
}

function leanLine(line: number, r: EvaluationResult): string {
  const o: Record<string, unknown> = { schema: DECISION_SCHEMA, line, decision: r.decision };
  if (r.cause) o.cause = r.cause;
  if (r.deniedBy) o.deniedBy = r.deniedBy;
  return JSON.stringify(o);
}

/** Output in chunks of about 1 MB (stdout to a file or a pipe is synchronous on Linux: memory stays bounded). */
class Out {
  #parts: string[] = [];
  #size = 0;
  constructor(private readonly safe: boolean) {}
  push(s: string): void {
    this.#parts.push(s);
    this.#size += s.length + 1;
    if (this.#size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.#parts.length === 0) return;
    const text = `${this.#parts.join("\n")}\n`;
    process.stdout.write(this.safe ? terminalSafe(text) : text);
    this.#parts = [];
    this.#size = 0;
  }
}

/** Run the command; returns the exit code. */
export async function runCan(o: CanOptions): Promise<number> {
  const output = o.output ?? "full";
  if (output !== "full" && output !== "decisions")
    throw new InputError("--output", `expected \`full\` or \`decisions\`, got \`${output}\``);
  if (o.failOn !== undefined && o.failOn !== "deny")
    throw new InputError("--fail-on", `expected \`deny\`, got \`${o.failOn}\``);
  const lean = output === "decisions";
  const env = await loadEnv(o);
  warnPolicies(env);
  const style = makeStyle(colourEnabled(process.stdout));
  const context: Record<string, ContextValue> = {};
  for (const c of o.context ?? []) {
    const [k, v] = parseContextFlag(c);
    context[k] = v;
  }
  const hasContext = Object.keys(context).length > 0;
  let denied = false;
  if (o.requests) {
    if (o.principal || o.action)
      throw new InputError("--requests", "give either `--requests` or `--principal`/`--action`, not both");
    const text = await readTextFile(o.requests);
    // JSON text is already free of raw control characters; text output quotes them.
    const out = new Out(!(o.json || lean));
    let internal = false;
    const fail = (n: number, msg: string) =>
      out.push(o.json || lean ? errorLine(n, msg) : style.red(`error: ${oneLine(msg)}`));
    let start = 0;
    for (let n = 1; start <= text.length; n++) {
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
        fail(n, `${o.requests} (line ${n}${at}): invalid JSON: ${e.message}`);
        continue;
      }
      const bad = checkRequest(v);
      if (bad) {
        fail(n, `${o.requests} (line ${n}): ${bad}`);
        continue;
      }
      const req = v as CanRequest;
      if (hasContext) req.context = { ...context, ...(req.context ?? {}) };
      internPolicies(req);
      let r: EvaluationResult;
      try {
        r = evaluateRequest(req, env);
      } catch (err) {
        if (err instanceof PolicyInputError || err instanceof RequestInputError)
          fail(n, `${o.requests} (line ${n}): ${err.message}`);
        else {
          // One request the engine could not handle does not lose the batch; the exit code says so.
          internal = true;
          fail(
            n,
            `${o.requests} (line ${n}): internal error: ${err instanceof Error ? err.message : String(err)}`,
          );
        }
        continue;
      }
      if (isDenied(r)) denied = true;
      out.push(lean ? leanLine(n, r) : o.json ? JSON.stringify(r) : `${renderEvaluation(r, style)}\n`);
    }
    out.flush();
    if (internal) return 1;
    return o.failOn === "deny" && denied ? 3 : 0;
  }
  if (!o.principal)
    throw new InputError("--principal", "missing: give `--principal ARN` (or `--requests FILE.jsonl`)");
  if (!o.action) throw new InputError("--action", "missing: give `--action service:Action`");
  const req: CanRequest = { principal: o.principal, action: o.action };
  const bad = checkRequest(req);
  if (bad) throw new InputError("--action", bad);
  if (o.resource) req.resource = o.resource;
  if (o.resourceAccount) req.resourceAccount = o.resourceAccount;
  if (hasContext) req.context = context;
  let r: EvaluationResult;
  try {
    r = evaluateRequest(req, env);
  } catch (err) {
    if (err instanceof RequestInputError) throw new InputError("--context", err.message);
    throw err;
  }
  process.stdout.write(
    lean
      ? `${leanLine(1, r)}\n`
      : o.json
        ? `${JSON.stringify(r, null, 2)}\n`
        : `${terminalSafe(renderEvaluation(r, style))}\n`,
  );
  return o.failOn === "deny" && isDenied(r) ? 3 : 0;
}
