// Canary values planted everywhere a secret can live must appear nowhere in the report, text or JSON.

import { afterAll, describe, expect, it } from "vitest";
import { renderCredentialsText } from "../../src/report/credentials.js";
import { makeStyle } from "../../src/report/style.js";
import { expectNoCanary, plantedHome } from "./canaries.js";
import { cleanHomes, inspect } from "./helpers.js";

afterAll(cleanHomes);

describe("secrets never leave the credential model", () => {
  it.each([undefined, "proc", "legacy", "dup", "cr", "quoted", "continued", "commented"])(
    "no canary in JSON or text (profile %s)",
    async (profile) => {
      const { home, env } = plantedHome();
      const r = await inspect(home, env, profile ? { profile } : {});
      expectNoCanary(JSON.stringify(r));
      for (const colour of [true, false])
        for (const chain of [true, false])
          expectNoCanary(renderCredentialsText(r, makeStyle(colour), { chain }));
      // the model did look at those places
      expect(r.findings.length).toBeGreaterThan(3);
    },
  );

  it("reports the planted problems without their values", async () => {
    const { home, env } = plantedHome();
    const r = await inspect(home, env);
    const codes = new Set(r.findings.map((f) => f.code));
    for (const code of [
      "secret-quoted",
      "inline-comment-in-value",
      "file-parse-error",
      "sso-token-unreadable",
      "web-identity-token-expired",
    ])
      expect(codes, code).toContain(code);
  });
});
