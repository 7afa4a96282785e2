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
  const hit = recordCache.get(record);
  if (hit !== undefined) return hit;
  const safe = safeOutput(record, "json");
  // V8 hashes a long string by its length only: long records are not remembered (their look-ups would collide)
  if (record.length <= 16_000) {
    if (recordCacheChars > 16_000_000) {
      recordCache.clear();
      recordCacheChars = 0;
    }
    recordCache.set(record, safe);
    recordCacheChars += record.length + safe.length;
  }
  return safe;
}
