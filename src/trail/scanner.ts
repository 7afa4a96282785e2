// Streaming splitter for CloudTrail JSON in any of its shapes: finds each record's text without parsing it, and
// (optionally) lifts the few top-level fields the analyses filter on. One pass; strings are skipped with indexOf.
// What each bracket, key and value means is decided by the state machine shared with the byte scanner
// (scan-machine.ts); this file only walks decoded text that arrives in chunks.

import {
  describeStray,
  isDelim,
  K_OTHER,
  KEY_ENTRIES,
  KEY_FIRST,
  KEY_MAX_LENGTH,
  KEY_NEXT,
  LIFT_NONE,
  LIFT_SUMMARY,
  type Lift,
  ScanError,
  ScanMachine,
} from "./scan-machine.js";
import type { FastFields } from "./types.js";

export { describeStray, MAX_DEPTH, ScanError } from "./scan-machine.js";

/** Receives each candidate record. `fields` is null unless fast fields were asked for. */
export type RecordSink = (text: string, startIndex: number, fields: FastFields | null) => void;

// The shared key table in module-local constants (imported bindings are live: reading them costs more per key).
const FIRST = KEY_FIRST;
const NEXT = KEY_NEXT;
const ENTRIES = KEY_ENTRIES;

/** The code of the key text at [a, b): the shared key table's entries of that length and first character. */
function keyCode(s: string, a: number, b: number): number {
  const len = b - a;
  if (len === 0 || len > KEY_MAX_LENGTH) return K_OTHER;
  const c0 = s.charCodeAt(a);
  if (c0 >= 128) return K_OTHER;
  for (let i = FIRST[len * 128 + c0]!; i >= 0; i = NEXT[i]!) {
    const codes = ENTRIES[i]!.codes;
    let j = 1;
    while (j < len && s.charCodeAt(a + j) === codes[j]) j++;
    if (j === len) return ENTRIES[i]!.code;
  }
  return K_OTHER;
}

/** A single value larger than this is refused (CloudTrail caps a record's parts at 100 KB each, docs/aws-facts.md §6.1). */
const MAX_RECORD_CHARS = 256 << 20;

/**
 * Push decoded text in; complete records come out through the sink. Top-level values may follow each other
 * (JSON Lines, concatenated JSON). A top-level object whose first array-valued key is one of the container
 * keys yields that array's elements; any other top-level object is itself a candidate; a top-level array
 * yields its elements.
 */
export class RecordScanner extends ScanMachine {
  private buf = "";
  private pos = 0;
  /** Bytes (UTF-8) of the input before buf[0]. */
  private bufBytes = 0;
  private inString = false;
  private stringStart = -1;
  private stringSearchFrom = 0;

  /** `lift`: true for the summary fields, or a Lift level. */
  constructor(
    private readonly sink: RecordSink,
    lift: boolean | Lift,
  ) {
    super(lift === true ? LIFT_SUMMARY : lift === false ? LIFT_NONE : lift);
  }

  /** UTF-8 byte offset of a character index of the current buffer (valid inside the sink callback). */
  byteOffset(index: number): number {
    return this.bufBytes + Buffer.byteLength(this.buf.slice(0, index));
  }

  /** Feed the next piece of text. Throws ScanError on input that is not JSON. */
  push(chunk: string): void {
    let keep = this.pos;
    if (this.recStart >= 0 && this.recStart < keep) keep = this.recStart;
    if (this.inString && this.stringStart < keep) keep = this.stringStart;
    if (keep > 0) {
      this.bufBytes += Buffer.byteLength(keep === this.buf.length ? this.buf : this.buf.slice(0, keep));
      this.buf = this.buf.slice(keep) + chunk;
      this.pos -= keep;
      if (this.recStart >= 0) this.recStart -= keep;
      if (this.inString) {
        this.stringStart -= keep;
        this.stringSearchFrom -= keep;
      }
    } else {
      this.buf += chunk;
    }
    if (this.recStart >= 0 && this.buf.length - this.recStart > MAX_RECORD_CHARS) {
      this.fail(`a single record is larger than ${MAX_RECORD_CHARS >> 20} MB`, this.recStart);
    }
    this.scan();
  }

  /** End of input: throws ScanError when a value was left open (truncated input). */
  end(): void {
    if (this.depth > 0 || this.inString) {
      const at = this.byteOffset(this.buf.length);
      const where =
        this.recStart >= 0 ? ` (inside a record that starts at byte ${this.byteOffset(this.recStart)})` : "";
      throw new ScanError(`truncated JSON${where}`, at);
    }
  }

  protected fail(reason: string, index: number): never {
    throw new ScanError(reason, this.byteOffset(index));
  }

  protected keyAt(a: number, b: number): number {
    return keyCode(this.buf, a, b);
  }

  protected textAt(a: number, b: number): string {
    return str(this.buf, a, b);
  }

  protected valueAt(a: number, b: number): string {
    return str(this.buf, a, b);
  }

  protected rawAt(a: number, b: number): string {
    return this.buf.slice(a, b);
  }

  protected emit(start: number, end: number, fields: FastFields | null): void {
    this.sink(this.buf.slice(start, end), start, fields);
  }

  private scan(): void {
    const s = this.buf;
    const n = s.length;
    let i = this.pos;
    if (this.inString) {
      const j = findStringEnd(s, this.stringSearchFrom);
      if (j < 0) {
        this.stringSearchFrom = n;
        this.pos = n;
        return;
      }
      this.inString = false;
      this.string(this.stringStart + 1, j);
      i = j + 1;
    }
    let skipFailed = false;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        const j = findStringEnd(s, i + 1);
        if (j < 0) {
          this.inString = true;
          this.stringStart = i;
          this.stringSearchFrom = i + 1;
          this.pos = n;
          return;
        }
        if (this.looksAtStrings()) this.string(i + 1, j);
        i = j + 1;
        continue;
      }
      if (c === 123 || c === 91) {
        if (!skipFailed && this.skippable(c)) {
          const end = skipContainer(s, i + 1);
          if (end >= 0) {
            this.skipped();
            i = end + 1;
            continue;
          }
          // It runs past the end of the text, and so does every container inside it: trying again at each
          // nested bracket would cost O(n) each (quadratic on deep nesting).
          skipFailed = true;
        }
        this.open(c, i);
      } else if (c === 125 || c === 93) {
        this.close(c, i);
      } else if (c === 44) {
        this.comma();
      } else if (c === 58 || c === 32 || c === 10 || c === 13 || c === 9) {
        // colon (the value of the last key follows) or whitespace
      } else if (this.depth === 0) {
        if (c !== 0xfeff) this.fail(describeStray(s, i), i);
      } else if (this.scalar(c)) {
        while (i + 1 < n && !isDelim(s.charCodeAt(i + 1))) i++;
      }
      i++;
    }
    this.pos = n;
  }
}

/** The string between quotes at [a, b), unescaped only when it holds a backslash. */
function str(s: string, a: number, b: number): string {
  const v = s.slice(a, b);
  if (v.indexOf("\\") < 0) return v;
  try {
    return JSON.parse(`"${v}"`) as string;
  } catch {
    return v;
  }
}

/**
 * Index of the bracket that closes a container whose content starts at `from` (strings skipped), or -1 when
 * the text ends first. Brackets are counted, not matched by kind: the record's own parse checks that.
 */
function skipContainer(s: string, from: number): number {
  let d = 1;
  let i = from;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      const j = findStringEnd(s, i + 1);
      if (j < 0) return -1;
      i = j + 1;
      continue;
    }
    if (c === 123 || c === 91) d++;
    else if ((c === 125 || c === 93) && --d === 0) return i;
    i++;
  }
  return -1;
}

/** Index of the closing quote of a string whose content starts at `from`, or -1. */
function findStringEnd(s: string, from: number): number {
  let j = s.indexOf('"', from);
  while (j >= 0) {
    let k = j - 1;
    while (s.charCodeAt(k) === 92) k--;
    if ((j - 1 - k) % 2 === 0) return j;
    j = s.indexOf('"', j + 1);
  }
  return -1;
}
