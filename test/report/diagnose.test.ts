// Terminal rendering of a diagnose result: verdict first, chain, fix, runners-up, timeline, unknowns; plain
// without colour.
import { describe, expect, it } from "vitest";
import { DIAGNOSIS_SCHEMA } from "../../src/core/diagnosis.js";
import { finishText } from "../../src/core/terminal.js";
import { renderDiagnoseText } from "../../src/report/diagnose.js";
import { makeStyle } from "../../src/report/style.js";
import { hostileDiagnosis } from "../report/fixture.js";

describe("renderDiagnoseText", () => {
  it("puts the verdict before the evidence, then fix, runners-up, timeline and unknowns", () => {
    const out = renderDiagnoseText(hostileDiagnosis(), { style: makeStyle(false) });
    const order = [
      "Verdict  IAM_RESOURCE_MISMATCH",
      "Evidence",
      "Fix",
      "Runners-up",
      "Timeline (CloudTrail)",
      "Could not check",
    ].map((h) => out.indexOf(h));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).toContain("✔ confirms");
    expect(out).toContain("✘ rules out  TRUST_POLICY: role was assumed");
    expect(out).toContain("<- the failure");
    expect(out).not.toContain("\u001b[");
  });

  it("colours only when the style is on", () => {
    const out = finishText(renderDiagnoseText(hostileDiagnosis(), { style: makeStyle(true) }));
    expect(out).toContain("\u001b[");
  });

  it("says so when nothing could be named", () => {
    const out = renderDiagnoseText(
      { schema: DIAGNOSIS_SCHEMA, failure: null, failures: [], causes: [], unknowns: [] },
      { style: makeStyle(false) },
    );
    expect(out).toContain("no AWS error recognised");
    expect(out).toContain("no cause could be named");
  });
});
