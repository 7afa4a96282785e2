import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountFromKeyId, checkKeyId, checkSecret } from "../../src/credentials/keys.js";

describe("accountFromKeyId (docs/aws-facts.md §2.6)", () => {
  it.each([
    ["AKIASP2TPHJSQH3FJXYZ", "171436882533"],
    ["ASIAY34FZKBOKMUTVV7A", "609629065308"],
    ["ASIAQAAAAAAAAAAAAAAA", "000000000000"],
  ])("%s -> %s", (id, account) => expect(accountFromKeyId(id)).toBe(account));

  it("does not decode old-style ids or non-key ids", () => {
    expect(accountFromKeyId("AKIAIOSFODNN7EXAMPLE")).toBeUndefined();
    expect(accountFromKeyId("AROASP2TPHJSQH3FJXYZ")).toBeUndefined();
    expect(accountFromKeyId("akiasp2tphjsqh3fjxyz")).toBeUndefined();
    expect(accountFromKeyId("AKIA7777777777777777")).toBeUndefined();
  });

  it("yields 12 digits or nothing for new-style ids", () => {
    const b32 = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    fc.assert(
      fc.property(
        fc.constantFrom(..."QRSTUVWXYZ234567"),
        fc.array(b32, { minLength: 15, maxLength: 15 }),
        (first, rest) => {
          const a = accountFromKeyId(`AKIA${first}${rest.join("")}`);
          if (a !== undefined) expect(a).toMatch(/^\d{12}$/);
        },
      ),
    );
  });
});

describe("shape checks", () => {
  it("accepts well-formed values", () => {
    expect(checkKeyId("AKIASP2TPHJSQH3FJXYZ")).toEqual([]);
    expect(checkSecret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).toEqual([]);
  });
  it.each([
    ["AKIASP2TPHJSQH3FJXY", "key-id-malformed"],
    ["AKIASP2TPHJSQH3FJX0Z", "key-id-malformed"],
    ["'AKIASP2TPHJSQH3FJXYZ'", "key-id-quoted"],
    ["AKIASP2TPHJSQH3FJXYZ\r", "key-id-cr"],
    ["AIDASP2TPHJSQH3FJXYZ", "key-id-wrong-prefix"],
  ])("key id %j -> %s", (v, code) => expect(checkKeyId(v).map((p) => p.code)).toContain(code));
  it.each([
    ["short", "secret-malformed"],
    ["AKIASP2TPHJSQH3FJXYZ", "secret-looks-like-key-id"],
    ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ", "secret-whitespace"],
  ])("secret shape -> %s", (v, code) => expect(checkSecret(v).map((p) => p.code)).toContain(code));
  it("accepts redaction placeholders from bundles, using the length hint when there is one", () => {
    expect(checkSecret("<redacted>")).toEqual([]);
    expect(checkSecret("****(40 chars)")).toEqual([]);
    expect(checkSecret("****(41 chars)").map((p) => p.code)).toEqual(["secret-malformed"]);
  });

  it("never puts the value in the detail", () => {
    const v = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY-BADCHAR!";
    for (const p of [...checkSecret(v), ...checkKeyId(v)]) expect(p.detail).not.toContain(v);
  });
});
