// CloudTrail records from CSV exports (console downloads, Athena/Lake query results, SIEM exports): header names
// matched to CloudTrail fields, object cells (JSON or Python reprs) parsed, bad rows reported with their position.

import { CsvParser, type CsvProblem } from "./csv.js";
import { parseLiteral } from "./literal.js";
import { toRecord } from "./normalize.js";
import type { CloudTrailRecord, Skipped } from "./types.js";

/** Where a column's cells go in a record. */
type Target =
  | { kind: "string" | "object" | "bool"; field: string }
  | { kind: "identity"; field: string }
  | { kind: "record" }
  | { kind: "extra"; field: string };

/** A header name the way it is matched: lower case, without spaces, underscores and hyphens. */
export function headerKey(name: string): string {
  return name
    .replace(/^\uFEFF/, "")
    .toLowerCase()
    .replace(/[\s_-]+/g, "");
}

const STRING_FIELDS = [
  "eventVersion",
  "eventTime",
  "eventSource",
  "eventName",
  "awsRegion",
  "sourceIPAddress",
  "userAgent",
  "errorCode",
  "errorMessage",
  "requestID",
  "eventID",
  "eventType",
  "recipientAccountId",
  "sharedEventID",
  "vpcEndpointId",
  "apiVersion",
  "eventCategory",
  "sessionCredentialFromConsole",
];
/** Fields that are objects (or, for `resources`, arrays) in CloudTrail (docs/aws-facts.md §6.1). */
const OBJECT_FIELDS = [
  "userIdentity",
  "requestParameters",
  "responseElements",
  "additionalEventData",
  "resources",
  "tlsDetails",
  "serviceEventDetails",
  "addendum",
];
const BOOL_FIELDS = ["readOnly", "managementEvent"];
const IDENTITY_FIELDS = ["type", "principalId", "arn", "accountId", "accessKeyId", "userName", "invokedBy"];

/** Header keys (see headerKey) of the common export column names, besides the CloudTrail field names. */
const ALIASES: Record<string, Target> = {
  eventdatetime: { kind: "string", field: "eventTime" },
  region: { kind: "string", field: "awsRegion" },
  sourceip: { kind: "string", field: "sourceIPAddress" },
  requestuseragent: { kind: "string", field: "userAgent" },
  userid: { kind: "object", field: "userIdentity" },
  awsaccesskey: { kind: "identity", field: "accessKeyId" },
  accesskey: { kind: "identity", field: "accessKeyId" },
  username: { kind: "identity", field: "userName" },
  cloudtrailevent: { kind: "record" },
};

const COLUMNS: Map<string, Target> = (() => {
  const m = new Map<string, Target>();
  for (const f of STRING_FIELDS) m.set(headerKey(f), { kind: "string", field: f });
  for (const f of OBJECT_FIELDS) m.set(headerKey(f), { kind: "object", field: f });
  for (const f of BOOL_FIELDS) m.set(headerKey(f), { kind: "bool", field: f });
  for (const f of IDENTITY_FIELDS) m.set(`useridentity.${headerKey(f)}`, { kind: "identity", field: f });
  m.set("accesskeyid", { kind: "identity", field: "accessKeyId" });
  for (const [k, t] of Object.entries(ALIASES)) m.set(k, t);
  return m;
})();

/** One column of a CSV export: its header text and where its cells go. */
export interface Column {
  name: string;
  to: Target;
}

/** What each column of a CSV header holds; null when no column names the event (not a CloudTrail export). */
export function mapHeader(header: string[]): Column[] | null {
  const columns = header.map((h): Column => {
    const name = h.replace(/^\uFEFF/, "").trim();
    return { name, to: COLUMNS.get(headerKey(h)) ?? { kind: "extra", field: name } };
  });
  return namesEvent(header) ? columns : null;
}

/** Whether a header line (one CSV row) names an event-name column. */
function namesEvent(fields: string[]): boolean {
  return fields.some((f) => {
    const t = COLUMNS.get(headerKey(f));
    return t !== undefined && (t.kind === "record" || (t.kind === "string" && t.field === "eventName"));
  });
}

/** Whether `buf` (UTF-8) starts with a CSV header line naming an event-name column. Reads at most 64 KB. */
export function looksLikeCsv(buf: Buffer): boolean {
  const start = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const c = buf[start];
  if (c === undefined || c === 0x7b || c === 0x5b || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)
    return false;
  const limit = Math.min(buf.length, start + (64 << 10));
  let end = start;
  while (end < limit && buf[end] !== 0x0a && buf[end] !== 0x0d) end++;
  if (end === limit && limit < buf.length) return false;
  let found = false;
  const p = new CsvParser(
    (fields) => {
      found ||= namesEvent(fields);
    },
    () => {},
  );
  p.push(buf.subarray(start, end));
  p.end();
  return found;
}

/** `s3.amazonaws.com` and its Regional, dual-stack, FIPS, legacy dash-Region and virtual-hosted bucket forms. */
const S3_HOST_RE =
  /^(?:[a-z0-9.-]+\.)?s3(?:-fips|-external-1)?(?:[.-](?:dualstack|fips|[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d))*\.amazonaws\.com(?:\.cn)?(?::\d+)?$/i;

/**
 * A request sent to an S3 API endpoint is an S3 event: CloudTrail's eventSource is the service's host,
 * `s3.amazonaws.com` for every S3 endpoint (docs/aws-facts.md §6.1). Undefined when the host names no S3 endpoint.
 */
function sourceFromHost(rec: CloudTrailRecord): string | undefined {
  const host =
    rec.requestParameters?.Host ?? rec.requestParameters?.host ?? rec.tlsDetails?.clientProvidedHostHeader;
  return typeof host === "string" && S3_HOST_RE.test(host) ? "s3.amazonaws.com" : undefined;
}

/** `o[k] = v` as a plain own property, even for a column named `__proto__`. */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__")
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** A cell that does not fit its field's type, kept as text under its column's name (never under the field's). */
function setText(rec: Record<string, unknown>, name: string, field: string, cell: string): void {
  const k = headerKey(name) === headerKey(field) ? `${name} (text)` : name;
  if (rec[k] === undefined) setOwn(rec, k, cell);
}

/** The record one row holds (null when it names no event). Empty cells are absent fields. */
export function rowToRecord(columns: Column[], cells: string[]): CloudTrailRecord | null {
  let rec: Record<string, unknown> = {};
  const identity: [string, string][] = [];
  for (let i = 0; i < columns.length; i++) {
    if (columns[i]!.to.kind !== "record") continue;
    const cell = cells[i];
    if (!cell) continue;
    try {
      const r = toRecord(parseLiteral(cell));
      if (r) rec = r;
    } catch {
      // a CloudTrailEvent string inside that is not JSON: the other columns still make a record
    }
  }
  for (let i = 0; i < columns.length; i++) {
    const t = columns[i]!.to;
    const cell = cells[i];
    if (cell === undefined || cell === "" || t.kind === "record") continue;
    if (t.kind === "identity") {
      identity.push([t.field, cell]);
      continue;
    }
    if (rec[t.field] !== undefined) continue;
    if (t.kind === "string" || t.kind === "extra") setOwn(rec, t.field, cell);
    else if (t.kind === "object") {
      const v = parseLiteral(cell);
      // an object field whose cell is no object stays text, under the column's own name
      if (typeof v === "object" && v !== null) setOwn(rec, t.field, v);
      else setText(rec, columns[i]!.name, t.field, cell);
    } else {
      const b = cell.trim().toLowerCase();
      if (b === "true" || b === "false") setOwn(rec, t.field, b === "true");
      else setText(rec, columns[i]!.name, t.field, cell);
    }
  }
  if (identity.length > 0) {
    let u = rec.userIdentity as Record<string, unknown> | undefined;
    if (typeof u !== "object" || u === null || Array.isArray(u)) {
      u = {};
      rec.userIdentity = u;
    }
    for (const [k, v] of identity) if (u[k] === undefined) setOwn(u, k, v);
  }
  if (typeof rec.eventName !== "string" || rec.eventName === "") return null;
  const r = rec as CloudTrailRecord;
  if (r.eventSource === undefined) {
    const s = sourceFromHost(r);
    if (s) r.eventSource = s;
  }
  return r;
}

/**
 * Reads one CSV file pushed in chunks of UTF-8 bytes: the first row is the header, each later row a record.
 * Problems go to `skipped` once per file: the first with its line and byte, and how many more there were.
 */
export class CsvRecordReader {
  /** Rows read as records. */
  records = 0;
  private columns: Column[] | null = null;
  private noHeader = false;
  private bad = 0;
  private firstBad = "";
  private readonly parser: CsvParser;

  constructor(
    private readonly file: string,
    /** Whether the bytes are the inflated content of a gzip file (positions then say so). */
    private readonly gz: () => boolean,
    private readonly onRecord: (r: CloudTrailRecord) => void,
    private readonly skipped: Skipped[],
  ) {
    this.parser = new CsvParser(
      (fields, line, byte) => this.row(fields, line, byte),
      (p) => this.problem(p),
    );
  }

  push(b: Buffer): void {
    if (!this.noHeader) this.parser.push(b);
  }

  /** The input is complete (`flush`: its last row is read) or cut (the last, partial row is dropped). */
  finish(flush: boolean): void {
    if (flush && !this.noHeader) this.parser.end();
    if (this.bad > 0) {
      this.skipped.push({
        file: this.file,
        reason: this.bad > 1 ? `${this.firstBad} (and ${this.bad - 1} more bad rows)` : this.firstBad,
      });
    }
  }

  private where(line: number, byte: number): string {
    return `line ${line} (byte ${byte}${this.gz() ? " of the uncompressed data" : ""})`;
  }

  private problem(p: CsvProblem): void {
    this.skipped.push({ file: this.file, reason: `CSV ${this.where(p.line, p.byte)}: ${p.reason}` });
  }

  private badRow(line: number, byte: number, why: string): void {
    if (this.bad++ === 0) this.firstBad = `CSV row at ${this.where(line, byte)}: ${why}`;
  }

  private row(fields: string[], line: number, byte: number): void {
    if (this.noHeader) return;
    if (this.columns === null) {
      this.columns = mapHeader(fields);
      if (this.columns === null) {
        this.noHeader = true;
        this.skipped.push({
          file: this.file,
          reason:
            "no CloudTrail records: the CSV header names no event name column (`eventName`, `Event name`)",
        });
      }
      return;
    }
    if (fields.length !== this.columns.length) {
      this.badRow(line, byte, `${fields.length} fields where the header has ${this.columns.length}`);
      return;
    }
    const rec = rowToRecord(this.columns, fields);
    if (rec === null) {
      this.badRow(line, byte, "no event name");
      return;
    }
    this.records++;
    this.onRecord(rec);
  }
}
