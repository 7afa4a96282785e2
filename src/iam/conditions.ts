// Condition operators (String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress, Arn*, Null), IfExists, set operators.

import {
  type ArnMatcher,
  type Ctx,
  compileArnPattern,
  compileGlob,
  type Glob,
  splitArn,
  substitute,
} from "./match.js";
import { splitOperator } from "./parse.js";
import type { ConditionEntry } from "./types.js";

/** The outcome of one condition entry. `missing` says the key was absent from the request context. */
export interface CondOutcome {
  ok: boolean;
  missing: boolean;
}

/** A compiled condition entry: `test(ctx)` is evaluated per request. */
export interface CompiledCondition {
  entry: ConditionEntry;
  keyLower: string;
  base: string;
  negated: boolean;
  set?: "any" | "all";
  ifExists: boolean;
  known: boolean;
  test(ctx: Ctx): CondOutcome;
  /** Allocation-free form of `test`: bit 1 = ok, bit 2 = the key was missing. */
  code(ctx: Ctx): number;
}

const OUTCOMES: CondOutcome[] = [
  { ok: false, missing: false },
  { ok: true, missing: false },
  { ok: false, missing: true },
  { ok: true, missing: true },
];

const NEGATED: Record<string, string> = {
  stringnotequals: "stringequals",
  stringnotequalsignorecase: "stringequalsignorecase",
  stringnotlike: "stringlike",
  numericnotequals: "numericequals",
  datenotequals: "dateequals",
  notipaddress: "ipaddress",
  arnnotequals: "arnequals",
  arnnotlike: "arnlike",
};

type One = (requestValue: string, ctx: Ctx) => boolean;

function parseDate(s: string): number {
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isNaN(t) ? Number.NaN : t;
}

interface Cidr {
  v6: boolean;
  bytes: number[];
  bits: number;
}

/** Parse `a.b.c.d[/n]` or an IPv6 address with optional `/n`. */
export function parseCidr(s: string): Cidr | undefined {
  const [addr, maskText] = s.trim().split("/");
  if (!addr) return undefined;
  const bytes = parseIp(addr);
  if (!bytes) return undefined;
  const v6 = bytes.length === 16;
  const max = v6 ? 128 : 32;
  const bits = maskText === undefined ? max : Number(maskText);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) return undefined;
  return { v6, bytes, bits };
}

function parseIp(a: string): number[] | undefined {
  if (a.includes(":")) return parseIp6(a);
  const p = a.split(".");
  if (p.length !== 4) return undefined;
  const out: number[] = [];
  for (const x of p) {
    if (!/^\d{1,3}$/.test(x)) return undefined;
    const n = Number(x);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIp6(a: string): number[] | undefined {
  let tail: number[] = [];
  let text = a;
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    const v4 = parseIp(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const fill = 8 - head.length - rest.length;
  if (halves.length === 1 && head.length !== 8) return undefined;
  if (fill < 0) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? fill : 0).fill("0"), ...rest];
  const out: number[] = [];
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    const n = Number.parseInt(g, 16);
    out.push(n >> 8, n & 255);
  }
  if (tail.length === 4) out.splice(12, 4, ...tail);
  return out.length === 16 ? out : undefined;
}

let lastIpText = "";
let lastIp: number[] | undefined;
/** The request's address, parsed once for the many statements that test it. */
function requestIp(r: string): number[] | undefined {
  if (r !== lastIpText) {
    lastIpText = r;
    lastIp = parseIp(r.trim().split("/")[0] ?? "");
  }
  return lastIp;
}

function inCidr(ip: number[], c: Cidr): boolean {
  if ((ip.length === 16) !== c.v6) return false;
  let bits = c.bits;
  for (let i = 0; i < ip.length && bits > 0; i++) {
    const take = Math.min(8, bits);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((ip[i]! & mask) !== (c.bytes[i]! & mask)) return false;
    bits -= take;
  }
  return true;
}

/** Build the per-value test for a positive base operator; policy values may hold variables when `vars`. */
function positive(base: string, values: string[], vars: boolean): One | undefined {
  const hasVars = vars && values.some((v) => v.includes("${"));
  switch (base) {
    case "stringequals": {
      if (!hasVars) {
        const set = new Set(values);
        return (r) => set.has(r);
      }
      return (r, ctx) => values.some((v) => substitute(v, true, ctx) === r);
    }
    case "stringequalsignorecase": {
      if (!hasVars) {
        const set = new Set(values.map((v) => v.toLowerCase()));
        return (r) => set.has(r.toLowerCase());
      }
      return (r, ctx) => values.some((v) => substitute(v, true, ctx)?.toLowerCase() === r.toLowerCase());
    }
    case "stringlike": {
      const globs: Glob[] = values.map((v) => compileGlob(v, { vars }));
      return (r, ctx) => globs.some((g) => g.test(r, ctx) === true);
    }
    case "numericequals":
    case "numericlessthan":
    case "numericlessthanequals":
    case "numericgreaterthan":
    case "numericgreaterthanequals": {
      const nums = values.map(Number);
      const cmp = numCmp(base);
      return (r) => {
        const x = Number(r);
        if (r.trim() === "" || Number.isNaN(x)) return false;
        return nums.some((n) => !Number.isNaN(n) && cmp(x, n));
      };
    }
    case "dateequals":
    case "datelessthan":
    case "datelessthanequals":
    case "dategreaterthan":
    case "dategreaterthanequals": {
      const ds = values.map(parseDate);
      const cmp = numCmp(base.replace("date", "numeric"));
      return (r) => {
        const x = parseDate(r);
        if (Number.isNaN(x)) return false;
        return ds.some((d) => !Number.isNaN(d) && cmp(x, d));
      };
    }
    case "bool": {
      const set = new Set(values.map((v) => v.toLowerCase()));
      return (r) => set.has(r.toLowerCase());
    }
    case "binaryequals": {
      const set = new Set(values);
      return (r) => set.has(r);
    }
    case "ipaddress": {
      const cidrs = values.map(parseCidr).filter((c): c is Cidr => c !== undefined);
      return (r) => {
        const ip = requestIp(r);
        return ip !== undefined && cidrs.some((c) => inCidr(ip, c));
      };
    }
    case "arnequals":
    case "arnlike": {
      const ms: ArnMatcher[] = values.map((v) => compileArnPattern(v, vars));
      return (r, ctx) => {
        const parts = splitArn(r);
        return ms.some((m) => (m.segments && !parts ? false : m.test(r, parts, ctx) === true));
      };
    }
  }
  return undefined;
}

function numCmp(base: string): (a: number, b: number) => boolean {
  switch (base) {
    case "numericlessthan":
      return (a, b) => a < b;
    case "numericlessthanequals":
      return (a, b) => a <= b;
    case "numericgreaterthan":
      return (a, b) => a > b;
    case "numericgreaterthanequals":
      return (a, b) => a >= b;
    default:
      return (a, b) => a === b;
  }
}

/** True when a variable in `values` cannot be resolved (then the entry does not match). */
function unresolved(values: string[], vars: boolean, ctx: Ctx): boolean {
  if (!vars) return false;
  for (const v of values) if (v.includes("${") && substitute(v, true, ctx) === undefined) return true;
  return false;
}

/** Compile one condition entry. `vars` is true for policies with Version 2012-10-17. */
export function compileCondition(entry: ConditionEntry, vars: boolean): CompiledCondition {
  const { set, base: rawBase, ifExists } = splitOperator(entry.operator);
  const keyLower = entry.key.toLowerCase();
  const negatedOf = NEGATED[rawBase];
  const base = negatedOf ?? rawBase;
  const negated = negatedOf !== undefined;
  const canVar = vars && /^(string|arn)/.test(base);
  const hasVars = canVar && entry.values.some((v) => v.includes("${"));
  if (rawBase === "null") {
    const want = entry.values.map((v) => v.toLowerCase() === "true");
    return {
      entry,
      keyLower,
      base: "null",
      negated: false,
      set,
      ifExists: false,
      known: true,
      test(ctx) {
        return OUTCOMES[this.code(ctx)]!;
      },
      code(ctx) {
        const v = ctx.get(keyLower);
        const absent = v === undefined || v.length === 0;
        return (want.some((w) => w === absent) ? 1 : 0) | (absent ? 2 : 0);
      },
    };
  }
  const one = positive(base, entry.values, canVar);
  const known = one !== undefined;
  return {
    entry,
    keyLower,
    base,
    negated,
    set,
    ifExists,
    known,
    test(ctx) {
      return OUTCOMES[this.code(ctx)]!;
    },
    code(ctx) {
      if (!one) return 0;
      const rv = ctx.get(keyLower);
      if (rv === undefined || rv.length === 0) {
        if (set === "all") return 3;
        if (set === "any") return ifExists ? 3 : 2;
        return ifExists || negated ? 3 : 2;
      }
      if (hasVars && unresolved(entry.values, true, ctx)) return 0;
      if (set === "all") {
        for (const r of rv) if (one(r, ctx) === negated) return 0;
        return 1;
      }
      if (set === "any") {
        for (const r of rv) if (one(r, ctx) !== negated) return 1;
        return 0;
      }
      // A single-valued operator (no ForAnyValue/ForAllValues) against a multivalued value matches nothing.
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
      if (rv.length > 1) return 0;
      return one(rv[0]!, ctx) !== negated ? 1 : 0;
    },
  };
}
