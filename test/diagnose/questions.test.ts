// Questions that separate close causes, from a calibration table.
import { describe, expect, it } from "vitest";
import type { CalibrationTable } from "../../src/causes/calibration.js";
import type { RankedCause } from "../../src/core/diagnosis.js";
import { separatingQuestions } from "../../src/diagnose/questions.js";

const table: CalibrationTable = {
  source: "test",
  cases: 40,
  alpha: 2,
  priorWeight: 0.5,
  factWeight: 1,
  overall: { SESSION_TOKEN_MISSING: 20, CRED_WRONG_SOURCE: 20 },
  families: {},
  facts: {
    "runs-in=lambda": { CRED_WRONG_SOURCE: 8 },
    "temporary-credentials": { SESSION_TOKEN_MISSING: 6, CRED_WRONG_SOURCE: 1 },
    mfa: { SESSION_TOKEN_MISSING: 1, CRED_WRONG_SOURCE: 1 },
  },
};
const cause = (id: RankedCause["id"], score: number): RankedCause => ({
  id,
  score,
  title: id,
  why: [],
  checks: [],
  fix: { summary: "", steps: [], commands: [] },
});

describe("separatingQuestions", () => {
  it("asks for the facts that split the two close causes, with the --fact that answers", () => {
    const q = separatingQuestions(
      [cause("SESSION_TOKEN_MISSING", 0.5), cause("CRED_WRONG_SOURCE", 0.45)],
      [],
      table,
    );
    expect(q.map((x) => x.fact)).toEqual(["runs-in=lambda", "temporary-credentials"]);
    expect(q[0]?.separates).toEqual(["SESSION_TOKEN_MISSING", "CRED_WRONG_SOURCE"]);
    expect(q[0]?.ask).toMatch(/Lambda/);
  });
  it("asks nothing when the first cause is clearly ahead or the fact is known", () => {
    expect(
      separatingQuestions([cause("SESSION_TOKEN_MISSING", 0.9), cause("CRED_WRONG_SOURCE", 0.3)], [], table),
    ).toEqual([]);
    const known = separatingQuestions(
      [cause("SESSION_TOKEN_MISSING", 0.5), cause("CRED_WRONG_SOURCE", 0.45)],
      [{ name: "runs-in", value: "ec2", quote: "on EC2" }],
      table,
    );
    expect(known.map((x) => x.fact)).toEqual(["temporary-credentials"]);
  });
});
