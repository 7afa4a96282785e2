// Cross-source rules: the failing session's STS endpoint and the failing region's activity.
import { describe, expect, it } from "vitest";
import { correlate, failingSession } from "../../../src/diagnose/signals/correlate.js";
import type { TrailSession } from "../../../src/trail/sessions.js";

function session(extra: Partial<TrailSession>): TrailSession {
  return {
    keyId: "ASIA****AHQS",
    keyType: "ASIA",
    issuedBy: "AssumeRole",
    issuedAt: "2024-10-15T06:40:52Z",
    principal: "arn:aws:sts::739105428816:assumed-role/ops-admin/kaito",
    chain: [],
    origin: "arn:aws:iam::214365870921:user/kaito",
    crossAccount: true,
    identityCenter: false,
    events: 2,
    failures: 0,
    regions: ["ap-northeast-1"],
    sourceIPs: [],
    topCalls: {},
    failedCalls: [],
    ...extra,
  };
}

const base = {
  failure: null,
  region: "ap-east-1",
  time: "2024-10-15T06:42:19Z",
  keyIds: ["ASIA2YFQ52VIFADSAHQS"],
};

describe("correlate", () => {
  it("global-endpoint session that worked elsewhere supports the token-version cause and weakens key causes", () => {
    const out = correlate({ ...base, sessions: [session({ endpoint: "sts.amazonaws.com" })] });
    expect(out.map((s) => `${s.cause}:${s.effect}`)).toEqual([
      "STS_TOKEN_VERSION_REGION:supports",
      "KEY_INVALID_ID:weakens",
      "KEY_SECRET_MISMATCH:weakens",
    ]);
    expect(out[0]!.text).toContain("worked in ap-northeast-1");
  });

  it("a regional-endpoint session rules the token-version cause out", () => {
    const out = correlate({ ...base, sessions: [session({ endpoint: "sts.eu-west-1.amazonaws.com" })] });
    expect(out[0]).toMatchObject({ cause: "STS_TOKEN_VERSION_REGION", effect: "refutes" });
  });

  it("long-term keys and unknown sessions give nothing", () => {
    expect(
      correlate({ ...base, sessions: [session({ keyType: "AKIA", endpoint: "sts.amazonaws.com" })] }),
    ).toEqual([]);
    expect(correlate({ ...base, keyIds: ["ASIAOTHERKEYAAAAAAAA"], sessions: [session({})] })).toEqual([]);
  });

  it("successful calls of the account in the failing region refute a disabled region", () => {
    const out = correlate({
      ...base,
      sessions: [],
      regionActivity: { region: "ap-east-1", account: "739105428816", calls: 3, example: "ssm:X" },
    });
    expect(out).toEqual([expect.objectContaining({ cause: "REGION_NOT_ENABLED", effect: "refutes" })]);
  });

  it("finds the session by principal when no key matches, latest issued before the failure", () => {
    const p = "arn:aws:sts::1:assumed-role/r/s";
    const s = failingSession({
      ...base,
      keyIds: [],
      principal: p,
      sessions: [
        session({ principal: p, keyId: "ASIA****OLD1", issuedAt: "2024-10-15T05:00:00Z" }),
        session({ principal: p, keyId: "ASIA****NEW1", issuedAt: "2024-10-15T06:00:00Z" }),
        session({ principal: p, keyId: "ASIA****LATE", issuedAt: "2024-10-15T07:00:00Z" }),
      ],
    });
    expect(s?.keyId).toBe("ASIA****NEW1");
  });
});
