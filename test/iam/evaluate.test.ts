// The evaluator's layers and its tracer (the decision logic itself is covered by cases/*.json).

import { describe, expect, it } from "vitest";
import { evaluate, prepare, type TraceEvent } from "../../src/iam/index.js";

const allow = (Action: string) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action, Resource: "*" }],
});

describe("evaluate", () => {
  it("reports every layer with its verdict, SCP levels numbered from the root", () => {
    const { request, set } = prepare(
      { principal: "arn:aws:iam::111122223333:user/a", action: "s3:GetObject", resource: "arn:aws:s3:::b/k" },
      { identityPolicies: allow("s3:*"), scps: [[allow("*")], [allow("ec2:*")]], boundary: allow("s3:*") },
    );
    const raw = evaluate(request, set);
    expect(raw.layers.map((l) => [l.type, l.level, l.result])).toEqual([
      ["scp", 0, "allow"],
      ["scp", 1, "no-allow"],
      ["identity", undefined, "allow"],
      ["boundary", undefined, "allow"],
    ]);
    expect(raw.decision).toBe("ImplicitDeny");
    expect(raw.decidingLayer?.level).toBe(1);
  });

  it("a tracer sees each statement considered, and only statements of the action's service", () => {
    const events: TraceEvent[] = [];
    const { request, set } = prepare(
      { principal: "arn:aws:iam::111122223333:user/a", action: "s3:GetObject", resource: "*" },
      {
        identityPolicies: {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: "ec2:*", Resource: "*" },
            { Effect: "Allow", Action: "s3:Get*", Resource: "*" },
            { Effect: "Deny", NotAction: "s3:*", Resource: "*" },
          ],
        },
      },
    );
    evaluate(request, set, { tracer: (e) => events.push(e) });
    expect(events.map((e) => [e.op, e.statement?.stmt.index])).toEqual([
      ["match", 1],
      ["nomatch", 2],
    ]);
  });

  it("flags a condition that met a missing key", () => {
    const { request, set } = prepare(
      { principal: "arn:aws:iam::111122223333:user/a", action: "s3:GetObject", resource: "*" },
      {
        identityPolicies: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: "s3:*",
              Resource: "*",
              Condition: { StringEquals: { "aws:SourceVpc": "vpc-1" } },
            },
          ],
        },
      },
    );
    expect(evaluate(request, set).missingHit).toBe(true);
  });
});
