// Shared cause tester: runs `applies` / `doesNotApply` cases against one cause module (our RuleTester).

import { describe, expect, it } from "vitest";
import { calibration, useCalibration } from "../../src/causes/calibration.js";
import type { CauseDef } from "../../src/causes/define.js";
import type { Evidence, Signal } from "../../src/core/diagnosis.js";
import type { Failure } from "../../src/core/failure.js";
import { mineMessage } from "../../src/errors/message.js";

export interface AppliesCase {
  name: string;
  evidence: Evidence;
  /** The score must reach this. */
  minScore: number;
  /** A why line must match this. */
  why?: RegExp;
}

export interface DoesNotApplyCase {
  name: string;
  evidence: Evidence;
}

/** Below this a cause counts as "does not apply" (the ranking drops it too). */
const NOT_APPLY_BELOW = 0.05;

/**
 * A Failure built by hand, as the parser would produce it: what the one denial-message parser reads in the message
 * (principal, action, resource, policy named, deny kind…) fills the fields not given (`raw` defaults to code +
 * message).
 */
export function failure(fields: Partial<Failure>): Failure {
  const raw = fields.raw ?? [fields.code, fields.message].filter(Boolean).join(": ");
  const {
    notes: _notes,
    region: _region,
    regionSource: _source,
    scopeService: _scope,
    ...mined
  } = mineMessage(fields.message ?? "");
  return { format: "plain", notes: [], ...mined, ...fields, raw };
}

/** Evidence around a hand-built failure. */
export function ev(fields: Partial<Failure>, opts: { region?: string; signals?: Signal[] } = {}): Evidence {
  return {
    failure: failure(fields),
    signals: opts.signals ?? [],
    ...(opts.region ? { region: opts.region } : {}),
  };
}

/** Run the cases of one cause module. Rejects empty, duplicate and malformed cases. */
export function testCause(
  def: CauseDef,
  cases: { applies: AppliesCase[]; doesNotApply: DoesNotApplyCase[] },
): void {
  describe(`cause ${def.id}`, () => {
    it("has cases of both kinds, with unique names and sensible thresholds", () => {
      expect(cases.applies.length).toBeGreaterThan(0);
      expect(cases.doesNotApply.length).toBeGreaterThan(0);
      const names = [...cases.applies, ...cases.doesNotApply].map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      for (const c of cases.applies) {
        expect(c.minScore).toBeGreaterThan(0);
        expect(c.minScore).toBeLessThanOrEqual(1);
      }
      expect(def.title.length).toBeGreaterThan(0);
      expect(def.summary.length).toBeGreaterThan(0);
    });

    for (const c of cases.applies) {
      it(`applies: ${c.name}`, () => {
        // The module's own rules at their hand-set weights: the calibrated scaling of code-restating lines is
        // tested with the ranking (test/diagnose/calibrated.test.ts).
        const table = calibration();
        useCalibration({ ...table, codeWeight: 1 });
        let r: ReturnType<typeof def.score>;
        try {
          r = def.score(c.evidence);
        } finally {
          useCalibration(undefined);
        }
        expect(r, "score() returned undefined").toBeDefined();
        expect(r!.score).toBeGreaterThanOrEqual(c.minScore);
        expect(r!.score).toBeLessThanOrEqual(1);
        expect(r!.why.length).toBeGreaterThan(0);
        for (const w of r!.why) {
          expect(w.text.trim()).not.toBe("");
          expect(w.source.trim()).not.toBe("");
          expect(Number.isFinite(w.weight)).toBe(true);
        }
        if (c.why) expect(r!.why.map((w) => w.text).join("\n")).toMatch(c.why);
        const checks = def.checks(c.evidence);
        expect(checks.length).toBeGreaterThan(0);
        expect(checks.some((ch) => ch.command !== undefined && ch.command.length > 0)).toBe(true);
        const fix = def.fix(c.evidence);
        expect(fix.summary.trim()).not.toBe("");
        expect(fix.steps.length).toBeGreaterThan(0);
      });
    }

    for (const c of cases.doesNotApply) {
      it(`does not apply: ${c.name}`, () => {
        const r = def.score(c.evidence);
        if (r !== undefined) expect(r.score).toBeLessThan(NOT_APPLY_BELOW);
      });
    }
  });
}
