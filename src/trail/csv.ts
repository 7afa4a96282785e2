// A streaming RFC 4180 CSV parser over UTF-8 bytes: quoted fields, doubled quotes, CRLF/LF/CR line ends, newlines
// inside quotes, a UTF-8 BOM. Never throws on bad input: problems are reported with their line and byte offset.

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** A problem in the input: where it is (1-based line, 0-based byte offset) and what it is. */
export interface CsvProblem {
  line: number;
  byte: number;
  reason: string;
}

/** Called for each row with its fields, the line it starts on (1-based) and its byte offset. */
export type CsvRowHandler = (fields: string[], line: number, byte: number) => void;

/** Rows longer than this (bytes) stop the parse: an unterminated quote would otherwise hold the whole input. */
export const MAX_ROW_BYTES = 16 << 20;

/**
 * Push UTF-8 bytes in chunks of any size, then call `end()`. Each complete row goes to `onRow`; a blank line
 * is no row. Lenient where RFC 4180 leaves no choice but failing: a quote inside an unquoted field and text after
 * a closing quote are kept as characters. An unterminated quoted field at the end of the input, or a row over
 * `maxRow` bytes, is reported to `onProblem` and ends the parse (the bytes after it are not rows).
 */
export class CsvParser {
  /** Unparsed bytes: the current row from its start. */
  private buf: Buffer = Buffer.alloc(0);
  /** Absolute byte offset of buf[0]. */
  private base = 0;
  /** Start of the current row in `buf`. */
  private pos = 0;
  /** Where scanning resumes in `buf`. */
  private at = 0;
  private fieldStart = 0;
  private fields: string[] = [];
  private inQuotes = false;
  /** Index of the opening quote of the current field, -1 when it is not quoted. */
  private quoteOpen = -1;
  private quoteLine = 0;
  /** Index of the closing quote of the current quoted field, -1 while it is open. */
  private quoteClose = -1;
  /** Line at `pos` (1-based) and at the start of the current row. */
  private line = 1;
  private rowLine = 1;
  /** The previous chunk ended in CR: a LF starting the next one belongs to it. */
  private skipLf = false;
  private started = false;
  private stopped = false;

  constructor(
    private readonly onRow: CsvRowHandler,
    private readonly onProblem: (p: CsvProblem) => void,
    private readonly maxRow = MAX_ROW_BYTES,
  ) {}

  /** Parse the next bytes. */
  push(chunk: Buffer): void {
    if (this.stopped || chunk.length === 0) return;
    if (!this.started) {
      // the first three bytes decide whether there is a BOM, whatever the chunk sizes
      chunk = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
      this.buf = Buffer.alloc(0);
      if (chunk.length < 3) {
        this.buf = chunk;
        return;
      }
      this.started = true;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        chunk = chunk.subarray(3);
        this.base = 3;
      }
    }
    if (this.skipLf) {
      this.skipLf = false;
      if (chunk[0] === LF) {
        chunk = chunk.subarray(1);
        this.base++;
      }
    }
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    this.scan(false);
    // keep the current row only
    const k = this.pos;
    if (k > 0) {
      this.buf = this.buf.subarray(k);
      this.base += k;
      this.pos = 0;
      this.at -= k;
      this.fieldStart -= k;
      if (this.quoteOpen >= 0) this.quoteOpen -= k;
      if (this.quoteClose >= 0) this.quoteClose -= k;
    }
    if (this.buf.length > this.maxRow) {
      const q = this.inQuotes;
      this.stop(
        q ? this.quoteLine : this.rowLine,
        this.base + (q ? this.quoteOpen : 0),
        q
          ? `quoted field runs over ${this.maxRow} bytes without a closing quote: the rest is not read`
          : `row longer than ${this.maxRow} bytes: the rest is not read`,
      );
    }
  }

  /** The input is complete: flush the last row, report an unterminated quote. */
  end(): void {
    if (this.stopped) return;
    this.scan(true);
    if (this.inQuotes) {
      this.stop(
        this.quoteLine,
        this.base + this.quoteOpen,
        "unterminated quoted field: its row and the rest of the input are not read",
      );
      return;
    }
    const n = this.buf.length;
    if (this.fields.length > 0 || n > this.fieldStart) {
      this.endField(n);
      this.endRow();
    }
    this.stopped = true;
    this.buf = Buffer.alloc(0);
  }

  private stop(line: number, byte: number, reason: string): void {
    this.stopped = true;
    this.buf = Buffer.alloc(0);
    this.onProblem({ line, byte, reason });
  }

  /** Scan `buf` from `at`; rows found are emitted and `pos` moves to the start of the unfinished row. */
  private scan(final: boolean): void {
    const b = this.buf;
    const n = b.length;
    let i = this.at;
    while (i < n) {
      const c = b[i]!;
      if (this.inQuotes) {
        if (c === QUOTE) {
          if (i + 1 < n) {
            if (b[i + 1] === QUOTE) {
              i += 2;
              continue;
            }
          } else if (!final) break; // `"` or the first of `""`: the next chunk decides
          this.inQuotes = false;
          this.quoteClose = i;
        } else if (c === LF) this.line++;
        else if (c === CR) {
          if (i + 1 >= n && !final) break; // CR or CRLF: the next chunk decides
          if (b[i + 1] !== LF) this.line++;
        }
        i++;
        continue;
      }
      if (c === COMMA) {
        this.endField(i);
        this.fieldStart = i + 1;
      } else if (c === QUOTE && i === this.fieldStart) {
        this.inQuotes = true;
        this.quoteOpen = i;
        this.quoteLine = this.line;
      } else if (c === LF || c === CR) {
        if (this.fields.length > 0 || i > this.fieldStart) {
          this.endField(i);
          this.endRow();
        }
        if (c === CR) {
          if (i + 1 < n) {
            if (b[i + 1] === LF) i++;
          } else if (!final) this.skipLf = true;
        }
        this.line++;
        this.rowLine = this.line;
        this.fieldStart = i + 1;
        this.pos = i + 1;
      }
      i++;
    }
    this.at = i;
  }

  private endField(end: number): void {
    const b = this.buf;
    if (this.quoteOpen < 0) {
      this.fields.push(b.toString("utf8", this.fieldStart, end));
      return;
    }
    const close = this.quoteClose >= 0 ? this.quoteClose : end;
    let v = b.toString("utf8", this.quoteOpen + 1, close);
    if (v.includes('"')) v = v.replaceAll('""', '"');
    if (this.quoteClose >= 0 && this.quoteClose + 1 < end) v += b.toString("utf8", this.quoteClose + 1, end);
    this.fields.push(v);
    this.quoteOpen = -1;
    this.quoteClose = -1;
  }

  private endRow(): void {
    const fields = this.fields;
    this.fields = [];
    this.onRow(fields, this.rowLine, this.base + this.pos);
  }
}

/** A parsed row: its fields, the line it starts on (1-based) and its byte offset. */
export interface CsvRow {
  fields: string[];
  line: number;
  byte: number;
}

/** Parse a whole CSV text or buffer at once. */
export function parseCsv(input: string | Buffer): { rows: CsvRow[]; problems: CsvProblem[] } {
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  const p = new CsvParser(
    (fields, line, byte) => rows.push({ fields, line, byte }),
    (x) => problems.push(x),
  );
  p.push(typeof input === "string" ? Buffer.from(input, "utf8") : input);
  p.end();
  return { rows, problems };
}
