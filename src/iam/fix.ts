// Proven fixes: a denied request -> the smallest policy (or request) change we know, applied to a copy of the policy
// set and re-evaluated by the engine before it is shown. A fix never adds `*` or `service:*`, keeps policy variables,
// respects each operator, and never adds an Allow to beat an explicit Deny: it narrows the Deny instead.

import { type CompiledPolicy, type CompiledStatement, compilePolicy, type PolicySet } from "./compile.js";
import type { CompiledCondition } from "./conditions.js";
import { LayeredCtx } from "./context.js";
import { evaluate, type LayerVerdict, type PreparedRequest, type RawEvaluation } from "./evaluate.js";
import type { Ctx } from "./match.js";
import { parseValue } from "./parse.js";
import type { ElementFailure, NearMiss, Policy, PolicyFix, PolicyKind } from "./types.js";

const MFA_KEYS = new Set(["aws:multifactorauthpresent", "aws:multifactorauthage"]);
const MAX_STEPS = 4;

type Doc = Record<string, unknown>;
type Stmt = Record<string, unknown>;

/** Where a changed policy goes in the set. */
interface Target {
  kind: PolicyKind;
  level?: number;
  /** The policy replaced, or undefined for a new one. */
  old?: CompiledPolicy;
}

/** One step before it is checked. */
interface Step {
  fix: PolicyFix;
  target?: Target;
  /** The changed document (whole policy). */
  doc?: Doc;
  /** Context the request should carry instead (MFA, a missing key). */
  context?: Record<string, string | null>;
}

function statementsOf(doc: Doc): unknown[] {
  const st = doc.Statement;
  return Array.isArray(st) ? st : st === undefined ? [] : [st];
}

/** A deep copy of a policy's document, rebuilt from the statements when the policy came without one. */
export function documentOf(p: Policy): Doc {
  if (p.document && typeof p.document === "object" && !Array.isArray(p.document))
    return structuredClone(p.document) as Doc;
  const doc: Doc = { Version: p.version ?? "2012-10-17" };
  doc.Statement = p.statements.map((s) => {
    const o: Stmt = {};
    if (s.sid) o.Sid = s.sid;
    o.Effect = s.effect;
    if (s.principal) o.Principal = s.principal;
    if (s.notPrincipal) o.NotPrincipal = s.notPrincipal;
    if (s.action) o.Action = s.action;
    if (s.notAction) o.NotAction = s.notAction;
    if (s.resource) o.Resource = s.resource;
    if (s.notResource) o.NotResource = s.notResource;
    if (s.condition.length) {
      const c: Record<string, Record<string, string[]>> = {};
      for (const e of s.condition) {
        c[e.operator] ??= {};
        c[e.operator]![e.key] = e.values;
      }
      o.Condition = c;
    }
    return o;
  });
  return doc;
}

/** A copy of one statement as written (without copying the whole document). */
function statementOf(s: CompiledStatement): Stmt | undefined {
  const doc = s.policy.policy.document;
  if (doc && typeof doc === "object" && !Array.isArray(doc)) {
    const st = statementsOf(doc as Doc)[s.stmt.index];
    return st && typeof st === "object" ? (structuredClone(st) as Stmt) : undefined;
  }
  return statementsOf(documentOf({ ...s.policy.policy, statements: [s.stmt] }))[0] as Stmt | undefined;
}

/** A shallow copy of the document (the statement list is new; statements are shared, never changed). */
function shallowDocument(p: Policy): Doc {
  if (p.document && typeof p.document === "object" && !Array.isArray(p.document))
    return { ...(p.document as Doc) };
  return documentOf(p);
}

function withStatements(doc: Doc, list: unknown[]): Doc {
  return { ...doc, Statement: list };
}

function label(s: CompiledStatement): string {
  return `${s.policy.policy.name} statement ${s.stmt.sid ? `\`${s.stmt.sid}\` ` : ""}#${s.stmt.index}`;
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/** The principal as a policy names it (a session's role ARN). */
function principalEntry(r: PreparedRequest): [string, string] | undefined {
  const p = r.principal;
  if (p.kind === "anonymous") return undefined;
  if (p.kind === "service") return ["Service", p.raw];
  if (p.kind === "federated") return ["Federated", p.raw];
  return ["AWS", p.kind === "role-session" ? (p.roleArn ?? p.raw) : p.raw];
}

function usesPrincipal(kind: PolicyKind): boolean {
  return kind === "resource" || kind === "trust" || kind === "rcp" || kind === "vpce";
}

function fmtDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function parseDateValue(s: string): number {
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  return Date.parse(s);
}

/**
 * A value the operator accepts for `actual`, or undefined when none can be written (a negated operator is handled
 * by removing the value). Date and number operators get a strictly later/earlier bound where they compare strictly.
 */
function acceptingValue(c: CompiledCondition, actual: string): string | undefined {
  const b = c.base;
  if (b.startsWith("numeric")) {
    const x = Number(actual);
    if (!Number.isFinite(x)) return undefined;
    if (b === "numericlessthan") return String(Math.floor(x) + 1);
    if (b === "numericgreaterthan") return String(Math.ceil(x) - 1);
    return actual;
  }
  if (b.startsWith("date")) {
    const t = parseDateValue(actual);
    if (!Number.isFinite(t) || Math.abs(t) > 8.64e15) return undefined;
    if (b === "datelessthan") return fmtDate(Math.floor(t / 1000) * 1000 + 1000);
    if (b === "dategreaterthan") return fmtDate(Math.ceil(t / 1000) * 1000 - 1000);
    if (b === "dateequals") return actual;
    return fmtDate(t);
  }
  if (b === "ipaddress")
    return actual.includes("/") ? actual : `${actual}${actual.includes(":") ? "/128" : "/32"}`;
  if (b === "stringlike" || b === "arnlike") {
    // A literal value: escape nothing, but refuse values with wildcards of their own (they would widen).
    return /[*?]/.test(actual) ? undefined : actual;
  }
  return actual;
}

function conditionBlock(
  st: Stmt,
  operator: string,
  key: string,
): { block: Record<string, unknown>; keyName: string } {
  const cond = (st.Condition && typeof st.Condition === "object" ? st.Condition : {}) as Record<
    string,
    unknown
  >;
  st.Condition = cond;
  const block = (cond[operator] && typeof cond[operator] === "object" ? cond[operator] : {}) as Record<
    string,
    unknown
  >;
  cond[operator] = block;
  const keyName = Object.keys(block).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
  return { block, keyName };
}

/** Change the failing conditions of `st` so they hold for the request; undefined when one cannot be changed. */
function fixConditions(
  st: Stmt,
  s: CompiledStatement,
  r: PreparedRequest,
  failed: ElementFailure[],
  steps: string[],
  context: Record<string, string | null>,
): boolean {
  for (const f of failed) {
    if (f.element !== "Condition") continue;
    const c = s.conditions.find((x) => x.entry.operator === f.operator && x.entry.key === f.key);
    if (!c) return false;
    const actual = r.ctx.get(c.keyLower);
    if (MFA_KEYS.has(c.keyLower)) {
      // Never lift an MFA requirement: the caller signs in with MFA.
      context["aws:MultiFactorAuthPresent"] = "true";
      context["aws:MultiFactorAuthAge"] = "60";
      steps.push(
        `send the request from an MFA session (\`aws sts get-session-token --serial-number ... --token-code ...\`)`,
      );
      continue;
    }
    if (c.base === "null") {
      const wantAbsent = c.entry.values.some((v) => v.toLowerCase() === "true");
      if (wantAbsent) {
        context[c.entry.key] = null;
        steps.push(`send the request without \`${c.entry.key}\``);
      } else return false;
      continue;
    }
    if (!actual || actual.length === 0) {
      // The key is absent: the request must carry it; pick a value the condition accepts.
      const v = c.negated ? undefined : c.entry.values.find((x) => !x.includes("${") && !/[*?]/.test(x));
      if (v === undefined) return false;
      context[c.entry.key] = v;
      steps.push(`send the request with \`${c.entry.key}\` = \`${v}\``);
      continue;
    }
    const { block, keyName } = conditionBlock(st, c.entry.operator, c.entry.key);
    const cur = asList(block[keyName]).map(String);
    if (c.negated) {
      // `StringNotEquals x [a, b]` refuses a and b: take the request's value out of the list.
      const rest = cur.filter(
        (v) =>
          !actual.some(
            (a) => a === v || (c.base.endsWith("ignorecase") && a.toLowerCase() === v.toLowerCase()),
          ),
      );
      if (rest.length === cur.length) return false;
      if (rest.length === 0) {
        delete block[keyName];
        if (Object.keys(block).length === 0)
          delete (st.Condition as Record<string, unknown>)[c.entry.operator];
        if (Object.keys(st.Condition as object).length === 0) delete st.Condition;
      } else block[keyName] = rest.length === 1 ? rest[0] : rest;
      steps.push(
        `stop \`${c.entry.operator}\` \`${c.entry.key}\` from refusing ${actual.map((a) => `\`${a}\``).join(", ")}`,
      );
      continue;
    }
    if (actual.length > 1 && !c.set) return false; // a single-valued operator cannot accept a list
    const add: string[] = [];
    for (const a of c.set === "all" ? actual : actual.slice(0, 1)) {
      const v = acceptingValue(c, a);
      if (v === undefined) return false;
      if (!cur.includes(v) && !add.includes(v)) add.push(v);
    }
    const next = [...cur, ...add];
    block[keyName] = next.length === 1 ? next[0] : next;
    steps.push(
      `accept ${add.map((v) => `\`${v}\``).join(", ")} in \`${c.entry.operator}\` \`${c.entry.key}\``,
    );
  }
  return true;
}

/** A new narrow statement: the exact action and resource, the near miss's conditions made to hold. */
function newStatement(
  layer: LayerVerdict,
  r: PreparedRequest,
  near: { s: CompiledStatement; nm: NearMiss } | undefined,
  steps: string[],
  context: Record<string, string | null>,
): Stmt | undefined {
  const st: Stmt = { Sid: "AuthdoctorFix", Effect: "Allow" };
  if (usesPrincipal(layer.type)) {
    const pe = principalEntry(r);
    st.Principal = pe ? { [pe[0]]: pe[1] } : "*";
  }
  st.Action = r.action;
  if (layer.type !== "trust") st.Resource = r.resource;
  if (near) {
    const base = statementOf(near.s);
    if (base?.Condition && typeof base.Condition === "object") {
      st.Condition = structuredClone(base.Condition);
      const condFails = near.nm.failed.filter((f) => f.element === "Condition");
      if (!fixConditions(st, near.s, r, condFails, steps, context)) return undefined;
    }
  }
  return st;
}

function findStatement(layer: LayerVerdict, nm: NearMiss): CompiledStatement | undefined {
  for (const p of layer.policies)
    if (p.policy.name === nm.policy) for (const s of p.statements) if (s.stmt.index === nm.index) return s;
  return undefined;
}

function kindName(t: PolicyKind): string {
  return t === "identity"
    ? "an identity-based policy"
    : t === "trust"
      ? "the role's trust policy"
      : `the ${t} policy`;
}

/** A step that makes `layer` allow the request (an implicit deny there). */
function allowStep(layer: LayerVerdict, nm: NearMiss | undefined, r: PreparedRequest): Step {
  const s = nm ? findStatement(layer, nm) : undefined;
  const steps: string[] = [];
  const context: Record<string, string | null> = {};
  // Edit the near miss in place when that grants nothing but the request: its conditions fail, or its Resource
  // does and its only action is the requested one. Otherwise a new narrow statement.
  const onlyAction =
    s?.stmt.action !== undefined && s.stmt.action.every((a) => a.toLowerCase() === r.actionLower);
  const onlyResource =
    s?.stmt.resource !== undefined &&
    s.stmt.resource.length > 0 &&
    s.stmt.resource.every((x) => x === r.resource);
  const onlyConditions =
    onlyAction &&
    nm?.failed.every(
      (f) =>
        f.element === "Resource" ||
        (f.element === "Condition" && (onlyResource || s.stmt.resource === undefined)),
    ) === true;
  const target: Target = { kind: layer.type, level: layer.level, old: s?.policy ?? layer.policies[0] };
  // Only MFA conditions fail: the caller signs in with MFA, no policy changes.
  if (s && nm?.failed.every((f) => f.element === "Condition" && f.key && MFA_KEYS.has(f.key.toLowerCase()))) {
    fixConditions({}, s, r, nm.failed, steps, context);
    return {
      fix: {
        summary: `${steps.join("; ")}: ${label(s)} requires MFA`,
        policy: s.policy.policy.name,
        policyType: layer.type,
      },
      context,
    };
  }
  const policy = target.old?.policy;
  const doc = policy ? shallowDocument(policy) : { Version: "2012-10-17", Statement: [] };
  const name = policy?.name ?? `new ${layer.type === "identity" ? "identity-based" : layer.type} policy`;
  const list = statementsOf(doc).slice();
  let summary: string;
  let before: unknown;
  let after: unknown;
  if (s && nm && onlyConditions) {
    const st = structuredClone(list[s.stmt.index]) as Stmt;
    if (nm.failed.some((f) => f.element === "Resource")) {
      const cur = asList(st.Resource);
      st.Resource = [...cur, r.resource];
      steps.push(`add \`${r.resource}\` to \`Resource\``);
    }
    if (fixConditions(st, s, r, nm.failed, steps, context)) {
      before = list[s.stmt.index];
      list[s.stmt.index] = st;
      after = st;
      summary = `in ${label(s)}: ${steps.join("; ")}`;
      const changed = JSON.stringify(before) !== JSON.stringify(after);
      return {
        fix: {
          summary,
          policy: name,
          policyType: layer.type,
          ...(changed
            ? { diff: statementDiff(before, after, label(s)), document: withStatements(doc, list) }
            : {}),
        },
        target: changed ? target : undefined,
        doc: changed ? withStatements(doc, list) : undefined,
        context: Object.keys(context).length ? context : undefined,
      };
    }
    steps.length = 0;
  }
  const near =
    s && nm && !nm.failed.some((f) => f.element === "Action" || f.element === "NotAction")
      ? { s, nm }
      : undefined;
  const st =
    newStatement(layer, r, near, steps, context) ?? newStatement(layer, r, undefined, steps, context)!;
  list.push(st);
  summary = `add a statement allowing \`${r.action}\`${layer.type === "trust" ? "" : ` on \`${r.resource}\``} to ${kindName(layer.type)} (\`${name}\`)${steps.length ? `; ${steps.join("; ")}` : ""}`;
  const text = JSON.stringify(st, null, 2);
  const document = withStatements(doc, list);
  return {
    fix: {
      summary,
      policy: name,
      policyType: layer.type,
      diff: [
        `--- ${name}`,
        `+++ ${name} (proposed: new statement)`,
        ...text.split("\n").map((l) => `+ ${l}`),
      ].join("\n"),
      document,
    },
    target,
    doc: document,
    context: Object.keys(context).length ? context : undefined,
  };
}

function statementDiff(before: unknown, after: unknown, header: string): string {
  return lineDiff(JSON.stringify(before, null, 2), JSON.stringify(after, null, 2), header);
}

/** Line diff of two texts (LCS), with `-`/`+`/` ` prefixes (statements are small). */
export function lineDiff(before: string, after: string, header: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  const n = a.length;
  const m = b.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const out = [`--- ${header}`, `+++ ${header} (proposed)`];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (i < n && (j >= m || dp[i + 1]![j]! >= dp[i]![j + 1]!)) out.push(`- ${a[i++]}`);
    else out.push(`+ ${b[j++]}`);
  }
  return out.join("\n");
}

/** A step that narrows the explicit Deny `s` so it no longer matches the request. */
function denyStep(s: CompiledStatement, r: PreparedRequest): Step {
  const lbl = label(s);
  const context: Record<string, string | null> = {};
  if (s.conditions.some((c) => MFA_KEYS.has(c.keyLower))) {
    context["aws:MultiFactorAuthPresent"] = "true";
    context["aws:MultiFactorAuthAge"] = "60";
    return {
      fix: {
        summary: `sign in with MFA (get a session with \`aws sts get-session-token --serial-number ... --token-code ...\`): ${lbl} denies requests without it`,
        policy: s.policy.policy.name,
        policyType: s.policy.kind,
      },
      context,
    };
  }
  const doc = shallowDocument(s.policy.policy);
  const list = statementsOf(doc).slice();
  const before = list[s.stmt.index] as Stmt;
  const after = structuredClone(before);
  let summary: string;
  const acts = s.stmt.action;
  const res = s.stmt.resource;
  if (
    acts &&
    acts.length > 1 &&
    acts.some((a) => a.toLowerCase() === r.actionLower) &&
    s.actionGlobs.length === 0 &&
    !s.actionAny
  ) {
    after.Action = asList(after.Action).filter((a) => String(a).toLowerCase() !== r.actionLower);
    summary = `narrow the Deny in ${lbl}: take \`${r.action}\` out of its \`Action\` (if the deny is not meant for this request)`;
  } else if (res && res.length > 1 && res.includes(r.resource) && !s.notResource) {
    after.Resource = asList(after.Resource).filter((x) => x !== r.resource);
    summary = `narrow the Deny in ${lbl}: take \`${r.resource}\` out of its \`Resource\` (if the deny is not meant for it)`;
  } else {
    const pe = principalEntry(r);
    if (!pe || pe[0] === "Federated") {
      return {
        fix: {
          summary: `the Deny in ${lbl} matches this request: narrow it (Resource or Condition) or change the request to fall outside it`,
          policy: s.policy.policy.name,
          policyType: s.policy.kind,
        },
      };
    }
    // An exception for this caller: the Deny stays for everyone else.
    const [op, key, value] =
      pe[0] === "Service"
        ? ["StringNotEquals", "aws:PrincipalServiceName", pe[1]]
        : ["ArnNotEquals", "aws:PrincipalArn", pe[1]];
    const { block, keyName } = conditionBlock(after, op, key);
    const cur = asList(block[keyName]).map(String);
    block[keyName] = cur.length === 0 ? value : [...cur, value];
    summary = `narrow the Deny in ${lbl}: add an exception for \`${value}\` (\`${op}\` \`${key}\`), if it is meant to be allowed`;
  }
  list[s.stmt.index] = after;
  const document = withStatements(doc, list);
  return {
    fix: {
      summary,
      policy: s.policy.policy.name,
      policyType: s.policy.kind,
      diff: statementDiff(before, after, lbl),
      document,
    },
    target: { kind: s.policy.kind, level: levelOf(s.policy), old: s.policy },
    doc: document,
  };
}

let levels = new WeakMap<CompiledPolicy, number>();

function levelOf(p: CompiledPolicy): number | undefined {
  return levels.get(p);
}

/**
 * The policy of `doc`, parsing only the statements that differ from `old` (a fix changes one statement or adds
 * one: a 50,000-statement policy is not parsed again).
 */
function changedPolicy(old: Policy | undefined, doc: Doc): Policy | undefined {
  const list = statementsOf(doc);
  const oldList =
    old?.document && typeof old.document === "object" ? statementsOf(old.document as Doc) : undefined;
  if (!old || !oldList || old.statements.length !== oldList.length) {
    const parsed = parseValue(doc, old?.name ?? "fix");
    if (parsed.policy && old) parsed.policy.name = old.name;
    return parsed.policy;
  }
  const statements = old.statements.slice();
  for (let i = 0; i < list.length; i++) {
    if (i < oldList.length && list[i] === oldList[i]) continue;
    const one = parseValue({ Version: doc.Version, Statement: [list[i]] }, old.name).policy?.statements[0];
    if (!one) return undefined;
    one.index = i;
    statements[i] = one;
  }
  return { ...old, statements, document: doc, warnings: undefined };
}

/** A copy of `set` with the target policy replaced by `doc` (compiled), or added. */
function applyTo(set: PolicySet, t: Target, doc: Doc): PolicySet {
  const old = t.old?.policy;
  const policy = changedPolicy(old, doc);
  if (!policy) return set;
  const cp = compilePolicy(policy, t.kind);
  const swap = (ps: CompiledPolicy[] | undefined): CompiledPolicy[] => {
    const list = ps ?? [];
    if (t.old && list.includes(t.old)) return list.map((p) => (p === t.old ? cp : p));
    return [...list, cp];
  };
  const out: PolicySet = { ...set };
  switch (t.kind) {
    case "identity":
      out.identity = swap(set.identity);
      break;
    case "boundary":
      out.boundary = swap(set.boundary);
      break;
    case "session":
      out.session = swap(set.session);
      break;
    case "resource":
    case "trust":
      out.resource = swap(set.resource);
      break;
    case "vpce":
      out.vpce = swap(set.vpce);
      break;
    case "scp":
    case "rcp": {
      const lv = (t.kind === "scp" ? set.scps : set.rcps) ?? [];
      const i = t.old ? lv.findIndex((l) => l.includes(t.old!)) : (t.level ?? 0);
      const next = lv.map((l, k) => (k === i ? swap(l) : l));
      if (t.kind === "scp") out.scps = next;
      else out.rcps = next;
      break;
    }
  }
  return out;
}

function withContext(r: PreparedRequest, ctx: Record<string, string | null>): PreparedRequest {
  const own = new Map<string, string[] | null>();
  for (const [k, v] of Object.entries(ctx)) own.set(k.toLowerCase(), v === null ? null : [v]);
  return { ...r, ctx: new LayeredCtx(own, r.ctx as Ctx) };
}

const stepCache = new WeakMap<PolicySet, Map<string, { step: Step; nextSet: PolicySet }>>();
const ids = new WeakMap<object, number>();
let nextId = 1;
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) {
    id = nextId++;
    ids.set(o, id);
  }
  return id;
}

/** Near misses of one layer for the fix (closest first), supplied by explain.ts. */
export type NearMissFn = (layer: LayerVerdict, r: PreparedRequest) => NearMiss[];

/**
 * The fix for a denied request, proven: each step is applied to a copy of the set and the request re-evaluated;
 * the steps go on until the request is Allowed (at most four). `verified` says whether the last one allowed it.
 */
export function provenFix(
  raw: RawEvaluation,
  r: PreparedRequest,
  set: PolicySet,
  nearMisses: NearMissFn,
): PolicyFix | null {
  if (raw.decision === "Allowed") return null;
  if (raw.reserved) return { summary: `no policy change can allow this: ${raw.reserved}`, verified: false };
  levels = new WeakMap();
  for (const [i, l] of (set.scps ?? []).entries()) for (const p of l) levels.set(p, i);
  for (const [i, l] of (set.rcps ?? []).entries()) for (const p of l) levels.set(p, i);
  const steps: PolicyFix[] = [];
  let cur = raw;
  let curSet = set;
  let curReq = r;
  const docs = new Map<string, Doc>();
  for (let n = 0; n < MAX_STEPS && cur.decision !== "Allowed"; n++) {
    // A batch asks the same question many times: the step and the changed set are kept per set and per what the
    // step depends on; the re-evaluation below is still done for every request.
    let memo = stepCache.get(curSet);
    if (!memo) {
      memo = new Map();
      stepCache.set(curSet, memo);
    }
    let key: string;
    let build: () => Step;
    if (cur.decision === "ExplicitDeny") {
      const d = cur.decidedBy[0]!;
      // denyStep reads the resource only to take it out of the Deny's own Resource list: other resources share
      // the step (a batch over many instances of one service is denied by the same statement)
      const res = d.stmt.resource?.includes(curReq.resource) ? curReq.resource : "";
      key = `D|${idOf(d)}|${curReq.action}|${res}|${curReq.principal.raw}`;
      build = () => denyStep(d, curReq);
    } else {
      const layer = cur.decidingLayer!;
      const nm = nearMisses(layer, curReq)[0];
      const nmKey = nm
        ? `${nm.policy}#${nm.index}|${JSON.stringify(nm.failed.map((f) => [f.element, f.operator, f.key, f.actual, f.segment]))}`
        : "-";
      key = `A|${layer.type}|${layer.level}|${layer.policies.map(idOf).join(",")}|${nmKey}|${curReq.action}|${curReq.resource}|${curReq.principal.raw}`;
      build = () => allowStep(layer, nm, curReq);
    }
    let hit = memo.get(key);
    if (!hit) {
      const step = build();
      const nextSet = step.target && step.doc ? applyTo(curSet, step.target, step.doc) : curSet;
      hit = { step, nextSet };
      if (memo.size > 256) memo.clear();
      memo.set(key, hit);
    }
    const step: Step = { ...hit.step, fix: { ...hit.step.fix } };
    if (!step.target && !step.context) {
      steps.push({ ...step.fix, verified: false });
      break;
    }
    if (step.target && step.doc) {
      curSet = hit.nextSet;
      docs.set(step.fix.policy ?? "", step.doc);
    }
    if (step.context) {
      curReq = withContext(curReq, step.context);
      step.fix.context = step.context;
    }
    const next = evaluate(curReq, curSet);
    // A step that changes nothing would loop: stop and say so.
    const same =
      next.decision === cur.decision &&
      next.decidingLayer?.type === cur.decidingLayer?.type &&
      next.decidedBy[0]?.stmt === cur.decidedBy[0]?.stmt &&
      next.decidedBy[0] !== undefined;
    steps.push(step.fix);
    cur = next;
    if (same) break;
  }
  const verified = cur.decision === "Allowed";
  const first = steps[0]!;
  // A later step on the same policy carries the document with every change so far.
  for (const s of steps) if (s.policy && s.document && docs.has(s.policy)) s.document = docs.get(s.policy);
  const out: PolicyFix = { ...first, verified };
  if (steps.length > 1) out.also = steps.slice(1).map((s) => ({ ...s, verified }));
  if (!verified)
    out.summary = `${first.summary} (not enough on its own: ${cur.decision === "ExplicitDeny" ? "an explicit Deny still matches" : "still implicitly denied"})`;
  return out;
}
