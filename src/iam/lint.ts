// Policy lint: parse problems plus checks against the service reference (unknown actions, Resources that can never
// match the statement's actions, condition keys that do not apply, risky Allow forms).

import { valueChecks } from "./checks.js";
import { compileGlob, type Glob } from "./match.js";
import { splitOperator } from "./parse.js";
import { isGlobalConditionKey, keyInList, type ServiceInfo, service } from "./service-ref.js";
import type { Policy, PolicyError, Statement, Where } from "./types.js";

/** One lint finding. */
export interface LintFinding {
  /** Stable code: `unknown_action`, `resource_never_matches`, `condition_key_not_applicable`... */
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  where: Where;
  /** 0-based statement index, when the finding is about one statement. */
  statement?: number;
  /** "did you mean" text or a replacement. */
  suggestion?: string;
}

/** The codes and what they mean (also SARIF rule descriptions). */
export const LINT_RULES: Record<string, string> = {
  policy_error: "the policy does not parse or breaks the IAM policy grammar",
  unknown_service: "the service prefix is not in the service reference",
  unknown_action: "the action does not exist; a close real action does",
  unlisted_action:
    "the action is not in the service reference (deprecated, undocumented, or newer than the reference)",
  action_matches_nothing: "the action pattern matches no action of the service",
  resource_never_matches: "a Resource pattern cannot match any resource type of the statement's actions",
  action_never_covered: "no Resource of the statement can match any resource type of this action",
  condition_key_not_applicable:
    "the condition key belongs to a service none of the statement's actions is in",
  unknown_condition_key: "the condition key is not in the service reference",
  condition_operator_mismatch: "the operator does not fit the type of the condition key",
  allow_not_action: "Allow with NotAction allows every other action, including future ones",
  allow_not_resource: "Allow with NotResource allows every other resource",
  identity_without_resource: "a statement without Principal (identity-based, boundary, SCP) needs Resource",
  public_allow: "Allow to Principal `*` without a Condition is public",
  condition_value_invalid:
    "a condition value does not fit its operator (a date, CIDR, number or Bool that cannot be read): it never matches",
  unknown_policy_variable: "a `${aws:...}` variable IAM does not know: it never resolves",
  placeholder: "a placeholder left from a sample policy (`${Account}`, `[ROLE]`, `<bucket>`)",
  appsync_type_not_root:
    "AppSync IAM authorization applies to root operation types (Query, Mutation, Subscription)",
};

const FEDERATED_PREFIX =
  /^(saml|cognito-identity\.amazonaws\.com|accounts\.google\.com|graph\.facebook\.com|www\.amazon\.com)$/i;

/** Levenshtein distance (small strings). */
function distance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[n]!;
}

function closest(name: string, candidates: Iterable<string>): { name: string; d: number } | undefined {
  let best: { name: string; d: number } | undefined;
  const low = name.toLowerCase();
  for (const c of candidates) {
    const d = distance(low, c.toLowerCase());
    if (!best || d < best.d) best = { name: c, d };
  }
  return best;
}

/** A case-insensitive IAM wildcard pattern (no regex: a hostile pattern cannot backtrack for ever). */
function globRx(p: string): Glob {
  return compileGlob(p, { ignoreCase: true });
}

// --- can two patterns ever match the same ARN? -------------------------------------------------------------
type Tok = { c: string } | { star: true; excl: string } | { one: true; excl: string };

function policyTokens(p: string): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]!;
    if (ch === "$" && p[i + 1] === "{") {
      const end = p.indexOf("}", i);
      if (end > 0) {
        out.push({ star: true, excl: "" });
        i = end;
        continue;
      }
    }
    if (ch === "*") out.push({ star: true, excl: "" });
    else if (ch === "?") out.push({ one: true, excl: "" });
    else out.push({ c: ch });
  }
  return out;
}

/** ARN format `arn:${Partition}:s3:::${BucketName}/${ObjectName}`: a variable is one or more characters, no `:`
 * inside the first five parts, anything when it ends the format. */
function formatTokens(f: string): Tok[] {
  const out: Tok[] = [];
  let colons = 0;
  for (let i = 0; i < f.length; i++) {
    const ch = f[i]!;
    if (ch === "$" && f[i + 1] === "{") {
      const end = f.indexOf("}", i);
      if (end > 0) {
        const last = end === f.length - 1;
        // May be empty: AWS-owned resources have no account (`arn:aws:ssm:us-east-1::parameter/aws/...`).
        const excl = colons < 5 ? ":" : last ? "" : ":";
        out.push({ star: true, excl });
        i = end;
        continue;
      }
    }
    if (ch === ":") colons++;
    out.push({ c: ch });
  }
  return out;
}

function fits(a: Tok, b: Tok): boolean {
  if ("c" in a && "c" in b) return a.c.toLowerCase() === b.c.toLowerCase();
  if ("c" in a) return !("excl" in b) || !b.excl.includes(a.c);
  if ("c" in b) return !a.excl.includes(b.c);
  return true;
}

/** Largest token grid `intersects` fills; beyond it, the patterns are taken as overlapping (no finding). */
const MAX_GRID = 4_000_000;

/** Work counters (read by tests that bound the work on large policies; never reset by lint itself). */
export const lintWork = { grids: 0, gridCells: 0 };

/** True when some string matches both token lists (a table filled from the ends: no recursion to overflow). */
function intersects(a: Tok[], b: Tok[]): boolean {
  lintWork.grids++;
  lintWork.gridCells += (a.length + 1) * (b.length + 1);
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  if ((n + 1) * w > MAX_GRID) return true;
  const ok = new Uint8Array((n + 1) * w);
  for (let i = n; i >= 0; i--) {
    for (let j = m; j >= 0; j--) {
      let r: boolean;
      if (i === n && j === m) r = true;
      else if (i < n && "star" in a[i]!)
        r = ok[(i + 1) * w + j] === 1 || (j < m && fits(a[i]!, b[j]!) && ok[i * w + j + 1] === 1);
      else if (j < m && "star" in b[j]!)
        r = ok[i * w + j + 1] === 1 || (i < n && fits(a[i]!, b[j]!) && ok[(i + 1) * w + j] === 1);
      else r = i < n && j < m && fits(a[i]!, b[j]!) && ok[(i + 1) * w + j + 1] === 1;
      ok[i * w + j] = r ? 1 : 0;
    }
  }
  return ok[0] === 1;
}

/**
 * The service part of an ARN pattern or format when everything up to it is literal (`arn:aws:s3:...`; a format's
 * `${Partition}` cannot hold a `:`), else undefined. Two different literal services never intersect.
 */
function literalService(p: string, format: boolean): string | undefined {
  const a = p.indexOf(":");
  const b = a < 0 ? -1 : p.indexOf(":", a + 1);
  const c = b < 0 ? -1 : p.indexOf(":", b + 1);
  if (c < 0) return undefined;
  const head = format ? p.slice(b + 1, c) : p.slice(0, c);
  if (/[*?$]/.test(head)) return undefined;
  return p.slice(b + 1, c).toLowerCase();
}

const formatTokenCache = new Map<string, Tok[]>();
function formatTokensOf(arn: string): Tok[] {
  let t = formatTokenCache.get(arn);
  if (!t) {
    t = formatTokens(arn);
    if (formatTokenCache.size > 10_000) formatTokenCache.clear();
    formatTokenCache.set(arn, t);
  }
  return t;
}

const intersectCache = new Map<string, boolean>();
/**
 * Whether the policy pattern `p` (tokens `pt`) can match a resource of the format `arn`: a different literal service
 * answers at once; else the token grid, remembered per pair (a large policy repeats its patterns and formats).
 */
function patternFits(p: string, pt: Tok[], arn: string): boolean {
  const ps = literalService(p, false);
  const fs = literalService(arn, true);
  if (ps !== undefined && fs !== undefined && ps !== fs) return false;
  const key = `${p}\u0000${arn}`;
  let hit = intersectCache.get(key);
  if (hit === undefined) {
    hit = intersects(pt, formatTokensOf(arn));
    if (intersectCache.size > 50_000) intersectCache.clear();
    intersectCache.set(key, hit);
  }
  return hit;
}

const globCache = new WeakMap<ServiceInfo, Map<string, string[]>>();
/** Lower-case names of the service's actions an action glob covers (kept per service and glob). */
function globNames(svc: ServiceInfo, name: string): string[] {
  let m = globCache.get(svc);
  if (!m) {
    m = new Map();
    globCache.set(svc, m);
  }
  let names = m.get(name);
  if (!names) {
    const rx = globRx(name);
    names = [...svc.actions.keys()].filter((k) => rx.test(k));
    if (m.size > 10_000) m.clear();
    m.set(name, names);
  }
  return names;
}

type Formats = Map<string, { arn: string }[]>;
const formatsCache = new Map<string, Formats>();
const distinctCache = new WeakMap<Formats, { arn: string }[]>();
/**
 * The resource formats of each resolved action (`service:Action` -> formats), kept per `key`: the statement's
 * action list, which `resolved` follows from.
 */
function formatsOf(resolved: ResolvedAction[], key: string): Formats {
  let formats = formatsCache.get(key);
  if (!formats) {
    formats = new Map();
    for (const r of resolved)
      for (const n of r.names) {
        const info = r.service.actions.get(n)!;
        const fs: { arn: string }[] = [];
        for (const rt of info.resourceTypes) {
          const t = r.service.resourceTypes.get(rt);
          if (t) fs.push({ arn: t.arn });
        }
        formats.set(`${r.service.key}:${info.name}`, fs);
      }
    if (formatsCache.size > 1_000) formatsCache.clear();
    formatsCache.set(key, formats);
  }
  return formats;
}

/** Every format of `formats` once (many actions share their resource types). */
function distinctFormats(formats: Formats): { arn: string }[] {
  let d = distinctCache.get(formats);
  if (!d) {
    d = [...new Map([...formats.values()].flat().map((f) => [f.arn, f])).values()];
    distinctCache.set(formats, d);
  }
  return d;
}

interface ResolvedAction {
  service: ServiceInfo;
  /** Lower-case action names the pattern covers. */
  names: string[];
}

function whereOf(st: Statement, kind: "action" | "resource", i: number): Where {
  return st.valueWhere?.[kind]?.[i] ?? st.where ?? { line: 0, column: 0 };
}

/** Lint one parsed policy (parse errors are passed in so they appear first). */
export async function lintPolicy(policy: Policy, parseErrors: PolicyError[] = []): Promise<LintFinding[]> {
  const out: LintFinding[] = parseErrors.map((e) => ({
    code: e.code === "policy_no_version" ? "policy_no_version" : "policy_error",
    severity: e.severity === "warning" ? "warning" : "error",
    message: e.message,
    where: e.where,
  }));
  for (const st of policy.statements) await lintStatement(st, out);
  for (const f of valueChecks(policy)) out.push(f);
  return out;
}

async function lintStatement(st: Statement, out: LintFinding[]): Promise<void> {
  const at = st.where ?? { line: 0, column: 0 };
  const add = (f: Omit<LintFinding, "statement">) => out.push({ ...f, statement: st.index });
  const label = `statement ${st.index}${st.sid ? ` (\`${st.sid}\`)` : ""}`;
  if (st.effect === "Allow" && st.notAction)
    add({
      code: "allow_not_action",
      severity: "warning",
      message: `${label}: Allow with NotAction allows every action not listed, including future ones`,
      where: st.elementWhere?.NotAction ?? at,
    });
  if (st.effect === "Allow" && st.notResource)
    add({
      code: "allow_not_resource",
      severity: "warning",
      message: `${label}: Allow with NotResource allows every other resource`,
      where: st.elementWhere?.NotResource ?? at,
    });
  if (!st.principal && !st.notPrincipal && !st.resource && !st.notResource)
    add({
      code: "identity_without_resource",
      severity: "error",
      message: `${label}: no \`Resource\` (required unless the policy names a Principal)`,
      where: at,
    });
  if (st.effect === "Allow" && st.principal === "*" && st.condition.length === 0)
    add({
      code: "public_allow",
      severity: "warning",
      message: `${label}: Allow to Principal \`*\` without a Condition is open to anyone`,
      where: st.elementWhere?.Principal ?? at,
    });

  // Actions against the reference.
  const resolved: ResolvedAction[] = [];
  let allResolved = true;
  const actions = st.action ?? st.notAction ?? [];
  const isNot = st.notAction !== undefined;
  for (const [i, a] of actions.entries()) {
    if (a === "*") {
      allResolved = false;
      continue;
    }
    const colon = a.indexOf(":");
    if (colon < 0) continue;
    const svcName = a.slice(0, colon);
    const name = a.slice(colon + 1);
    if (/[*?]/.test(svcName)) {
      allResolved = false;
      continue;
    }
    const svc = await service(svcName);
    if (!svc) {
      allResolved = false;
      add({
        code: "unknown_service",
        severity: "warning",
        message: `${label}: service \`${svcName}\` is not in the service reference (\`${a}\`)`,
        where: whereOf(st, "action", i),
      });
      continue;
    }
    if (/[*?]/.test(name)) {
      const names = globNames(svc, name);
      if (names.length === 0)
        add({
          code: "action_matches_nothing",
          severity: "warning",
          message: `${label}: \`${a}\` matches no action of \`${svcName}\``,
          where: whereOf(st, "action", i),
        });
      resolved.push({ service: svc, names });
      continue;
    }
    if (svc.actions.has(name.toLowerCase())) {
      resolved.push({ service: svc, names: [name.toLowerCase()] });
      continue;
    }
    allResolved = false;
    const near = closest(
      name,
      [...svc.actions.values()].map((x) => x.name),
    );
    // A near-identical real name means a typo; otherwise the reference may simply not list it.
    if (near && near.d <= 2)
      add({
        code: "unknown_action",
        severity: "error",
        message: `${label}: \`${a}\` is not an action of \`${svcName}\`: did you mean \`${svcName}:${near.name}\`?`,
        where: whereOf(st, "action", i),
        suggestion: `${svcName}:${near.name}`,
      });
    else
      add({
        code: "unlisted_action",
        severity: "info",
        message: `${label}: \`${a}\` is not in the service reference (deprecated, undocumented, or newer than the reference)${near ? `; closest: \`${svcName}:${near.name}\`` : ""}`,
        where: whereOf(st, "action", i),
      });
  }

  // Resources that no action of the statement can use (only for Allow/Deny with Action, all actions resolved).
  if (!isNot && resolved.length > 0 && st.resource) {
    const formats = formatsOf(resolved, actions.join("\u0000"));
    const patTokens = st.resource.map((p) => (p === "*" ? undefined : policyTokens(p)));
    const usable = (pi: number, fs: { arn: string }[]) => {
      const pt = patTokens[pi];
      if (!pt) return true;
      const p = st.resource![pi]!;
      return fs.some((f) => patternFits(p, pt, f.arn));
    };
    const distinct = distinctFormats(formats);
    st.resource.forEach((p, pi) => {
      // An action the reference does not know might use the pattern: only judge when all are known.
      if (p === "*" || !allResolved) return;
      const ok = usable(pi, distinct);
      if (!ok) {
        const types = [...new Set([...formats.values()].flat().map((f) => f.arn))].slice(0, 3);
        add({
          code: "resource_never_matches",
          // Actions that support only `*` are often listed wrongly as such in the reference: say it softly.
          severity: types.length ? "warning" : "info",
          message: `${label}: \`${p}\` cannot match any resource of ${[...formats.keys()].slice(0, 3).join(", ")}${types.length ? ` (expected e.g. \`${types[0]}\`)` : " (these actions support only `*`)"}`,
          where: whereOf(st, "resource", pi),
        });
      }
    });
    if (formats.size <= 20)
      for (const [act, fs] of formats) {
        const covered = st.resource.some((_, pi) => (patTokens[pi] ? fs.length > 0 && usable(pi, fs) : true));
        if (!covered && st.resource.some((p) => p !== "*"))
          add({
            code: "action_never_covered",
            severity: fs.length ? "warning" : "info",
            message: `${label}: no Resource here can match \`${act}\`${
              fs.length
                ? ` (it acts on \`${fs
                    .map((f) => f.arn)
                    .slice(0, 2)
                    .join("`, `")}\`)`
                : " (it supports only Resource `*`)"
            }`,
            where: st.elementWhere?.Resource ?? at,
          });
      }
    // AppSync: IAM authorizes root operation fields only (docs/aws-facts.md §5.4).
    if (formats.has("appsync:GraphQL"))
      st.resource.forEach((p, pi) => {
        const m = /:apis\/[^/]+\/types\/([^/]+)/.exec(p);
        if (!m) return;
        const rx = globRx(m[1]!);
        if (!["Query", "Mutation", "Subscription"].some((t) => rx.test(t)))
          add({
            code: "appsync_type_not_root",
            severity: "warning",
            message: `${label}: \`${p}\` names type \`${m[1]}\`: appsync:GraphQL is authorized on root operation fields (\`types/Query|Mutation|Subscription/fields/NAME\`), so it never matches a request`,
            where: whereOf(st, "resource", pi),
            suggestion: p.replace(/\/types\/[^/]+.*$/, "/types/Mutation/fields/*"),
          });
      });
  }

  // Condition keys and operators.
  const services = new Set(resolved.map((r) => r.service.key));
  for (const c of st.condition) {
    const key = c.key;
    const colon = key.indexOf(":");
    const prefix = colon > 0 ? key.slice(0, colon) : "";
    const where = st.elementWhere?.Condition ?? at;
    if (prefix.toLowerCase() === "aws") {
      if (!(await isGlobalConditionKey(key)))
        add({
          code: "unknown_condition_key",
          severity: "warning",
          message: `${label}: \`${key}\` is not a global condition key`,
          where,
        });
    } else if (
      prefix &&
      !isNot &&
      !FEDERATED_PREFIX.test(prefix) &&
      !/[.<>]/.test(prefix) &&
      // Federation (sts:AssumeRoleWith...) statements test the identity provider's claims under its own prefix.
      !services.has("sts") &&
      allResolved &&
      services.size > 0
    ) {
      const svc = await service(prefix);
      if (!services.has(prefix.toLowerCase()))
        add({
          code: "condition_key_not_applicable",
          severity: "warning",
          message: `${label}: \`${key}\` is a \`${prefix}\` key, but the statement's actions are in ${[...services].map((s) => `\`${s}\``).join(", ")}`,
          where,
        });
      else if (svc && !keyInList(key, svc.conditionKeys))
        add({
          code: "unknown_condition_key",
          severity: "warning",
          message: `${label}: \`${key}\` is not a condition key of \`${prefix}\``,
          where,
        });
    }
    const { base } = splitOperator(c.operator);
    if (/^(aws:currenttime|aws:tokenissuetime)$/i.test(key) && /^(string|numeric)/.test(base))
      add({
        code: "condition_operator_mismatch",
        severity: "warning",
        message: `${label}: \`${c.operator}\` on date key \`${key}\`: use a Date operator`,
        where,
      });
    if (/^(aws:sourceip|aws:vpcsourceip)$/i.test(key) && /^string/.test(base))
      add({
        code: "condition_operator_mismatch",
        severity: "warning",
        message: `${label}: \`${c.operator}\` on \`${key}\`: use IpAddress/NotIpAddress`,
        where,
      });
    if (
      /^aws:(multifactorauthpresent|securetransport|principalisawsservice|viaawsservice)$/i.test(key) &&
      /^(string|numeric)/.test(base)
    )
      add({
        code: "condition_operator_mismatch",
        severity: "info",
        message: `${label}: \`${c.operator}\` on boolean key \`${key}\`: use Bool`,
        where,
      });
  }
}
