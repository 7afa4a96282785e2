import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonPieces } from "../../src/report/json-stream.js";

describe("jsonPieces", () => {
  it("joins to exactly JSON.stringify(value, null, 2)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 6 }),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }),
        (list, rest) => {
          const value = { schema: "x/v1", ...rest, items: list, tail: [1, { a: "\u0000items\u0000" }] };
          expect([...jsonPieces(value, "items")].join("")).toBe(JSON.stringify(value, null, 2));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("yields one piece per element of the array", () => {
    const pieces = [...jsonPieces({ a: 1, items: [{ x: 1 }, { y: [2, 3] }, null] }, "items")];
    expect(pieces.length).toBe(2 + 3 + 2);
  });
});
