// `diagnose --lake` end to end: the built CLI reads the trail with a CloudTrail Lake query against the fake endpoint
// (AWS_ENDPOINT_URL), the rows hold the example's own trail records, and the verdict is the one of `--trail`.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeAws, json } from "../live/fake-aws.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repoRoot, "dist/cli/bin.js");
const example = path.join(repoRoot, "examples/passrole-missing");
const home = mkdtempSync(path.join(tmpdir(), "authdoctor-dq-"));
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARYQUERY";

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

type Rec = Record<string, unknown>;
const str = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : typeof v === "string" ? v : String(v);
/** A map column of Lake: nested values as JSON text. */
const mapText = (v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  const o = Object.fromEntries(
    Object.entries(v as Rec).map(([k, x]) => [k, typeof x === "string" ? x : JSON.stringify(x)]),
  );
  return JSON.stringify(o);
};

/** A record as the cells of one CloudTrail Lake result row of `recordsSql` (its column aliases). */
function lakeRow(r: Rec): Record<string, string>[] {
  const ui = (r.userIdentity ?? {}) as Rec;
  const sc = (ui.sessionContext ?? {}) as Rec;
  const si = (sc.sessionIssuer ?? {}) as Rec;
  const at = (sc.attributes ?? {}) as Rec;
  const cells: Record<string, string | undefined> = {
    eventtime: str(r.eventTime)?.replace("T", " ").replace("Z", ".000"),
    eventversion: str(r.eventVersion),
    eventsource: str(r.eventSource),
    eventname: str(r.eventName),
    awsregion: str(r.awsRegion),
    sourceipaddress: str(r.sourceIPAddress),
    useragent: str(r.userAgent),
    errorcode: str(r.errorCode),
    errormessage: str(r.errorMessage),
    requestparameters: mapText(r.requestParameters),
    responseelements: mapText(r.responseElements),
    additionaleventdata: mapText(r.additionalEventData),
    requestid: str(r.requestID),
    eventid: str(r.eventID),
    eventtype: str(r.eventType),
    readonly: str(r.readOnly),
    recipientaccountid: str(r.recipientAccountId),
    ui_type: str(ui.type),
    ui_principalid: str(ui.principalId),
    ui_arn: str(ui.arn),
    ui_accountid: str(ui.accountId),
    ui_accesskeyid: str(ui.accessKeyId),
    ui_username: str(ui.userName),
    ui_invokedby: str(ui.invokedBy),
    ui_mfa: str(at.mfaAuthenticated),
    ui_creationdate: str(at.creationDate),
    si_type: str(si.type),
    si_principalid: str(si.principalId),
    si_arn: str(si.arn),
    si_accountid: str(si.accountId),
    si_username: str(si.userName),
    ui_identityprovider: str(ui.identityProvider),
  };
  // Lake leaves a NULL cell out of the row
  return Object.entries(cells)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => ({ [k]: v }));
}

const records: Rec[] = files(path.join(example, "trail")).flatMap(
  (f) => (JSON.parse(readFileSync(f, "utf8")) as { Records: Rec[] }).Records,
);

const fake = new FakeAws();
let url = "";
beforeAll(async () => {
  url = await fake.start();
});
afterAll(() => fake.stop());

function env(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: home,
    NO_COLOR: "1",
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL: url,
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

function runAsync(args: string[]) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: env(), cwd: repoRoot });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end();
  });
}

describe("authdoctor diagnose --athena/--lake offline", () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [bin, "diagnose", "--bundle", example, ...args], {
      encoding: "utf8",
      env: env(),
      cwd: repoRoot,
    });

  it("--print-sql prints the query around the case's time and sends nothing", () => {
    const before = fake.seen.length;
    const r = cli(["--athena", "security.cloudtrail_logs", "--partitioning", "projection", "--print-sql"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^SELECT /);
    expect(r.stdout).toContain(`"timestamp" >= '2025/05/10'`);
    expect(r.stdout).toContain("awsregion IN ('eu-central-1', 'us-east-1')");
    expect(fake.seen.length).toBe(before);
  });

  it("without --live, with a bad name, or with --trail too: exit 2 and one line naming the flag", () => {
    for (const [args, flag] of [
      [["--lake", "EXAMPLE-f852"], "--lake"],
      [["--athena", "a.b;drop", "--print-sql"], "--athena"],
      [["--athena", "a.b", "--trail", "x", "--print-sql"], "--trail"],
      [["--print-sql"], "--print-sql"],
    ] as const) {
      const r = cli([...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(flag);
    }
  });
});

describe("authdoctor diagnose --lake --live", () => {
  it("reaches the verdict of --trail on the same records, the query audited and region-pruned", async () => {
    expect(records.length).toBeGreaterThan(3);
    fake
      .on("cloudtrail:StartQuery", json({ QueryId: "dq-1" }))
      .on(
        "cloudtrail:DescribeQuery",
        json({ QueryStatus: "FINISHED", QueryStatistics: { BytesScanned: 4096 } }),
      )
      .on(
        "cloudtrail:GetQueryResults",
        json({ QueryStatus: "FINISHED", QueryResultRows: records.map(lakeRow) }),
      );
    const local = spawnSync(process.execPath, [bin, "diagnose", "--bundle", example, "--json"], {
      encoding: "utf8",
      env: env(),
      cwd: repoRoot,
    });
    expect(local.status).toBe(0);
    const r = await runAsync([
      "diagnose",
      "--bundle",
      example,
      "--lake",
      "arn:aws:cloudtrail:us-east-1:305827461390:eventdatastore/EXAMPLE-f852",
      "--live",
      "--json",
    ]);
    expect(r.stderr).not.toContain(SECRET);
    expect(r.status).toBe(0);
    const a = JSON.parse(local.stdout);
    const b = JSON.parse(r.stdout);
    const start = fake.seen.find((s) => s.route === "cloudtrail:StartQuery");
    expect(start).toBeDefined();
    const sql = String((start!.params as { QueryStatement?: string }).QueryStatement);
    expect(sql).toMatch(/^SELECT /);
    expect(sql).toContain("FROM EXAMPLE-f852");
    expect(sql).toContain("awsRegion IN ('eu-central-1', 'us-east-1')");
    expect(sql).toContain("eventTime >= '2025-05-10 21:31:43'");
    expect(r.stderr).toContain("audit: cloudtrail:StartQuery");
    const trail = b.checked.find((c: { source: string }) => c.source === "trail");
    expect(trail.status).toBe("used");
    expect(trail.detail).toContain(`${records.length} records from CloudTrail Lake`);
    expect(b.verdict.rootCause).toBe(a.verdict.rootCause);
    expect(b.verdict.confidence).toBe(a.verdict.confidence);
    expect(b.timeline?.length).toBe(a.timeline?.length);
    // the trail signals fired alike: the change before the denial, the role assumed successfully
    const trailChain = (d: { verdict: { chain: { source: string; text: string }[] } }) =>
      d.verdict.chain.filter((c) => c.source.startsWith("trail")).map((c) => c.text);
    expect(trailChain(b).length).toBeGreaterThan(0);
    expect(trailChain(b)).toEqual(trailChain(a));
  });
});
