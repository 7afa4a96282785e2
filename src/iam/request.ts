// The high-level entry: a CanRequest plus an environment (snapshot, SCPs, ...) -> authdoctor.evaluation/v1.

import { type AuthzPrincipal, type AuthzSnapshot, findPrincipal } from "./authz.js";
import { type CompiledPolicy, compileCached, type PolicySet, type PrincipalInfo } from "./compile.js";
import {
  buildContext,
  contextValueProblem,
  lowerKey,
  principalContext,
  principalInfoOf,
  TRUST_ACTIONS,
} from "./context.js";
import { type EvaluateOptions, evaluate, type PreparedRequest } from "./evaluate.js";
import { explain } from "./explain.js";
import { type Ctx, splitArn } from "./match.js";
import { parseValue } from "./parse.js";
import { reservedTarget } from "./reserved.js";
import type { CanRequest, EvaluationResult, Policy, PolicyError, PolicyInput, PolicyKind } from "./types.js";

/** Where policies come from besides the request itself. */
export interface EvaluationEnv {
  authz?: AuthzSnapshot | AuthzSnapshot[];
  /** One array per level, root first; an empty level allows nothing. */
  scps?: PolicyInput[][];
  rcps?: PolicyInput[][];
  boundary?: PolicyInput | PolicyInput[];
  resourcePolicy?: PolicyInput | PolicyInput[];
  sessionPolicy?: PolicyInput | PolicyInput[];
  vpcEndpointPolicy?: PolicyInput | PolicyInput[];
  identityPolicies?: PolicyInput | PolicyInput[];
  /** The organization's management account: SCPs do not apply to it. */
  managementAccount?: string;
  /** The time for `aws:CurrentTime` when the request does not give one. */
  now?: Date;
}

/** A policy input that could not be used. */
export class PolicyInputError extends Error {
  constructor(
    readonly origin: string,
    readonly errors: PolicyError[],
  ) {
    const e = errors[0];
    super(
      `${origin}${e && e.where.line > 0 ? ` (line ${e.where.line}, column ${e.where.column})` : ""}: ${e?.message ?? "not a policy"}`,
    );
  }
}

/** A request that cannot be evaluated as given (an out-of-range context value...). */
export class RequestInputError extends Error {}

/** Codes of parse warnings that change how a policy is read: the evaluation says so in its notes. */
const LENIENT = new Set(["policy_principal_string", "policy_bad_action"]);
const lenientCache = new WeakMap<PolicySet, string[]>();

/** Notes on the policies of a set read leniently (computed once per set). */
function lenientNotes(set: PolicySet): string[] {
  let hit = lenientCache.get(set);
  if (!hit) {
    hit = [];
    const all = [
      ...set.identity,
      ...(set.boundary ?? []),
      ...(set.session ?? []),
      ...(set.resource ?? []),
      ...(set.vpce ?? []),
      ...(set.scps ?? []).flat(),
      ...(set.rcps ?? []).flat(),
    ];
    for (const cp of all)
      for (const w of cp.policy.warnings ?? [])
        if (LENIENT.has(w.code) && hit.length < 10) hit.push(`${cp.policy.name}: ${w.message}`);
    lenientCache.set(set, hit);
  }
  return hit;
}

function isPolicy(v: unknown): v is Policy {
  return (
    typeof v === "object" &&
    v !== null &&
    Array.isArray((v as Policy).statements) &&
    typeof (v as Policy).name === "string"
  );
}

const docCache = new WeakMap<object, Policy>();

/** Turn a policy input (a parsed Policy or a plain document) into a Policy; throws PolicyInputError. */
export function toPolicy(input: PolicyInput, name: string): Policy {
  if (isPolicy(input)) return input;
  const hit = docCache.get(input);
  if (hit) return hit;
  const r = parseValue(input, name);
  const errs = r.errors.filter((e) => e.severity !== "warning");
  if (!r.policy || errs.length > 0) throw new PolicyInputError(name, errs.length ? errs : r.errors);
  docCache.set(input, r.policy);
  return r.policy;
}

function list(v: PolicyInput | PolicyInput[] | undefined, name: string): Policy[] | undefined {
  if (v === undefined) return undefined;
  const arr = Array.isArray(v) ? v : [v];
  return arr.map((p, i) => toPolicy(p, arr.length > 1 ? `${name}[${i}]` : name));
}

function compiled(ps: Policy[] | undefined, kind: PolicyKind): CompiledPolicy[] | undefined {
  return ps?.map((p) => compileCached(p, kind));
}

interface PreparedEnv {
  snapshots: AuthzSnapshot[];
  scps?: CompiledPolicy[][];
  rcps?: CompiledPolicy[][];
  boundary?: Policy[];
  resource?: Policy[];
  session?: Policy[];
  vpce?: CompiledPolicy[];
  identity: Policy[];
  managementAccount?: string;
  now?: Date;
  principals: Map<string, AuthzPrincipal | null>;
  callers: Map<string, Caller>;
}

const envCache = new WeakMap<EvaluationEnv, PreparedEnv>();

function prepareEnv(env: EvaluationEnv): PreparedEnv {
  const hit = envCache.get(env);
  if (hit) return hit;
  const p: PreparedEnv = {
    snapshots: env.authz === undefined ? [] : Array.isArray(env.authz) ? env.authz : [env.authz],
    scps: env.scps?.map((lvl, i) => compiled(list(lvl, `scp level ${i}`), "scp") ?? []),
    rcps: env.rcps?.map((lvl, i) => compiled(list(lvl, `rcp level ${i}`), "rcp") ?? []),
    boundary: list(env.boundary, "boundary"),
    resource: list(env.resourcePolicy, "resource policy"),
    session: list(env.sessionPolicy, "session policy"),
    vpce: compiled(list(env.vpcEndpointPolicy, "vpc endpoint policy"), "vpce"),
    identity: list(env.identityPolicies, "identity policy") ?? [],
    managementAccount: env.managementAccount,
    now: env.now,
    principals: new Map(),
    callers: new Map(),
  };
  envCache.set(env, p);
  return p;
}

function lookup(env: PreparedEnv, arn: string): AuthzPrincipal | undefined {
  if (env.snapshots.length === 0) return undefined;
  let hit = env.principals.get(arn);
  if (hit === undefined) {
    hit = null;
    for (const s of env.snapshots) {
      const f = findPrincipal(s, arn);
      if (f) {
        hit = f;
        break;
      }
    }
    env.principals.set(arn, hit);
  }
  return hit ?? undefined;
}

function findRole(env: PreparedEnv, arn: string): AuthzPrincipal | undefined {
  const p = lookup(env, arn);
  return p?.kind === "role" ? p : undefined;
}

interface Caller {
  principal: PrincipalInfo;
  who?: AuthzPrincipal;
  base: Ctx;
  notes: string[];
  /** Compiled sets for requests that bring no policies of their own, by trust target. */
  sets: Map<string, PolicySet>;
}

function callerOf(env: PreparedEnv, raw: string, actionLower: string): Caller {
  const federated =
    actionLower === "sts:assumerolewithwebidentity" || actionLower === "sts:assumerolewithsaml";
  const key = federated ? `F${raw}` : raw;
  let c = env.callers.get(key);
  if (c) return c;
  const principal = principalInfoOf(raw, actionLower);
  const notes: string[] = [];
  const kind = principal.kind;
  const who =
    kind === "role-session" || kind === "role" || kind === "user" ? lookup(env, principal.raw) : undefined;
  if (who?.kind === "role") {
    principal.roleArn = who.arn;
    principal.serviceLinked = who.path.startsWith("/aws-service-role/");
  }
  if (env.snapshots.length > 0 && !who && (kind === "role-session" || kind === "user" || kind === "role"))
    notes.push(
      `\`${principal.raw}\` is not in the authorization snapshot: only the policies given directly were used`,
    );
  const base = principalContext(principal, who ? { id: who.id, tags: who.tags, arn: who.arn } : undefined);
  c = { principal, who, base, notes, sets: new Map() };
  if (env.callers.size > 50_000) env.callers.clear();
  env.callers.set(key, c);
  return c;
}

/** Build the prepared request and its policy set. */
export function prepare(
  req: CanRequest,
  envIn: EvaluationEnv = {},
  /** The context values were checked already (`checkRequest` of a `--requests` line). */
  checked = false,
): { request: PreparedRequest; set: PolicySet; notes: string[] } {
  const env = prepareEnv(envIn);
  const action = req.action;
  const actionLower = lowerKey(action);
  const colon = actionLower.indexOf(":");
  const service = colon > 0 ? actionLower.slice(0, colon) : actionLower;
  const caller = callerOf(env, req.principal, actionLower);
  const { principal, who } = caller;
  const notes = caller.notes.length ? [...caller.notes] : [];
  if (req.context && !checked)
    for (const k in req.context) {
      const problem = contextValueProblem(k, req.context[k]);
      if (problem) throw new RequestInputError(`context ${problem}`);
    }
  const resource = req.resource && req.resource !== "" ? req.resource : "*";
  const resourceParts = splitArn(resource);
  const resourceAccount = req.resourceAccount ?? (resourceParts?.[4] || undefined);
  if (resourceAccount === undefined && resource !== "*")
    notes.push("the resource ARN names no account (give `resourceAccount`): evaluated as same-account");
  const ctx = buildContext(
    principal,
    resource,
    resourceParts,
    resourceAccount,
    undefined,
    req.context,
    env.now,
    caller.base,
  );
  const isTrust = TRUST_ACTIONS.has(actionLower);
  const own =
    req.identityPolicies !== undefined ||
    req.boundary !== undefined ||
    req.sessionPolicy !== undefined ||
    req.resourcePolicy !== undefined ||
    req.vpcEndpointPolicy !== undefined;
  const setKey = isTrust ? `T${resource}` : "";
  let set = own ? undefined : caller.sets.get(setKey);
  if (!set) {
    const identityPolicies = [
      ...(who?.policies ?? []),
      ...(list(req.identityPolicies, "request identity policy") ?? env.identity),
    ];
    const boundary =
      list(req.boundary, "request boundary") ?? env.boundary ?? (who?.boundary ? [who.boundary] : undefined);
    const session = list(req.sessionPolicy, "request session policy") ?? env.session;
    let resourcePolicies = list(req.resourcePolicy, "request resource policy") ?? env.resource;
    if (!resourcePolicies && isTrust) {
      const role = findRole(env, resource);
      if (role?.trust) resourcePolicies = [role.trust];
    }
    const vpce =
      req.vpcEndpointPolicy !== undefined
        ? compiled(list(req.vpcEndpointPolicy, "request vpc endpoint policy"), "vpce")
        : env.vpce;
    set = {
      identity: identityPolicies.map((p) => compileCached(p, "identity")),
      boundary: compiled(boundary, "boundary"),
      session: compiled(session, "session"),
      resource: compiled(resourcePolicies, isTrust ? "trust" : "resource"),
      vpce,
      scps: env.scps,
      rcps: env.rcps,
    };
    if (!own) {
      if (caller.sets.size > 1000) caller.sets.clear();
      caller.sets.set(setKey, set);
    }
  }
  const lenient = lenientNotes(set);
  if (lenient.length) notes.push(...lenient);
  if (isTrust && !set.resource && env.snapshots.length > 0)
    notes.push(`no trust policy for \`${resource}\` in the snapshot`);
  if (service === "kms" && !set.resource && resource.includes(":key/"))
    notes.push(
      "no key policy given: assumed to delegate to the account as the default key policy does (KMS ignores IAM policies unless the key policy allows it; give it with `--resource-policy`)",
    );
  const racct = resourceAccount ?? principal.account;
  const reserved = reservedTarget(
    actionLower,
    resource,
    actionLower.startsWith("iam:") && resource.includes(":role/") ? findRole(env, resource)?.path : undefined,
  );
  const request: PreparedRequest = {
    principal,
    action,
    actionLower,
    service,
    resource,
    resourceParts,
    resourceAccount: racct,
    ctx,
    scpExempt:
      principal.serviceLinked ||
      (env.managementAccount !== undefined && principal.account === env.managementAccount),
    rcpExempt:
      principal.serviceLinked || (env.managementAccount !== undefined && racct === env.managementAccount),
  };
  if (reserved) request.reserved = reserved;
  return { request, set, notes };
}

/** Evaluate one request and explain the decision (the `authdoctor.evaluation/v1` object). */
export function evaluateRequest(
  input: CanRequest,
  env: EvaluationEnv = {},
  opts: EvaluateOptions = {},
  checked = false,
): EvaluationResult {
  const { request, set, notes } = prepare(input, env, checked);
  const raw = evaluate(request, set, opts);
  const result = explain(raw, request, set);
  if (notes.length) result.notes.unshift(...notes);
  return result;
}
