// The state machine both CloudTrail scanners run: RecordScanner (decoded text, streamed in chunks, scanner.ts) and
// ByteScanner (a whole UTF-8 buffer, byte-scanner.ts). The scanners only find the next structural character,
// string or scalar in their own input and hand it to this machine, which decides what it means: where records
// start and end, which keys are read, which fields are lifted, and which structural errors are raised. One key
// table (KEYS) serves both. Record fields: docs/aws-facts.md §6.1.

import type { FastFields } from "./types.js";

/** A structural problem in the input (not JSON, unbalanced, truncated), with the byte offset where it was seen. */
export class ScanError extends Error {
  constructor(
    readonly reason: string,
    readonly byteOffset: number,
  ) {
    super(`${reason} at byte ${byteOffset}`);
  }
}

// Keys the machine acts on, as small numbers: keys are told apart by length and characters, never sliced.
export const K_OTHER = 0;
export const K_EVENTTIME = 1;
export const K_TIMESTAMP = 2;
export const K_EVENTSOURCE = 3;
export const K_EVENTNAME = 4;
export const K_AWSREGION = 5;
export const K_USERAGENT = 6;
export const K_ERRORCODE = 7;
export const K_ERRORMESSAGE = 8;
export const K_USERIDENTITY = 9;
export const K_ARN = 10;
export const K_INVOKEDBY = 11;
export const K_TYPE = 12;
/** `Records`, `records`, `Events`, `QueryResultRows`: their array holds the records. */
export const K_CONTAINER = 13;
export const K_SOURCEIP = 14;
export const K_CONSOLE = 15;

/**
 * The key table of both scanners: every key text the machine reacts to and its code. `@timestamp` (Logstash) and
 * `p_event_time` (Panther) stand for a missing eventTime; `arn`, `invokedBy` and `type` count inside `userIdentity`.
 */
export const KEYS: ReadonlyArray<readonly [string, number]> = [
  ["eventTime", K_EVENTTIME],
  ["@timestamp", K_TIMESTAMP],
  ["p_event_time", K_TIMESTAMP],
  ["eventSource", K_EVENTSOURCE],
  ["eventName", K_EVENTNAME],
  ["awsRegion", K_AWSREGION],
  ["userAgent", K_USERAGENT],
  ["errorCode", K_ERRORCODE],
  ["errorMessage", K_ERRORMESSAGE],
  ["userIdentity", K_USERIDENTITY],
  ["arn", K_ARN],
  ["invokedBy", K_INVOKEDBY],
  ["type", K_TYPE],
  ["Records", K_CONTAINER],
  ["records", K_CONTAINER],
  ["Events", K_CONTAINER],
  ["QueryResultRows", K_CONTAINER],
  ["sourceIPAddress", K_SOURCEIP],
  ["sessionCredentialFromConsole", K_CONSOLE],
];

/** A key of the table: its text as character codes (its UTF-8 bytes: all keys are ASCII), words and code. */
export interface KeyEntry {
  readonly text: string;
  readonly length: number;
  readonly codes: Uint8Array;
  /** The codes four at a time as little-endian 32-bit words (what DataView.getInt32 reads), and the rest. */
  readonly words: Int32Array;
  readonly tail: Uint8Array;
  readonly code: number;
}

export const KEY_ENTRIES: readonly KeyEntry[] = KEYS.map(([text, code]) => {
  const codes = Uint8Array.from(text, (ch) => ch.charCodeAt(0));
  const words = new Int32Array(codes.length >> 2);
  for (let w = 0; w < words.length; w++) words[w] = word(codes, 4 * w, 4);
  return { text, length: text.length, codes, words, tail: codes.slice(4 * words.length), code };
});

/** Up to four codes from `at` as one little-endian integer. */
function word(c: Uint8Array, at: number, n: number): number {
  let w = 0;
  for (let k = 0; k < n && at + k < c.length; k++) w |= c[at + k]! << (8 * k);
  return w;
}

/**
 * Lookup of KEY_ENTRIES by (length, first code): KEY_FIRST[length * 128 + first code] is the first entry of that
 * pair (-1: none) and KEY_NEXT[entry] the next one, so a key of the input is compared only with the entries that
 * share its length and first character (at most three), and most keys are refused by one array read.
 */
export const KEY_MAX_LENGTH = 31;
export const KEY_FIRST: Int8Array = new Int8Array((KEY_MAX_LENGTH + 1) * 128).fill(-1);
export const KEY_NEXT: Int8Array = new Int8Array(KEY_ENTRIES.length).fill(-1);
for (let i = KEY_ENTRIES.length - 1; i >= 0; i--) {
  const k = KEY_ENTRIES[i]!;
  const slot = k.length * 128 + k.codes[0]!;
  KEY_NEXT[i] = KEY_FIRST[slot]!;
  KEY_FIRST[slot] = i;
}

/** What a scanner lifts from each record. */
export const LIFT_NONE = 0;
/** The fields `summary` and the record filter read (FastFields without the wide ones). */
export const LIFT_SUMMARY = 1;
/** Also `sourceIPAddress`, `sessionCredentialFromConsole` and the text of `userIdentity` (for `sessions`). */
export const LIFT_WIDE = 2;
export type Lift = typeof LIFT_NONE | typeof LIFT_SUMMARY | typeof LIFT_WIDE;

const OBJ = 123;
const ARR = 91;
/** Deepest nesting the scanners track (a record is parsed by JSON.parse; no CloudTrail record comes near). */
export const MAX_DEPTH = 512;

/** A fields object with every property present (one object shape for all records). */
export function newFields(): FastFields {
  return {
    eventTime: undefined,
    eventSource: undefined,
    eventName: undefined,
    awsRegion: undefined,
    userAgent: undefined,
    errorCode: undefined,
    principal: undefined,
    invokedBy: undefined,
    identityType: undefined,
    hasErrorMessage: undefined,
    sourceIPAddress: undefined,
    console: undefined,
    identity: undefined,
  };
}

/**
 * The shared machine. A scanner calls, for what it finds at index `i` of its input: `open`/`close` for brackets,
 * `comma`, `scalar` (a number/true/false/null starting there), `string(a, b)` for a string's content at [a, b)
 * when `looksAtStrings()`; and asks `skippable(c)` before opening a container (one whose end it may jump to).
 * It implements the few input-dependent reads below.
 */
export abstract class ScanMachine {
  depth = 0;
  protected readonly kinds: number[] = [0];
  /** Depth inside a record object (its keys live there), or -1 when not known yet. */
  protected recDepth = -1;
  /** Index where the current record starts, or -1. */
  protected recStart = -1;
  protected expectKey = false;
  protected lastKey = K_OTHER;
  protected parentKey = K_OTHER;
  protected pendingContainer = false;
  protected fields: FastFields | null = null;
  /** Where the record's `userIdentity` object starts, relative to recStart (LIFT_WIDE), or -1. */
  private identityAt = -1;
  /** Strings or scalars found where a record was expected. */
  nonRecords = 0;
  /** Top-level values seen. */
  topValues = 0;

  constructor(protected readonly lift: Lift) {}

  /** The key code of the key text at [a, b). */
  protected abstract keyAt(a: number, b: number): number;
  /** The (unescaped) string value at [a, b). */
  protected abstract textAt(a: number, b: number): string;
  /** A string value that recurs from record to record (a scanner may return a cached string). */
  protected abstract valueAt(a: number, b: number): string;
  /** The raw input text at [a, b). */
  protected abstract rawAt(a: number, b: number): string;
  /** A complete record at [start, end). */
  protected abstract emit(start: number, end: number, fields: FastFields | null): void;
  /** Raise a ScanError for index i (the scanner knows its byte offset). */
  protected abstract fail(reason: string, i: number): never;

  /** Whether strings at the current depth can matter (deeper ones are skipped unread). */
  looksAtStrings(): boolean {
    return this.depth <= this.recDepth + 1 || this.recDepth < 0;
  }

  /** Whether a container opening now lies inside a record and no field is read from it: jump to its end. */
  skippable(c: number): boolean {
    const d = this.depth;
    return (
      this.recStart >= 0 &&
      d >= this.recDepth &&
      !this.pendingContainer &&
      (this.fields === null || d > this.recDepth || !(c === OBJ && this.lastKey === K_USERIDENTITY))
    );
  }

  /** After a skipped container. */
  skipped(): void {
    this.expectKey = false;
  }

  comma(): void {
    this.expectKey = this.kinds[this.depth] === OBJ;
    this.pendingContainer = false;
  }

  /** A scalar starting with character `c`: true when it stands where a record was expected (skip it whole). */
  scalar(c: number): boolean {
    this.pendingContainer = false;
    const d = this.depth;
    if (d === this.recDepth) {
      // `"sessionCredentialFromConsole": true` (the documented value is the string "true")
      if (this.lastKey === K_CONSOLE && c === 116 && this.fields !== null && this.lift === LIFT_WIDE)
        this.fields.console = true;
      return false;
    }
    if (d === this.recDepth - 1 && this.recStart < 0 && this.kinds[d] === ARR) {
      this.nonRecords++;
      return true;
    }
    return false;
  }

  open(c: number, i: number): void {
    const d = this.depth;
    // no CloudTrail record nests this deep; the depth stack would grow with the input (`[[[[...` gzip bombs)
    if (d >= MAX_DEPTH) this.fail(`JSON nested deeper than ${MAX_DEPTH} levels`, i);
    if (d === 0) {
      this.topValues++;
      if (c === OBJ) {
        this.recDepth = 1;
        this.beginRecord(i);
      } else {
        this.recDepth = 2;
      }
    } else if (this.pendingContainer && c === ARR && d === 1) {
      // `{"Records": [` : the elements are the records.
      this.recStart = -1;
      this.fields = null;
      this.recDepth = 3;
    } else if (d === this.recDepth - 1 && this.recStart < 0 && this.kinds[d] === ARR) {
      this.beginRecord(i);
    } else if (d === this.recDepth) {
      this.parentKey = this.lastKey;
      if (this.lift === LIFT_WIDE && c === OBJ && this.lastKey === K_USERIDENTITY && this.recStart >= 0)
        this.identityAt = i - this.recStart;
    }
    this.pendingContainer = false;
    this.depth = d + 1;
    this.kinds[d + 1] = c;
    this.expectKey = c === OBJ;
  }

  close(c: number, i: number): void {
    const d = this.depth;
    const open = this.kinds[d];
    if (d === 0 || (c === 125 && open !== OBJ) || (c === 93 && open !== ARR)) {
      this.fail(`unbalanced JSON: unexpected \`${String.fromCharCode(c)}\``, i);
    }
    this.depth = d - 1;
    this.expectKey = false;
    this.pendingContainer = false;
    if (d === this.recDepth && this.recStart >= 0) {
      const start = this.recStart;
      const fields = this.fields;
      this.recStart = -1;
      this.fields = null;
      this.identityAt = -1;
      this.emit(start, i + 1, fields);
    } else if (d === 2 && this.recDepth === 3 && c === ARR) {
      // end of the records array: back to the top object's keys, which are not a record
      this.recDepth = 1;
    } else if (this.identityAt >= 0 && d === this.recDepth + 1 && this.fields !== null) {
      // the end of the record's userIdentity object
      this.fields.identity = this.rawAt(this.recStart + this.identityAt, i + 1);
      this.identityAt = -1;
    }
    if (d === 1) this.recDepth = -1;
  }

  private beginRecord(i: number): void {
    this.recStart = i;
    this.identityAt = -1;
    this.fields = this.lift === LIFT_NONE ? null : newFields();
  }

  /** A string whose content is at [a, b) (its opening quote at a - 1). */
  string(a: number, b: number): void {
    const d = this.depth;
    if (d === 0) this.fail("not CloudTrail JSON: a bare string at top level", a - 1);
    if (this.expectKey) {
      this.expectKey = false;
      if (d === this.recDepth || (d === this.recDepth + 1 && this.parentKey === K_USERIDENTITY)) {
        this.lastKey = this.keyAt(a, b);
        if (d === 1 && this.lastKey === K_CONTAINER) this.pendingContainer = true;
      }
      return;
    }
    this.pendingContainer = false;
    const f = this.fields;
    if (d === this.recDepth) {
      if (f !== null) this.setField(f, this.lastKey, a, b);
    } else if (d === this.recDepth + 1) {
      if (f !== null && this.parentKey === K_USERIDENTITY) {
        const key = this.lastKey;
        if (key === K_ARN) f.principal = this.valueAt(a, b);
        else if (key === K_INVOKEDBY) f.invokedBy = this.valueAt(a, b);
        else if (key === K_TYPE) f.identityType = this.valueAt(a, b);
      }
    } else if (d === this.recDepth - 1 && this.recStart < 0 && this.kinds[d] === ARR) {
      this.nonRecords++;
    }
  }

  private setField(f: FastFields, key: number, a: number, b: number): void {
    switch (key) {
      case K_EVENTTIME:
        f.eventTime = this.textAt(a, b);
        break;
      case K_TIMESTAMP:
        if (f.eventTime === undefined) f.eventTime = this.textAt(a, b);
        break;
      case K_EVENTSOURCE:
        f.eventSource = this.valueAt(a, b);
        break;
      case K_EVENTNAME:
        f.eventName = this.valueAt(a, b);
        break;
      case K_AWSREGION:
        f.awsRegion = this.valueAt(a, b);
        break;
      case K_USERAGENT:
        f.userAgent = this.valueAt(a, b);
        break;
      case K_ERRORCODE:
        f.errorCode = this.valueAt(a, b);
        break;
      case K_ERRORMESSAGE:
        f.hasErrorMessage = true;
        break;
      case K_SOURCEIP:
        if (this.lift === LIFT_WIDE) f.sourceIPAddress = this.valueAt(a, b);
        break;
      case K_CONSOLE:
        if (this.lift === LIFT_WIDE) f.console = this.textAt(a, b) === "true";
        break;
    }
  }
}

/** The message for a character that cannot start a top-level JSON value. */
export function describeStray(s: string, i: number): string {
  const c = s.charCodeAt(i);
  if (c < 32 || c === 0xfffd) return "not JSON text (binary data)";
  return `not CloudTrail JSON: unexpected \`${s.slice(i, i + 12).replace(/\s.*$/s, "")}\``;
}

export function isDelim(c: number): boolean {
  return c === 44 || c === 93 || c === 125 || c === 32 || c === 10 || c === 13 || c === 9;
}
