// Shared evaluation cases (`cases/*.json`: note, request, policies, want), written from the AWS documentation.

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type CanRequest, type EvaluationEnv, evaluateRequest } from "../../src/iam/index.js";

interface Case {
  note: string;
  request: CanRequest;
  policies: EvaluationEnv;
  want: {
    decision: string;
    cause?: string;
    decidedBySid?: string;
    nearMissElement?: string;
    missingKey?: string;
  };
}

const dir = path.join(import.meta.dirname, "cases");
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  const cases = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Case[];
  describe(`cases/${file}`, () => {
    for (const c of cases)
      it(c.note, () => {
        const env = { ...c.policies, now: new Date("2026-01-15T12:00:00Z") };
        const r = evaluateRequest(c.request, env);
        expect(r.decision).toBe(c.want.decision);
        if (c.want.decision === "Allowed") expect(r.cause).toBeUndefined();
        if (c.want.cause) expect(r.cause).toBe(c.want.cause);
        if (c.want.decidedBySid) expect(r.decidedBy.map((d) => d.sid)).toContain(c.want.decidedBySid);
        if (c.want.nearMissElement)
          expect(r.nearMisses[0]?.failed.map((f) => f.element)).toContain(c.want.nearMissElement);
        if (c.want.missingKey) expect(r.missingContext.map((m) => m.key)).toContain(c.want.missingKey);
      });
  });
}
