// The trail query of `diagnose --athena/--lake`: window around the failure, region pruning, one SELECT, offline.
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/core/input-error.js";
import { diagnoseTrailSql } from "../../../src/diagnose/run.js";
import { trailQuerySql, trailQueryWindow } from "../../../src/diagnose/sources/trail.js";
import { isSelectOnly } from "../../../src/trail/pushdown/sql.js";

const at = Date.parse("2025-05-12T09:31:43Z");

describe("trailQueryWindow", () => {
  it("is 36 h before to 15 min after the failure, in its region and us-east-1", () => {
    const w = trailQueryWindow({ time: "2025-05-12T09:31:43Z", region: "eu-central-1" });
    expect(w.since).toBe(at - 36 * 3_600_000);
    expect(w.until).toBe(at + 15 * 60_000);
    expect(w.regions).toEqual(["eu-central-1", "us-east-1"]);
    expect(trailQueryWindow({ region: "us-east-1" }, at).regions).toEqual(["us-east-1"]);
  });

  it("without a time reads the last 7 days; without a (valid) region every region", () => {
    const w = trailQueryWindow({ region: "not a region" }, at);
    expect(w).toEqual({ since: at - 7 * 86_400_000 });
  });
});

describe("trailQuerySql", () => {
  const request = { time: "2025-05-12T09:31:43Z", region: "eu-central-1" };

  it("Athena: one SELECT of every record of the window, partition-pruned by day and by region", async () => {
    const sql = await trailQuerySql(
      { athena: "security.cloudtrail_logs", partitioning: "partitions" },
      request,
    );
    expect(isSelectOnly(sql.replace(/;$/, ""))).toBe(true);
    expect(sql).toContain('FROM "security"."cloudtrail_logs"');
    expect(sql).toContain("(year = '2025' AND month = '05' AND day = '10')");
    expect(sql).toContain("(year = '2025' AND month = '05' AND day = '12')");
    expect(sql).toContain("region IN ('eu-central-1', 'us-east-1')");
    expect(sql).toContain("eventtime >= '2025-05-10T21:31:43Z'");
    expect(sql).toContain("eventtime <= '2025-05-12T09:46:43Z'");
    // the sessions and the last success need every record, not only failures
    expect(sql).not.toContain("errorcode IN");
  });

  it("Lake: Trino time literals and camel-case columns", async () => {
    const sql = await trailQuerySql(
      { lake: "arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-f852" },
      request,
    );
    expect(sql).toContain("FROM EXAMPLE-f852");
    expect(sql).toContain("eventTime >= '2025-05-10 21:31:43'");
    expect(sql).toContain("awsRegion IN ('eu-central-1', 'us-east-1')");
  });

  it("bad names and options are input errors", async () => {
    await expect(trailQuerySql({ athena: "a.b;drop" }, request)).rejects.toBeInstanceOf(InputError);
    await expect(trailQuerySql({ lake: "x y" }, request)).rejects.toBeInstanceOf(InputError);
    await expect(trailQuerySql({ athena: "a.b", partitioning: "weird" }, request)).rejects.toBeInstanceOf(
      InputError,
    );
    await expect(trailQuerySql({ athena: "a.b", maxScanGb: "-1" }, request)).rejects.toBeInstanceOf(
      InputError,
    );
  });
});

describe("diagnoseTrailSql", () => {
  it("takes the window from the request the flags give, the text parsed alongside", async () => {
    const text =
      "An error occurred (AuthFailure) when calling the DescribeInstances operation: AWS was not able to validate the provided access credentials";
    const sql = await diagnoseTrailSql({
      text,
      request: {
        time: { value: "2024-10-15T06:42:19Z", origin: "flag", label: "--time" },
        region: { value: "ap-east-1", origin: "flag", label: "--region" },
      },
      trailQuery: { lake: "EXAMPLE-f852" },
    });
    expect(sql).toContain("eventTime >= '2024-10-13 18:42:19'");
    expect(sql).toContain("awsRegion IN ('ap-east-1', 'us-east-1')");
  });
});
