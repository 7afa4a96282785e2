// Step 2 of the engine: Policy -> compiled statements (matchers built once, indexed by service) for many evaluations.

import { type CompiledCondition, compileCondition } from "./conditions.js";
import { type ArnMatcher, compileArnPattern, compileGlob, type Glob } from "./match.js";
import type { Policy, PolicyKind, PrincipalBlock, Statement } from "./types.js";

/** The caller as the evaluator sees it. */
export interface PrincipalInfo {
  /** As given. */
  raw: string;
  kind: "user" | "role-session" | "role" | "root" | "federated-user" | "service" | "federated" | "anonymous";
  partition: string;
  account?: string;
  /** Role ARN for a role session (`arn:aws:iam::A:role/NAME`, with its path when the snapshot knows it). */
  roleArn?: string;
  /** Role or user name. */
  name?: string;
  /** A service-linked role (path `/aws-service-role/`). */
  serviceLinked: boolean;
}

/** How a resource-policy statement named the caller. */
export type GrantKind = "account" | "user" | "role" | "session" | "any" | "service" | "federated";

/** A compiled Principal / NotPrincipal element. */
export interface PrincipalMatcher {
  /** The grant kind when `p` is named, else undefined. */
  match(p: PrincipalInfo): GrantKind | undefined;
}

/** One compiled statement. */
export interface CompiledStatement {
  stmt: Statement;
  policy: CompiledPolicy;
  effect: "Allow" | "Deny";
  /** Action matching (lower-case names). `notAction` inverts. */
  actionExact: Set<string>;
  actionGlobs: Glob[];
  actionAny: boolean;
  notAction: boolean;
  /** Resource matching; `resourceAny` also when the statement has no Resource element (trust policies). */
  readonly resources: ArnMatcher[];
  resourceAny: boolean;
  readonly notResource: boolean;
  readonly principal?: PrincipalMatcher;
  readonly notPrincipal?: PrincipalMatcher;
  readonly conditions: CompiledCondition[];
}

/** A compiled policy: its statements indexed by service prefix. */
export interface CompiledPolicy {
  policy: Policy;
  kind: PolicyKind;
  /** Statements in order. */
  statements: CompiledStatement[];
  /** Statements whose actions name the service (lower case), merged with `anyService`, in order. */
  forService(service: string): CompiledStatement[];
}

/** Does the statement's Action/NotAction cover `actionLower` (`s3:getobject`)? */
export function actionMatches(s: CompiledStatement, actionLower: string): boolean {
  let m = s.actionAny || s.actionExact.has(actionLower);
  if (!m)
    for (const g of s.actionGlobs)
      if (g.test(actionLower)) {
        m = true;
        break;
      }
  return s.notAction ? !m : m;
}

function serviceOf(pattern: string): string | undefined {
  const i = pattern.indexOf(":");
  if (i < 0) return undefined;
  const svc = pattern.slice(0, i).toLowerCase();
  return /[*?]/.test(svc) ? undefined : svc;
}

const ACCOUNT_RX = /^\d{12}$/;

/** Compile a Principal block. */
export function compilePrincipal(block: PrincipalBlock): PrincipalMatcher {
  if (block === "*") return { match: () => "any" };
  const aws = block.AWS ?? [];
  const services = new Set((block.Service ?? []).map((s) => s.toLowerCase()));
  const federated = new Set((block.Federated ?? []).map((s) => s.toLowerCase()));
  const canonical = new Set(block.CanonicalUser ?? []);
  const accounts = new Set<string>();
  const users = new Set<string>();
  const roles = new Set<string>(); // "account/name"
  const sessions = new Set<string>();
  let anyAws = false;
  for (const a of aws) {
    if (a === "*") anyAws = true;
    else if (ACCOUNT_RX.test(a)) accounts.add(a);
    else {
      const m = /^arn:[^:]+:(iam|sts)::(\d{12}|\*):(.*)$/.exec(a);
      if (!m) continue;
      const acct = m[2]!;
      const rest = m[3]!;
      if (rest === "root") accounts.add(acct);
      else if (rest.startsWith("role/")) roles.add(`${acct}/${rest.slice(rest.lastIndexOf("/") + 1)}`);
      else if (rest.startsWith("assumed-role/")) sessions.add(a);
      else users.add(a);
    }
  }
  return {
    match(p) {
      switch (p.kind) {
        case "service":
          return services.has(p.raw.toLowerCase()) ? "service" : undefined;
        case "federated":
          return federated.has(p.raw.toLowerCase()) ? "federated" : undefined;
        case "anonymous":
          // `"Principal": "*"` and `{"AWS": "*"}` both name every caller, anonymous ones included.
          // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
          return anyAws ? "any" : undefined;
      }
      if (canonical.has(p.raw)) return "user";
      if (p.kind === "role-session" || p.kind === "role") {
        if (p.kind === "role-session" && sessions.has(p.raw)) return "session";
        if (p.account && p.name && roles.has(`${p.account}/${p.name}`)) return "role";
      } else if (users.has(p.raw)) return "user";
      if (p.account && accounts.has(p.account)) return "account";
      if (anyAws) return "any";
      return undefined;
    },
  };
}

/**
 * A compiled statement whose Resource, Principal and Condition matchers are built on first use: in a large policy
 * most statements are never tested (the service index skips them), and their matchers would cost memory for nothing.
 */
class LazyStatement implements CompiledStatement {
  readonly effect: "Allow" | "Deny";
  readonly notAction: boolean;
  readonly notResource: boolean;
  resourceAny = false;
  #resources?: ArnMatcher[];
  #principal?: PrincipalMatcher | null;
  #notPrincipal?: PrincipalMatcher | null;
  #conditions?: CompiledCondition[];
  constructor(
    readonly stmt: Statement,
    readonly policy: CompiledPolicy,
    private readonly vars: boolean,
    readonly actionExact: Set<string>,
    readonly actionGlobs: Glob[],
    readonly actionAny: boolean,
  ) {
    this.effect = stmt.effect;
    this.notAction = stmt.notAction !== undefined;
    this.notResource = stmt.notResource !== undefined;
  }
  get resources(): ArnMatcher[] {
    if (!this.#resources) {
      const res = this.stmt.resource ?? this.stmt.notResource ?? [];
      this.#resources = res.map((r) => compileArnPattern(r, this.vars));
    }
    return this.#resources;
  }
  get principal(): PrincipalMatcher | undefined {
    if (this.#principal === undefined)
      this.#principal = this.stmt.principal ? compilePrincipal(this.stmt.principal) : null;
    return this.#principal ?? undefined;
  }
  get notPrincipal(): PrincipalMatcher | undefined {
    if (this.#notPrincipal === undefined)
      this.#notPrincipal = this.stmt.notPrincipal ? compilePrincipal(this.stmt.notPrincipal) : null;
    return this.#notPrincipal ?? undefined;
  }
  get conditions(): CompiledCondition[] {
    this.#conditions ??= this.stmt.condition.map((c) => compileCondition(c, this.vars));
    return this.#conditions;
  }
}

interface ActionMatcher {
  actionExact: Set<string>;
  actionGlobs: Glob[];
  actionAny: boolean;
}
const actionCache = new Map<string, ActionMatcher>();

/** The matcher of an Action list, shared by every statement with the same list (they are never changed). */
function actionMatcher(actions: string[]): ActionMatcher {
  const key = actions.length === 1 ? actions[0]! : actions.join("\u0000");
  let m = actionCache.get(key);
  if (!m) {
    const actionExact = new Set<string>();
    const actionGlobs: Glob[] = [];
    let actionAny = false;
    for (const a of actions) {
      if (a === "*") actionAny = true;
      else if (/[*?]/.test(a))
        actionGlobs.push(compileGlob(a.toLowerCase())); // matched against the lower-cased action
      else actionExact.add(a.toLowerCase());
    }
    m = { actionExact, actionGlobs, actionAny };
    if (actionCache.size > 20_000) actionCache.clear();
    actionCache.set(key, m);
  }
  return m;
}

/** Compile one policy for the role `kind` it plays. */
export function compilePolicy(policy: Policy, kind: PolicyKind): CompiledPolicy {
  const vars = policy.version === "2012-10-17";
  const byService = new Map<string, CompiledStatement[]>();
  const anyService: CompiledStatement[] = [];
  const cp: CompiledPolicy = {
    policy,
    kind,
    statements: [],
    forService(service) {
      let list = merged.get(service);
      if (!list) {
        const own = byService.get(service) ?? [];
        list =
          own.length === 0 ? anyService : [...own, ...anyService].sort((a, b) => a.stmt.index - b.stmt.index);
        merged.set(service, list);
      }
      return list;
    },
  };
  const merged = new Map<string, CompiledStatement[]>();
  for (const stmt of policy.statements) {
    const actions = stmt.action ?? stmt.notAction ?? [];
    const { actionExact, actionGlobs, actionAny } = actionMatcher(actions);
    const res = stmt.resource ?? stmt.notResource;
    const cs = new LazyStatement(stmt, cp, vars, actionExact, actionGlobs, actionAny);
    cs.resourceAny = res === undefined || (stmt.notResource === undefined && res.includes("*"));
    cp.statements.push(cs);
    // Index: statements whose every action names one service go under it; the rest match any service.
    const services = new Set<string>();
    let global = cs.notAction || actionAny;
    for (const a of actions) {
      const svc = serviceOf(a);
      if (svc === undefined) global = true;
      else services.add(svc);
    }
    if (global) anyService.push(cs);
    else
      for (const svc of services) {
        const l = byService.get(svc) ?? [];
        l.push(cs);
        byService.set(svc, l);
      }
  }
  return cp;
}

/** The policies of one evaluation, compiled. SCP and RCP levels run root first. */
export interface PolicySet {
  identity: CompiledPolicy[];
  boundary?: CompiledPolicy[];
  session?: CompiledPolicy[];
  resource?: CompiledPolicy[];
  vpce?: CompiledPolicy[];
  scps?: CompiledPolicy[][];
  rcps?: CompiledPolicy[][];
}

/** Policies of one evaluation before compiling. */
export interface PolicySetInput {
  identity?: Policy[];
  boundary?: Policy[];
  session?: Policy[];
  resource?: Policy[];
  /** `trust` for a role's trust policy. */
  resourceKind?: "resource" | "trust";
  vpce?: Policy[];
  scps?: Policy[][];
  rcps?: Policy[][];
}

const cache = new WeakMap<Policy, Map<PolicyKind, CompiledPolicy>>();

/** Compile once per policy object and kind (cached). */
export function compileCached(policy: Policy, kind: PolicyKind): CompiledPolicy {
  let m = cache.get(policy);
  if (!m) {
    m = new Map();
    cache.set(policy, m);
  }
  let c = m.get(kind);
  if (!c) {
    c = compilePolicy(policy, kind);
    m.set(kind, c);
  }
  return c;
}

/** Compile a whole set (cached per policy). */
export function compilePolicySet(input: PolicySetInput): PolicySet {
  const all = (ps: Policy[] | undefined, kind: PolicyKind) => ps?.map((p) => compileCached(p, kind));
  return {
    identity: all(input.identity, "identity") ?? [],
    boundary: all(input.boundary, "boundary"),
    session: all(input.session, "session"),
    resource: all(input.resource, input.resourceKind ?? "resource"),
    vpce: all(input.vpce, "vpce"),
    scps: input.scps?.map((level) => all(level, "scp") ?? []),
    rcps: input.rcps?.map((level) => all(level, "rcp") ?? []),
  };
}
