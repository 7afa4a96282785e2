// Compiling: statements are indexed by service, NotAction and wildcard services go to every service.

import { describe, expect, it } from "vitest";
import { actionMatches, compilePolicy } from "../../src/iam/compile.js";
import { parseValue } from "../../src/iam/parse.js";

const policy = parseValue(
  {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: ["s3:GetObject", "ec2:Describe*"], Resource: "*" },
      { Effect: "Allow", Action: "*", Resource: "*" },
      { Effect: "Deny", NotAction: "iam:*", Resource: "*" },
      { Effect: "Allow", Action: "sqs:*", Resource: "*" },
      { Effect: "Allow", Action: "s3*:List*", Resource: "*" },
    ],
  },
  "p",
).policy!;

describe("compilePolicy", () => {
  const cp = compilePolicy(policy, "identity");
  it("gives each service its own statements plus the ones that can match any service, in order", () => {
    expect(cp.forService("s3").map((s) => s.stmt.index)).toEqual([0, 1, 2, 4]);
    expect(cp.forService("sqs").map((s) => s.stmt.index)).toEqual([1, 2, 3, 4]);
    expect(cp.forService("kms").map((s) => s.stmt.index)).toEqual([1, 2, 4]);
  });
  it("matches actions case-insensitively, with wildcards and NotAction", () => {
    const [a, , notIam, , wild] = cp.statements;
    expect(actionMatches(a!, "ec2:describeinstances")).toBe(true);
    expect(actionMatches(a!, "ec2:runinstances")).toBe(false);
    expect(actionMatches(notIam!, "iam:createuser")).toBe(false);
    expect(actionMatches(notIam!, "s3:getobject")).toBe(true);
    expect(actionMatches(wild!, "s3express:listallmybuckets")).toBe(true);
  });
});
