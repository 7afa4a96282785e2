import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvParser, type CsvProblem, parseCsv } from "../../src/trail/csv.js";
import { CsvRecordReader, looksLikeCsv, mapHeader, rowToRecord } from "../../src/trail/csv-records.js";
import { IGNORED_NAME } from "../../src/trail/files.js";
import { parseLiteral } from "../../src/trail/literal.js";
import { readTrail } from "../../src/trail/read.js";
import { summarizeTrail } from "../../src/trail/summarize-files.js";
import type { CloudTrailRecord, Skipped } from "../../src/trail/types.js";
import { describeShared } from "../support/shared-data.js";
import { dataDir, naiveCsvRows } from "./helpers.js";

const HONEY = join(dataDir, "otrf-security-datasets", "AWS_S3_HoneyBucketLogs.csv");

const fieldsOf = (text: string | Buffer) => parseCsv(text).rows.map((r) => r.fields);

async function collect(paths: string[], opts = {}) {
  const r = readTrail(paths, { workers: 0, ...opts });
  const records: CloudTrailRecord[] = [];
  for await (const x of r) records.push(x);
  return { records, skipped: r.skipped, files: r.files };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "trail-csv-"));
}

/** RFC 4180 text of some rows: every field quoted (so an empty one-field row is not a blank line). */
function toCsv(rows: string[][], eol: string): string {
  return rows.map((r) => r.map((f) => `"${f.replaceAll('"', '""')}"`).join(",")).join(eol) + eol;
}

describe("CSV parser", () => {
  it("reads quoted fields, doubled quotes and commas inside quotes", () => {
    expect(fieldsOf('a,b,c\n1,"x, ""y""",""\n')).toEqual([
      ["a", "b", "c"],
      ["1", 'x, "y"', ""],
    ]);
  });

  it("keeps newlines inside quotes and counts lines and bytes across them", () => {
    const { rows, problems } = parseCsv('h1,h2\r\n"line1\r\nline2",x\r\nnext,"a\nb"\nlast,row');
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { fields: ["h1", "h2"], line: 1, byte: 0 },
      { fields: ["line1\r\nline2", "x"], line: 2, byte: 7 },
      { fields: ["next", "a\nb"], line: 4, byte: 25 },
      { fields: ["last", "row"], line: 6, byte: 36 },
    ]);
  });

  it("accepts CRLF, LF and CR line ends, ignores blank lines, needs no final line end", () => {
    for (const eol of ["\r\n", "\n", "\r"]) {
      expect(fieldsOf(`a,b${eol}${eol}1,2${eol}3,4`)).toEqual([
        ["a", "b"],
        ["1", "2"],
        ["3", "4"],
      ]);
    }
    expect(fieldsOf("")).toEqual([]);
    expect(fieldsOf(",\n")).toEqual([["", ""]]);
  });

  it("skips a UTF-8 BOM (byte offsets still count it)", () => {
    const { rows } = parseCsv("\uFEFFeventName,x\nGetObject,1\n");
    expect(rows[0]).toEqual({ fields: ["eventName", "x"], line: 1, byte: 3 });
    expect(rows[1]!.byte).toBe(15);
  });

  it("is lenient where RFC 4180 can only fail: a quote inside a field, text after a closing quote", () => {
    expect(fieldsOf('a"b,"c"d\n')).toEqual([['a"b', "cd"]]);
  });

  it("reports an unterminated quote at the end with the line and byte of the opening quote", () => {
    const { rows, problems } = parseCsv('a,b\n1,2\n3,"open\n4,5\n');
    expect(rows.map((r) => r.fields)).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(problems).toEqual([
      { line: 3, byte: 10, reason: expect.stringMatching(/^unterminated quoted field/) },
    ]);
  });

  it("stops at a row longer than the limit instead of holding the input", () => {
    const rows: string[][] = [];
    const problems: CsvProblem[] = [];
    const p = new CsvParser(
      (f) => rows.push(f),
      (x) => problems.push(x),
      64,
    );
    p.push(Buffer.from(`a,b\n"${"x".repeat(40)}`));
    p.push(Buffer.from("y".repeat(40)));
    p.push(Buffer.from('",1\n2,3\n'));
    p.end();
    expect(rows).toEqual([["a", "b"]]);
    expect(problems).toEqual([{ line: 2, byte: 4, reason: expect.stringMatching(/runs over 64 bytes/) }]);
  });

  it("gives the same rows whatever the chunk boundaries (property, RFC 4180 round trip)", () => {
    const field = fc.string({ unit: fc.constantFrom("a", "é", "😀", ",", '"', "\r", "\n", " ") });
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { maxLength: 6 }),
        fc.constantFrom("\r\n", "\n", "\r"),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        (rows, eol, cuts, bom) => {
          const bytes = Buffer.from((bom ? "\uFEFF" : "") + toCsv(rows, eol));
          const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const got: string[][] = [];
          const p = new CsvParser(
            (f) => got.push(f),
            () => got.push(["problem"]),
          );
          let prev = 0;
          for (const c of [...at, bytes.length]) {
            p.push(bytes.subarray(prev, c));
            prev = c;
          }
          p.end();
          expect(got).toEqual(rows);
          expect(fieldsOf(bytes)).toEqual(rows);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never throws on random text or bytes (property)", () => {
    const text = fc.string({ unit: fc.constantFrom("a", ",", '"', "\r", "\n", "\uFEFF", "{", "'", "é") });
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
        ),
        (input) => {
          const { rows, problems } = parseCsv(input);
          for (const r of rows) expect(r.line).toBeGreaterThanOrEqual(1);
          expect(problems.length).toBeLessThanOrEqual(1);
          const skipped: Skipped[] = [];
          const reader = new CsvRecordReader(
            "f.csv",
            () => false,
            () => {},
            skipped,
          );
          reader.push(typeof input === "string" ? Buffer.from(`eventName,userIdentity\n${input}`) : input);
          reader.finish(true);
          for (const s of skipped) expect(s.reason).toMatch(/\S/);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("cells holding JSON or Python reprs", () => {
  it("reads dicts, lists, tuples, strings with escapes, True/False/None and numbers", () => {
    expect(
      parseLiteral("{'type': 'AWSAccount', 'principalId': '', 'accountId': 'ANONYMOUS_PRINCIPAL'}"),
    ).toEqual({
      type: "AWSAccount",
      principalId: "",
      accountId: "ANONYMOUS_PRINCIPAL",
    });
    expect(
      parseLiteral(`{'a': [1, -2.5, True, False, None], "b": ('x',), 'c': 'it\\'s \\n\\x41\\d'}`),
    ).toEqual({
      a: [1, -2.5, true, false, null],
      b: ["x"],
      c: "it's \nA\\d",
    });
    expect(parseLiteral('{"json": true}')).toEqual({ json: true });
    expect(parseLiteral("['\\U0001F600 \\u00e9', '\\/']")).toEqual(["😀 é", "/"]);
    expect(parseLiteral("{'__proto__': 1}")).toEqual(JSON.parse('{"__proto__": 1}'));
  });

  it("reads back any value written as a Python repr (property)", () => {
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.string(),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie("value"), { maxKeys: 4 }),
      ),
    }));
    const pyStr = (x: string) =>
      `'${x.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n").replace(/\r/g, "\\r")}'`;
    const repr = (v: unknown): string => {
      if (v === null) return "None";
      if (v === true) return "True";
      if (v === false) return "False";
      if (typeof v === "string") return pyStr(v);
      if (typeof v === "number") return String(v);
      if (Array.isArray(v)) return `[${v.map(repr).join(", ")}]`;
      return `{${Object.entries(v as object)
        .map(([k, x]) => `${pyStr(k)}: ${repr(x)}`)
        .join(", ")}}`;
    };
    fc.assert(
      fc.property(value, (v) => {
        expect(parseLiteral(repr(v))).toEqual(v);
      }),
      { numRuns: 300 },
    );
  });

  it("gives undefined for anything else, deep nesting included, and never throws", () => {
    for (const bad of ["", "{'a': 1", "{'a' 1}", "datetime.datetime(2020, 1, 1)", "{'a': 1} x", "'open"])
      expect(parseLiteral(bad)).toBeUndefined();
    expect(parseLiteral(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).toBeUndefined();
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("{", "}", "[", "]", "'", '"', ":", ",", "\\", "T", "1", " ") }),
        (s) => {
          parseLiteral(s);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("CSV columns to CloudTrail fields", () => {
  it("matches header names case- and space-insensitively, field names and export column names alike", () => {
    const header = [
      "Event name",
      "EVENT SOURCE",
      "Event time",
      "AWS region",
      "Error code",
      "Error message",
      "Source IP address",
      "User agent",
      "AWS access key",
      "Event ID",
      "Request ID",
      "event_type",
      "User name",
      "Resources",
      "Read-only",
      "Resource type",
    ];
    const cols = mapHeader(header)!;
    const rec = rowToRecord(cols, [
      "PutObject",
      "s3.amazonaws.com",
      "2024-01-01T00:00:00Z",
      "eu-west-1",
      "AccessDenied",
      "denied",
      "203.0.113.9",
      "aws-cli/2",
      "AKIAIOSFODNN7EXAMPLE",
      "e-1",
      "r-1",
      "AwsApiCall",
      "alice",
      '[{"resourceType": "AWS::S3::Object", "resourceName": "b/k"}]',
      "false",
      "AWS::S3::Object",
    ]);
    expect(rec).toEqual({
      eventName: "PutObject",
      eventSource: "s3.amazonaws.com",
      eventTime: "2024-01-01T00:00:00Z",
      awsRegion: "eu-west-1",
      errorCode: "AccessDenied",
      errorMessage: "denied",
      sourceIPAddress: "203.0.113.9",
      userAgent: "aws-cli/2",
      eventID: "e-1",
      requestID: "r-1",
      eventType: "AwsApiCall",
      resources: [{ resourceType: "AWS::S3::Object", resourceName: "b/k" }],
      readOnly: false,
      "Resource type": "AWS::S3::Object",
      userIdentity: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", userName: "alice" },
    });
  });

  it("takes a full record from a `CloudTrail event` column; other columns only fill what it lacks", () => {
    const cols = mapHeader(["Event name", "CloudTrail event", "AWS region"])!;
    const inner = { eventName: "GetObject", eventTime: "2024-01-01T00:00:00Z", awsRegion: "us-east-1" };
    expect(rowToRecord(cols, ["Ignored", JSON.stringify(inner), "eu-west-1"])).toEqual(inner);
  });

  it("keeps an object field's cell as text under its column name when it is no object; empty cells are absent", () => {
    const cols = mapHeader(["eventName", "userIdentity", "User ID", "errorCode", "readOnly"])!;
    expect(rowToRecord(cols, ["X", "not a dict", "also not", "", "maybe"])).toEqual({
      eventName: "X",
      "userIdentity (text)": "not a dict",
      "User ID": "also not",
      "readOnly (text)": "maybe",
    });
    expect(rowToRecord(cols, ["", "", "", "", ""])).toBeNull();
    expect(mapHeader(["name", "time"])).toBeNull();
  });

  it("sets eventSource s3.amazonaws.com only when the request went to an S3 endpoint host", () => {
    const cols = mapHeader(["Event Name", "Request Parameters"])!;
    const src = (params: string) => rowToRecord(cols, ["HeadBucket", params])!.eventSource;
    expect(src("{'bucketName': 'b', 'Host': 'b.s3.amazonaws.com'}")).toBe("s3.amazonaws.com");
    expect(src("{'Host': 'My.Bucket.s3-eu-west-1.amazonaws.com'}")).toBe("s3.amazonaws.com");
    expect(src("{'Host': 's3.dualstack.us-gov-west-1.amazonaws.com'}")).toBe("s3.amazonaws.com");
    expect(src("{'bucketName': 'b'}")).toBeUndefined();
    expect(src("{'Host': 'b.s3-website-us-east-1.amazonaws.com'}")).toBeUndefined();
    expect(src("{'Host': 'ap-111122223333.s3-object-lambda.us-east-1.amazonaws.com'}")).toBeUndefined();
    expect(src("{'Host': 's3.amazonaws.com.evil.example'}")).toBeUndefined();
    expect(src("{'Host': 'sqs.us-east-1.amazonaws.com'}")).toBeUndefined();
  });

  it("recognises a CSV file by its first line", () => {
    expect(looksLikeCsv(Buffer.from("\uFEFFEvent Type,Event Name\nx,y"))).toBe(true);
    expect(looksLikeCsv(Buffer.from('"eventname",b\r\n'))).toBe(true);
    expect(looksLikeCsv(Buffer.from("name,time\n"))).toBe(false);
    expect(looksLikeCsv(Buffer.from('{"eventName": "x"}'))).toBe(false);
    expect(looksLikeCsv(Buffer.from("this is not json"))).toBe(false);
  });
});

describeShared("data/cloudtrail/otrf-security-datasets", "the OTRF honey-bucket CSV export", () => {
  it("is read completely: 301 records, counts by eventName match an independent count", async () => {
    const rows = naiveCsvRows(readFileSync(HONEY, "utf8"));
    const want: Record<string, number> = {};
    for (const r of rows) want[r["Event Name"]!] = (want[r["Event Name"]!] ?? 0) + 1;
    expect(rows).toHaveLength(301);
    expect(want).toEqual({ HeadBucket: 159, ListObjects: 138, PutObject: 4 });

    const { records, skipped } = await collect([HONEY]);
    expect(skipped).toEqual([]);
    expect(records).toHaveLength(301);
    const got: Record<string, number> = {};
    for (const r of records) got[r.eventName!] = (got[r.eventName!] ?? 0) + 1;
    expect(got).toEqual(want);
    // every row's cells land in the record: ids, times, addresses, the Python-dict identity and parameters
    expect(records.map((r) => r.eventID)).toEqual(rows.map((r) => r["Event ID"]));
    expect(records.map((r) => r.eventTime)).toEqual(rows.map((r) => r["Event DateTime"]));
    expect(records.map((r) => r.sourceIPAddress)).toEqual(rows.map((r) => r["Source IP"]));
    expect(records.every((r) => r.userIdentity?.type === "AWSAccount")).toBe(true);
    expect(records.filter((r) => r.userIdentity?.accountId === "ANONYMOUS_PRINCIPAL")).toHaveLength(
      rows.filter((r) => r["User ID"]!.includes("'ANONYMOUS_PRINCIPAL'")).length,
    );
    expect(records.every((r) => r.requestParameters?.bucketName === "microsoft-devtest")).toBe(true);
    expect(records.every((r) => r.eventSource === "s3.amazonaws.com")).toBe(true);
    expect(records.filter((r) => r.userAgent === undefined)).toHaveLength(
      rows.filter((r) => r["Request User Agent"] === "").length,
    );
    expect(records[0]).toMatchObject({ "Repeated Attempts": "4", eventType: "AwsApiCall" });

    const s = await summarizeTrail([HONEY], { workers: 0 });
    expect(s).toMatchObject({ events: 301, failures: 0, skipped: [] });
    expect(s.byEventName).toEqual(want);
    expect(s.byEventSource).toEqual({ "s3.amazonaws.com": 301 });
    expect(s.firstSeen).toBe("2020-02-11T03:33:11Z");
    expect(s.lastSeen).toBe("2022-02-18T17:34:57Z");
  });

  it("keeps rows in the --since/--until window and drops the rest", async () => {
    const rows = naiveCsvRows(readFileSync(HONEY, "utf8"));
    const in2021 = rows.filter((r) => r["Event DateTime"]!.startsWith("2021-")).length;
    const { records } = await collect([HONEY], {
      since: "2021-01-01T00:00:00Z",
      until: "2021-12-31T23:59:59Z",
    });
    expect(records).toHaveLength(in2021);
    expect(in2021).toBe(183);
  });
});

const HEADER = "eventTime,eventName,eventSource,awsRegion,errorCode,userIdentity";
const row = (i: number, extra = "") =>
  `2024-01-01T00:0${i % 10}:00Z,GetObject,s3.amazonaws.com,us-east-1,${extra},"{'type': 'IAMUser', 'arn': 'arn:aws:iam::111122223333:user/u${i}'}"`;

describe("CSV files among trail inputs", () => {
  it("reads .csv and .csv.gz in folders, a CSV with another name by its header, UTF-16 and CRLF", async () => {
    const d = tmp();
    writeFileSync(join(d, "a.csv"), `${HEADER}\r\n${row(1)}\r\n${row(2, "AccessDenied")}\r\n`);
    writeFileSync(join(d, "b.csv.gz"), gzipSync(`${HEADER}\n${row(3)}\n`));
    writeFileSync(join(d, "c.csv"), Buffer.from(`\uFEFF${HEADER}\n${row(4)}\n`, "utf16le"));
    writeFileSync(join(d, "d.log"), `${HEADER}\n${row(5)}\n`);
    writeFileSync(join(d, "e.txt"), `${HEADER}\n${row(6)}\n`); // not picked up from a folder
    const { records, skipped, files } = await collect([d]);
    // not read from a folder, but named as ignored
    expect(skipped).toEqual([{ file: join(d, "e.txt"), reason: IGNORED_NAME }]);
    expect(files).toBe(4);
    expect(records.map((r) => r.eventTime).sort()).toEqual(
      [1, 2, 3, 4, 5].map((i) => `2024-01-01T00:0${i}:00Z`),
    );
    expect(records.find((r) => r.errorCode)?.userIdentity?.arn).toBe("arn:aws:iam::111122223333:user/u2");
    const named = await collect([join(d, "e.txt")]);
    expect(named.records).toHaveLength(1);
    const s = await summarizeTrail([d], { workers: 0 });
    expect(s).toMatchObject({ events: 5, failures: 1, byErrorCode: { AccessDenied: 1 } });
    expect(s.byPrincipal["arn:aws:iam::111122223333:user/u4"]).toBe(1);
    // the raw-text filter applies to a CSV row's record too
    const failed = await collect([d], { mustContain: ['"errorCode"'] });
    expect(failed.records.map((r) => r.errorCode)).toEqual(["AccessDenied"]);
  });

  it("reads a file named .csv that holds JSON as JSON", async () => {
    const d = tmp();
    const rec = { eventName: "GetObject", eventTime: "2024-01-01T00:00:00Z", awsRegion: "us-east-1" };
    writeFileSync(join(d, "wrong-name.csv"), JSON.stringify({ Records: [rec] }));
    const { records, skipped } = await collect([d]);
    expect(skipped).toEqual([]);
    expect(records).toEqual([rec]);
  });

  it("reports ragged rows, rows without an event name, a bad header and an unterminated quote; reads the rest", async () => {
    const d = tmp();
    writeFileSync(
      join(d, "1-ragged.csv"),
      `${HEADER}\n${row(1)}\n1,2,3\n${row(2)}\n,,,,,\n${row(3)},extra\n`,
    );
    writeFileSync(join(d, "2-header.csv"), "name,time\nx,y\n");
    writeFileSync(join(d, "3-open.csv"), `${HEADER}\n${row(4)}\n2024,"Get\n1,2\n`);
    writeFileSync(join(d, "4-empty.csv"), "");
    writeFileSync(join(d, "5-only-header.csv"), `${HEADER}\n`);
    const { records, skipped } = await collect([d]);
    const why = Object.fromEntries(skipped.map((k) => [k.file.split("/").pop(), k.reason]));
    expect(why["1-ragged.csv"]).toBe(
      `CSV row at line 3 (byte ${HEADER.length + 1 + row(1).length + 1}): 3 fields where the header has 6 (and 2 more bad rows)`,
    );
    expect(why["2-header.csv"]).toMatch(/^no CloudTrail records: the CSV header names no event name column/);
    expect(why["3-open.csv"]).toMatch(
      new RegExp(
        `^CSV line 3 \\(byte ${HEADER.length + 1 + row(4).length + 1 + 5}\\): unterminated quoted field`,
      ),
    );
    expect(why["4-empty.csv"]).toBe("empty file");
    expect(why["5-only-header.csv"]).toBeUndefined();
    expect(records.map((r) => r.eventTime).sort()).toEqual([1, 2, 4].map((i) => `2024-01-01T00:0${i}:00Z`));
  });

  it("streams a large .csv.gz; a cut one keeps its complete rows and reports the cut", async () => {
    const d = tmp();
    const { randomBytes } = await import("node:crypto");
    const lines = [HEADER];
    for (let i = 0; i < 40_000; i++) lines.push(row(i, randomBytes(24).toString("hex")));
    const gz = gzipSync(`${lines.join("\n")}\n`);
    expect(gz.length).toBeGreaterThan(1 << 20);
    writeFileSync(join(d, "big.csv.gz"), gz);
    writeFileSync(join(d, "cut.csv.gz"), gz.subarray(0, gz.length - 2000));
    const whole = await collect([join(d, "big.csv.gz")]);
    expect(whole.skipped).toEqual([]);
    expect(whole.records).toHaveLength(40_000);
    expect((await summarizeTrail([join(d, "big.csv.gz")], { workers: 0 })).failures).toBe(40_000);
    const cut = await collect([join(d, "cut.csv.gz")]);
    expect(cut.records.length).toBeGreaterThan(39_000);
    expect(cut.records.length).toBeLessThan(40_000);
    // no partial last row: every record read is one of the rows written, whole
    const written = new Set(lines.slice(1).map((l) => l.split(",")[4]));
    expect(cut.records.every((r) => written.has(r.errorCode))).toBe(true);
    expect(cut.skipped).toHaveLength(1);
    expect(cut.skipped[0]!.reason).toMatch(/^truncated gzip: /);
  });

  it("random bytes in a .csv file give records or skipped entries, never a throw (property)", async () => {
    const d = tmp();
    const good = Buffer.from(`${HEADER}\n${row(1)}\n${row(2)}\n`);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
          fc.nat({ max: good.length }).map((k) => good.subarray(0, k)),
          fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
            const c = Buffer.from(good);
            c[i] = b;
            return c;
          }),
        ),
        async (bytes) => {
          const f = join(d, `f${n++}.csv`);
          writeFileSync(f, bytes);
          const { records, skipped } = await collect([f]);
          expect(records.length).toBeLessThanOrEqual(2);
          for (const s of skipped) expect(s.reason).toMatch(/\S/);
        },
      ),
      { numRuns: 150 },
    );
  });
});
