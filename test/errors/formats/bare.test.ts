import { describe, expect, it } from "vitest";
import { parseFailures } from "../../../src/errors/index.js";

describe("a bare error code pasted alone", () => {
  it.each([
    ["AccessDenied", "AccessDenied", undefined],
    ["  'SignatureDoesNotMatch'\n", "SignatureDoesNotMatch", undefined],
    ["InvalidClientTokenId (403)", "InvalidClientTokenId", 403],
    ["Client.UnauthorizedOperation", "UnauthorizedOperation", undefined],
    ["expiredtoken", "ExpiredToken", undefined],
  ])("`%s` gives the code %s", (text, code, status) => {
    const [f, ...rest] = parseFailures(text);
    expect(rest).toEqual([]);
    expect(f?.code).toBe(code);
    expect(f?.httpStatus).toBe(status);
    expect(f?.notes.join(" ")).toMatch(/only the error code/);
  });

  it.each(["hello", "AccessDenied foo", "NotACode", `AccessDenied${" ".repeat(200)}x`])(
    "`%s` is not a bare code",
    (text) => {
      expect(
        parseFailures(text).filter((f) => f.notes.some((n) => n.includes("only the error code"))),
      ).toEqual([]);
    },
  );
});
