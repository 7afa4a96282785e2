import { execFileSync, spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { itShared } from "../support/shared-data.js";

const root = resolve(import.meta.dirname, "../..");
const data = resolve(root, "../shared/data/cloudtrail");
const bin = resolve(root, "dist/cli/bin.js");
/** The project's own CloudTrail fixtures (test/fixtures/cloudtrail/generate.mjs): S3 delivery files of two accounts. */
const fixtures = resolve(root, "test/fixtures/cloudtrail/delivery");

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("authdoctor trail (built CLI)", () => {
  itShared(
    "data/cloudtrail",
    "summary --json over the Invictus delivery files (read by worker threads)",
    () => {
      const out = execFileSync(
        process.execPath,
        [bin, "trail", "summary", resolve(data, "invictus-aws-dataset"), "--json"],
        {
          encoding: "utf8",
        },
      );
      const s = JSON.parse(out);
      expect(s).toMatchObject({
        schema: "authdoctor.trail-summary/v1",
        files: 55,
        events: 2900,
        failures: 300,
      });
      // the dataset's LICENSE is named as ignored (not a log by its name), nothing else is skipped
      expect(
        s.skipped.map((k: { file: string; reason: string }) => [
          k.file.split("/").pop(),
          k.reason.split(":")[0],
        ]),
      ).toEqual([["LICENSE", "ignored"]]);
      expect(s.byErrorCode.AccessDenied).toBe(16);
      expect(s.byPrincipal["arn:aws:iam::123837392027:user/bert-jan"]).toBeGreaterThan(0);
    },
  );

  itShared(
    "data/cloudtrail",
    "summary --json over the OTRF set reads its NDJSON and its CSV export, with and without workers",
    () => {
      const otrf = resolve(data, "otrf-security-datasets");
      for (const workers of ["0", "2"]) {
        const r = run(["trail", "summary", otrf, "--json", "--workers", workers]);
        expect(r.code).toBe(0);
        const s = JSON.parse(r.out);
        // 103 Logstash NDJSON events + 301 rows of AWS_S3_HoneyBucketLogs.csv
        expect(s).toMatchObject({ files: 2, events: 103 + 301, failures: 0 });
        // files whose names are not logs are named as ignored; none could not be read
        expect(s.skipped.filter((k: { reason: string }) => !k.reason.startsWith("ignored:"))).toEqual([]);
        // the CSV's S3 events: HeadBucket 159, ListObjects 138 (+7 in the NDJSON), PutObject 4
        expect(s.byEventName).toMatchObject({ HeadBucket: 159, ListObjects: 138 + 7, PutObject: 4 });
        expect(s.firstSeen).toBe("2020-02-11T03:33:11Z");
        expect(s.lastSeen).toBe("2022-02-18T17:34:57Z");
      }
    },
  );

  it("reads a CSV export from stdin, recognised by its header line", () => {
    const csv = [
      "Event Name,Event Source,Event time,AWS region,Error code,User name",
      "GetObject,s3.amazonaws.com,2024-01-01T00:00:00Z,us-east-1,AccessDenied,alice",
      'ListBuckets,s3.amazonaws.com,2024-01-01T00:01:00Z,us-east-1,,"bob, jr"',
    ].join("\r\n");
    const r = run(["trail", "summary", "-", "--json"], csv);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ events: 2, failures: 1, byErrorCode: { AccessDenied: 1 } });
  });

  itShared("data/cloudtrail", "same counts with and without workers", () => {
    const a = JSON.parse(
      run(["trail", "summary", resolve(data, "traildiscover"), "--json", "--workers", "0"]).out,
    );
    const b = JSON.parse(
      run(["trail", "summary", resolve(data, "traildiscover"), "--json", "--workers", "2"]).out,
    );
    expect(b.events).toBe(a.events);
    expect(b.byErrorCode).toEqual(a.byErrorCode);
    expect(a.events).toBe(563);
  });

  itShared(
    "data/cloudtrail",
    "sessions: the same JSON whether worker threads aggregate the files or not",
    () => {
      for (const set of ["traildiscover", "invictus-aws-dataset"]) {
        const a = run(["trail", "sessions", resolve(data, set), "--json", "--workers", "0"]).out;
        const b = run(["trail", "sessions", resolve(data, set), "--json", "--workers", "2"]).out;
        expect(JSON.parse(b).sessions.length).toBeGreaterThan(0);
        expect(b).toBe(a);
      }
    },
  );

  it("reads lookup-events output from stdin", () => {
    const ev = {
      eventTime: "2024-01-01T00:00:00Z",
      eventSource: "sts.amazonaws.com",
      eventName: "GetCallerIdentity",
      awsRegion: "us-east-1",
      errorCode: "AccessDenied",
    };
    const input = JSON.stringify({ Events: [{ EventId: "1", CloudTrailEvent: JSON.stringify(ev) }] });
    const r = run(["trail", "summary", "-", "--json"], input);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      files: 1,
      events: 1,
      failures: 1,
      byErrorCode: { AccessDenied: 1 },
    });
  });

  itShared("data/cloudtrail", "sessions, timeline, changes and explain print their schemas", () => {
    const docs = resolve(data, "awsdocs-examples");
    expect(JSON.parse(run(["trail", "sessions", docs, "--json"]).out).schema).toBe(
      "authdoctor.trail-sessions/v1",
    );
    const inv = resolve(data, "invictus-aws-dataset");
    const t = JSON.parse(
      run(["trail", "timeline", inv, "--around", "2023-07-10T11:55:00Z", "--window", "1m", "--json"]).out,
    );
    expect(t.schema).toBe("authdoctor.trail-timeline/v1");
    expect(t.entries.length).toBeGreaterThan(0);
    const c = JSON.parse(run(["trail", "changes", inv, "--json"]).out);
    expect(c.schema).toBe("authdoctor.trail-changes/v1");
    const e = JSON.parse(
      run(["trail", "explain", resolve(data, "stratus-red-team"), "--json", "--limit", "3"]).out,
    );
    expect(e).toMatchObject({ schema: "authdoctor.trail-explain/v1", denied: 51 });
    expect(e.explained).toHaveLength(3);
    const text = run(["trail", "sessions", docs]).out;
    expect(text).toMatch(/AssumeRoleWithSAML/);
    expect(text).not.toMatch(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/);
  });

  it("bad input: exit 2 with one line naming the input; a bad file among good ones is skipped and reported (exit 2 when named)", () => {
    const r = run(["trail", "summary", "/nonexistent/x.json.gz"]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/\/nonexistent\/x\.json\.gz: cannot read/);
    const t = run(["trail", "timeline", fixtures]);
    expect(t.code).toBe(2);
    // a named input that cannot be read: the rest is analysed and reported, then exit 2
    const mixed = run(["trail", "summary", fixtures, "/nonexistent/y.json", "--json"]);
    expect(mixed.code).toBe(2);
    expect(JSON.parse(mixed.out).skipped).toEqual([
      { file: "/nonexistent/y.json", reason: "cannot read: no such file or folder" },
    ]);
  });

  itShared("data/cloudtrail", "--region and --since/--until narrow what is counted", () => {
    const inv = resolve(data, "invictus-aws-dataset");
    const none = JSON.parse(run(["trail", "summary", inv, "--region", "eu-west-1", "--json"]).out);
    expect(none.events).toBe(0);
    const hour = JSON.parse(
      run([
        "trail",
        "summary",
        inv,
        "--since",
        "2023-07-10T12:00:00Z",
        "--until",
        "2023-07-10T12:09:59Z",
        "--json",
      ]).out,
    );
    expect(hour.events).toBeGreaterThan(0);
    expect(hour.events).toBeLessThan(2900);
    expect(hour.firstSeen >= "2023-07-10T12:00:00Z" && hour.lastSeen <= "2023-07-10T12:09:59Z").toBe(true);
    expect(run(["trail", "summary", inv, "--since", "yesterday-ish"]).code).toBe(2);
  });

  it("--help shows examples for each subcommand", () => {
    for (const sub of ["summary", "sessions", "timeline", "changes", "explain"]) {
      const r = run(["trail", sub, "--help"]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Examples:\n\s+\$ authdoctor trail/);
    }
  });
});

// The same paths on the project's own fixtures, so a clone without ../shared still runs every reader and analysis
// through the built CLI. Expected figures are counted independently in test/trail/fixtures.test.ts.
describe("authdoctor trail on the project's fixtures (built CLI)", () => {
  const dir = resolve(root, "test/fixtures/cloudtrail");
  it("summary reads S3 delivery .json.gz files of two accounts, the same with and without workers", () => {
    const a = JSON.parse(run(["trail", "summary", fixtures, "--json", "--workers", "0"]).out);
    const b = JSON.parse(run(["trail", "summary", fixtures, "--json", "--workers", "2"]).out);
    expect(a).toMatchObject({
      schema: "authdoctor.trail-summary/v1",
      files: 4,
      events: 16,
      failures: 7,
      skipped: [],
    });
    expect(b).toEqual(a);
    expect(a.byErrorCode).toEqual({
      AccessDenied: 4,
      AccessDeniedException: 1,
      "Client.RequestLimitExceeded": 1,
      "Client.UnauthorizedOperation": 1,
    });
  });

  it("reads JSON Lines, lookup-events output and a CSV export", () => {
    const lake = JSON.parse(run(["trail", "summary", resolve(dir, "lake.jsonl"), "--json"]).out);
    expect(lake).toMatchObject({ files: 1, events: 16, failures: 7 });
    const lookup = JSON.parse(run(["trail", "summary", resolve(dir, "lookup-events.json"), "--json"]).out);
    expect(lookup).toMatchObject({ files: 1, events: 7, failures: 3 });
    const csv = JSON.parse(run(["trail", "summary", resolve(dir, "export.csv"), "--json"]).out);
    expect(csv).toMatchObject({ files: 1, events: 7, failures: 3, byErrorCode: { AccessDenied: 3 } });
  });

  it("sessions, timeline, changes and explain print their schemas and the same sessions with and without workers", () => {
    const a = run(["trail", "sessions", fixtures, "--json", "--workers", "0"]).out;
    const b = run(["trail", "sessions", fixtures, "--json", "--workers", "2"]).out;
    expect(b).toBe(a);
    expect(JSON.parse(a).schema).toBe("authdoctor.trail-sessions/v1");
    const t = JSON.parse(
      run(["trail", "timeline", fixtures, "--around", "2025-05-12T09:01:00Z", "--window", "5m", "--json"])
        .out,
    );
    expect(t.schema).toBe("authdoctor.trail-timeline/v1");
    expect(t.entries.some((e: { eventName: string }) => e.eventName === "PutRolePolicy")).toBe(true);
    expect(JSON.parse(run(["trail", "changes", fixtures, "--json"]).out).schema).toBe(
      "authdoctor.trail-changes/v1",
    );
    const e = JSON.parse(run(["trail", "explain", fixtures, "--json"]).out);
    expect(e.schema).toBe("authdoctor.trail-explain/v1");
    expect(e.denied).toBeGreaterThanOrEqual(5);
    const text = run(["trail", "sessions", fixtures]).out;
    expect(text).toMatch(/AssumeRoleWithWebIdentity/);
    expect(text).not.toMatch(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/);
  });

  it("--region and --since/--until narrow what is counted", () => {
    const eu = JSON.parse(run(["trail", "summary", fixtures, "--region", "eu-west-1", "--json"]).out);
    expect(eu).toMatchObject({ events: 1, failures: 1 });
    const early = JSON.parse(
      run(["trail", "summary", fixtures, "--until", "2025-05-12T09:05:00Z", "--json"]).out,
    );
    expect(early.events).toBe(7);
  });
});
