// Push-down SQL generation: names validated, literals quoted, one SELECT, pruning present; the scan estimate.
import { describe, expect, it } from "vitest";
import { estimateAthena } from "../../src/trail/pushdown/run.js";
import {
  isSelectOnly,
  kindCondition,
  lit,
  parseAthenaTable,
  parseEventDataStore,
  QueryNameError,
  recordsSql,
  summarySql,
  windowConditions,
} from "../../src/trail/pushdown/sql.js";

const day = (s: string) => Date.parse(s);

describe("names and literals", () => {
  it("accepts DATABASE.TABLE and event data store ids or ARNs; refuses anything else", () => {
    expect(parseAthenaTable("Security.CloudTrail_Logs")).toBe('"security"."cloudtrail_logs"');
    expect(
      parseEventDataStore("arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-f852-4e8f"),
    ).toBe("EXAMPLE-f852-4e8f");
    for (const bad of ["logs", "a.b.c", 'a."b"', "a.b;drop table x", "a.b --", ""])
      expect(() => parseAthenaTable(bad)).toThrow(QueryNameError);
    for (const bad of ["x y", "id;DELETE", "'"])
      expect(() => parseEventDataStore(bad)).toThrow(QueryNameError);
    expect(lit("it's")).toBe("'it''s'");
  });

  it("refuses a region that is not a region name (no literal injection)", () => {
    const t = { engine: "athena" as const, table: '"a"."b"', partitioning: "partitions" as const };
    expect(() => windowConditions(t, { regions: ["us-east-1' OR '1'='1"] })).toThrow(QueryNameError);
  });
});

describe("generated SQL", () => {
  const proj = { engine: "athena" as const, table: '"sec"."logs"', partitioning: "projection" as const };
  const parts = { engine: "athena" as const, table: '"sec"."logs"', partitioning: "partitions" as const };
  const lake = { engine: "lake" as const, eventDataStore: "EXAMPLE-1234" };
  const w = {
    since: day("2025-05-11T22:30:00Z"),
    until: day("2025-05-12T09:30:00Z"),
    regions: ["eu-west-1"],
  };

  it("is one SELECT for every analysis and engine", () => {
    for (const t of [proj, parts, lake]) {
      for (const sql of [
        summarySql(t, w),
        recordsSql(t, w),
        recordsSql(t, w, ["failure", "change", "denied"]),
      ])
        expect(isSelectOnly(sql)).toBe(true);
    }
    expect(isSelectOnly("SELECT 1; DROP TABLE x")).toBe(false);
    expect(isSelectOnly("CREATE TABLE x AS SELECT 1")).toBe(false);
    expect(isSelectOnly("SELECT 'DROP TABLE x'")).toBe(true);
  });

  it("prunes partitions by the window's days (plus the delivery hour) and regions", () => {
    const p = windowConditions(proj, w);
    expect(p).toContain(`"timestamp" >= '2025/05/11'`);
    expect(p).toContain(`"timestamp" <= '2025/05/12'`);
    expect(p).toContain("eventtime >= '2025-05-11T22:30:00Z'");
    expect(p).toContain("awsregion IN ('eu-west-1')");
    const q = windowConditions(parts, w).join(" ");
    expect(q).toContain(
      "(year = '2025' AND month = '05' AND day = '11') OR (year = '2025' AND month = '05' AND day = '12')",
    );
    expect(q).toContain("region IN ('eu-west-1')");
    const late = windowConditions(parts, {
      since: day("2025-05-11T10:00:00Z"),
      until: day("2025-05-11T23:30:00Z"),
    });
    expect(late.join(" ")).toContain("day = '12'");
    expect(windowConditions(lake, w)).toContain("eventTime >= '2025-05-11 22:30:00'");
  });

  it("selects Lambda's versioned change names and ConsoleLogin failures", () => {
    const c = kindCondition(proj, ["change", "failure"]);
    expect(c).toContain("regexp_replace(eventname, '[0-9]{8}(v[0-9]+)?$', '')");
    expect(c).toContain("'AddPermission'");
    expect(c).toContain("eventname = 'ConsoleLogin'");
  });
});

describe("scan estimate", () => {
  it("prorates the table's size statistics over the projected days", () => {
    const e = estimateAthena(
      { totalSize: "100000000000", "projection.timestamp.range": "2025/01/01,2025/04/10" },
      { since: day("2025-04-01T00:00:00Z"), until: day("2025-04-10T00:00:00Z") },
    );
    expect(e.estimate).toBeGreaterThan(9e9);
    expect(e.estimate).toBeLessThan(11.5e9);
  });

  it("says it is unknown without statistics", () => {
    const e = estimateAthena({}, {});
    expect(e.estimate).toBeUndefined();
    expect(e.how).toMatch(/not known/);
  });
});
