// Athena's CloudTrail table on DuckDB, for testing the generated SQL without AWS.
//
// The table: the columns of the CloudTrail table in the Athena docs
// (https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html), Hive types
// written as DuckDB's (STRING -> VARCHAR, STRUCT<a: T> -> STRUCT(a T), MAP<K,V> -> MAP(K, V), ARRAY<T> -> T[]),
// plus its partition columns: `timestamp` (projection, `yyyy/MM/dd`) or region/year/month/day. Rows are loaded
// the way the Hive JSON SerDe reads a record: keys matched case-insensitively, a nested object under a STRING
// column (requestParameters, responseElements, additionalEventData...) kept as its JSON text.
//
// The Trino-function shim (everything else the generated SQL uses is the same in DuckDB):
//   regexp_like(s, p)  -> regexp_matches(s, p)     (Trino: true when p matches anywhere in s; DuckDB: the same)
//   json_extract_scalar(j, p) -> json_extract_string(j, p)   (a string member of JSON text by a `$.key` path;
//                                Trino gives NULL for a non-scalar member, DuckDB its JSON text: the SQL only
//                                reads string members)
// `split_part` and `nullif` are the same in both.
// `grouping(...)`, `regexp_replace`, `coalesce`, `count(x)`, `||`, GROUPING SETS behave alike in both.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CloudTrailRecord } from "../../src/trail/types.js";

export const ATHENA_COLUMNS: [string, string][] = [
  ["eventversion", "VARCHAR"],
  [
    "useridentity",
    `STRUCT(type VARCHAR, principalid VARCHAR, arn VARCHAR, accountid VARCHAR, invokedby VARCHAR,
      accesskeyid VARCHAR, username VARCHAR, onbehalfof STRUCT(userid VARCHAR, identitystorearn VARCHAR),
      sessioncontext STRUCT(attributes STRUCT(mfaauthenticated VARCHAR, creationdate VARCHAR),
        sessionissuer STRUCT(type VARCHAR, principalid VARCHAR, arn VARCHAR, accountid VARCHAR, username VARCHAR),
        ec2roledelivery VARCHAR,
        webidfederationdata STRUCT(federatedprovider VARCHAR, attributes MAP(VARCHAR, VARCHAR))))`,
  ],
  ["eventtime", "VARCHAR"],
  ["eventsource", "VARCHAR"],
  ["eventname", "VARCHAR"],
  ["awsregion", "VARCHAR"],
  ["sourceipaddress", "VARCHAR"],
  ["useragent", "VARCHAR"],
  ["errorcode", "VARCHAR"],
  ["errormessage", "VARCHAR"],
  ["requestparameters", "VARCHAR"],
  ["responseelements", "VARCHAR"],
  ["additionaleventdata", "VARCHAR"],
  ["requestid", "VARCHAR"],
  ["eventid", "VARCHAR"],
  ["readonly", "VARCHAR"],
  ["resources", "STRUCT(arn VARCHAR, accountid VARCHAR, type VARCHAR)[]"],
  ["eventtype", "VARCHAR"],
  ["apiversion", "VARCHAR"],
  ["recipientaccountid", "VARCHAR"],
  ["serviceeventdetails", "VARCHAR"],
  ["sharedeventid", "VARCHAR"],
  ["vpcendpointid", "VARCHAR"],
  ["vpcendpointaccountid", "VARCHAR"],
  ["eventcategory", "VARCHAR"],
  [
    "addendum",
    "STRUCT(reason VARCHAR, updatedfields VARCHAR, originalrequestid VARCHAR, originaleventid VARCHAR)",
  ],
  ["sessioncredentialfromconsole", "VARCHAR"],
  ["edgedevicedetails", "VARCHAR"],
  ["tlsdetails", "STRUCT(tlsversion VARCHAR, ciphersuite VARCHAR, clientprovidedhostheader VARCHAR)"],
];

const STRING_COLUMNS = new Set(ATHENA_COLUMNS.filter(([, t]) => t === "VARCHAR").map(([n]) => n));

/** A record as the Hive JSON SerDe hands it to the table: lower-case keys, objects under STRING columns as text. */
function serdeRow(r: CloudTrailRecord, partition: Record<string, string>): Record<string, unknown> {
  const lower = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(lower);
    if (typeof v !== "object" || v === null) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toLowerCase(), lower(x)]));
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    const key = k.toLowerCase();
    if (STRING_COLUMNS.has(key)) {
      out[key] = v === null || v === undefined ? null : typeof v === "string" ? v : JSON.stringify(v);
    } else out[key] = lower(v);
  }
  return { ...out, ...partition };
}

interface Connection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRowObjectsJson(): Record<string, unknown>[] }>;
}

/** A DuckDB connection with the shim, or null when @duckdb/node-api is not installed. */
export async function openDuckDb(): Promise<Connection | null> {
  let mod: typeof import("@duckdb/node-api");
  try {
    mod = await import("@duckdb/node-api");
  } catch {
    return null;
  }
  const db = await mod.DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  await conn.run("CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)");
  await conn.run("CREATE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)");
  return conn as unknown as Connection;
}

/**
 * Create `db.table` with Athena's CloudTrail columns and the partitioning asked for, and load the records
 * (partition values from each event's time and region, as CloudTrail's S3 layout files them).
 */
export async function loadAthenaTable(
  conn: Connection,
  table: string,
  records: CloudTrailRecord[],
  partitioning: "projection" | "partitions",
): Promise<void> {
  const [schema] = table.split(".");
  await conn.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const parts: [string, string][] =
    partitioning === "projection"
      ? [["timestamp", "VARCHAR"]]
      : [
          ["region", "VARCHAR"],
          ["year", "VARCHAR"],
          ["month", "VARCHAR"],
          ["day", "VARCHAR"],
        ];
  const cols = [...ATHENA_COLUMNS, ...parts];
  await conn.run(`CREATE TABLE ${table} (${cols.map(([n, t]) => `"${n}" ${t}`).join(", ")})`);
  const dir = mkdtempSync(join(tmpdir(), "authdoctor-athena-"));
  try {
    const file = join(dir, "rows.jsonl");
    const lines = records.map((r) => {
      const t = typeof r.eventTime === "string" ? r.eventTime : "1970-01-01T00:00:00Z";
      const [y, m, d] = [t.slice(0, 4), t.slice(5, 7), t.slice(8, 10)];
      const p: Record<string, string> =
        partitioning === "projection"
          ? { timestamp: `${y}/${m}/${d}` }
          : { region: String(r.awsRegion ?? ""), year: y, month: m, day: d };
      return JSON.stringify(serdeRow(r, p));
    });
    writeFileSync(file, `${lines.join("\n")}\n`);
    const spec = cols.map(([n, t]) => `'${n}': '${t.replace(/\s+/g, " ")}'`).join(", ");
    await conn.run(
      `INSERT INTO ${table} SELECT ${cols.map(([n]) => `"${n}"`).join(", ")} FROM read_json('${file}', format = 'newline_delimited', columns = {${spec}})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Run a query and return its rows with every value as text (as Athena and Lake return them). */
export async function textRows(conn: Connection, sql: string): Promise<Record<string, string | null>[]> {
  const res = await conn.runAndReadAll(sql);
  return res
    .getRowObjectsJson()
    .map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [
          k,
          v === null || v === undefined ? null : typeof v === "string" ? v : JSON.stringify(v),
        ]),
      ),
    );
}
