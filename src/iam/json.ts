// A small JSON scanner that keeps line/column positions and reports duplicate keys (JSON.parse does neither).

/** A position in the input, 1-based. `line` 0 means "no position" (the value did not come from text). */
export interface Where {
  line: number;
  column: number;
}

/** A JSON value with the position where it starts. */
export type JsonNode =
  | { kind: "object"; where: Where; entries: JsonEntry[] }
  | { kind: "array"; where: Where; items: JsonNode[] }
  | { kind: "string"; where: Where; value: string }
  | { kind: "number"; where: Where; value: number; raw: string }
  | { kind: "boolean"; where: Where; value: boolean }
  | { kind: "null"; where: Where };

/** One `"key": value` pair of an object, with the position of the key. */
export interface JsonEntry {
  key: string;
  keyWhere: Where;
  value: JsonNode;
}

/** A syntax problem found while scanning. */
export interface JsonProblem {
  code: "json_syntax" | "json_duplicate_key";
  message: string;
  where: Where;
}

/** Scan `text` into a positioned tree. Duplicate keys are reported, and the last one wins (as JSON.parse). */
export function scanJson(text: string): { node?: JsonNode; problems: JsonProblem[] } {
  const s = new Scanner(text);
  const problems = s.problems;
  try {
    s.skipWs();
    const node = s.value(0);
    s.skipWs();
    if (s.i < text.length) s.fail("unexpected text after the JSON value");
    return { node, problems };
  } catch (err) {
    if (err instanceof ScanStop) return { problems };
    throw err;
  }
}

class ScanStop extends Error {}

const MAX_DEPTH = 200;

class Scanner {
  i = 0;
  line = 1;
  lineStart = 0;
  readonly problems: JsonProblem[] = [];
  constructor(readonly text: string) {}

  where(): Where {
    return { line: this.line, column: this.i - this.lineStart + 1 };
  }

  fail(message: string): never {
    this.problems.push({ code: "json_syntax", message, where: this.where() });
    throw new ScanStop(message);
  }

  skipWs(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c === 10) {
        this.i++;
        this.line++;
        this.lineStart = this.i;
      } else if (c === 32 || c === 9 || c === 13) this.i++;
      else break;
    }
  }

  value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail("nesting too deep");
    const t = this.text;
    const where = this.where();
    const c = t[this.i];
    if (c === "{") return this.object(where, depth);
    if (c === "[") return this.array(where, depth);
    if (c === '"') return { kind: "string", where, value: this.string() };
    if (c === "t" && t.startsWith("true", this.i)) {
      this.i += 4;
      return { kind: "boolean", where, value: true };
    }
    if (c === "f" && t.startsWith("false", this.i)) {
      this.i += 5;
      return { kind: "boolean", where, value: false };
    }
    if (c === "n" && t.startsWith("null", this.i)) {
      this.i += 4;
      return { kind: "null", where };
    }
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number(where);
    if (c === undefined) this.fail("unexpected end of input");
    // control characters shown escaped: the message goes to a terminal
    this.fail(`unexpected character \`${c < " " || c === "\u007f" ? JSON.stringify(c).slice(1, -1) : c}\``);
  }

  object(where: Where, depth: number): JsonNode {
    this.i++;
    const entries: JsonEntry[] = [];
    const seen = new Map<string, number>();
    this.skipWs();
    if (this.text[this.i] === "}") {
      this.i++;
      return { kind: "object", where, entries };
    }
    for (;;) {
      this.skipWs();
      const keyWhere = this.where();
      if (this.text[this.i] !== '"') this.fail("expected a string key");
      const key = this.string();
      this.skipWs();
      if (this.text[this.i] !== ":") this.fail("expected `:` after key");
      this.i++;
      this.skipWs();
      const value = this.value(depth + 1);
      const prev = seen.get(key);
      if (prev !== undefined) {
        this.problems.push({
          code: "json_duplicate_key",
          message: `duplicate key \`${key}\` (the last one wins)`,
          where: keyWhere,
        });
        entries.splice(prev, 1);
        for (const [k, idx] of seen) if (idx > prev) seen.set(k, idx - 1);
      }
      seen.set(key, entries.length);
      entries.push({ key, keyWhere, value });
      this.skipWs();
      const c = this.text[this.i];
      if (c === ",") {
        this.i++;
        continue;
      }
      if (c === "}") {
        this.i++;
        return { kind: "object", where, entries };
      }
      this.fail(c === undefined ? "unexpected end of input in an object" : "expected `,` or `}`");
    }
  }

  array(where: Where, depth: number): JsonNode {
    this.i++;
    const items: JsonNode[] = [];
    this.skipWs();
    if (this.text[this.i] === "]") {
      this.i++;
      return { kind: "array", where, items };
    }
    for (;;) {
      this.skipWs();
      items.push(this.value(depth + 1));
      this.skipWs();
      const c = this.text[this.i];
      if (c === ",") {
        this.i++;
        continue;
      }
      if (c === "]") {
        this.i++;
        return { kind: "array", where, items };
      }
      this.fail(c === undefined ? "unexpected end of input in an array" : "expected `,` or `]`");
    }
  }

  string(): string {
    const t = this.text;
    this.i++;
    let out = "";
    let start = this.i;
    for (;;) {
      if (this.i >= t.length) this.fail("unterminated string");
      const c = t.charCodeAt(this.i);
      if (c === 34) {
        out += t.slice(start, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail("control character in a string");
      if (c === 92) {
        out += t.slice(start, this.i);
        const e = t[this.i + 1];
        const map: Record<string, string> = {
          '"': '"',
          "\\": "\\",
          "/": "/",
          b: "\b",
          f: "\f",
          n: "\n",
          r: "\r",
          t: "\t",
        };
        if (e !== undefined && map[e] !== undefined) {
          out += map[e];
          this.i += 2;
        } else if (e === "u") {
          const hex = t.slice(this.i + 2, this.i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("bad \\u escape");
          out += String.fromCharCode(Number.parseInt(hex, 16));
          this.i += 6;
        } else this.fail("bad escape in a string");
        start = this.i;
        continue;
      }
      this.i++;
    }
  }

  number(where: Where): JsonNode {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.i;
    const r = m.exec(this.text);
    if (!r) this.fail("bad number");
    this.i += r[0].length;
    return { kind: "number", where, value: Number(r[0]), raw: r[0] };
  }
}

const NOWHERE: Where = { line: 0, column: 0 };

/** Turn an already-parsed JavaScript value into a node tree without positions. */
export function nodeFromValue(value: unknown, depth = 0): JsonNode {
  if (depth > MAX_DEPTH) return { kind: "null", where: NOWHERE };
  if (value === null || value === undefined) return { kind: "null", where: NOWHERE };
  if (typeof value === "string") return { kind: "string", where: NOWHERE, value };
  if (typeof value === "number") return { kind: "number", where: NOWHERE, value, raw: String(value) };
  if (typeof value === "boolean") return { kind: "boolean", where: NOWHERE, value };
  if (Array.isArray(value))
    return { kind: "array", where: NOWHERE, items: value.map((v) => nodeFromValue(v, depth + 1)) };
  if (typeof value === "object") {
    return {
      kind: "object",
      where: NOWHERE,
      entries: Object.entries(value as Record<string, unknown>).map(([key, v]) => ({
        key,
        keyWhere: NOWHERE,
        value: nodeFromValue(v, depth + 1),
      })),
    };
  }
  return { kind: "null", where: NOWHERE };
}

/** Plain JavaScript value of a node. */
export function valueOfNode(node: JsonNode): unknown {
  switch (node.kind) {
    case "object":
      return Object.fromEntries(node.entries.map((e) => [e.key, valueOfNode(e.value)]));
    case "array":
      return node.items.map(valueOfNode);
    case "null":
      return null;
    default:
      return node.value;
  }
}
