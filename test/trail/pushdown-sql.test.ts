// The SQL the push-down runs on Athena gives the local analyses' answers: run on DuckDB over the same logs loaded
// into Athena's CloudTrail table (test/support/athena-duckdb.ts: the table and the documented Trino shim).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ChangesAccumulator } from "../../src/trail/changes.js";
import { ExplainAccumulator } from "../../src/trail/explain.js";
import { rowToRecord, summaryStateOf } from "../../src/trail/pushdown/rows.js";
import { type QueryTarget, recordsSql, summarySql } from "../../src/trail/pushdown/sql.js";
import { readTrail } from "../../src/trail/read.js";
import { sessions } from "../../src/trail/sessions.js";
import { SummaryAccumulator, summarize } from "../../src/trail/summary.js";
import { timeline } from "../../src/trail/timeline.js";
import type { CloudTrailRecord, ReadOptions } from "../../src/trail/types.js";
import { loadAthenaTable, openDuckDb, textRows } from "../support/athena-duckdb.js";
import { dataDir } from "./helpers.js";

const invictus = join(dataDir, "invictus-aws-dataset/CloudTrail");
const docs = join(dataDir, "awsdocs-examples/doc_example_events.jsonl");
const inputs = [invictus, docs].filter((p) => existsSync(p));
const duck = await openDuckDb();

async function read(opts: ReadOptions = {}): Promise<CloudTrailRecord[]> {
  const out: CloudTrailRecord[] = [];
  for await (const r of readTrail(inputs, { ...opts, workers: 0 })) out.push(r);
  return out;
}

const byText = <T>(xs: T[]): string[] => xs.map((x) => JSON.stringify(x)).sort();

// Visible skip: without the shared data set or DuckDB there is nothing to compare.
describe.skipIf(inputs.length === 0 || duck === null)(
  "push-down SQL on DuckDB = local analyses",
  async () => {
    const all = inputs.length > 0 && duck ? await read() : [];
    for (const partitioning of ["projection", "partitions"] as const) {
      const table = `ct_${partitioning}.logs`;
      const target: QueryTarget = { engine: "athena", table: `"ct_${partitioning}"."logs"`, partitioning };
      if (duck) await loadAthenaTable(duck, table, all, partitioning);

      const windows = [
        {},
        { since: Date.parse("2023-07-10T11:50:00Z"), until: Date.parse("2023-07-10T12:20:00Z") },
        { since: Date.parse("2023-07-10T11:50:00Z"), regions: ["us-east-1"] },
      ];
      for (const w of windows) {
        const label = `${partitioning} ${JSON.stringify(w)}`;
        const local = async () => read(w);

        it(`summary: ${label}`, async () => {
          const acc = new SummaryAccumulator();
          acc.merge(summaryStateOf(await textRows(duck!, summarySql(target, w))));
          const want = summarize(await local());
          expect(want.events).toBeGreaterThan(0);
          expect(acc.result(0, [])).toEqual(want);
        });

        it(`changes: ${label}`, async () => {
          const rows = await textRows(duck!, recordsSql(target, w, ["failure", "change"]));
          const acc = new ChangesAccumulator();
          for (const r of rows) acc.add(rowToRecord(r));
          const got = acc.result();
          const ref = new ChangesAccumulator();
          for (const r of await local()) ref.add(r);
          const want = ref.result();
          expect(got.changes.length).toBe(want.changes.length);
          expect(byText(got.changes)).toEqual(byText(want.changes));
        });

        it(`sessions: ${label}`, async () => {
          const rows = await textRows(duck!, recordsSql(target, w));
          const got = sessions(rows.map((r) => rowToRecord(r)));
          // SAML and web identity callers: Athena's table has no identityProvider, the SQL rebuilds it
          const want = sessions(await local());
          expect(want.sessions.length).toBeGreaterThan(0);
          if (w.since === undefined) {
            const federated = want.sessions.filter((x) =>
              /^(?:SAMLUser|WebIdentityUser):[^:]+:/.test(x.chain[0] ?? ""),
            );
            expect(federated.map((x) => x.issuedBy).sort()).toEqual([
              "AssumeRoleWithSAML",
              "AssumeRoleWithWebIdentity",
            ]);
          }
          expect(byText(got.sessions)).toEqual(byText(want.sessions));
          expect(byText(got.failedIssuances)).toEqual(byText(want.failedIssuances));
        });

        it(`explain: ${label}`, async () => {
          const rows = await textRows(duck!, recordsSql(target, w, ["denied", "change"]));
          const acc = new ExplainAccumulator();
          for (const r of rows) acc.add(rowToRecord(r));
          const ref = new ExplainAccumulator();
          for (const r of await local()) ref.add(r);
          const [got, want] = [await acc.result(null, 1000), await ref.result(null, 1000)];
          expect(got.denied).toBe(want.denied);
          expect(byText(got.explained)).toEqual(byText(want.explained));
        });
      }

      it(`timeline around a moment: ${partitioning}`, async () => {
        const around = "2023-07-10T12:07:59Z";
        const half = 5 * 60_000;
        const c = Date.parse(around);
        const rows = await textRows(duck!, recordsSql(target, { since: c - half, until: c + half }));
        const got = timeline(
          rows.map((r) => rowToRecord(r)),
          { around, windowMs: half },
        );
        const want = timeline(all, { around, windowMs: half });
        expect(want.entries.length).toBeGreaterThan(0);
        expect(byText(got.entries)).toEqual(byText(want.entries));
      });
    }
  },
);
