// `authdoctor can` implementation: load policies and snapshots, evaluate one request or a JSONL file of them.

import { readTextFile } from "../cli/io.js";
import { writeError, writeResult } from "../cli/output.js";
import { InputError } from "../core/input-error.js";
import { colourEnabled, makeStyle } from "../report/style.js";
import { type AuthzSnapshot, loadAuthzSnapshot } from "./authz.js";
import { jsonSyntaxError, parseJsonText, policiesFromText } from "./files.js";
import { renderEvaluation } from "./render.js";
import { type EvaluationEnv, evaluateRequest, PolicyInputError } from "./request.js";
import { type CanRequest, type ContextValue, EVALUATION_SCHEMA, type Policy } from "./types.js";

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
}

/** Parse `key=value` (a value starting with `[` is a JSON list). */
export function parseContextFlag(text: string): [string, ContextValue] {
  const i = text.indexOf("=");
  if (i <= 0) throw new InputError("--context", `expected \`key=value\`, got \`${text}\``);
  const key = text.slice(0, i).trim();
  const raw = text.slice(i + 1);
  if (raw.trim().startsWith("[")) {
    try {
      const v = JSON.parse(raw) as unknown;
      if (Array.isArray(v) && v.every((x) => ["string", "number", "boolean"].includes(typeof x)))
        return [key, v as Array<string | number | boolean>];
    } catch {
      // fall through: taken as a plain string
    }
  }
  return [key, raw];
}

async function policiesOf(files: string[] | undefined): Promise<Policy[] | undefined> {
  if (!files || files.length === 0) return undefined;
  const out: Policy[] = [];
  for (const f of files) out.push(...policiesFromText(await readTextFile(f), f));
  return out;
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
        writeError(
          `${f}: warning: ${n} ${n === 1 ? "entry" : "entries"} not used (${snap.errors[0]!.message}${n > 1 ? "; ..." : ""})`,
        );
      snaps.push(snap);
    }
    env.authz = snaps;
  }
  env.identityPolicies = await policiesOf(o.policy);
  if (o.scp?.length)
    env.scps = await Promise.all(o.scp.map(async (f) => policiesFromText(await readTextFile(f), f)));
  if (o.rcp?.length)
    env.rcps = await Promise.all(o.rcp.map(async (f) => policiesFromText(await readTextFile(f), f)));
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

function errorLine(line: number, message: string): string {
  return JSON.stringify({ schema: EVALUATION_SCHEMA, line, error: message });
}

/** Run the command; returns the exit code. */
export async function runCan(o: CanOptions): Promise<number> {
  const env = await loadEnv(o);
  const style = makeStyle(colourEnabled(process.stdout));
  const context: Record<string, ContextValue> = {};
  for (const c of o.context ?? []) {
    const [k, v] = parseContextFlag(c);
    context[k] = v;
  }
  if (o.requests) {
    if (o.principal || o.action)
      throw new InputError("--requests", "give either `--requests` or `--principal`/`--action`, not both");
    const text = await readTextFile(o.requests);
    const out: string[] = [];
    const lines = text.split(/\r?\n/);
    lines.forEach((line, i) => {
      if (line.trim() === "") return;
      const n = i + 1;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        const e = jsonSyntaxError(line);
        const at = e.where.line > 0 ? `, column ${e.where.column}` : "";
        const msg = `${o.requests} (line ${n}${at}): invalid JSON: ${e.message}`;
        out.push(o.json ? errorLine(n, msg) : style.red(`error: ${msg}`));
        return;
      }
      const bad = checkRequest(v);
      if (bad) {
        const msg = `${o.requests} (line ${n}): ${bad}`;
        out.push(o.json ? errorLine(n, msg) : style.red(`error: ${msg}`));
        return;
      }
      const req = v as CanRequest;
      if (Object.keys(context).length) req.context = { ...context, ...(req.context ?? {}) };
      try {
        const r = evaluateRequest(req, env);
        out.push(o.json ? JSON.stringify(r) : `${renderEvaluation(r, style)}\n`);
      } catch (err) {
        if (!(err instanceof PolicyInputError)) throw err;
        const msg = `${o.requests} (line ${n}): ${err.message}`;
        out.push(o.json ? errorLine(n, msg) : style.red(`error: ${msg}`));
      }
    });
    if (out.length) await writeResult(out.join("\n"), o.json ? "json" : "text");
    return 0;
  }
  if (!o.principal)
    throw new InputError("--principal", "missing: give `--principal ARN` (or `--requests FILE.jsonl`)");
  if (!o.action) throw new InputError("--action", "missing: give `--action service:Action`");
  const req: CanRequest = { principal: o.principal, action: o.action };
  const bad = checkRequest(req);
  if (bad) throw new InputError("--action", bad);
  if (o.resource) req.resource = o.resource;
  if (o.resourceAccount) req.resourceAccount = o.resourceAccount;
  if (Object.keys(context).length) req.context = context;
  const r = evaluateRequest(req, env);
  await writeResult(
    o.json ? JSON.stringify(r, null, 2) : renderEvaluation(r, style),
    o.json ? "json" : "text",
  );
  return 0;
}
