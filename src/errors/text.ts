// Small text helpers: line bounds, clipping, entity decoding and finding JSON objects inside free text.

/** Lines longer than this are treated as starting/ending this far from a hit. */
export const MAX_LINE_SCAN = 20000;

/** Offset of the start of the line holding `index` (at most MAX_LINE_SCAN back, so huge lines stay cheap). */
export function lineStart(text: string, index: number): number {
  const from = Math.max(0, index - MAX_LINE_SCAN);
  const i = text.slice(from, index).lastIndexOf("\n");
  return i >= 0 ? from + i + 1 : from;
}

/** Offset of the end of the line holding `index` (exclusive; at most MAX_LINE_SCAN ahead). */
export function lineEnd(text: string, index: number): number {
  const to = Math.min(text.length, index + MAX_LINE_SCAN);
  const i = text.slice(index, to).indexOf("\n");
  return i >= 0 ? index + i : to;
}

/** Cut a text to `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** Decode the five XML entities and numeric references. */
export function decodeXml(value: string): string {
  return value
    .replace(/&#x([0-9a-fA-F]{1,6});/g, (_m, h: string) => safeCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d{1,7});/g, (_m, d: string) => safeCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function safeCodePoint(n: number): string {
  return Number.isInteger(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : "";
}

/** A JSON value found in free text, with its span. */
export interface JsonSpan {
  start: number;
  end: number;
  value: unknown;
}

const MAX_JSON_SPAN = 4_000_000;
const MAX_JSON_CANDIDATES = 5000;

/**
 * Find top-level JSON objects/arrays embedded in text (`Connection failed: {"errors":[...]}`, a pasted record).
 * Scans once, balancing brackets outside strings; a candidate that does not parse is skipped. Linear in the
 * text length apart from JSON.parse of the candidates found.
 */
export function findJson(text: string): JsonSpan[] {
  const out: JsonSpan[] = [];
  let candidates = 0;
  // INVARIANT: total bracket scanning stays within a few passes over the text, whatever its shape.
  let budget = 4 * text.length + 1_000_000;
  let i = 0;
  while (i < text.length && candidates < MAX_JSON_CANDIDATES && budget > 0) {
    const open = nextOpen(text, i);
    if (open < 0) break;
    candidates++;
    const close = matchClose(text, open, Math.min(budget, MAX_JSON_SPAN));
    budget -= close < 0 ? Math.min(budget, MAX_JSON_SPAN, text.length - open) : close - open + 1;
    if (close < 0) {
      i = open + 1;
      continue;
    }
    try {
      const value: unknown = JSON.parse(text.slice(open, close + 1));
      if (value !== null && typeof value === "object") {
        out.push({ start: open, end: close + 1, value });
        i = close + 1;
        continue;
      }
    } catch {
      // not JSON: look further inside
    }
    i = open + 1;
  }
  return out;
}

// An opening bracket that starts plausible JSON: `{"`, `{ "`, `{}`, `[{`, `[ {`, `["`, `[]`.
function nextOpen(text: string, from: number): number {
  const re = /[{[]\s{0,40}["{[}\]]/g;
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index : -1;
}

function matchClose(text: string, open: number, maxSpan: number): number {
  let depth = 0;
  let inString = false;
  const limit = Math.min(text.length, open + maxSpan);
  for (let j = open; j < limit; j++) {
    const c = text.charCodeAt(j);
    if (inString) {
      if (c === 92) j++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return j;
    }
  }
  return -1;
}
