// Report classes of issue 17 fixed this round: counted nouns, the cross-account AssumeRole recorded twice, wrapped
// lines hanging under their text (a command's continuation lines stay a command), the wording of scores and
// of what an unknown needs.
import { describe, expect, it } from "vitest";
import { explainText } from "../../src/diagnose/explain.js";
import { makeStyle } from "../../src/report/style.js";
import { needsText, renderText, strengthAndScore } from "../../src/report/text.js";
import { renderChanges, renderExplain, renderSummary, renderTimeline } from "../../src/report/trail.js";
import { wrapText } from "../../src/report/wrap.js";
import type { TrailChanges } from "../../src/trail/changes.js";
import type { TrailExplain } from "../../src/trail/explain.js";
import type { TrailSummary } from "../../src/trail/summary.js";
import type { TimelineEntry, TrailTimeline } from "../../src/trail/timeline.js";

const plain = makeStyle(false);

describe("counted nouns agree with their number", () => {
  it("summary: 1 authorization failure, 1 other error", () => {
    const r = {
      files: 1,
      events: 3,
      failures: 2,
      failuresByKind: { authorization: 1, authentication: 0, throttling: 0, "not-found": 0, other: 1 },
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
      skipped: [],
    } as unknown as TrailSummary;
    const out = renderSummary(r, plain);
    expect(out).toContain("1 authorization failure;");
    expect(out).toContain("1 other error");
    expect(out).not.toMatch(/\b1 (authorization failures|other errors)/);
  });

  it("changes and explain: 1 access change, 1 access-denied event", () => {
    const change = {
      time: "2025-05-12T08:57:10Z",
      eventName: "PutRolePolicy",
      category: "identity-policy",
      target: "role/app",
      actor: "arn:aws:iam::1:user/admin",
      succeeded: true,
      newFailures: [],
    };
    expect(
      renderChanges({ changes: [change], windowSeconds: 60 } as unknown as TrailChanges, plain, []),
    ).toMatch(/^1 access change \(/);
    expect(
      renderExplain({ denied: 1, explained: [], evaluated: false } as unknown as TrailExplain, plain, []),
    ).toMatch(/^1 access-denied event \(first 0 explained\)/);
  });
});

describe("timeline: a cross-account AssumeRole recorded by both accounts is one row", () => {
  const base = {
    offsetSeconds: -87,
    kind: "issuance",
    eventSource: "sts.amazonaws.com",
    eventName: "AssumeRole",
  };
  const detail = "role arn:aws:iam::739105428816:role/ops-admin, issued ASIA****AHQS";
  const timeline = (entries: Partial<TimelineEntry>[]): TrailTimeline =>
    ({
      around: "2024-10-15T06:42:19Z",
      windowSeconds: 600,
      filter: {},
      entries: entries.map((e) => ({ time: "2024-10-15T06:40:52Z", ...base, ...e })),
      truncated: 0,
    }) as unknown as TrailTimeline;

  it("the caller's record and the role account's `(AWSAccount)` record: one row, with the caller", () => {
    const out = renderTimeline(
      timeline([
        { principal: "(AWSAccount)", detail },
        { principal: "arn:aws:iam::214365870921:user/kaito", detail },
      ]),
      plain,
      [],
    );
    const rows = out.split("\n").filter((l) => l.includes("AssumeRole"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain("arn:aws:iam::214365870921:user/kaito");
    // the legend explains the markers
    expect(out).toContain("x failure, K credentials issued, C access change");
  });

  it("two callers making the same plain call in the same second stay two rows", () => {
    const out = renderTimeline(
      timeline([
        { kind: "call", eventName: "DescribeInstances", principal: "arn:aws:iam::1:user/a" },
        { kind: "call", eventName: "DescribeInstances", principal: "arn:aws:iam::1:user/b" },
      ]) as TrailTimeline,
      plain,
      [],
    );
    expect(out.split("\n").filter((l) => l.includes("DescribeInstances"))).toHaveLength(2);
  });
});

describe("wrapping", () => {
  it("an explain cause's check wraps under its text, not under the label", () => {
    const line = `    check  ${"word ".repeat(30).trim()}`;
    const [first, second] = wrapText(line, 60).split("\n");
    expect(first!.startsWith("    check  word")).toBe(true);
    expect(second!.startsWith(`${" ".repeat(11)}word`)).toBe(true);
  });

  it("+/- evidence lines hang under their text", () => {
    const out = wrapText(`  - weakens  ${"alpha ".repeat(25).trim()}`, 60).split("\n");
    expect(out[1]!.startsWith(`${" ".repeat(13)}alpha`)).toBe(true);
  });

  it("the line after one ending in ` \\` is still a command: its own continuations end in ` \\`", () => {
    const text = [
      "  $ authdoctor can --policy p.json --principal arn:aws:iam::111122223333:user/alice \\",
      "      --action s3:GetObject --resource arn:aws:s3:::bucket/key --resource-account 111122223333 --context aws:SourceIp=203.0.113.9",
    ].join("\n");
    const lines = wrapText(text, 80).split("\n");
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines.slice(0, -1)) expect(l.endsWith(" \\")).toBe(true);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
  });
});

describe("wording of scores and needs", () => {
  it("a likely verdict at 1.00 says it ranks first and nothing confirms it", () => {
    expect(strengthAndScore({ strength: "likely", score: 1 })).toBe(
      "likely: ranks first at 1.00, no evidence confirms it",
    );
    expect(strengthAndScore({ strength: "confirmed", score: 1 })).toBe("confirmed, score 1.00");
  });

  it("an unknown whose need is an instruction is not prefixed with `needs`", () => {
    expect(needsText("run `aws iam get-account-authorization-details` and pass --authz")).toBe(
      "run `aws iam get-account-authorization-details` and pass --authz",
    );
    expect(needsText("iam:GetAccountSummary")).toBe("needs iam:GetAccountSummary");
  });

  it("explain --verbose says what each line did to the score: +w, -w, or no effect", () => {
    const out = renderText(
      explainText(
        "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid",
        { region: "us-east-1" },
      ),
      { style: plain, verbose: true },
    );
    expect(out).toMatch(/\[\+0\.\d+ error text\]/);
    expect(out).toMatch(/\[-0\.\d+ --region\]/);
    expect(out).not.toMatch(/\[\+0 /);
  });
});

describe("trail explain names the PassRole cause for an iam:PassRole denial", () => {
  it("examples/passrole-missing: PASSROLE_MISSING, not IAM_ACTION_NOT_ALLOWED", async () => {
    const { trailExplain } = await import("../../src/trail/analyses.js");
    const root = new URL("../../examples/passrole-missing/trail", import.meta.url).pathname;
    const { result } = await trailExplain([root], null, 50);
    const e = result.explained.find((x) => x.actions[0] === "iam:PassRole")!;
    expect(e).toBeDefined();
    expect(e.cause).toBe("PASSROLE_MISSING");
  });
});
