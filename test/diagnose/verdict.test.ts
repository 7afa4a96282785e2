// The verdict: strength from confirming/refuting signals and score gaps, runners-up and what separates them.
import { describe, expect, it } from "vitest";
import type { RankedCause, Signal } from "../../src/core/diagnosis.js";
import { buildVerdict } from "../../src/diagnose/verdict.js";

function cause(id: RankedCause["id"], score: number, extra: Partial<RankedCause> = {}): RankedCause {
  return {
    id,
    score,
    title: `title of ${id}`,
    why: [{ text: `why ${id}`, weight: 0.3, source: "error text" }],
    checks: [{ text: `check ${id}`, command: `aws check ${id.toLowerCase()}` }],
    fix: { summary: `fix ${id}`, steps: [], commands: [] },
    ...extra,
  };
}

const sig = (c: Signal["cause"], effect: Signal["effect"], text = `${c} ${effect}`): Signal => ({
  cause: c,
  effect,
  text,
  source: "test",
});

describe("buildVerdict", () => {
  it("is undefined without causes", () => {
    expect(buildVerdict([], [])).toBeUndefined();
  });

  it("a confirming signal without a refutation makes it confirmed, with the signal in the chain", () => {
    const v = buildVerdict(
      [cause("KEY_INACTIVE", 0.9), cause("KEY_INVALID_ID", 0.6)],
      [sig("KEY_INACTIVE", "confirms", "key deactivated"), sig("SESSION_TOKEN_MISSING", "refutes")],
    )!;
    expect(v.cause).toBe("KEY_INACTIVE");
    expect(v.strength).toBe("confirmed");
    expect(v.chain.map((l) => l.effect)).toEqual(["points-to", "confirms", "refutes"]);
    expect(v.summary).toContain("1 piece of evidence for it");
  });

  it("a clear gap without confirmation is likely; a close race is possible", () => {
    expect(buildVerdict([cause("CLOCK_SKEW", 0.8), cause("TOKEN_EXPIRED", 0.4)], [])!.strength).toBe(
      "likely",
    );
    expect(buildVerdict([cause("CLOCK_SKEW", 0.8), cause("TOKEN_EXPIRED", 0.75)], [])!.strength).toBe(
      "possible",
    );
    expect(buildVerdict([cause("OTHER", 0.1)], [])!.strength).toBe("undecided");
  });

  it("a refuted top cause is never confirmed", () => {
    const v = buildVerdict(
      [cause("CLOCK_SKEW", 0.9)],
      [sig("CLOCK_SKEW", "confirms"), sig("CLOCK_SKEW", "refutes")],
    )!;
    expect(v.strength).toBe("possible");
  });

  it("runners-up say what would separate them: a signal already against them, else their check command", () => {
    const v = buildVerdict(
      [
        cause("STS_TOKEN_VERSION_REGION", 0.9),
        cause("REGION_NOT_ENABLED", 0.3),
        cause("KEY_INVALID_ID", 0.2),
      ],
      [sig("REGION_NOT_ENABLED", "refutes", "calls succeed in the region")],
    )!;
    expect(v.runnersUp.map((r) => r.id)).toEqual(["REGION_NOT_ENABLED", "KEY_INVALID_ID"]);
    expect(v.runnersUp[0]!.separate).toContain("already ruled out: calls succeed in the region");
    expect(v.runnersUp[1]!.separate).toBe("check KEY_INVALID_ID: `aws check key_invalid_id`");
  });

  it("takes the policy diff for a policy cause, never for a credential cause", () => {
    const diff = "- a\n+ b";
    expect(buildVerdict([cause("PASSROLE_MISSING", 0.9)], [], { policyDiff: diff })!.fix.policyDiff).toBe(
      diff,
    );
    expect(
      buildVerdict([cause("KEY_INACTIVE", 0.9)], [], { policyDiff: diff })!.fix.policyDiff,
    ).toBeUndefined();
  });
});
