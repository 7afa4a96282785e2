import { describe, expect, it } from "vitest";
import { safeOutput } from "../../src/core/output.js";
import type { LiveReport } from "../../src/live/types.js";
import { renderAudit } from "../../src/report/live.js";

const report = (audit: LiveReport["audit"]): LiveReport => ({
  schema: "authdoctor.live/v1",
  startedAt: "2026-01-01T00:00:00.000Z",
  homeRegion: "us-east-1",
  credentials: { ok: false, outcome: "skipped", reason: "-" },
  identity: {},
  audit,
  unknowns: [],
});

describe("renderAudit", () => {
  it("prints one line per call with outcome, operation, account, region, endpoint and detail", () => {
    const text = renderAudit(
      report([
        {
          operation: "sts:GetCallerIdentity",
          account: "123456789012",
          region: "us-east-1",
          endpoint: "https://sts.us-east-1.amazonaws.com",
          outcome: "ok",
          ms: 84,
          attempts: 1,
          detail: "regional: arn:aws:iam::123456789012:user/alice",
        },
        {
          operation: "iam:GetAccountSummary",
          account: "123456789012",
          region: "us-east-1",
          endpoint: "https://iam.amazonaws.com",
          outcome: "denied",
          ms: 91,
          attempts: 2,
          detail: "AccessDenied: not authorized",
        },
      ]),
    );
    expect(text.split("\n")).toEqual([
      "live: 2 read-only calls",
      "  ok      sts:GetCallerIdentity (account 123456789012, us-east-1) https://sts.us-east-1.amazonaws.com 84 ms: regional: arn:aws:iam::123456789012:user/alice",
      "  denied  iam:GetAccountSummary (account 123456789012, us-east-1) https://iam.amazonaws.com 91 ms, 2 attempts: AccessDenied: not authorized",
      "",
    ]);
  });

  it("says when no call was made and masks any key id that slipped into a detail", () => {
    expect(renderAudit(report([]))).toBe("live: no calls made\n");
    const text = renderAudit(
      report([
        {
          operation: "iam:ListAccessKeys",
          region: "us-east-1",
          endpoint: "https://iam.amazonaws.com",
          outcome: "ok",
          ms: 1,
          attempts: 1,
          detail: "AKIAQQQQRRRRSSSS7ABC Active",
        },
      ]),
    );
    // the renderer shows what it was given; the CLI's output boundary masks it
    const shown = safeOutput(text, "text");
    expect(shown).toContain("AKIA****7ABC");
    expect(shown).not.toContain("AKIAQQQQRRRRSSSS7ABC");
  });
});
