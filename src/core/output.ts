// The output boundary: every byte authdoctor prints (stdout, stderr, `--out` files), whatever the command and format,
// goes through `safeOutput` (redaction, then control-character escaping, then the CLI's own colours).

import { redactText } from "./redact.js";
import { escapeJsonControls, finishText, stripMarks } from "./terminal.js";

/** What the text is: colours apply to `text` only; JSON keeps its syntax (controls become `\u` escapes). */
export type OutputKind = "text" | "json" | "markdown" | "html";

/** Output text with secrets removed and every control sequence from the inputs escaped. */
export function safeOutput(text: string, kind: OutputKind, colour = false): string {
  const clean = redactText(text);
  if (kind === "json") return escapeJsonControls(stripMarks(clean));
  return finishText(clean, kind === "text" && colour);
}

/** An error or warning as one safe line (it may quote inputs: a file name with a newline, an escape sequence). */
export function safeLine(message: string): string {
  return finishText(redactText(message), false).replace(/\n/g, "\\u000a");
}

const recordCache = new Map<string, string>();
let recordCacheChars = 0;

/**
 * `safeOutput(record, "json")` for one JSON Lines record (one JSON object or array, no raw newline), remembered for
 * records written again (a batch answers repeated requests with the same text). The same as redacting the whole
 * JSON Lines text at once: no secret pattern spans a line break between two records, which end in `}` or `]` and
 * start with `{` or `[`. The memory held is bounded (the remembered texts are dropped past 16 M characters).
 */
export function safeJsonRecord(record: string): string {
  // short records (a decision line) cost less to redact than to remember; V8 hashes a long string by its length
  // only: long records are not remembered either (their look-ups would collide)
  if (record.length < 256 || record.length > 16_000) return safeOutput(record, "json");
  const hit = recordCache.get(record);
  if (hit !== undefined) return hit;
  const safe = safeOutput(record, "json");
  if (recordCacheChars > 16_000_000) {
    recordCache.clear();
    recordCacheChars = 0;
  }
  recordCache.set(record, safe);
  recordCacheChars += record.length + safe.length;
  return safe;
}

/** JSON text whose string escapes of C0 controls (`\u001b`, `\r`, `\b`, `\f`) become visible text (`\\u001b`). */
function visibleEscapes(json: string): string {
  const short: Record<string, string> = { b: "0008", f: "000c", r: "000d" };
  return json.replace(
    /(?<!\\)((?:\\\\)*)\\(u00[01][0-9a-fA-F]|[bfr])/g,
    (_m, lead: string, e: string) => `${lead}\\\\u${e.length === 1 ? short[e] : e.slice(1)}`,
  );
}

/**
 * A value sent as data to a client that serialises it itself (MCP structured content): redacted, and every control
 * character from an input (in a string or a key) turned into visible `\uXXXX` text, so no serialiser can put a raw
 * C0, C1, bidi or escape character on the wire (JSON.stringify writes C1 and bidi characters raw). Tab and newline
 * stay; colour marks are removed.
 */
export function safeValue<T>(value: T): T {
  const json = JSON.stringify(value);
  if (json === undefined) return value;
  const visible = visibleEscapes(stripMarks(json)).replace(
    /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return JSON.parse(redactText(visible)) as T;
}
