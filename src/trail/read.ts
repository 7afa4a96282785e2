// Read CloudTrail records from files, folders and stdin: gzip or plain, every JSON shape and CSV exports, corrupt
// parts skipped with their reason and byte offset. Streaming: memory is bounded by the largest record, not the input.

import { isAscii, isUtf8 } from "node:buffer";
import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { availableParallelism } from "node:os";
import { pipeline, Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip, gunzipSync } from "node:zlib";
import { ByteScanner } from "./byte-scanner.js";
import { isChangeEvent, isDeniedCode } from "./classify.js";
import { CsvRecordReader, looksLikeCsv } from "./csv-records.js";
import { expandInputs, parseEventTime, parseTimeBound, type TrailFile } from "./files.js";
import { fastFieldsOf, fastIsRecord, isRecord, toRecord } from "./normalize.js";
import { LIFT_NONE, LIFT_SUMMARY, LIFT_WIDE } from "./scan-machine.js";
import { RecordScanner, ScanError } from "./scanner.js";
import type { CloudTrailRecord, FastFields, ReadOptions, RecordKind, Skipped } from "./types.js";

const CHUNK = 1 << 20;
/** Files up to this size (on disk) are read and inflated in one go; larger ones are streamed. */
const SMALL_FILE = 1 << 20;
/** Most a small file may inflate to (CloudTrail's own compress about 10:1; this is 256:1 for a 1 MiB file). */
const MAX_INFLATED_SMALL = 256 << 20;
/** Names read as CSV whatever their first line. */
const CSV_NAME_RE = /\.csv(?:\.gz)?$/i;

/** The serialisable part of ReadOptions that decides which records are kept. */
export interface RecordFilter {
  since?: number;
  until?: number;
  regions?: string[];
  mustContain?: string[];
  /**
   * Kinds of record an analysis reads: the others are counted but neither parsed nor kept (decided on the fields
   * the scanner lifts, so most records of a large trail never reach `JSON.parse`).
   */
  only?: RecordKind[];
}

/** Whether lifted fields are of one of these kinds. */
export function isOfKind(f: FastFields, kinds: readonly RecordKind[]): boolean {
  for (const k of kinds) {
    if (k === "failure") {
      // ConsoleLogin failures may say so only in responseElements: read them all
      if (
        (f.errorCode !== undefined && f.errorCode !== "") ||
        f.hasErrorMessage ||
        f.eventName === "ConsoleLogin"
      )
        return true;
    } else if (k === "denied") {
      if (f.errorCode !== undefined && isDeniedCode(f.errorCode)) return true;
    } else if (isChangeEvent(f.eventSource, f.eventName)) return true;
  }
  return false;
}

/** Resolve the record filter of some read options. */
export function filterOf(opts: ReadOptions): RecordFilter {
  const f: RecordFilter = {};
  const since = parseTimeBound(opts.since);
  const until = parseTimeBound(opts.until);
  if (since !== undefined) f.since = since;
  if (until !== undefined) f.until = until;
  if (opts.regions && opts.regions.length > 0) f.regions = opts.regions;
  if (opts.mustContain && opts.mustContain.length > 0) f.mustContain = opts.mustContain;
  if (opts.only && opts.only.length > 0) f.only = opts.only;
  return f;
}

/** What one file held. */
export interface FileStats {
  /** Records found (before the time/region filter). */
  records: number;
  /** Records kept. */
  kept: number;
  /** Bytes of the file read from disk. */
  bytes: number;
}

/** How a file's records are delivered: parsed records (yielded in batches) or fast fields to a callback. */
export interface FileContext {
  filter: RecordFilter;
  skipped: Skipped[];
  /** When set, records are not parsed when the scanner found their fields; each kept one goes here. */
  fast?: (f: FastFields) => void;
  /** Bytes read from disk (called per read). */
  onBytes?: (n: number) => void;
  /**
   * When set, records are lifted wide (scan-machine.ts) and each kept one is offered here first: true when the
   * fields were enough (the record is not parsed), false when it must be parsed and yielded as usual.
   */
  lifted?: (f: FastFields) => boolean;
}

/** Whether a record passes the time and region filter (records with an unreadable time pass only unbounded). */
function keepTimeRegion(filter: RecordFilter, time: string | undefined, region: string | undefined): boolean {
  if (filter.regions && !(region !== undefined && filter.regions.includes(region))) return false;
  if (filter.since !== undefined || filter.until !== undefined) {
    const t = parseEventTime(time);
    if (Number.isNaN(t)) return false;
    if (filter.since !== undefined && t < filter.since) return false;
    if (filter.until !== undefined && t > filter.until) return false;
  }
  return true;
}

/** Raw chunks of a file or stdin, decompressed when they start with the gzip magic bytes. */
async function* decodedChunks(
  file: TrailFile,
  counter: { compressed: number; gzip: boolean; onBytes?: ((n: number) => void) | undefined },
): AsyncGenerator<Buffer> {
  const src: AsyncIterable<Buffer> =
    file.path === "-"
      ? (process.stdin as AsyncIterable<Buffer>)
      : createReadStream(file.path, { highWaterMark: CHUNK });
  const it = src[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = first.value;
  async function* counted(): AsyncGenerator<Buffer> {
    counter.compressed += head.length;
    counter.onBytes?.(head.length);
    yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) {
      counter.compressed += r.value.length;
      counter.onBytes?.(r.value.length);
      yield r.value;
    }
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    counter.gzip = true;
    const gunzip = createGunzip({ chunkSize: CHUNK });
    pipeline(Readable.from(counted(), { objectMode: false, highWaterMark: CHUNK }), gunzip, () => {});
    yield* gunzip as AsyncIterable<Buffer>;
  } else {
    yield* counted();
  }
}

/**
 * Read one file (CSV when it is named `.csv`/`.csv.gz` or its first line is a CSV header naming an event-name
 * column, else JSON). Yields batches of kept, parsed records (nothing in fast mode, where `ctx.fast` gets the fields).
 * Problems are appended to `ctx.skipped`; never throws for bad input.
 */
export async function* fileRecords(
  file: TrailFile,
  ctx: FileContext,
): AsyncGenerator<CloudTrailRecord[], FileStats> {
  const { filter, fast, lifted } = ctx;
  const stats: FileStats = { records: 0, kept: 0, bytes: 0 };
  let pending: CloudTrailRecord[] = [];
  let badRecords = 0;
  let firstBad = "";
  let candidates = 0;
  const must = filter.mustContain;
  const windowed = filter.since !== undefined || filter.until !== undefined || filter.regions !== undefined;
  const counter = { compressed: 0, gzip: false, onBytes: ctx.onBytes };

  /** `at` gives the record's byte offset (computed only for the first bad record). */
  const parseCandidate = (text: string, at: () => number): CloudTrailRecord | null => {
    try {
      return toRecord(JSON.parse(text));
    } catch (err) {
      badRecords++;
      if (!firstBad) {
        firstBad = `invalid JSON in a record at byte ${at()}${counter.gzip ? " of the uncompressed data" : ""}: ${(err as Error).message}`;
      }
      return null;
    }
  };

  // The one sink every reader below (string scanner, byte scanner, CSV rows) delivers to: it counts, applies
  // the time/region window and the analysis' record kinds, parses what is kept, and passes it on.
  const only = filter.only;
  /** A record already parsed (CSV rows, wrapped records). */
  const onRecord = (rec: CloudTrailRecord, text?: string): void => {
    stats.records++;
    if (!keepTimeRegion(filter, rec.eventTime, rec.awsRegion)) return;
    if (must && !fast && !must.some((m) => (text ?? JSON.stringify(rec)).includes(m))) return;
    if ((fast || only) && !keepFields(fastFieldsOf(rec))) return;
    stats.kept++;
    if (!fast) pending.push(rec);
  };
  /** Lifted fields of a kept record: summary counts them; an analysis reading some kinds tests them. */
  const keepFields = (f: FastFields): boolean => {
    if (fast) {
      fast(f);
      return true;
    }
    return only === undefined || isOfKind(f, only);
  };
  /** A candidate value: its lifted fields when the scanner read them, its text on demand. */
  const onCandidate = (fields: FastFields | null, text: () => string, at: () => number): void => {
    candidates++;
    if (fields !== null && fastIsRecord(fields)) {
      // Out of the window, or of a kind the analysis does not read: dropped before any JSON.parse.
      if (!keepTimeRegion(filter, fields.eventTime, fields.awsRegion)) {
        stats.records++;
        return;
      }
      if (fast) {
        stats.records++;
        stats.kept++;
        fast(fields);
        return;
      }
      if (only && !isOfKind(fields, only)) {
        stats.records++;
        return;
      }
      if (lifted?.(fields)) {
        stats.records++;
        stats.kept++;
        return;
      }
    }
    const t = text();
    if (must && !fast && !must.some((m) => t.includes(m))) {
      // Cheap raw-text filter: not parsed, but counted when it looks like a record.
      if (t.includes('"eventName"')) stats.records++;
      return;
    }
    const rec = parseCandidate(t, at);
    if (rec !== null) onRecord(rec, t);
  };

  const scanner = new RecordScanner(
    (text, start, fields) =>
      onCandidate(
        fields,
        () => text,
        () => scanner.byteOffset(start),
      ),
    lifted ? LIFT_WIDE : fast !== undefined || windowed || only !== undefined ? LIFT_SUMMARY : LIFT_NONE,
  );

  // CSV exports: read row by row (the scanners below are for JSON only)
  const csvName = CSV_NAME_RE.test(file.path);
  /**
   * Whether decoded bytes starting the file are CSV: named so, or a first line naming an event-name column. Text
   * opening with `{` or `[` is JSON whatever the name.
   */
  const isCsv = (head: Buffer): boolean =>
    head[0] !== 0x7b &&
    head[0] !== 0x5b &&
    (csvName || looksLikeCsv(isUtf16(head) ? utf8Of(head.subarray(0, 1 << 17)) : head));
  let csv: CsvRecordReader | null = null;
  const csvReader = () =>
    new CsvRecordReader(
      file.path,
      () => counter.gzip,
      (rec) => onRecord(rec),
      ctx.skipped,
    );

  let decoder: TextChunkDecoder | null = null;
  let total = 0;
  let nonRecords = 0;
  try {
    const small = file.path === "-" ? null : readSmall(file.path, file.size, file.regular === true);
    if (small) {
      // Small files (CloudTrail's own are): one read and one inflate, no stream machinery per file.
      let buf: Buffer = small;
      counter.compressed = buf.length;
      ctx.onBytes?.(buf.length);
      if (buf[0] === 0x1f && buf[1] === 0x8b) {
        counter.gzip = true;
        // The gzip trailer holds the inflated size (mod 4 GB): one output chunk, no concatenation.
        const isize = buf.length >= 18 ? buf.readUInt32LE(buf.length - 4) : 0;
        const chunkSize = Math.min(Math.max(isize + 1024, 64 * 1024), 64 << 20);
        // a gzip bomb (a few hundred KB of `[` or blanks inflating to gigabytes) stops at the cap, with a reason
        buf = gunzipSync(buf, { chunkSize, maxOutputLength: MAX_INFLATED_SMALL });
      }
      total = buf.length;
      const ascii = buf.length > 0 && !isUtf16(buf) && isAscii(buf);
      if (buf.length > 0 && isCsv(buf)) {
        csv = csvReader();
        csv.push(isUtf16(buf) ? utf8Of(buf) : buf);
        csv.finish(true);
        csv = null;
      } else if ((fast || only || lifted) && buf.length > 0 && (ascii || (!isUtf16(buf) && isUtf8(buf)))) {
        // Valid UTF-8 (nearly always) read for lifted fields: the bytes are scanned as they are; only field
        // values are decoded, and a record's text only when it is parsed.
        const bytes = new ByteScanner(
          (start, end, fields) =>
            onCandidate(
              fields,
              () => buf.toString("utf8", start, end),
              () => start,
            ),
          lifted ? LIFT_WIDE : LIFT_SUMMARY,
        );
        try {
          bytes.scan(buf, ascii);
        } finally {
          nonRecords = bytes.nonRecords;
        }
      } else if (buf.length > 0) {
        if (isUtf16(buf)) {
          const d = textDecoderFor(buf);
          scanner.push(d.write(buf) + d.end());
        } else {
          // ASCII (most CloudTrail) needs no UTF-8 decoding: a one-byte string is a plain copy.
          scanner.push(ascii ? buf.toString("latin1") : buf.toString("utf8"));
        }
        scanner.end();
      } else {
        scanner.end();
      }
      if (pending.length > 0) {
        const out = pending;
        pending = [];
        yield out;
      }
    } else {
      let utf16 = false;
      for await (const chunk of decodedChunks(file, counter)) {
        total += chunk.length;
        if (decoder === null) {
          decoder = textDecoderFor(chunk);
          utf16 = isUtf16(chunk);
          if (isCsv(chunk)) csv = csvReader();
        }
        if (csv) csv.push(utf16 ? Buffer.from(decoder.write(chunk)) : chunk);
        else scanner.push(decoder.write(chunk));
        if (pending.length > 0) {
          const out = pending;
          pending = [];
          yield out;
        }
      }
      if (csv) {
        if (utf16 && decoder) csv.push(Buffer.from(decoder.end()));
        csv.finish(true);
        csv = null;
      } else {
        if (decoder) scanner.push(decoder.end());
        scanner.end();
      }
    }
  } catch (err) {
    ctx.skipped.push({ file: file.path, reason: describeReadError(err, counter.compressed, counter.gzip) });
    // a cut CSV: its last, partial row is not read; its bad rows are still reported
    csv?.finish(false);
  }
  if (pending.length > 0) yield pending;
  stats.bytes = counter.compressed;
  if (badRecords > 0) {
    ctx.skipped.push({
      file: file.path,
      reason: badRecords > 1 ? `${firstBad} (and ${badRecords - 1} more bad records)` : firstBad,
    });
  }
  if (total === 0 && counter.compressed === 0) {
    if (!ctx.skipped.some((s) => s.file === file.path))
      ctx.skipped.push({ file: file.path, reason: "empty file" });
  } else if (stats.records === 0 && (candidates > badRecords || scanner.nonRecords + nonRecords > 0)) {
    ctx.skipped.push({
      file: file.path,
      reason:
        'no CloudTrail records: expected `{"Records": [...]}`, an array of records, a record, JSON Lines or lookup-events output',
    });
  }
  return stats;
}

/** One read buffer per thread for small files (their bytes are inflated or decoded before the next read). */
let readBuf: Buffer | null = null;

/**
 * The whole file when it is at most SMALL_FILE bytes (open, one read, close: no fstat), else null. The result
 * is only valid until the next call.
 */
function readSmall(path: string, knownSize: number, regular: boolean): Buffer | null {
  if (knownSize > SMALL_FILE) return null;
  readBuf ??= Buffer.allocUnsafe(SMALL_FILE + 1);
  const fd = openSync(path, "r");
  try {
    let off = 0;
    for (;;) {
      const want = readBuf.length - off;
      const n = readSync(fd, readBuf, off, want, off);
      off += n;
      if (off > SMALL_FILE) return null;
      // a short read of a regular file is its end (knownSize >= 0 means stat said it is one)
      // a short read of a regular file is its end: no extra read to see 0
      if (n === 0 || (n < want && regular)) break;
    }
    return readBuf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

interface TextChunkDecoder {
  write(b: Buffer): string;
  end(): string;
}

/** UTF-16 bytes (with their BOM) as UTF-8. */
function utf8Of(buf: Buffer): Buffer {
  const d = textDecoderFor(buf);
  return Buffer.from(d.write(buf) + d.end(), "utf8");
}

function isUtf16(head: Buffer): boolean {
  return (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
}

/**
 * A streaming decoder chosen by the byte-order mark: UTF-16 LE/BE (PowerShell 5 redirects write UTF-16 LE),
 * else UTF-8 (a UTF-8 BOM is skipped by the scanner). Byte offsets in messages count UTF-8 bytes.
 */
function textDecoderFor(head: Buffer): TextChunkDecoder {
  if (isUtf16(head)) {
    const d = new TextDecoder(head[0] === 0xff ? "utf-16le" : "utf-16be");
    return { write: (b) => d.decode(b, { stream: true }), end: () => d.decode() };
  }
  const d = new StringDecoder("utf8");
  return { write: (b) => d.write(b), end: () => d.end() };
}

function describeReadError(err: unknown, compressed: number, gz: boolean): string {
  if (err instanceof ScanError)
    return `${err.reason} at byte ${err.byteOffset}${gz ? " of the uncompressed data" : ""}`;
  const e = err as NodeJS.ErrnoException;
  if (typeof e.code === "string" && e.code.startsWith("Z_")) {
    const what = e.code === "Z_BUF_ERROR" ? "truncated gzip" : "corrupt gzip";
    return `${what}: ${e.message} (after ${compressed} compressed bytes)`;
  }
  if (e.code === "ERR_BUFFER_TOO_LARGE")
    return `inflates to more than ${MAX_INFLATED_SMALL >> 20} MiB from ${compressed} bytes (a gzip bomb?): not read`;
  if (e.code === "ENOENT") return "cannot read: no such file";
  if (e.code === "EISDIR") return "cannot read: is a folder";
  if (e.code === "EACCES") return "cannot read: permission denied";
  return `cannot read: ${e.message ?? String(err)}`;
}

/** The records of some inputs, as an async iterable that also reports what was skipped. */
export interface TrailReader extends AsyncIterable<CloudTrailRecord> {
  /** Files and parts of files that could not be read (filled while iterating). */
  readonly skipped: Skipped[];
  /** Files read (known once iteration started). */
  files: number;
}

/** Whether this module runs from built JavaScript (workers need it). */
export function workersAvailable(): boolean {
  return import.meta.url.endsWith(".js");
}

/** How many workers to use for these files under these options. */
export function workerCount(files: TrailFile[], opts: ReadOptions): number {
  if (!workersAvailable() || files.some((f) => f.path === "-")) return 0;
  if (opts.workers !== undefined) return Math.max(0, Math.min(opts.workers, files.length));
  const bytes = files.reduce((n, f) => n + Math.max(0, f.size), 0);
  if (files.length < 4 && bytes < 8 << 20) return 0;
  return Math.max(0, Math.min(availableParallelism(), files.length, 8));
}

/**
 * Read CloudTrail records from files, folders (S3 layout pruned by `since`/`until`/`regions`) and `-`.
 * Iterate the result; `skipped` lists what could not be read. Records from several workers arrive in no
 * particular order across files.
 */
export function readTrail(paths: string[], opts: ReadOptions = {}): TrailReader {
  const skipped: Skipped[] = [];
  const reader: TrailReader = {
    skipped,
    files: 0,
    async *[Symbol.asyncIterator]() {
      const files = await expandInputs(paths, opts, skipped);
      reader.files = files.length;
      const filter = filterOf(opts);
      const n = workerCount(files, opts);
      const progress = progressOf(files, opts);
      if (n > 0) {
        const { poolRecords } = await import("./pool.js");
        for await (const batch of poolRecords(files, filter, n, skipped, progress)) yield* batch;
        return;
      }
      for (const file of files) {
        const it = fileRecords(file, { filter, skipped });
        for await (const batch of it) yield* batch;
        progress?.(1);
      }
    },
  };
  return reader;
}

/** A per-file callback (`done(files)`) that reports progress as files read of all files, or undefined. */
export function progressOf(files: TrailFile[], opts: ReadOptions): ((nFiles: number) => void) | undefined {
  const cb = opts.onProgress;
  if (!cb) return undefined;
  let done = 0;
  return (n) => {
    done += n;
    cb(done, files.length);
  };
}

export { isRecord };
