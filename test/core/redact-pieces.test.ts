// The output paths that redact in parts (JSON Lines records one by one, a large JSON text in pieces cut after a
// comma) must print what redacting the whole text prints. Property test over texts built from secret shapes,
// separators and encodings (fixed seed).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeJsonRecord, safeOutput } from "../../src/core/output.js";
import { redactText } from "../../src/core/redact.js";

const PARTS = [
  "a",
  "Z",
  "9",
  "+",
  "/",
  "%",
  "%2F",
  "%3D",
  "=",
  ",",
  ":",
  " ",
  "-",
  ".",
  '"',
  "\\n",
  "{",
  "}",
  "AQoD",
  "IQoJ",
  "FwoGZXIvYXdzEBYaDH",
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "AKIAIOSFODNN7EXAMPLE",
  "aws_secret_access_key=",
  '"SessionToken":"',
  "Bearer ",
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefgh",
  "YXdzX3NlY3JldF9hY2Nlc3Nfa2V5PXdKYWxyWFV0bkZFTUkvSzdNREVORy9iUHhSZmlDWUVYQU1QTEVLRVk=",
  "authorization failure message: ",
  "x".repeat(19),
  "Q".repeat(40),
  "\u009b",
];
const text = fc.array(fc.constantFrom(...PARTS), { maxLength: 40 }).map((xs) => xs.join(""));

describe("redaction in parts", () => {
  it("cutting a text right after a comma changes nothing", () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(redactText(`${a},`) + redactText(b)).toBe(redactText(`${a},${b}`));
      }),
      { seed: 42, numRuns: 3000 },
    );
  });

  it("JSON Lines records redacted one by one (and again from the cache) equal the whole text redacted", () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 5 }), (values) => {
        const records = values.map((v, i) => JSON.stringify({ line: i, value: v, again: [v] }));
        const whole = safeOutput(records.join("\n"), "json");
        expect(records.map(safeJsonRecord).join("\n")).toBe(whole);
        expect(records.map(safeJsonRecord).join("\n")).toBe(whole);
      }),
      { seed: 7, numRuns: 1000 },
    );
  });
});
