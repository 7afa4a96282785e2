// Byte twin of RecordScanner: scans a whole in-memory UTF-8 buffer without decoding it to text, through the same
// state machine (scan-machine.ts), so records, fields, errors and byte offsets are the same; only the field values
// read are decoded.

import {
  describeStray,
  isDelim,
  K_OTHER,
  KEY_ENTRIES,
  KEY_FIRST,
  KEY_MAX_LENGTH,
  KEY_NEXT,
  LIFT_SUMMARY,
  type Lift,
  ScanError,
  ScanMachine,
} from "./scan-machine.js";
import type { FastFields } from "./types.js";

/** Receives each candidate record as the byte range [start, end) of the buffer, with its fields. */
export type ByteRecordSink = (start: number, end: number, fields: FastFields) => void;

const EMPTY = Buffer.alloc(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer, EMPTY.byteOffset, 0);

/**
 * Scans one whole buffer (call `scan` once). Fields are always lifted (the summary ones, or `LIFT_WIDE`). The
 * buffer must be valid UTF-8 (the caller checks): then every offset equals the one RecordScanner reports for the
 * decoded text.
 */
export class ByteScanner extends ScanMachine {
  private b: Buffer = EMPTY;
  private dv: DataView = EMPTY_VIEW;
  private ascii = true;

  constructor(
    private readonly sink: ByteRecordSink,
    lift: Lift = LIFT_SUMMARY,
  ) {
    super(lift);
  }

  /** Scan all of `b` (`ascii`: it holds no byte above 127). Throws ScanError on input that is not JSON. */
  scan(b: Buffer, ascii: boolean): void {
    this.b = b;
    const dv = new DataView(b.buffer, b.byteOffset, b.length);
    this.dv = dv;
    this.ascii = ascii;
    const n = b.length;
    let i = 0;
    let skipFailed = false;
    let inString = false;
    while (i < n) {
      const c = b[i]!;
      if (c === 34) {
        const j = stringEnd(b, dv, i + 1, n);
        if (j < 0) {
          inString = true;
          break;
        }
        if (this.looksAtStrings()) this.string(i + 1, j);
        i = j + 1;
        continue;
      }
      if (c === 123 || c === 91) {
        if (!skipFailed && this.skippable(c)) {
          const end = skipContainer(b, dv, i + 1, n);
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
        if (c === 0xef && b[i + 1] === 0xbb && b[i + 2] === 0xbf) {
          i += 3; // byte-order mark
          continue;
        }
        // the text RecordScanner would show: at most 12 UTF-16 units, all inside 48 bytes
        throw new ScanError(describeStray(b.toString("utf8", i, Math.min(n, i + 48)), 0), i);
      } else if (this.scalar(c)) {
        while (i + 1 < n && !isDelim(b[i + 1]!)) i++;
      }
      i++;
    }
    if (this.depth > 0 || inString) {
      const where = this.recStart >= 0 ? ` (inside a record that starts at byte ${this.recStart})` : "";
      throw new ScanError(`truncated JSON${where}`, n);
    }
  }

  protected fail(reason: string, i: number): never {
    throw new ScanError(reason, i);
  }

  protected keyAt(a: number, e: number): number {
    return keyCode(this.b, this.dv, a, e);
  }

  protected rawAt(a: number, e: number): string {
    return this.b.toString(this.ascii ? "latin1" : "utf8", a, e);
  }

  protected emit(start: number, end: number, fields: FastFields | null): void {
    this.sink(start, end, fields!);
  }

  /** The string value at [a, e), unescaped only when it holds a backslash (as RecordScanner's `str`). */
  protected textAt(a: number, e: number): string {
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
  protected valueAt(a: number, e: number): string {
    const b = this.b;
    const dv = this.dv;
    const len = e - a;
    if (len === 0 || len > MAX_CACHED) return this.textAt(a, e);
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
      if (c >= 128 || c === 92) return this.textAt(a, e);
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

// The shared key table in module-local constants (imported bindings are live: reading them costs more per key).
const FIRST = KEY_FIRST;
const NEXT = KEY_NEXT;
const ENTRIES = KEY_ENTRIES;

/** The code of the key bytes at [a, e): the shared key table's entries of that length and first byte, compared
 * four bytes at a time. */
function keyCode(b: Buffer, dv: DataView, a: number, e: number): number {
  const len = e - a;
  if (len === 0 || len > KEY_MAX_LENGTH) return K_OTHER;
  const c0 = b[a]!;
  if (c0 >= 128) return K_OTHER;
  for (let i = FIRST[len * 128 + c0]!; i >= 0; i = NEXT[i]!) {
    const k = ENTRIES[i]!;
    const words = k.words;
    let j = 0;
    while (j < words.length && dv.getInt32(a + 4 * j, true) === words[j]) j++;
    if (j < words.length) continue;
    const tail = k.tail;
    const at = a + 4 * words.length;
    let t = 0;
    while (t < tail.length && b[at + t] === tail[t]) t++;
    if (t === tail.length) return k.code;
  }
  return K_OTHER;
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
