// SARIF of a diagnosis: the verdict as one result; without an error file, a logical location only.

import { describe, expect, it } from "vitest";
import { explainText } from "../../src/diagnose/explain.js";
import { diagnosisToSarif } from "../../src/report/sarif.js";

describe("diagnosisToSarif", () => {
  it("uses the top cause as a note when there is no verdict, and a logical location without a file", () => {
    const d = explainText(
      "An error occurred (ExpiredToken) when calling the ListBuckets operation: The provided token has expired.",
    );
    const log = diagnosisToSarif(d, { version: "9.9.9" }) as {
      runs: Array<{ tool: { driver: { version: string } }; results: Array<Record<string, unknown>> }>;
    };
    const run = log.runs[0]!;
    expect(run.tool.driver.version).toBe("9.9.9");
    expect(run.results).toHaveLength(1);
    const r = run.results[0] as { ruleId: string; level: string; locations: Array<Record<string, unknown>> };
    expect(r.ruleId).toBe("TOKEN_EXPIRED");
    expect(r.level).toBe("note");
    expect(r.locations[0]!.physicalLocation).toBeUndefined();
    expect(r.locations[0]!.logicalLocations).toBeDefined();
  });

  it("has no result when nothing was recognised", () => {
    const log = diagnosisToSarif(explainText("hello"), { version: "1" }) as {
      runs: Array<{ results: unknown[] }>;
    };
    expect(log.runs[0]!.results).toEqual([]);
  });
});
