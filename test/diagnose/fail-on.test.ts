// `diagnose --fail-on` conditions: parsing and when they are met.

import { describe, expect, it } from "vitest";
import type { Diagnosis, VerdictStrength } from "../../src/core/diagnosis.js";
import { failOnMet, parseFailOn } from "../../src/diagnose/fail-on.js";

const withVerdict = (cause: string, strength: VerdictStrength): Diagnosis =>
  ({
    schema: "authdoctor.diagnosis/v1",
    failure: null,
    failures: [],
    causes: [],
    unknowns: [],
    verdict: {
      cause,
      strength,
      title: "",
      score: 0.9,
      summary: "",
      chain: [],
      runnersUp: [],
      fix: { summary: "", steps: [], commands: [] },
    },
  }) as unknown as Diagnosis;

describe("parseFailOn", () => {
  it("reads strengths, cause ids (any case) and any, comma-separated", () => {
    expect(parseFailOn(["likely,scp_deny", "any"])).toEqual([
      { kind: "strength", at: "likely" },
      { kind: "cause", id: "SCP_DENY" },
      { kind: "any" },
    ]);
  });
  it("rejects unknown conditions", () => {
    expect(() => parseFailOn(["deny"])).toThrow(/unknown condition `deny`/);
    expect(() => parseFailOn(["undecided"])).toThrow(/unknown condition/);
  });
});

describe("failOnMet", () => {
  it("meets a strength at that level or firmer", () => {
    const likely = parseFailOn(["likely"]);
    expect(failOnMet(withVerdict("SCP_DENY", "confirmed"), likely)).toMatch(/confirmed/);
    expect(failOnMet(withVerdict("SCP_DENY", "likely"), likely)).toBeDefined();
    expect(failOnMet(withVerdict("SCP_DENY", "possible"), likely)).toBeUndefined();
  });
  it("meets a cause only on that verdict, and any only on a decided one", () => {
    expect(failOnMet(withVerdict("SCP_DENY", "possible"), parseFailOn(["SCP_DENY"]))).toBeDefined();
    expect(failOnMet(withVerdict("RCP_DENY", "confirmed"), parseFailOn(["SCP_DENY"]))).toBeUndefined();
    expect(failOnMet(withVerdict("OTHER", "undecided"), parseFailOn(["any"]))).toBeUndefined();
    const none = { ...withVerdict("X", "confirmed"), verdict: undefined } as Diagnosis;
    expect(failOnMet(none, parseFailOn(["any"]))).toBeUndefined();
  });
});
