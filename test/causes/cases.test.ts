// Accuracy set: real message variants (catalog) through explainText; each case's mode must hold; prints top-1/top-3.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CAUSE_IDS, type CauseId, isCauseId } from "../../src/core/cause-ids.js";
import { explainText } from "../../src/diagnose/explain.js";

interface Case {
  id: string;
  text: string;
  region?: string;
  expect: CauseId;
  mode: "top1" | "top3";
  note: string;
}

const cases = JSON.parse(readFileSync(new URL("./cases.json", import.meta.url), "utf8")) as Case[];

describe("accuracy set (test/causes/cases.json)", () => {
  it("is well formed: at least 80 cases, unique ids, taxonomy ids, a note each", () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) {
      expect(isCauseId(c.expect), c.id).toBe(true);
      expect(["top1", "top3"]).toContain(c.mode);
      expect(c.note.length, c.id).toBeGreaterThan(0);
    }
  });

  let top1 = 0;
  let top3 = 0;
  for (const c of cases) {
    it(`${c.id}: ${c.expect} in ${c.mode}`, () => {
      const d = explainText(c.text, c.region ? { region: c.region } : {});
      expect(d.failure, "the text was not recognised").not.toBeNull();
      const ids = d.causes.map((x) => x.id);
      const rank = ids.indexOf(c.expect);
      if (rank === 0) top1++;
      if (rank >= 0 && rank < 3) top3++;
      const shown = d.causes
        .slice(0, 4)
        .map((x) => `${x.id}:${x.score}`)
        .join(" ");
      if (c.mode === "top1") expect(ids[0], shown).toBe(c.expect);
      else {
        expect(rank, shown).toBeGreaterThanOrEqual(0);
        expect(rank, shown).toBeLessThan(3);
        // Text alone cannot decide: the cause's checks must name the deciding evidence with a command, filled
        // from the evidence, or (when a value the text lacks is needed) say in prose which command to run and
        // where to find each value: a command is never printed with a placeholder in it.
        const checks = d.causes[rank]!.checks;
        expect(
          checks.some((ch) => (ch.command ?? "").length > 0 || /\brun `[^`]+`/.test(ch.text)),
          JSON.stringify(checks),
        ).toBe(true);
      }
    });
  }

  it("reports top-1 and top-3 accuracy", () => {
    const n = cases.length;
    process.stdout.write(
      `accuracy: ${n} cases, top-1 ${((top1 / n) * 100).toFixed(1)}% (${top1}), top-3 ${((top3 / n) * 100).toFixed(1)}% (${top3})\n`,
    );
    expect(top3).toBeGreaterThanOrEqual(top1);
  });

  it("covers every cause id with at least two cases", () => {
    const counts = new Map<string, number>();
    for (const c of cases) counts.set(c.expect, (counts.get(c.expect) ?? 0) + 1);
    for (const id of CAUSE_IDS) expect(counts.get(id) ?? 0, id).toBeGreaterThanOrEqual(2);
  });
});
