// Facts from free-text notes and --fact: the vocabulary of docs/facts.md, each fact quoting its words.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FACT_NAMES, FACT_VOCABULARY, factKey, parseFactFlag, readNotes } from "../../src/diagnose/notes.js";

describe("readNotes", () => {
  it("finds where it runs, the tool, what works, and quotes the words", () => {
    const facts = readNotes(
      "Works on my machine but fails in GitHub Actions since we rotated the keys. We use aws-vault with MFA.",
    );
    const keys = facts.map(factKey);
    expect(keys).toEqual(
      expect.arrayContaining([
        "runs-in=ci",
        "tool=aws-vault",
        "works-elsewhere=local",
        "rotated-keys",
        "mfa",
      ]),
    );
    const ci = facts.find((f) => factKey(f) === "runs-in=ci");
    expect(ci?.quote).toContain("GitHub Actions");
    // where it works is not where it runs
    expect(keys).not.toContain("runs-in=local");
  });
  it("reads nothing from empty or factless notes", () => {
    expect(readNotes("")).toEqual([]);
    expect(readNotes(undefined)).toEqual([]);
    expect(readNotes("it broke")).toEqual([]);
  });
  it("quotes are one line and short, whatever the input", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (s) => {
        for (const f of readNotes(`${s} lambda ${s}`)) {
          expect(f.quote).not.toMatch(/[\n\r\u001b]/);
          expect(f.quote.length).toBeLessThan(200);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("parseFactFlag", () => {
  it("accepts vocabulary names and values", () => {
    expect(parseFactFlag("runs-in=lambda")).toEqual({
      name: "runs-in",
      value: "lambda",
      quote: "--fact runs-in=lambda",
    });
    expect(parseFactFlag("mfa")).toEqual({ name: "mfa", quote: "--fact mfa" });
    expect(parseFactFlag("MFA=yes").name).toBe("mfa");
  });
  it("refuses unknown names, missing or unknown values, with a one-line message", () => {
    expect(() => parseFactFlag("colour=blue")).toThrow(/unknown fact name/);
    expect(() => parseFactFlag("runs-in")).toThrow(/needs a value/);
    expect(() => parseFactFlag("runs-in=mars")).toThrow(/unknown value/);
    expect(() => parseFactFlag("mfa=maybe")).toThrow(/takes no value/);
  });
});

describe("docs/facts.md", () => {
  it("documents every fact of the vocabulary", () => {
    const doc = readFileSync(new URL("../../docs/facts.md", import.meta.url), "utf8");
    for (const f of FACT_VOCABULARY) expect(doc, factKey(f)).toContain(`\`${factKey(f)}\``);
    expect(FACT_NAMES.length).toBeGreaterThan(10);
  });
});
