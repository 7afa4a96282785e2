// Policy parsing: every problem with its position; single value and array forms; Version; fast-check robustness.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scanJson } from "../../src/iam/json.js";
import { parse, parseValue } from "../../src/iam/parse.js";

const codes = (text: string) => parse(text, "p.json").errors.map((e) => e.code);

describe("parse", () => {
  it("accepts single values and arrays alike", () => {
    const a = parse(
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}',
      "a",
    );
    const b = parse(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]}]}',
      "b",
    );
    expect(a.errors).toEqual([]);
    expect(a.policy?.statements[0]?.action).toEqual(["s3:GetObject"]);
    expect(b.policy?.statements[0]?.resource).toEqual(["*"]);
  });

  it("collects every error with line and column", () => {
    const text = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Permit", "Action": "s3:GetObject", "Resource": "*" },
    { "Effect": "Allow", "Action": 42, "Resource": "*" },
    { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": { "StringEquals": { "k": [{}] } } },
    { "Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:Put*", "Resource": "*", "Colour": "red" }
  ]
}`;
    const r = parse(text, "p.json");
    const byCode = Object.fromEntries(r.errors.map((e) => [e.code, e.where]));
    expect(byCode.policy_bad_effect).toEqual({ line: 4, column: 17 });
    expect(r.errors.find((e) => e.code === "policy_type_error")?.where.line).toBe(5);
    expect(r.errors.some((e) => e.code === "policy_type_error" && e.where.line === 6)).toBe(true);
    expect(byCode.policy_conflicting_elements?.line).toBe(7);
    expect(byCode.policy_unknown_element?.line).toBe(7);
  });

  it("reports duplicate keys (JSON.parse silently keeps the last)", () => {
    const r = parse(
      '{"Version":"2012-10-17",\n"Statement":[{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}]}',
      "d",
    );
    expect(r.errors[0]).toMatchObject({ code: "json_duplicate_key", where: { line: 2, column: 32 } });
    expect(r.policy?.statements[0]?.effect).toBe("Deny");
  });

  it("reports syntax errors with a position and no policy", () => {
    const r = parse('{"Version": "2012-10-17",\n  "Statement": [ }', "s");
    expect(r.policy).toBeUndefined();
    expect(r.errors[0]).toMatchObject({ code: "json_syntax", where: { line: 2 } });
  });

  it("checks Version and warns when it is missing", () => {
    expect(codes('{"Version":"2012-10-18","Statement":[]}')).toContain("policy_bad_version");
    expect(codes('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}')).toEqual([
      "policy_no_version",
    ]);
    expect(parse('{"Version":"2008-10-17","Statement":[]}', "x").policy?.version).toBe("2008-10-17");
  });

  it("checks principals, operators and actions", () => {
    expect(
      codes('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"me","Action":"*"}]}'),
    ).toContain("policy_principal_string");
    expect(
      codes('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Bob":"x"},"Action":"*"}]}'),
    ).toContain("policy_bad_principal");
    expect(
      codes(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEq":{"a":"b"}}}]}',
      ),
    ).toContain("policy_bad_operator");
    expect(
      codes(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3 GetObject","Resource":"*"}]}',
      ),
    ).toContain("policy_bad_action");
    expect(codes('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}')).toContain(
      "policy_missing_element",
    );
  });

  it("stringifies numbers and booleans in condition values", () => {
    const r = parse(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:max-keys":[10,2.5]}}}]}',
      "n",
    );
    expect(r.policy?.statements[0]?.condition).toEqual([
      { operator: "Bool", key: "aws:SecureTransport", values: ["false"] },
      { operator: "NumericLessThan", key: "s3:max-keys", values: ["10", "2.5"] },
    ]);
  });

  it("accepts URL-encoded documents as get-account-authorization-details may give them", () => {
    const doc = encodeURIComponent(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
    );
    expect(parseValue(doc, "u").policy?.statements).toHaveLength(1);
  });

  it("never throws on arbitrary text, and positions are within the text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const r = parse(s, "f");
        const lines = s.split("\n").length;
        for (const e of r.errors) expect(e.where.line).toBeLessThanOrEqual(lines);
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it("the scanner agrees with JSON.parse on any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v, null, 1);
        const r = scanJson(text);
        expect(r.problems).toEqual([]);
        expect(r.node).toBeDefined();
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
