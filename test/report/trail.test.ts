import { describe, expect, it } from "vitest";
import { makeStyle } from "../../src/report/style.js";
import { renderExplain } from "../../src/report/trail.js";
import type { TrailExplain } from "../../src/trail/explain.js";

const plain = makeStyle(false);

describe("renderExplain", () => {
  it("names every skipped file, as summary does, not only the first three", () => {
    const result = { denied: 0, explained: [], evaluated: false } as unknown as TrailExplain;
    const skipped = ["a.txt", "b.json", "c.json", "d.json"].map((file) => ({
      file,
      reason: `reason of ${file}`,
    }));
    const text = renderExplain(result, plain, skipped);
    expect(text).toContain("skipped 4:");
    for (const k of skipped) expect(text).toContain(`${k.file}: ${k.reason}`);
  });

  it("folds past ten skipped files into a count pointing at --json", () => {
    const result = { denied: 0, explained: [], evaluated: false } as unknown as TrailExplain;
    const skipped = Array.from({ length: 12 }, (_, i) => ({ file: `f${i}.json`, reason: "bad" }));
    const text = renderExplain(result, plain, skipped);
    expect(text).toContain("f9.json: bad");
    expect(text).not.toContain("f10.json");
    expect(text).toContain("and 2 more (see --json)");
  });
});
