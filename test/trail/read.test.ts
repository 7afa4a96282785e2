import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readTrail } from "../../src/trail/read.js";
import { summarizeTrail } from "../../src/trail/summarize-files.js";
import type { CloudTrailRecord } from "../../src/trail/types.js";
import { describeShared } from "../support/shared-data.js";
import { dataDir, naiveCount } from "./helpers.js";

async function collect(
  paths: string[],
  opts = {},
): Promise<{ records: CloudTrailRecord[]; skipped: { file: string; reason: string }[]; files: number }> {
  const r = readTrail(paths, { workers: 0, ...opts });
  const records: CloudTrailRecord[] = [];
  for await (const x of r) records.push(x);
  return { records, skipped: r.skipped, files: r.files };
}

const SETS = [
  "invictus-aws-dataset",
  "stratus-red-team",
  "traildiscover",
  "otrf-security-datasets",
  "awsdocs-examples",
  "panther-analysis-tests",
];

describeShared("data/cloudtrail", "real CloudTrail sets are read completely", () => {
  for (const set of SETS) {
    it(`${set}: records and failures match an independent count`, async () => {
      const dir = join(dataDir, set);
      const want = naiveCount(dir);
      const { records, skipped } = await collect([dir]);
      expect(records.length).toBe(want.events);
      expect(records.filter((r) => r.errorCode || r.errorMessage !== undefined).length).toBe(want.failures);
      const s = await summarizeTrail([dir], { workers: 0 });
      expect(s.events).toBe(want.events);
      expect(s.failures).toBe(want.failures);
      // only the TrailDiscover catalog is reported, as not being a log; files not named like logs (LICENSE,
      // README.md) are named as ignored
      expect(
        skipped.filter((k) => !k.reason.startsWith("ignored:")).map((k) => k.file.split("/").pop()),
      ).toEqual(set === "traildiscover" ? ["events.json"] : []);
    });
  }

  it("matches the README figures", async () => {
    const inv = await summarizeTrail([join(dataDir, "invictus-aws-dataset")], { workers: 0 });
    expect(inv).toMatchObject({ files: 55, events: 2900, failures: 300, firstSeen: "2023-07-10T11:42:18Z" });
    expect(inv.byErrorCode.ThrottlingException).toBe(102);
    expect(inv.byErrorCode["Client.UnauthorizedOperation"]).toBe(44);
    const otrf = await collect([join(dataDir, "otrf-security-datasets")]);
    // 103 NDJSON events + 301 rows of the honey-bucket CSV export
    expect(otrf.records).toHaveLength(103 + 301);
    // Logstash NDJSON: no eventTime, @timestamp used instead; the CSV's `Event DateTime` column
    expect(otrf.records.every((r) => typeof r.eventTime === "string")).toBe(true);
  });
});

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "trail-test-"));
}

const REC = (i: number, extra: Record<string, unknown> = {}) => ({
  eventVersion: "1.08",
  userIdentity: {
    type: "IAMUser",
    arn: "arn:aws:iam::111122223333:user/alice",
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  },
  eventTime: `2024-01-01T00:0${i % 10}:00Z`,
  eventSource: "s3.amazonaws.com",
  eventName: "GetObject",
  awsRegion: "us-east-1",
  ...extra,
});

describe("every input shape", () => {
  it("reads Records files, arrays, single records, JSON Lines, lookup-events, Lake rows and wrappers", async () => {
    const d = tmp();
    writeFileSync(join(d, "a.json.gz"), gzipSync(JSON.stringify({ Records: [REC(1), REC(2)] })));
    writeFileSync(join(d, "b.json"), JSON.stringify([REC(3)], null, 2));
    writeFileSync(join(d, "c.json"), JSON.stringify(REC(4)));
    writeFileSync(
      join(d, "d.jsonl"),
      `${JSON.stringify(REC(5))}\n${JSON.stringify({ source: "x", event: REC(6) })}\n`,
    );
    const lookup = {
      Events: [{ EventId: "e1", EventName: "GetObject", CloudTrailEvent: JSON.stringify(REC(7)) }],
      NextToken: "t",
    };
    writeFileSync(join(d, "e.json"), JSON.stringify(lookup));
    const lake = {
      QueryStatus: "FINISHED",
      QueryResultRows: [
        [{ eventName: "GetObject" }, { eventTime: "2024-01-01T00:08:00Z" }, { awsRegion: "eu-west-1" }],
      ],
    };
    writeFileSync(join(d, "f.json"), JSON.stringify(lake));
    writeFileSync(
      join(d, "g.json"),
      JSON.stringify({ "detail-type": "AWS API Call via CloudTrail", detail: REC(9) }),
    );
    writeFileSync(
      join(d, "h.json"),
      `\uFEFF${JSON.stringify({ Records: [REC(0, { userAgent: 'say "hi"\\n' })] })}`,
    );
    // PowerShell 5 `>` writes UTF-16 LE with a BOM
    const utf16 = `\uFEFF${JSON.stringify([REC(1, { eventName: "Ünïcode" })])}`;
    writeFileSync(join(d, "i.json"), Buffer.from(utf16, "utf16le"));
    const { records, skipped, files } = await collect([d]);
    expect(files).toBe(9);
    expect(skipped).toEqual([]);
    expect(records.map((r) => r.eventTime).sort()).toEqual(
      [0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `2024-01-01T00:0${i}:00Z`),
    );
    expect(records.some((r) => r.eventName === "Ünïcode")).toBe(true);
    expect(records.find((r) => r.eventTime?.endsWith("00:00Z"))?.userAgent).toBe('say "hi"\\n');
    const s = await summarizeTrail([d], { workers: 0 });
    expect(s.events).toBe(11);
    expect(s.byUserAgent['say "hi"\\n']).toBe(1);
  });

  it("skips corrupt, truncated, empty and wrongly shaped files with reason and offset, reads the rest", async () => {
    const d = tmp();
    const good = gzipSync(JSON.stringify({ Records: [REC(1), REC(2), REC(3)] }));
    writeFileSync(join(d, "1-good.json.gz"), good);
    writeFileSync(join(d, "2-cut.json.gz"), good.subarray(0, Math.floor(good.length / 2)));
    const bad = Buffer.from(good);
    bad[20] = bad[20]! ^ 0xff;
    bad[21] = bad[21]! ^ 0xff;
    writeFileSync(join(d, "3-corrupt.json.gz"), bad);
    writeFileSync(join(d, "4-empty.json"), "");
    writeFileSync(join(d, "5-shape.json"), JSON.stringify({ hello: "world" }));
    writeFileSync(join(d, "6-truncated.json"), JSON.stringify({ Records: [REC(1), REC(2)] }).slice(0, -40));
    writeFileSync(join(d, "7-text.json"), "this is not json");
    writeFileSync(
      join(d, "8-badrecord.jsonl"),
      `${JSON.stringify(REC(1))}\n{"eventName": nope}\n${JSON.stringify(REC(2))}\n`,
    );
    writeFileSync(join(d, "9-empty-array.json"), "[]");
    const { records, skipped } = await collect([d, join(d, "missing.json")]);
    const why = Object.fromEntries(skipped.map((k) => [k.file.split("/").pop(), k.reason]));
    expect(why["missing.json"]).toMatch(/no such file/);
    expect(why["2-cut.json.gz"]).toMatch(/truncated|unexpected end/);
    expect(why["3-corrupt.json.gz"]).toMatch(/gzip|JSON/);
    expect(why["4-empty.json"]).toBe("empty file");
    expect(why["5-shape.json"]).toMatch(/no CloudTrail records/);
    expect(why["6-truncated.json"]).toMatch(/^truncated JSON .*at byte \d+/);
    expect(why["7-text.json"]).toMatch(/not CloudTrail JSON.* at byte 0/);
    expect(why["8-badrecord.jsonl"]).toMatch(/invalid JSON in a record at byte \d+/);
    expect(why["9-empty-array.json"]).toBeUndefined();
    // good file 3 + the truncated file's first complete record + the two good JSONL lines (+ what the cut gzip held)
    const fromGood = records.filter((r) => r.eventTime === "2024-01-01T00:03:00Z").length;
    expect(fromGood).toBeGreaterThanOrEqual(1);
    expect(records.length).toBeGreaterThanOrEqual(3 + 1 + 2);
  });

  it("prunes S3-layout folders and delivery files by time window and region before opening them", async () => {
    const d = tmp();
    const base = join(d, "AWSLogs", "111122223333", "CloudTrail");
    const put = (region: string, day: string, hhmm: string, time: string) => {
      const [y, m, dd] = day.split("-");
      const dir = join(base, region, y!, m!, dd!);
      mkdirSync(dir, { recursive: true });
      const name = `111122223333_CloudTrail_${region}_${y}${m}${dd}T${hhmm}Z_abcdefghijklmnop.json.gz`;
      writeFileSync(
        join(dir, name),
        gzipSync(JSON.stringify({ Records: [REC(0, { eventTime: time, awsRegion: region })] })),
      );
    };
    put("us-east-1", "2024-03-01", "1200", "2024-03-01T11:58:00Z");
    put("us-east-1", "2024-03-02", "1200", "2024-03-02T11:58:00Z");
    put("eu-west-1", "2024-03-02", "1205", "2024-03-02T12:01:00Z");
    put("us-east-1", "2024-03-03", "0010", "2024-03-02T23:59:00Z");
    mkdirSync(join(d, "AWSLogs", "111122223333", "CloudTrail-Digest"), { recursive: true });
    writeFileSync(join(d, "AWSLogs", "111122223333", "CloudTrail-Digest", "x.json.gz"), "not gzip");
    const all = await collect([d]);
    expect(all.files).toBe(4);
    const day2 = await collect([d], { since: "2024-03-02T00:00:00Z", until: "2024-03-02T23:59:59Z" });
    // the 03/03 file (delivered 00:10) holds an event of 03/02 and is kept; 03/01 is pruned
    expect(day2.files).toBe(3);
    expect(day2.records.map((r) => r.eventTime).sort()).toEqual([
      "2024-03-02T11:58:00Z",
      "2024-03-02T12:01:00Z",
      "2024-03-02T23:59:00Z",
    ]);
    const eu = await collect([d], { regions: ["eu-west-1"] });
    expect(eu.files).toBe(1);
    expect(eu.records).toHaveLength(1);
  });

  it("applies the raw-text filter before JSON.parse", async () => {
    const d = tmp();
    writeFileSync(
      join(d, "a.json"),
      JSON.stringify({ Records: [REC(1), REC(2, { errorCode: "AccessDenied" })] }),
    );
    const { records } = await collect([d], { mustContain: ['"errorCode"'] });
    expect(records.map((r) => r.errorCode)).toEqual(["AccessDenied"]);
  });
});

describe("the reader never crashes (property)", () => {
  it("random bytes, truncated gzip and truncated JSON give records or skipped entries, never a throw", async () => {
    const d = tmp();
    const good = Buffer.from(JSON.stringify({ Records: [REC(1), REC(2), REC(3)] }));
    const gz = gzipSync(good);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
          fc.nat({ max: gz.length }).map((k) => gz.subarray(0, k)),
          fc.nat({ max: good.length }).map((k) => good.subarray(0, k)),
          fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
            const c = Buffer.from(good);
            c[i] = b;
            return c;
          }),
        ),
        async (bytes) => {
          const f = join(d, `f${n++}.json`);
          writeFileSync(f, bytes);
          const { records, skipped } = await collect([f]);
          expect(records.length).toBeLessThanOrEqual(3);
          for (const s of skipped) expect(s.reason).toMatch(/\S/);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a JSON file cut anywhere keeps its complete records and reports the cut with a byte offset", async () => {
    const d = tmp();
    const good = Buffer.from(JSON.stringify({ Records: [REC(1), REC(2), REC(3)] }));
    const ends: number[] = [];
    for (let depth = 0, i = good.indexOf("{", 1); i < good.length; i++) {
      const c = good[i];
      if (c === 0x7b) depth++;
      else if (c === 0x7d && --depth === 0) ends.push(i + 1);
    }
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: good.length - 1 }), async (k) => {
        const f = join(d, `cut${n++}.json`);
        writeFileSync(f, good.subarray(0, k));
        const { records, skipped } = await collect([f]);
        expect(records.length).toBe(ends.filter((e) => e <= k).length);
        expect(skipped).toHaveLength(1);
        expect(skipped[0]!.reason).toMatch(/^truncated JSON.* at byte \d+$/);
      }),
      { numRuns: 100 },
    );
  });
});

describe("large files are streamed", () => {
  it("reads a multi-megabyte .json.gz in chunks, and keeps the records before a cut", async () => {
    const d = tmp();
    const { randomBytes } = await import("node:crypto");
    const recs = Array.from({ length: 30_000 }, (_, i) =>
      REC(i, { userAgent: randomBytes(48).toString("hex") }),
    );
    const gz = gzipSync(JSON.stringify({ Records: recs }));
    expect(gz.length).toBeGreaterThan(1 << 20);
    writeFileSync(join(d, "big.json.gz"), gz);
    writeFileSync(join(d, "big-cut.json.gz"), gz.subarray(0, gz.length - 1000));
    const whole = await collect([join(d, "big.json.gz")]);
    expect(whole.records).toHaveLength(30_000);
    expect(whole.skipped).toEqual([]);
    const s = await summarizeTrail([join(d, "big.json.gz")], { workers: 0 });
    expect(s.events).toBe(30_000);
    const cut = await collect([join(d, "big-cut.json.gz")]);
    expect(cut.records.length).toBeGreaterThan(29_000);
    expect(cut.records.length).toBeLessThan(30_000);
    expect(cut.skipped[0]!.reason).toMatch(/^truncated gzip: .*compressed bytes\)$/);
  });
});
