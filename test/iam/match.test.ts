// IAM wildcards, policy variables (defaults, escapes) and ARN part matching.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written `${...}` in plain strings

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Ctx, compileArnPattern, compileGlob, splitArn, substitute } from "../../src/iam/match.js";

const ctx = (o: Record<string, string>): Ctx =>
  new Map(Object.entries(o).map(([k, v]) => [k.toLowerCase(), [v]]));

describe("wildcards", () => {
  it.each([
    ["s3:Get*", "s3:getobject", true, true],
    ["s3:Get*", "s3:putobject", true, false],
    ["s3:Get?bject", "s3:GetObject", true, true],
    ["*", "anything", false, true],
    ["abc", "ABC", false, false],
    ["abc", "ABC", true, true],
    ["a*c", "a/b/c", false, true],
    ["a?c", "ac", false, false],
    ["a.c", "abc", false, false],
  ])("%s vs %s (ignoreCase %s) -> %s", (p, v, ic, want) => {
    expect(compileGlob(p, { ignoreCase: ic }).test(v)).toBe(want);
  });
});

describe("policy variables", () => {
  it("substitutes a context value and matches it literally", () => {
    const g = compileGlob("arn:aws:s3:::b/home/${aws:username}/*", { vars: true });
    expect(g.test("arn:aws:s3:::b/home/alice/x", ctx({ "aws:username": "alice" }))).toBe(true);
    expect(g.test("arn:aws:s3:::b/home/alice/x", ctx({ "aws:username": "a*" }))).toBe(false);
  });
  it("is unresolvable (undefined) without the key and no default", () => {
    expect(compileGlob("x/${aws:username}", { vars: true }).test("x/alice", ctx({}))).toBeUndefined();
  });
  it("uses the default value", () => {
    expect(compileGlob("x/${aws:username, 'nobody'}", { vars: true }).test("x/nobody", ctx({}))).toBe(true);
  });
  it("treats ${*} ${?} ${$} as literal characters", () => {
    const g = compileGlob("a${*}b${?}c${$}", { vars: true });
    expect(g.test("a*b?c$")).toBe(true);
    expect(g.test("aXbYc$")).toBe(false);
  });
  it("leaves variables alone when the policy has no 2012-10-17 version", () => {
    expect(compileGlob("x/${aws:username}", { vars: false }).test("x/${aws:username}")).toBe(true);
    expect(substitute("${aws:username}", false, ctx({ "aws:username": "a" }))).toBe("${aws:username}");
  });
  it("keys are case-insensitive", () => {
    expect(substitute("${AWS:UserName}", true, ctx({ "aws:username": "a" }))).toBe("a");
  });
});

describe("ARN patterns", () => {
  it("splits into six parts, the last keeping its colons", () => {
    expect(splitArn("arn:aws:logs:us-east-1:1:log-group:x:*")).toEqual([
      "arn",
      "aws",
      "logs",
      "us-east-1",
      "1",
      "log-group:x:*",
    ]);
    expect(splitArn("nope")).toBeUndefined();
  });
  it("matches part by part and names the failing part", () => {
    const m = compileArnPattern("arn:aws:ec2:*:111122223333:instance/*", true);
    const arn = "arn:aws:ec2:us-east-1:444455556666:instance/i-1";
    expect(m.test(arn, splitArn(arn))).toBe(false);
    expect(m.failingSegment(arn, splitArn(arn))).toBe("account");
  });
  it("is case-sensitive on resources", () => {
    const m = compileArnPattern("arn:aws:s3:::Bucket/*", true);
    expect(m.test("arn:aws:s3:::bucket/x", splitArn("arn:aws:s3:::bucket/x"))).toBe(false);
  });
  it("a bucket ARN does not match an object pattern and vice versa", () => {
    const obj = compileArnPattern("arn:aws:s3:::b/*", true);
    expect(obj.test("arn:aws:s3:::b", splitArn("arn:aws:s3:::b"))).toBe(false);
  });
});

describe("patterns with several `*` (matched without a regex)", () => {
  const reference = (p: string, ic: boolean) =>
    new RegExp(
      `^${p
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/]/g, "\\$&")))
        .join("")}$`,
      ic ? "is" : "s",
    );
  it("agree with a regex on random patterns and values", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "B", "b", "*", "?", ":", "\n"), maxLength: 12 }),
        fc.string({ unit: fc.constantFrom("a", "A", "b", "B", ":", "\n"), maxLength: 14 }),
        fc.boolean(),
        (p, v, ic) => {
          expect(compileGlob(p, { ignoreCase: ic }).test(v)).toBe(reference(p, ic).test(v));
        },
      ),
      { seed: 7, numRuns: 3000 },
    );
  });
  it("agree with part-by-part matching on ARN patterns", () => {
    const seg = fc.string({ unit: fc.constantFrom("a", "b", "*", "?"), maxLength: 6 });
    const val = fc.string({ unit: fc.constantFrom("a", "b", ":"), maxLength: 5 });
    fc.assert(
      fc.property(
        fc.array(seg, { minLength: 5, maxLength: 5 }),
        fc.array(val, { minLength: 5, maxLength: 5 }),
        (ps, vs) => {
          const pattern = `arn:${ps.join(":")}`;
          const arn = `arn:${vs.join(":")}`;
          // the regex the matcher used before: wildcards in the first five parts stop at `:`
          const part = (p: string, last: boolean) =>
            p.replace(/[*?]/g, (c) => (c === "*" ? (last ? ".*" : "[^:]*") : last ? "." : "[^:]"));
          const expected = new RegExp(`^arn:${ps.map((p, i) => part(p, i === 4)).join(":")}$`, "s").test(arn);
          const parts = splitArn(arn)!;
          expect(compileArnPattern(pattern, false).test(arn, parts)).toBe(expected);
        },
      ),
      { seed: 7, numRuns: 3000 },
    );
  });
  it("a hostile pattern is matched at once, a very long one compiles", () => {
    const v = `arn:aws:s3:::${"a".repeat(5000)}`;
    const hostile = `arn:aws:s3:::${"*a".repeat(30)}*b`;
    expect(compileArnPattern(hostile, true).test(v, splitArn(v))).toBe(false);
    expect(compileGlob(`${"*a".repeat(30)}*b`).test("a".repeat(5000))).toBe(false);
    expect(compileGlob(`${"*?".repeat(50_000)}x`).test(`${"y".repeat(50_000)}x`)).toBe(true);
  });
});
