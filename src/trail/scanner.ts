// Streaming splitter for CloudTrail JSON in any of its shapes: finds each record's text without parsing it, and
// (optionally) lifts the few top-level fields `summary` needs. One pass; strings are skipped with indexOf.

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

/** Receives each candidate record. `fields` is null unless fast fields were asked for. */
export type RecordSink = (text: string, startIndex: number, fields: FastFields | null) => void;

/** Keys whose array value holds the records: delivery files, lookup-events output, CloudTrail Lake results. */
// Keys the scanner acts on, as small numbers: keys are told apart by length and characters, never sliced.
// Exported for the byte scanner (byte-scanner.ts), which reads the same keys from bytes.
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

function eq(s: string, a: number, lit: string): boolean {
  for (let k = 0; k < lit.length; k++) if (s.charCodeAt(a + k) !== lit.charCodeAt(k)) return false;
  return true;
}

/** The code of the key text at [a, b). */
function keyCode(s: string, a: number, b: number): number {
  const c0 = s.charCodeAt(a);
  switch (b - a) {
    case 3:
      return c0 === 97 && eq(s, a, "arn") ? K_ARN : K_OTHER;
    case 4:
      return c0 === 116 && eq(s, a, "type") ? K_TYPE : K_OTHER;
    case 6:
      return c0 === 69 && eq(s, a, "Events") ? K_CONTAINER : K_OTHER;
    case 7:
      return (c0 === 82 || c0 === 114) && eq(s, a + 1, "ecords") ? K_CONTAINER : K_OTHER;
    case 9:
      if (c0 === 101) {
        if (eq(s, a, "eventTime")) return K_EVENTTIME;
        if (eq(s, a, "eventName")) return K_EVENTNAME;
        if (eq(s, a, "errorCode")) return K_ERRORCODE;
      } else if (c0 === 97) {
        if (eq(s, a, "awsRegion")) return K_AWSREGION;
      } else if (c0 === 117) {
        if (eq(s, a, "userAgent")) return K_USERAGENT;
      } else if (c0 === 105) {
        if (eq(s, a, "invokedBy")) return K_INVOKEDBY;
      }
      return K_OTHER;
    case 10:
      return c0 === 64 && eq(s, a, "@timestamp") ? K_TIMESTAMP : K_OTHER;
    case 11:
      return c0 === 101 && eq(s, a, "eventSource") ? K_EVENTSOURCE : K_OTHER;
    case 12:
      if (c0 === 117) return eq(s, a, "userIdentity") ? K_USERIDENTITY : K_OTHER;
      if (c0 === 112) return eq(s, a, "p_event_time") ? K_TIMESTAMP : K_OTHER;
      if (c0 === 101) return eq(s, a, "errorMessage") ? K_ERRORMESSAGE : K_OTHER;
      return K_OTHER;
    case 15:
      return c0 === 81 && eq(s, a, "QueryResultRows") ? K_CONTAINER : K_OTHER;
    default:
      return K_OTHER;
  }
}
const OBJ = 123;
/** A single value larger than this is refused (CloudTrail caps a record's parts at 100 KB each, docs/aws-facts.md §6.1). */
const MAX_RECORD_CHARS = 256 << 20;
/** Deepest nesting the scanners track (a record is parsed by JSON.parse; no CloudTrail record comes near). */
export const MAX_DEPTH = 512;
const ARR = 91;

/**
 * Push decoded text in; complete records come out through the sink. Top-level values may follow each other
 * (JSON Lines, concatenated JSON). A top-level object whose first array-valued key is one of the container
 * keys yields that array's elements; any other top-level object is itself a candidate; a top-level array
 * yields its elements.
 */
export class RecordScanner {
  private buf = "";
  private pos = 0;
  /** Bytes (UTF-8) of the input before buf[0]. */
  private bufBytes = 0;
  private depth = 0;
  private readonly kinds: number[] = [0];
  private inString = false;
  private stringStart = -1;
  private stringSearchFrom = 0;
  /** Depth inside a record object (its keys live there), or -1 when not known yet. */
  private recDepth = -1;
  private recStart = -1;
  private expectKey = false;
  private lastKey = K_OTHER;
  private parentKey = K_OTHER;
  private pendingContainer = false;
  private fields: FastFields | null = null;
  /** Strings or scalars found where a record was expected. */
  nonRecords = 0;
  /** Top-level values seen. */
  topValues = 0;

  constructor(
    private readonly sink: RecordSink,
    private readonly fast: boolean,
  ) {}

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

  private fail(reason: string, index: number): never {
    throw new ScanError(reason, this.byteOffset(index));
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
      this.onString(s, this.stringStart + 1, j);
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
        // strings deeper than a record's own keys and userIdentity's need no look
        if (this.depth <= this.recDepth + 1 || this.recDepth < 0) this.onString(s, i + 1, j);
        i = j + 1;
        continue;
      }
      if (c === 123 || c === 91) {
        const d = this.depth;
        if (
          !skipFailed &&
          this.recStart >= 0 &&
          d >= this.recDepth &&
          !this.pendingContainer &&
          (this.fields === null || d > this.recDepth || !(c === OBJ && this.lastKey === K_USERIDENTITY))
        ) {
          // A value inside a record that no field is read from: jump to its end in one tight loop.
          const end = skipContainer(s, i + 1);
          if (end >= 0) {
            this.expectKey = false;
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
        this.expectKey = this.kinds[this.depth] === OBJ;
        this.pendingContainer = false;
      } else if (c === 58) {
        // colon: the value of `lastKey` follows
      } else if (c === 32 || c === 10 || c === 13 || c === 9) {
        // whitespace
      } else if (this.depth === 0) {
        if (c !== 0xfeff) this.fail(describeStray(s, i), i);
      } else {
        // scalar (number, true, false, null)
        this.pendingContainer = false;
        if (this.depth === this.recDepth - 1 && this.recStart < 0 && this.kinds[this.depth] === ARR) {
          this.nonRecords++;
          while (i + 1 < n && !isDelim(s.charCodeAt(i + 1))) i++;
        }
      }
      i++;
    }
    this.pos = n;
  }

  private open(c: number, i: number): void {
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
    }
    this.pendingContainer = false;
    this.depth = d + 1;
    this.kinds[d + 1] = c;
    this.expectKey = c === OBJ;
  }

  private close(c: number, i: number): void {
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
      this.sink(this.buf.slice(start, i + 1), start, fields);
    } else if (d === 2 && this.recDepth === 3 && c === ARR) {
      // end of the records array: back to the top object's keys, which are not a record
      this.recDepth = 1;
    }
    if (d === 1) this.recDepth = -1;
  }

  private beginRecord(i: number): void {
    this.recStart = i;
    this.fields = this.fast ? {} : null;
  }

  private onString(s: string, a: number, b: number): void {
    const d = this.depth;
    if (d === 0) this.fail("not CloudTrail JSON: a bare string at top level", a - 1);
    if (this.expectKey) {
      this.expectKey = false;
      if (d === this.recDepth || (d === this.recDepth + 1 && this.parentKey === K_USERIDENTITY)) {
        this.lastKey = keyCode(s, a, b);
        if (d === 1 && this.lastKey === K_CONTAINER) this.pendingContainer = true;
      }
      return;
    }
    this.pendingContainer = false;
    const f = this.fields;
    if (d === this.recDepth) {
      if (f !== null) setField(f, this.lastKey, s, a, b);
    } else if (d === this.recDepth + 1) {
      if (f !== null && this.parentKey === K_USERIDENTITY) setIdentityField(f, this.lastKey, s, a, b);
    } else if (d === this.recDepth - 1 && this.recStart < 0 && this.kinds[d] === ARR) {
      this.nonRecords++;
    }
  }
}

function setField(f: FastFields, key: number, s: string, a: number, b: number): void {
  switch (key) {
    case K_EVENTTIME:
      f.eventTime = str(s, a, b);
      break;
    case K_TIMESTAMP:
      if (f.eventTime === undefined) f.eventTime = str(s, a, b);
      break;
    case K_EVENTSOURCE:
      f.eventSource = str(s, a, b);
      break;
    case K_EVENTNAME:
      f.eventName = str(s, a, b);
      break;
    case K_AWSREGION:
      f.awsRegion = str(s, a, b);
      break;
    case K_USERAGENT:
      f.userAgent = str(s, a, b);
      break;
    case K_ERRORCODE:
      f.errorCode = str(s, a, b);
      break;
    case K_ERRORMESSAGE:
      f.hasErrorMessage = true;
      break;
  }
}

function setIdentityField(f: FastFields, key: number, s: string, a: number, b: number): void {
  if (key === K_ARN) f.principal = str(s, a, b);
  else if (key === K_INVOKEDBY) f.invokedBy = str(s, a, b);
  else if (key === K_TYPE) f.identityType = str(s, a, b);
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

function isDelim(c: number): boolean {
  return c === 44 || c === 93 || c === 125 || c === 32 || c === 10 || c === 13 || c === 9;
}

/** The message for a character that cannot start a top-level JSON value. */
export function describeStray(s: string, i: number): string {
  const c = s.charCodeAt(i);
  if (c < 32 || c === 0xfffd) return "not JSON text (binary data)";
  return `not CloudTrail JSON: unexpected \`${s.slice(i, i + 12).replace(/\s.*$/s, "")}\``;
}
