// The analyses on the project's own CloudTrail fixtures (test/fixtures/cloudtrail, written by its generate.mjs): role
// sessions from an IAM user, web identity, cross-account and role chaining; failures with every policy-type wording;
// access changes. These run with or without ../shared beside the repo.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { changes } from "../../src/trail/changes.js";
import { readTrail } from "../../src/trail/read.js";
import { sessions } from "../../src/trail/sessions.js";
import { summarize } from "../../src/trail/summary.js";
import { timeline } from "../../src/trail/timeline.js";
import type { CloudTrailRecord } from "../../src/trail/types.js";
import { fixturesDir } from "../support/shared-data.js";
import { naiveCount } from "./helpers.js";

const DIR = join(fixturesDir, "cloudtrail");
const DELIVERY = join(DIR, "delivery");

async function load(path: string): Promise<CloudTrailRecord[]> {
  const out: CloudTrailRecord[] = [];
  for await (const r of readTrail([path], { workers: 0 })) out.push(r);
  return out;
}

describe("trail analyses on the project's fixtures", () => {
  it("reads every record of every form; counts match an independent count", async () => {
    const want = naiveCount(DELIVERY);
    const recs = await load(DELIVERY);
    expect(recs).toHaveLength(want.events);
    expect(recs.filter((r) => r.errorCode).length).toBe(want.failures);
    expect(await load(join(DIR, "lake.jsonl"))).toHaveLength(want.events);
    expect(await load(join(DIR, "lookup-events.json"))).toHaveLength(7);
    const csv = await load(join(DIR, "export.csv"));
    expect(csv.map((r) => r.eventName)).toContain("AssumeRoleWithWebIdentity");
  });

  it("links sessions: user -> role, web identity, cross-account (counted once), role chaining; masks key ids", async () => {
    const s = sessions(await load(DELIVERY));
    const by = (kind: string) => s.sessions.filter((x) => x.issuedBy === kind);
    const web = by("AssumeRoleWithWebIdentity")[0]!;
    expect(web.principal).toBe("arn:aws:sts::111122223333:assumed-role/gha-deploy/GitHubActions");
    expect(web.failures).toBe(1);
    const cross = by("AssumeRole").filter((x) => x.crossAccount);
    expect(cross).toHaveLength(1);
    expect(cross[0]!.chain).toEqual([
      "arn:aws:iam::111122223333:user/alice",
      "arn:aws:sts::444455556666:assumed-role/auditor/alice-audit",
    ]);
    const chained = by("AssumeRole").find((x) => x.principal.endsWith("reader/chained"))!;
    expect(chained.chain).toEqual([
      "arn:aws:iam::111122223333:user/alice",
      "arn:aws:sts::111122223333:assumed-role/deploy/ci-run-42",
      "arn:aws:sts::111122223333:assumed-role/reader/chained",
    ]);
    expect(
      s.failedIssuances.filter((f) => f.kind === "AssumeRole" && f.errorCode === "AccessDenied"),
    ).toHaveLength(1);
    expect(JSON.stringify(s)).not.toMatch(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/);
  });

  it("timeline around the PutObject failure keeps the change, the issuance and the failure in order", async () => {
    const t = timeline(await load(DELIVERY), {
      around: "2025-05-12T09:01:00Z",
      windowMs: 300_000,
      role: "deploy",
    });
    const times = t.entries.map((e) => Date.parse(e.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(t.entries.find((e) => e.eventName === "PutRolePolicy")?.kind).toBe("change");
    expect(t.entries.find((e) => e.eventName === "AssumeRole")?.kind).toBe("issuance");
    expect(t.entries.find((e) => e.eventName === "PutObject")?.kind).toBe("failure");
  });

  it("changes: the inline policy put on role/deploy is followed by that role's PutObject failure", async () => {
    const c = changes(await load(DELIVERY), { afterMs: 1_800_000 });
    const put = c.changes.find((x) => x.eventName === "PutRolePolicy")!;
    expect(put.category).toBe("identity-policy");
    expect(put.target).toContain("deploy");
    expect(put.policyDocument).toBeDefined();
    expect(c.changes.some((x) => x.eventName === "AttachRolePolicy")).toBe(true);
  });

  it("summary counts by code and region", async () => {
    const s = summarize(await load(DELIVERY));
    expect(s.events).toBe(16);
    expect(s.byErrorCode.AccessDenied).toBe(4);
    expect(s.byRegion).toEqual({ "us-east-1": 15, "eu-west-1": 1 });
  });
});
