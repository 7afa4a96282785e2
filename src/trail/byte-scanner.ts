// Byte twin of RecordScanner for `summary`: scans a whole in-memory UTF-8 buffer without decoding it to text,
// with the same states, records, errors and byte offsets; only the field values read are decoded.

import {
  describeStray,
  K_ARN,
  K_AWSREGION,
  K_CONTAINER,
  K_ERRORCODE,
  K_ERRORMESSAGE,
  K_EVENTNAME,
  K_EVENTSOURCE,
  K_EVENTTIME,
  K_INVOKEDBY,
  K_OTHER,
  K_TIMESTAMP,
  K_TYPE,
  K_USERAGENT,
  K_USERIDENTITY,
  MAX_DEPTH,
  ScanError,
} from "./scanner.js";
import type { FastFields } from "./types.js";

/** Receives each candidate record as the byte range [start, end) of the buffer, with its fields. */
export type ByteRecordSink = (start: number, end: number, fields: FastFields) => void;

const OBJ = 123;
const ARR = 91;
const EMPTY = Buffer.alloc(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer, EMPTY.byteOffset, 0);

/**
 * Scans one whole buffer (call `scan` once). Fields are always lifted. The buffer must be valid UTF-8 (the
 * caller checks): then every offset equals the one RecordScanner reports for the decoded text.
 */
export class ByteScanner {
  private b: Buffer = EMPTY;
  private dv: DataView = EMPTY_VIEW;
  private ascii = true;
  private depth = 0;
  private readonly kinds: number[] = [0];
  private inString = false;
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

  constructor(private readonly sink: ByteRecordSink) {}

  /** Scan all of `b` (`ascii`: it holds no byte above 127). Throws ScanError on input that is not JSON. */
  scan(b: Buffer, ascii: boolean): void {
    this.b = b;
    const dv = new DataView(b.buffer, b.byteOffset, b.length);
    this.dv = dv;
    this.ascii = ascii;
    const n = b.length;
    let i = 0;
    let skipFailed = false;
    while (i < n) {
      const c = b[i]!;
      if (c === 34) {
        const j = stringEnd(b, dv, i + 1, n);
        if (j < 0) {
          this.inString = true;
          break;
        }
        // strings deeper than a record's own keys and userIdentity's need no look
        if (this.depth <= this.recDepth + 1 || this.recDepth < 0) this.onString(i + 1, j);
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
          const end = skipContainer(b, dv, i + 1, n);
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
      } else if (c === 58 || c === 32 || c === 10 || c === 13 || c === 9) {
        // colon (the value of `lastKey` follows) or whitespace
      } else if (this.depth === 0) {
        if (c === 0xef && b[i + 1] === 0xbb && b[i + 2] === 0xbf) {
          i += 3; // byte-order mark
          continue;
        }
        // the text RecordScanner would show: at most 12 UTF-16 units, all inside 48 bytes
        throw new ScanError(describeStray(b.toString("utf8", i, Math.min(n, i + 48)), 0), i);
      } else {
        // scalar (number, true, false, null)
        this.pendingContainer = false;
        if (this.depth === this.recDepth - 1 && this.recStart < 0 && this.kinds[this.depth] === ARR) {
          this.nonRecords++;
          while (i + 1 < n && !isDelim(b[i + 1]!)) i++;
        }
      }
      i++;
    }
    if (this.depth > 0 || this.inString) {
      const where = this.recStart >= 0 ? ` (inside a record that starts at byte ${this.recStart})` : "";
      throw new ScanError(`truncated JSON${where}`, n);
    }
  }

  private open(c: number, i: number): void {
    const d = this.depth;
    // no CloudTrail record nests this deep; the depth stack would grow with the input (`[[[[...` gzip bombs)
    if (d >= MAX_DEPTH) throw new ScanError(`JSON nested deeper than ${MAX_DEPTH} levels`, i);
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
      throw new ScanError(`unbalanced JSON: unexpected \`${String.fromCharCode(c)}\``, i);
    }
    this.depth = d - 1;
    this.expectKey = false;
    this.pendingContainer = false;
    if (d === this.recDepth && this.recStart >= 0) {
      const start = this.recStart;
      const fields = this.fields!;
      this.recStart = -1;
      this.fields = null;
      this.sink(start, i + 1, fields);
    } else if (d === 2 && this.recDepth === 3 && c === ARR) {
      // end of the records array: back to the top object's keys, which are not a record
      this.recDepth = 1;
    }
    if (d === 1) this.recDepth = -1;
  }

  private beginRecord(i: number): void {
    this.recStart = i;
    this.fields = newFields();
  }

  private onString(a: number, e: number): void {
    const d = this.depth;
    if (d === 0) throw new ScanError("not CloudTrail JSON: a bare string at top level", a - 1);
    if (this.expectKey) {
      this.expectKey = false;
      if (d === this.recDepth || (d === this.recDepth + 1 && this.parentKey === K_USERIDENTITY)) {
        this.lastKey = keyCode(this.b, this.dv, a, e);
        if (d === 1 && this.lastKey === K_CONTAINER) this.pendingContainer = true;
      }
      return;
    }
    this.pendingContainer = false;
    const f = this.fields;
    if (d === this.recDepth) {
      if (f !== null) this.setField(f, this.lastKey, a, e);
    } else if (d === this.recDepth + 1) {
      if (f !== null && this.parentKey === K_USERIDENTITY) {
        const key = this.lastKey;
        if (key === K_ARN) f.principal = this.value(a, e);
        else if (key === K_INVOKEDBY) f.invokedBy = this.value(a, e);
        else if (key === K_TYPE) f.identityType = this.value(a, e);
      }
    } else if (d === this.recDepth - 1 && this.recStart < 0 && this.kinds[d] === ARR) {
      this.nonRecords++;
    }
  }

  private setField(f: FastFields, key: number, a: number, e: number): void {
    switch (key) {
      case K_EVENTTIME:
        f.eventTime = this.text(a, e);
        break;
      case K_TIMESTAMP:
        if (f.eventTime === undefined) f.eventTime = this.text(a, e);
        break;
      case K_EVENTSOURCE:
        f.eventSource = this.value(a, e);
        break;
      case K_EVENTNAME:
        f.eventName = this.value(a, e);
        break;
      case K_AWSREGION:
        f.awsRegion = this.value(a, e);
        break;
      case K_USERAGENT:
        f.userAgent = this.value(a, e);
        break;
      case K_ERRORCODE:
        f.errorCode = this.value(a, e);
        break;
      case K_ERRORMESSAGE:
        f.hasErrorMessage = true;
        break;
    }
  }

  /** The string value at [a, e), unescaped only when it holds a backslash (as RecordScanner's `str`). */
  private text(a: number, e: number): string {
    const v = this.b.toString(this.ascii ? "latin1" : "utf8", a, e);
    if (v.indexOf("\\") < 0) return v;
    try {
      return JSON.parse(`"${v}"`) as string;
    } catch {
      return v;
    }
  }

  /**
   * A value that repeats from record to record (source, name, region, agent, principal, error code): the same
   * string object every time its bytes recur, from a small cache, so counting it needs no hashing of new text.
   */
  private value(a: number, e: number): string {
    const b = this.b;
    const dv = this.dv;
    const len = e - a;
    if (len === 0 || len > MAX_CACHED) return this.text(a, e);
    // hash of the length and a few bytes; the cached bytes are compared in full, four at a time
    let h = Math.imul(len, 0x9e3779b1) ^ b[a]!;
    h = Math.imul(h ^ b[e - 1]!, 0x01000193);
    h = Math.imul(h ^ b[a + (len >> 1)]!, 0x01000193);
    h = Math.imul(h ^ b[a + (len >> 2)]!, 0x01000193);
    h = Math.imul(h ^ b[e - 1 - (len >> 3)]!, 0x01000193);
    const slot = (h ^ (h >>> 13)) & CACHE_MASK;
    const base = slot * MAX_CACHED;
    if (cacheLen[slot] === len) {
      let k = 0;
      while (k + 4 <= len && dv.getInt32(a + k, true) === arenaView.getInt32(base + k, true)) k += 4;
      if (k + 4 > len) {
        while (k < len && b[a + k] === arena[base + k]) k++;
        if (k === len) return cacheText[slot]!;
      }
    }
    // Only plain ASCII without escapes is cached: there the bytes are the string's characters.
    for (let k = a; k < e; k++) {
      const c = b[k]!;
      if (c >= 128 || c === 92) return this.text(a, e);
    }
    const v = b.toString("latin1", a, e);
    b.copy(arena, base, a, e);
    cacheLen[slot] = len;
    cacheText[slot] = v;
    return v;
  }
}

/** Values longer than this are decoded every time. */
const MAX_CACHED = 512;
const CACHE_MASK = 4095;
// Per thread (values repeat across files): a direct-mapped cache of value bytes (arena) and their strings.
const arena = new Uint8Array((CACHE_MASK + 1) * MAX_CACHED);
const arenaView = new DataView(arena.buffer);
const cacheLen = new Int32Array(CACHE_MASK + 1);
const cacheText: (string | undefined)[] = new Array(CACHE_MASK + 1).fill(undefined);

/** A fields object with every property present (one object shape for all records). */
function newFields(): FastFields {
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
  };
}

/** Four characters of `s` from `k` as a little-endian 32-bit integer (what DataView.getInt32 reads there). */
function word(s: string, k = 0): number {
  return (
    s.charCodeAt(k) | (s.charCodeAt(k + 1) << 8) | (s.charCodeAt(k + 2) << 16) | (s.charCodeAt(k + 3) << 24)
  );
}
const W_TYPE = word("type");
const W_EVEN = word("even");
const W_EVEN_UPPER = word("Even");
const W_ECOR = word("ecor");
const W_ERRO = word("erro");
const W_AWSR = word("awsR");
const W_USER = word("user");
const W_INVO = word("invo");
const W_TIMESTAMP = word("@tim");
const W_P_EV = word("p_ev");
const W_QUER = word("Quer");
// the second (and third) words of the keys
const W_EVENTTIME = word("eventTime", 4);
const W_EVENTNAME = word("eventName", 4);
const W_ERRORCODE = word("errorCode", 4);
const W_AWSREGION = word("awsRegion", 4);
const W_USERAGENT = word("userAgent", 4);
const W_INVOKEDBY = word("invokedBy", 4);
const W_TIMESTAMP_2 = word("@timestamp", 4);
const W_EVENTSOURCE = word("eventSource", 4);
const W_USERIDENTITY = word("userIdentity", 4);
const W_USERIDENTITY_3 = word("userIdentity", 8);
const W_P_EVENT_TIME = word("p_event_time", 4);
const W_P_EVENT_TIME_3 = word("p_event_time", 8);
const W_ERRORMESSAGE = word("errorMessage", 4);
const W_ERRORMESSAGE_3 = word("errorMessage", 8);
const W_QUERY_2 = word("QueryResultRows", 4);
const W_QUERY_3 = word("QueryResultRows", 8);

/** The code of the key bytes at [a, e) (RecordScanner's keyCode over bytes, compared four at a time). */
function keyCode(b: Buffer, dv: DataView, a: number, e: number): number {
  const len = e - a;
  if (len < 4) return len === 3 && b[a] === 97 && b[a + 1] === 114 && b[a + 2] === 110 ? K_ARN : K_OTHER;
  const w = dv.getInt32(a, true);
  switch (len) {
    case 4:
      return w === W_TYPE ? K_TYPE : K_OTHER;
    case 6: // Events
      return w === W_EVEN_UPPER && b[a + 4] === 116 && b[a + 5] === 115 ? K_CONTAINER : K_OTHER;
    case 7: // Records, records
      return (b[a] === 82 || b[a] === 114) &&
        dv.getInt32(a + 1, true) === W_ECOR &&
        b[a + 5] === 100 &&
        b[a + 6] === 115
        ? K_CONTAINER
        : K_OTHER;
    case 9: {
      // all end in a distinct last byte after two words
      const w2 = dv.getInt32(a + 4, true);
      const last = b[a + 8];
      if (w === W_EVEN) {
        if (w2 === W_EVENTTIME) return last === 101 ? K_EVENTTIME : K_OTHER;
        if (w2 === W_EVENTNAME) return last === 101 ? K_EVENTNAME : K_OTHER;
        return K_OTHER;
      }
      if (w === W_ERRO) return w2 === W_ERRORCODE && last === 101 ? K_ERRORCODE : K_OTHER;
      if (w === W_AWSR) return w2 === W_AWSREGION && last === 110 ? K_AWSREGION : K_OTHER;
      if (w === W_USER) return w2 === W_USERAGENT && last === 116 ? K_USERAGENT : K_OTHER;
      if (w === W_INVO) return w2 === W_INVOKEDBY && last === 121 ? K_INVOKEDBY : K_OTHER;
      return K_OTHER;
    }
    case 10: // @timestamp
      return w === W_TIMESTAMP &&
        dv.getInt32(a + 4, true) === W_TIMESTAMP_2 &&
        b[a + 8] === 109 &&
        b[a + 9] === 112
        ? K_TIMESTAMP
        : K_OTHER;
    case 11: // eventSource
      return w === W_EVEN &&
        dv.getInt32(a + 4, true) === W_EVENTSOURCE &&
        b[a + 8] === 114 &&
        b[a + 9] === 99 &&
        b[a + 10] === 101
        ? K_EVENTSOURCE
        : K_OTHER;
    case 12: {
      const w2 = dv.getInt32(a + 4, true);
      const w3 = dv.getInt32(a + 8, true);
      if (w === W_USER) return w2 === W_USERIDENTITY && w3 === W_USERIDENTITY_3 ? K_USERIDENTITY : K_OTHER;
      if (w === W_P_EV) return w2 === W_P_EVENT_TIME && w3 === W_P_EVENT_TIME_3 ? K_TIMESTAMP : K_OTHER;
      if (w === W_ERRO) return w2 === W_ERRORMESSAGE && w3 === W_ERRORMESSAGE_3 ? K_ERRORMESSAGE : K_OTHER;
      return K_OTHER;
    }
    case 15: // QueryResultRows
      return w === W_QUER &&
        dv.getInt32(a + 4, true) === W_QUERY_2 &&
        dv.getInt32(a + 8, true) === W_QUERY_3 &&
        b[a + 12] === 111 &&
        b[a + 13] === 119 &&
        b[a + 14] === 115
        ? K_CONTAINER
        : K_OTHER;
    default:
      return K_OTHER;
  }
}

const HIGH_BITS = 0x80808080 | 0;

/**
 * Index of the closing quote of a string whose content starts at `from`, or -1: the first quote after an even
 * number of backslashes. Four bytes are tested at once: `(x - 0x01010101) & ~x & 0x80808080` flags the zero
 * bytes of x (the lowest flag exactly), so a word without a quote costs a few integer operations.
 */
function stringEnd(b: Buffer, dv: DataView, from: number, n: number): number {
  let j = from;
  for (;;) {
    let k = -1;
    while (j + 4 <= n) {
      const q = dv.getInt32(j, true) ^ 0x22222222;
      const m = (q - 0x01010101) & ~q & HIGH_BITS;
      if (m !== 0) {
        k = j + ((31 - Math.clz32(m & -m)) >> 3);
        break;
      }
      j += 4;
    }
    if (k < 0) {
      while (j < n && b[j] !== 34) j++;
      if (j >= n) return -1;
      k = j;
    }
    // escaped when preceded by an odd run of backslashes (the opening quote ends the run)
    let p = k - 1;
    while (b[p] === 92) p--;
    if ((k - 1 - p) % 2 === 0) return k;
    j = k + 1;
  }
}

/**
 * Index of the bracket that closes a container whose content starts at `from` (strings skipped), or -1 when
 * the bytes end first. Brackets are counted, not matched by kind, as in RecordScanner.
 */
function skipContainer(b: Buffer, dv: DataView, from: number, n: number): number {
  let d = 1;
  let i = from;
  while (i < n) {
    const c = b[i]!;
    if (c === 34) {
      const j = stringEnd(b, dv, i + 1, n);
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

function isDelim(c: number): boolean {
  return c === 44 || c === 93 || c === 125 || c === 32 || c === 10 || c === 13 || c === 9;
}
