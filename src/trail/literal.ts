// Lenient reading of a cell that holds a JSON value or a Python literal repr (single quotes, True/False/None), as
// CSV exports of CloudTrail write object fields. Returns undefined for anything else; never throws.

/** Nesting deeper than this is not read (hostile input would otherwise exhaust the stack). */
const MAX_DEPTH = 64;

/** The value of `text` read as JSON, else as a Python literal (dict, list, tuple, str, number, bool, None). */
export function parseLiteral(text: string): unknown {
  const t = text.trim();
  if (t === "") return undefined;
  // Python reprs quote with `'`: parsed directly (a failed JSON.parse costs an exception per cell)
  if (!t.includes("'")) {
    try {
      const v: unknown = JSON.parse(t);
      return shallow(v, 0) ? v : undefined;
    } catch {
      // not JSON: True/False/None, tuples
    }
  }
  const p = new LiteralParser(t);
  try {
    const v = p.value(0);
    p.space();
    return p.i === t.length ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a parsed value nests at most MAX_DEPTH deep (later JSON.stringify or recursion must not overflow). */
function shallow(v: unknown, depth: number): boolean {
  if (typeof v !== "object" || v === null) return true;
  if (depth >= MAX_DEPTH) return false;
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (!shallow(x, depth + 1)) return false;
  return true;
}

class Fail extends Error {}

class LiteralParser {
  i = 0;
  constructor(private readonly s: string) {}

  space(): void {
    const s = this.s;
    while (
      this.i < s.length &&
      (s[this.i] === " " || s[this.i] === "\t" || s[this.i] === "\n" || s[this.i] === "\r")
    )
      this.i++;
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new Fail();
    this.space();
    const c = this.s[this.i];
    if (c === "{") return this.dict(depth);
    if (c === "[") return this.list(depth, "]");
    if (c === "(") return this.list(depth, ")");
    if (c === "'" || c === '"') return this.str(c);
    const m = /^(?:True|False|None|true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      this.s.slice(this.i, this.i + 40),
    );
    if (!m) throw new Fail();
    this.i += m[0].length;
    switch (m[0]) {
      case "True":
      case "true":
        return true;
      case "False":
      case "false":
        return false;
      case "None":
      case "null":
        return null;
      default:
        return Number(m[0]);
    }
  }

  private dict(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    for (let first = true; ; first = false) {
      this.space();
      if (this.s[this.i] === "}") {
        this.i++;
        return out;
      }
      if (!first) {
        if (this.s[this.i] !== ",") throw new Fail();
        this.i++;
        this.space();
        if (this.s[this.i] === "}") {
          this.i++;
          return out;
        }
      }
      const k = this.value(depth + 1);
      if (typeof k !== "string" && typeof k !== "number") throw new Fail();
      this.space();
      if (this.s[this.i] !== ":") throw new Fail();
      this.i++;
      const v = this.value(depth + 1);
      const key = String(k);
      // a plain own property even for `__proto__`
      if (key === "__proto__")
        Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
    }
  }

  private list(depth: number, close: string): unknown[] {
    const out: unknown[] = [];
    this.i++;
    for (let first = true; ; first = false) {
      this.space();
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
      if (!first) {
        if (this.s[this.i] !== ",") throw new Fail();
        this.i++;
        this.space();
        if (this.s[this.i] === close) {
          this.i++;
          return out;
        }
      }
      out.push(this.value(depth + 1));
    }
  }

  /** A quoted string with Python's escapes. */
  private str(q: string): string {
    const s = this.s;
    let out = "";
    let i = this.i + 1;
    for (;;) {
      if (i >= s.length) throw new Fail();
      const c = s[i]!;
      if (c === q) break;
      if (c !== "\\") {
        out += c;
        i++;
        continue;
      }
      const e = s[i + 1];
      i += 2;
      switch (e) {
        case "n":
          out += "\n";
          break;
        case "t":
          out += "\t";
          break;
        case "r":
          out += "\r";
          break;
        case "0":
          out += "\0";
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "U": {
          // Python's 8-digit code point
          const hex = s.slice(i, i + 8);
          const cp = /^[0-9a-fA-F]{8}$/.test(hex) ? Number.parseInt(hex, 16) : Number.NaN;
          if (!(cp <= 0x10ffff)) throw new Fail();
          out += String.fromCodePoint(cp);
          i += 8;
          break;
        }
        case "x":
        case "u": {
          const len = e === "x" ? 2 : 4;
          const hex = s.slice(i, i + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw new Fail();
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += len;
          break;
        }
        case undefined:
          throw new Fail();
        case "\\":
        case "/":
        case "'":
        case '"':
          out += e;
          break;
        default:
          // Python keeps the backslash of an unknown escape (`\d`)
          out += `\\${e}`;
      }
    }
    this.i = i + 1;
    return out;
  }
}
