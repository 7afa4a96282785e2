// The DuckDB side of the `trail` benchmark: the same counts as `authdoctor trail summary` over the same .json.gz
// files, with DuckDB's read_json (one scan, GROUPING SETS). Prints a JSON object shaped like the summary: every
// breakdown the summary prints, failures by event and by principal included.
// Needs `npm install --prefix bench/tmp @duckdb/node-api` (a comparison only, never a dependency).
// Usage: node bench/trail-duckdb.mjs DIR
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { DuckDBInstance } = await import(
  resolve(root, "bench/tmp/node_modules/@duckdb/node-api/lib/index.js")
);
const dir = process.argv[2];
const glob = `${dir.replace(/\/$/, "")}/**/*.json.gz`.replace(/'/g, "''");
const RECORD =
  'STRUCT(eventTime VARCHAR, eventSource VARCHAR, eventName VARCHAR, awsRegion VARCHAR, userAgent VARCHAR, errorCode VARCHAR, errorMessage VARCHAR, userIdentity STRUCT(arn VARCHAR, invokedBy VARCHAR, "type" VARCHAR))[]';
const sql = `
WITH e AS (
  SELECT unnest(Records) AS r
  FROM read_json('${glob}', columns = {Records: '${RECORD}'}, format = 'auto', compression = 'gzip',
                 maximum_object_size = 268435456)
), f AS (
  SELECT r.eventTime AS t, coalesce(r.eventSource, '(none)') AS s, coalesce(r.eventName, '(none)') AS n,
         coalesce(r.awsRegion, '(none)') AS g, coalesce(r.userAgent, '(none)') AS a,
         coalesce(r.errorCode, CASE WHEN r.errorMessage IS NOT NULL THEN '(no errorCode)' END) AS c,
         coalesce(r.userIdentity.arn, r.userIdentity.invokedBy, '(' || r.userIdentity."type" || ')', '(none)') AS p
  FROM e
)
SELECT GROUPING(c, s, n, g, a, p) AS gid, c, s, n, g, a, p, count(*)::BIGINT AS k, count(c)::BIGINT AS fails,
       min(t) AS first, max(t) AS last
FROM f GROUP BY GROUPING SETS ((c), (s), (n), (g), (a), (p), (s, n), ())`;
const t0 = performance.now();
const db = await DuckDBInstance.create(":memory:");
const con = await db.connect();
const rows = (await con.runAndReadAll(sql)).getRowObjects();
const out = {
  events: 0,
  failures: 0,
  byErrorCode: {},
  byEventSource: {},
  byEventName: {},
  byPrincipal: {},
  byRegion: {},
  byUserAgent: {},
  failuresByEvent: {},
  failuresByPrincipal: {},
  firstSeen: null,
  lastSeen: null,
  seconds: 0,
};
// GROUPING bits, highest first: c s n g a p; a column is grouped when its bit is 0
const sets = {
  31: ["byErrorCode", "c"],
  47: ["byEventSource", "s"],
  55: ["byEventName", "n"],
  59: ["byRegion", "g"],
  61: ["byUserAgent", "a"],
  62: ["byPrincipal", "p"],
};
for (const r of rows) {
  const gid = Number(r.gid);
  if (gid === 63) {
    out.events = Number(r.k);
    out.failures = Number(r.fails);
    out.firstSeen = r.first;
    out.lastSeen = r.last;
  } else if (gid === 39) {
    // (s, n): failures per `eventSource eventName`, as the summary keys them
    if (Number(r.fails) > 0) out.failuresByEvent[`${r.s} ${r.n}`] = Number(r.fails);
  } else if (sets[gid]) {
    const [name, col] = sets[gid];
    if (r[col] !== null) out[name][r[col]] = Number(r.k);
    if (gid === 62 && r.p !== null && Number(r.fails) > 0) out.failuresByPrincipal[r.p] = Number(r.fails);
  }
}
out.seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify(out));
