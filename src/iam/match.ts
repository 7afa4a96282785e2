// IAM wildcard matching (`*`, `?`), policy variables (`${aws:username}`, defaults, `${*}` escapes) and ARN splitting.

/** Context as the evaluator sees it: lower-case key -> values (a Map will do). */
export interface Ctx {
  get(key: string): string[] | undefined;
}

/** A piece of a pattern: literal text, a wildcard, or a policy variable. */
type Part = { lit: string } | { wild: "*" | "?" } | { key: string; def?: string };

/** A compiled pattern. `test` returns undefined when a policy variable cannot be resolved. */
export interface Glob {
  readonly source: string;
  readonly hasVars: boolean;
  readonly hasWild: boolean;
  test(value: string, ctx?: Ctx): boolean | undefined;
}

const RX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;
function escapeRx(s: string): string {
  return s.replace(RX_SPECIAL, "\\$&");
}

/** Parse a pattern into parts. Variables only when `vars` (policy Version 2012-10-17). */
function parts(pattern: string, vars: boolean): Part[] {
  const out: Part[] = [];
  let lit = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (vars && c === "$" && pattern[i + 1] === "{") {
      const end = pattern.indexOf("}", i + 2);
      if (end > 0) {
        const inner = pattern.slice(i + 2, end).trim();
        if (inner === "*" || inner === "?" || inner === "$") {
          lit += inner;
          i = end;
          continue;
        }
        const m = /^([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
        if (m) {
          if (lit) out.push({ lit });
          lit = "";
          out.push(
            m[2] !== undefined ? { key: m[1]!.toLowerCase(), def: m[2] } : { key: m[1]!.toLowerCase() },
          );
          i = end;
          continue;
        }
      }
    }
    if (c === "*" || c === "?") {
      if (lit) out.push({ lit });
      lit = "";
      out.push({ wild: c });
      continue;
    }
    lit += c;
  }
  if (lit) out.push({ lit });
  return out;
}

/** Resolve one policy variable against the context (single-valued keys only). */
export function resolveVar(key: string, def: string | undefined, ctx: Ctx | undefined): string | undefined {
  const v = ctx?.get(key);
  if (v && v.length === 1) return v[0];
  return def;
}

function regexOf(ps: Part[], ignoreCase: boolean, ctx: Ctx | undefined): RegExp | undefined {
  let src = "^";
  for (const p of ps) {
    if ("lit" in p) src += escapeRx(p.lit);
    else if ("wild" in p) src += p.wild === "*" ? ".*" : ".";
    else {
      const v = resolveVar(p.key, p.def, ctx);
      if (v === undefined) return undefined;
      src += escapeRx(v);
    }
  }
  return new RegExp(`${src}$`, ignoreCase ? "is" : "s");
}

/** A pattern with two or more `*`, or very long, is matched without a regex: backtracking over several `.*`
 * costs O(n^k) on a hostile pattern (`*a*a*a*...b`), and a regex of tens of thousands of parts fails to compile. */
function needsScan(ps: Part[]): boolean {
  if (ps.length > 64) return true;
  let stars = 0;
  for (const p of ps) if ("wild" in p && p.wild === "*" && ++stars > 1) return true;
  return false;
}

/** Fold case one UTF-16 unit at a time, as a non-unicode `i` regex compares characters. */
function foldCase(s: string): string {
  let out = "";
  for (const c of s) {
    if (c.length > 1) {
      out += c;
      continue;
    }
    const u = c.toUpperCase();
    out += u.length === 1 ? u : c;
  }
  return out;
}

/** A literal run between two `*`: `any[i]` marks a `?` (any one character) at position i. */
interface Run {
  text: string;
  any?: boolean[];
}

function runAt(r: Run, v: string, at: number): boolean {
  const n = r.text.length;
  if (at < 0 || at + n > v.length) return false;
  if (!r.any) return v.startsWith(r.text, at);
  for (let i = 0; i < n; i++) if (!r.any[i] && v.charCodeAt(at + i) !== r.text.charCodeAt(i)) return false;
  return true;
}

function findRun(r: Run, v: string, from: number, last: number): number {
  if (!r.any) {
    const i = v.indexOf(r.text, from);
    return i >= 0 && i <= last ? i : -1;
  }
  for (let i = from; i <= last; i++) if (runAt(r, v, i)) return i;
  return -1;
}

/** Split a resolved pattern into the runs between its `*`s (undefined when a variable cannot be resolved). */
function runsOf(ps: Part[], ignoreCase: boolean, ctx: Ctx | undefined): Run[] | undefined {
  const runs: Run[] = [];
  let cur: Run = { text: "" };
  for (const p of ps) {
    if ("wild" in p) {
      if (p.wild === "*") {
        runs.push(cur);
        cur = { text: "" };
      } else {
        cur.any ??= Array.from({ length: cur.text.length }, () => false);
        cur.any.push(true);
        cur.text += "?";
      }
      continue;
    }
    const lit = "lit" in p ? p.lit : resolveVar(p.key, p.def, ctx);
    if (lit === undefined) return undefined;
    const text = ignoreCase ? foldCase(lit) : lit;
    if (cur.any) for (let i = 0; i < text.length; i++) cur.any.push(false);
    cur.text += text;
  }
  runs.push(cur);
  return runs;
}

/** Glob match in O(value x pattern) at worst: leftmost match of each run between stars (greedy is exact here). */
function scanTest(runs: Run[], value: string, ignoreCase: boolean): boolean {
  const v = ignoreCase ? foldCase(value) : value;
  const first = runs[0]!;
  if (runs.length === 1) return v.length === first.text.length && runAt(first, v, 0);
  const tail = runs[runs.length - 1]!;
  const end = v.length - tail.text.length;
  if (end < first.text.length || !runAt(first, v, 0) || !runAt(tail, v, end)) return false;
  let pos = first.text.length;
  for (let k = 1; k < runs.length - 1; k++) {
    const r = runs[k]!;
    const i = findRun(r, v, pos, end - r.text.length);
    if (i < 0) return false;
    pos = i + r.text.length;
  }
  return true;
}

/** A test for a resolved pattern: a regex when that is safe, else the scan. */
function testerOf(
  ps: Part[],
  ignoreCase: boolean,
  ctx: Ctx | undefined,
): ((v: string) => boolean) | undefined {
  if (needsScan(ps)) {
    const runs = runsOf(ps, ignoreCase, ctx);
    return runs && ((v) => scanTest(runs, v, ignoreCase));
  }
  const rx = regexOf(ps, ignoreCase, ctx);
  return rx && ((v) => rx.test(v));
}

/** Compile `pattern` (IAM wildcards; variables when `vars`). */
export function compileGlob(pattern: string, opts: { ignoreCase?: boolean; vars?: boolean } = {}): Glob {
  const ignoreCase = opts.ignoreCase === true;
  const ps = parts(pattern, opts.vars === true);
  const hasVars = ps.some((p) => "key" in p);
  const hasWild = ps.some((p) => "wild" in p);
  if (!hasVars) {
    if (ps.length === 1 && "wild" in ps[0]! && ps[0].wild === "*")
      return { source: pattern, hasVars, hasWild, test: () => true };
    if (!hasWild) {
      const lit = ps.map((p) => ("lit" in p ? p.lit : "")).join("");
      if (ignoreCase) {
        const low = lit.toLowerCase();
        return {
          source: pattern,
          hasVars,
          hasWild,
          test: (v) => v.length === low.length && v.toLowerCase() === low,
        };
      }
      return { source: pattern, hasVars, hasWild, test: (v) => v === lit };
    }
    const last = ps[ps.length - 1]!;
    if (!ignoreCase && ps.length === 2 && "lit" in ps[0]! && "wild" in last && last.wild === "*") {
      const prefix = ps[0].lit;
      return { source: pattern, hasVars, hasWild, test: (v) => v.startsWith(prefix) };
    }
    const t = testerOf(ps, ignoreCase, undefined)!;
    return { source: pattern, hasVars, hasWild, test: t };
  }
  const cache = new Map<string, (v: string) => boolean>();
  return {
    source: pattern,
    hasVars,
    hasWild,
    test(v, ctx) {
      let key = "";
      for (const p of ps) {
        if ("key" in p) {
          const r = resolveVar(p.key, p.def, ctx);
          if (r === undefined) return undefined;
          key += `${r}\u0000`;
        }
      }
      let t = cache.get(key);
      if (!t) {
        t = testerOf(ps, ignoreCase, ctx)!;
        if (cache.size > 256) cache.clear();
        cache.set(key, t);
      }
      return t(v);
    },
  };
}

/** Replace policy variables in a value (for condition values of String and Arn operators). */
export function substitute(value: string, vars: boolean, ctx: Ctx | undefined): string | undefined {
  if (!vars || !value.includes("${")) return value;
  let out = "";
  for (const p of parts(value, true)) {
    if ("lit" in p) out += p.lit;
    else if ("wild" in p) out += p.wild;
    else {
      const v = resolveVar(p.key, p.def, ctx);
      if (v === undefined) return undefined;
      out += v;
    }
  }
  return out;
}

/** Split an ARN into its six parts (`arn`, partition, service, region, account, resource), or undefined. */
export function splitArn(arn: string): string[] | undefined {
  const out: string[] = [];
  let start = 0;
  for (let k = 0; k < 5; k++) {
    const i = arn.indexOf(":", start);
    if (i < 0) return undefined;
    out.push(arn.slice(start, i));
    start = i + 1;
  }
  out.push(arn.slice(start));
  return out;
}

/** Names of the ARN parts, for explanations. */
export const ARN_SEGMENTS = ["prefix", "partition", "service", "region", "account", "resource"] as const;

/** A Resource (or Arn* operator) pattern, matched part by part when it is a full ARN. */
export interface ArnMatcher {
  readonly source: string;
  readonly any: boolean;
  readonly segments?: Glob[];
  readonly whole: Glob;
  /** true/false, or undefined for an unresolvable variable. */
  test(arn: string, arnParts: string[] | undefined, ctx?: Ctx): boolean | undefined;
  /** The first ARN part that does not match, for explanations. */
  failingSegment(arn: string, arnParts: string[] | undefined, ctx?: Ctx): string | undefined;
}

function arnRegex(pp: string[]): RegExp {
  const part = (p: string, last: boolean) =>
    p
      .split("")
      .map((c) => (c === "*" ? (last ? ".*" : "[^:]*") : c === "?" ? (last ? "." : "[^:]") : escapeRx(c)))
      .join("");
  return new RegExp(`^${pp.map((p, i) => part(p, i === 5)).join(":")}$`, "s");
}

/** Compile a Resource pattern. The matchers are built on first use: a large policy is mostly never tested. */
export function compileArnPattern(pattern: string, vars: boolean): ArnMatcher {
  const any = pattern === "*";
  let built: Built | undefined;
  const b = () => {
    built ??= buildArn(pattern, vars);
    return built;
  };
  // Fast paths without regex or closures per part: a literal ARN, or a literal ARN prefix ending in one `*`.
  const hasVar = vars && pattern.includes("${");
  const star = pattern.indexOf("*");
  const literal = !hasVar && star < 0 && !pattern.includes("?");
  const pp = literal || star === pattern.length - 1 ? splitArn(pattern) : undefined;
  const prefix =
    !hasVar &&
    !pattern.includes("?") &&
    star === pattern.length - 1 &&
    pp &&
    pp[0] === "arn" &&
    !pp[5]!.slice(0, -1).includes("*")
      ? pattern.slice(0, -1)
      : undefined;
  const fullArn = pp !== undefined && pp[0] === "arn";
  const test = (arn: string, ap: string[] | undefined, ctx?: Ctx): boolean | undefined => {
    if (any) return true;
    if (literal && fullArn) return ap !== undefined && arn === pattern;
    if (prefix !== undefined)
      return ap !== undefined && arn.startsWith(prefix) && arn.length >= prefix.length;
    return b().test(arn, ap, ctx);
  };
  return {
    source: pattern,
    any,
    get segments() {
      return b().segments;
    },
    get whole() {
      return b().whole;
    },
    test,
    failingSegment(arn, ap, ctx) {
      if (any) return undefined;
      // Literal first five parts and a literal or prefix resource part: compare the strings, build nothing.
      if ((literal || prefix !== undefined) && fullArn && ap) {
        const lp = pp!;
        for (let i = 0; i < 5; i++) if (lp[i] !== ap[i]) return ARN_SEGMENTS[i];
        return test(arn, ap, ctx) ? undefined : "resource";
      }
      const { segments, whole } = b();
      if (segments && ap) {
        for (let i = 0; i < 6; i++) if (segments[i]!.test(ap[i]!, ctx) !== true) return ARN_SEGMENTS[i];
        return undefined;
      }
      return whole.test(arn, ctx) === true ? undefined : "whole";
    },
  };
}

interface Built {
  segments?: Glob[];
  whole: Glob;
  test(arn: string, arnParts: string[] | undefined, ctx?: Ctx): boolean | undefined;
}

function buildArn(pattern: string, vars: boolean): Built {
  const whole = compileGlob(pattern, { vars });
  const pp = splitArn(pattern);
  const segments = pp && pp[0] === "arn" ? pp.map((p) => compileGlob(p, { vars })) : undefined;
  // Without variables, one anchored regex does the part-by-part match: wildcards in the first five parts stop at `:`.
  // A part with several `*` (or a very long one) is matched part by part instead (see needsScan).
  const rx =
    segments && !segments.some((g) => g.hasVars) && !pp!.some((p) => needsScan(parts(p, vars)))
      ? arnRegex(pp!)
      : undefined;
  const test = (arn: string, ap: string[] | undefined, ctx?: Ctx): boolean | undefined => {
    if (rx) return ap !== undefined && rx.test(arn);
    if (segments && ap) {
      let unknown = false;
      for (let i = 0; i < 6; i++) {
        const r = segments[i]!.test(ap[i]!, ctx);
        if (r === false) return false;
        if (r === undefined) unknown = true;
      }
      return unknown ? undefined : true;
    }
    return whole.test(arn, ctx);
  };
  return { segments, whole, test };
}
