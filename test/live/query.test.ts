// Athena and CloudTrail Lake queries against the fake endpoint: the calls made, paging, the scan guard, the audit.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LiveRefusedError } from "../../src/live/allowlist.js";
import type { LiveContext } from "../../src/live/call.js";
import { createReadOnlyClient, makeCommand } from "../../src/live/clients.js";
import { athenaTable, QueryFailedError, type QueryRow, runAthena, runLake } from "../../src/live/query.js";
import { summarySql } from "../../src/trail/pushdown/sql.js";
import { FAKE, FakeAws, json } from "./fake-aws.js";

const fake = new FakeAws();
let url = "";
beforeAll(async () => {
  url = await fake.start();
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

function ctx(): LiveContext {
  return {
    credentials: async () => ({ accessKeyId: FAKE.accessKeyId, secretAccessKey: FAKE.secretAccessKey }),
    timeoutMs: 2000,
    maxAttempts: 1,
    endpointOverride: url,
    audit: [],
    exchanges: [],
  };
}

const header = { Data: [{ VarCharValue: "g" }, { VarCharValue: "src" }, { VarCharValue: "n" }] };
const cols = { ColumnInfo: [{ Name: "g" }, { Name: "src" }, { Name: "n" }] };

describe("Athena", () => {
  it("reads the table's partition keys", async () => {
    fake.on(
      "athena:GetTableMetadata",
      json({
        TableMetadata: {
          Name: "logs",
          PartitionKeys: [{ Name: "timestamp" }],
          Parameters: { totalSize: "5" },
        },
      }),
    );
    const c = ctx();
    const t = await athenaTable(c, "us-east-1", "sec", "logs");
    expect(t.partitionKeys).toEqual(["timestamp"]);
    expect(fake.seen[0]!.params).toMatchObject({ DatabaseName: "sec", TableName: "logs" });
    expect(c.audit.map((a) => a.operation)).toEqual(["athena:GetTableMetadata"]);
  });

  it("starts the SELECT, waits, pages through the rows (header row dropped) and audits every call", async () => {
    fake
      .on("athena:StartQueryExecution", json({ QueryExecutionId: "q-1" }))
      .on(
        "athena:GetQueryExecution",
        json({ QueryExecution: { Status: { State: "RUNNING" }, Statistics: { DataScannedInBytes: 10 } } }),
        json({
          QueryExecution: { Status: { State: "SUCCEEDED" }, Statistics: { DataScannedInBytes: 2048 } },
        }),
      )
      .on(
        "athena:GetQueryResults",
        json({
          NextToken: "t2",
          ResultSet: {
            ResultSetMetadata: cols,
            Rows: [
              header,
              {
                Data: [{ VarCharValue: "31" }, { VarCharValue: "iam.amazonaws.com" }, { VarCharValue: "3" }],
              },
            ],
          },
        }),
        json({
          ResultSet: {
            ResultSetMetadata: cols,
            Rows: [{ Data: [{ VarCharValue: "63" }, {}, { VarCharValue: "3" }] }],
          },
        }),
      );
    const c = ctx();
    const rows: QueryRow[] = [];
    const sql = summarySql(
      { engine: "athena", table: '"sec"."logs"', partitioning: "projection" },
      { since: 0 },
    );
    const res = await runAthena(c, sql, {
      region: "eu-west-1",
      workgroup: "wg",
      outputLocation: "s3://bucket/prefix/",
      pollMs: 1,
      onRows: (r) => rows.push(...r),
    });
    expect(res).toEqual({ queryId: "q-1", bytesScanned: 2048, rows: 2 });
    expect(rows).toEqual([
      { g: "31", src: "iam.amazonaws.com", n: "3" },
      { g: "63", src: null, n: "3" },
    ]);
    const start = fake.seen.find((s) => s.route === "athena:StartQueryExecution")!;
    expect(start.params).toMatchObject({
      QueryString: sql,
      WorkGroup: "wg",
      ResultConfiguration: { OutputLocation: "s3://bucket/prefix/" },
    });
    expect(fake.seen.filter((s) => s.route === "athena:GetQueryResults")[1]!.params).toMatchObject({
      NextToken: "t2",
    });
    expect(c.audit.map((a) => a.operation)).toEqual([
      "athena:StartQueryExecution",
      "athena:GetQueryExecution",
      "athena:GetQueryExecution",
      "athena:GetQueryResults",
      "athena:GetQueryResults",
    ]);
  });

  it("stops its query once it scans past the limit", async () => {
    fake
      .on("athena:StartQueryExecution", json({ QueryExecutionId: "q-2" }))
      .on(
        "athena:GetQueryExecution",
        json({ QueryExecution: { Status: { State: "RUNNING" }, Statistics: { DataScannedInBytes: 5e9 } } }),
      )
      .on("athena:StopQueryExecution", json({}));
    const c = ctx();
    await expect(
      runAthena(c, "SELECT 1", { region: "us-east-1", maxScanBytes: 1e9, pollMs: 1, onRows: () => {} }),
    ).rejects.toThrow(QueryFailedError);
    expect(fake.seen.find((s) => s.route === "athena:StopQueryExecution")!.params).toEqual({
      QueryExecutionId: "q-2",
    });
    expect(fake.count("athena:GetQueryResults")).toBe(0);
  });

  it("a failed query is an error with Athena's reason", async () => {
    fake
      .on("athena:StartQueryExecution", json({ QueryExecutionId: "q-3" }))
      .on(
        "athena:GetQueryExecution",
        json({ QueryExecution: { Status: { State: "FAILED", StateChangeReason: "TABLE_NOT_FOUND" } } }),
      );
    await expect(
      runAthena(ctx(), "SELECT 1", { region: "us-east-1", pollMs: 1, onRows: () => {} }),
    ).rejects.toThrow(/TABLE_NOT_FOUND/);
  });

  it("anything but the query operations is refused before it is sent", async () => {
    const client = await createReadOnlyClient("athena", {
      region: "us-east-1",
      credentials: async () => ({ accessKeyId: FAKE.accessKeyId, secretAccessKey: FAKE.secretAccessKey }),
      endpoint: url,
      timeoutMs: 1000,
      maxAttempts: 1,
    });
    try {
      await expect(
        client.send(await makeCommand("athena", "DeleteWorkGroup", { WorkGroup: "x" })),
      ).rejects.toThrow(LiveRefusedError);
      expect(fake.seen).toHaveLength(0);
    } finally {
      client.destroy();
    }
  });
});

describe("CloudTrail Lake", () => {
  it("starts the query, waits, pages the rows and merges each row's cells", async () => {
    fake
      .on("cloudtrail:StartQuery", json({ QueryId: "lq-1" }))
      .on(
        "cloudtrail:DescribeQuery",
        json({ QueryStatus: "RUNNING" }),
        json({ QueryStatus: "FINISHED", QueryStatistics: { BytesScanned: 777 } }),
      )
      .on(
        "cloudtrail:GetQueryResults",
        json({
          NextToken: "n",
          QueryStatus: "FINISHED",
          QueryResultRows: [[{ g: "31" }, { src: "kms.amazonaws.com" }]],
        }),
        json({ QueryStatus: "FINISHED", QueryResultRows: [[{ g: "63" }, { n: "9" }]] }),
      );
    const c = ctx();
    const rows: QueryRow[] = [];
    const res = await runLake(c, "SELECT eventName FROM eds", {
      region: "us-east-1",
      pollMs: 1,
      onRows: (r) => rows.push(...r),
    });
    expect(res).toEqual({ queryId: "lq-1", bytesScanned: 777, rows: 2 });
    expect(rows).toEqual([
      { g: "31", src: "kms.amazonaws.com" },
      { g: "63", n: "9" },
    ]);
    expect(fake.seen[0]!.params).toEqual({ QueryStatement: "SELECT eventName FROM eds" });
    expect(c.audit.map((a) => a.operation)).toContain("cloudtrail:DescribeQuery");
  });

  it("cancels its query past the scan limit", async () => {
    fake
      .on("cloudtrail:StartQuery", json({ QueryId: "lq-2" }))
      .on(
        "cloudtrail:DescribeQuery",
        json({ QueryStatus: "RUNNING", QueryStatistics: { BytesScanned: 3e9 } }),
      )
      .on("cloudtrail:CancelQuery", json({ QueryId: "lq-2", QueryStatus: "CANCELLED" }));
    await expect(
      runLake(ctx(), "SELECT 1", { region: "us-east-1", maxScanBytes: 1e9, pollMs: 1, onRows: () => {} }),
    ).rejects.toThrow(/cancelled Lake query lq-2/);
    expect(fake.count("cloudtrail:CancelQuery")).toBe(1);
  });
});
