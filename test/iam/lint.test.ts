// Lint against the service reference; AWS managed policies raise no false "unknown action" findings.

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lintPolicy } from "../../src/iam/lint.js";
import { lintText } from "../../src/iam/lint-files.js";
import { parse, parseValue } from "../../src/iam/parse.js";
import { itShared, sharedPath } from "../support/shared-data.js";

async function codesOf(doc: unknown): Promise<string[]> {
  const r = parseValue(doc, "p.json");
  return (await lintPolicy(r.policy!, r.errors)).map((f) => f.code);
}
const pol = (...Statement: unknown[]) => ({ Version: "2012-10-17", Statement });

describe("lint", () => {
  it("finds a typo'd action and suggests the real one", async () => {
    const r = parseValue(pol({ Effect: "Allow", Action: "s3:GetObjekt", Resource: "*" }), "p");
    const f = await lintPolicy(r.policy!);
    expect(f[0]).toMatchObject({ code: "unknown_action", suggestion: "s3:GetObject" });
  });

  it("flags a pattern that matches no action and an unknown service", async () => {
    expect(
      await codesOf(pol({ Effect: "Allow", Action: ["s3:Frobnicate*", "nosuchsvc:Get"], Resource: "*" })),
    ).toEqual(["action_matches_nothing", "unknown_service"]);
  });

  it("s3:GetObject on a bucket ARN can never match", async () => {
    const codes = await codesOf(
      pol({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket" }),
    );
    expect(codes).toContain("resource_never_matches");
    expect(codes).toContain("action_never_covered");
  });

  it("s3:GetObject on bucket/* and ListBucket on the bucket is fine", async () => {
    expect(
      await codesOf(
        pol({
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:ListBucket"],
          Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
        }),
      ),
    ).toEqual([]);
  });

  it("appsync:GraphQL on types/create/* never matches; on types/Query/fields/* it does", async () => {
    expect(
      await codesOf(
        pol({
          Effect: "Allow",
          Action: "appsync:GraphQL",
          Resource: "arn:aws:appsync:us-east-1:1:apis/abc/types/create/*",
        }),
      ),
    ).toEqual(["appsync_type_not_root"]);
    expect(
      await codesOf(
        pol({
          Effect: "Allow",
          Action: "appsync:GraphQL",
          Resource: "arn:aws:appsync:us-east-1:1:apis/abc/types/Query/fields/*",
        }),
      ),
    ).toEqual([]);
  });

  it("condition keys that do not apply or do not exist", async () => {
    expect(
      await codesOf(
        pol({
          Effect: "Allow",
          Action: "ec2:RunInstances",
          Resource: "*",
          Condition: { StringEquals: { "s3:prefix": "x" } },
        }),
      ),
    ).toEqual(["condition_key_not_applicable"]);
    expect(
      await codesOf(
        pol({
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: "*",
          Condition: { StringEquals: { "s3:prefixx": "x", "aws:SourceIpp": "1" } },
        }),
      ),
    ).toEqual(["unknown_condition_key", "unknown_condition_key"]);
    expect(
      await codesOf(
        pol({
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "*",
          Condition: { StringEquals: { "s3:ExistingObjectTag/team": "x", "aws:PrincipalTag/team": "x" } },
        }),
      ),
    ).toEqual([]);
  });

  it("Allow with NotAction / NotResource, a public Allow, a missing Resource", async () => {
    expect(await codesOf(pol({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }))).toEqual([
      "allow_not_action",
    ]);
    expect(await codesOf(pol({ Effect: "Allow", Action: "s3:*", NotResource: "arn:aws:s3:::b" }))).toEqual([
      "allow_not_resource",
    ]);
    expect(
      await codesOf(
        pol({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }),
      ),
    ).toEqual(["public_allow"]);
    expect(await codesOf(pol({ Effect: "Allow", Action: "s3:GetObject" }))).toEqual([
      "identity_without_resource",
    ]);
  });

  it("operator and key type mismatches", async () => {
    expect(
      await codesOf(
        pol({
          Effect: "Deny",
          Action: "s3:*",
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceIp": "1.2.3.4" } },
        }),
      ),
    ).toEqual(["condition_operator_mismatch"]);
  });

  it("lintText reports parse problems with positions and lints each policy of an array", async () => {
    const r = await lintText(
      '[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObjekt","Resource":"*"}},\n {"Statement": 3}]',
      "a.json",
    );
    expect(r.findings.map((f) => [f.code, f.where.line])).toEqual([
      ["unknown_action", 1],
      ["policy_no_version", 2],
      ["policy_error", 2],
    ]);
    expect(parse("{", "x").errors[0]?.code).toBe("json_syntax");
  });

  itShared(
    "data/policies/iam-dataset",
    "AWS managed policies: every `unknown_action` is one iam-dataset also lists as unknown",
    async () => {
      const dir = sharedPath("data/policies/iam-dataset/managedpolicies");
      let linted = 0;
      const falseUnknown: string[] = [];
      for (const f of readdirSync(dir)) {
        const d = JSON.parse(readFileSync(path.join(dir, f), "utf8")) as {
          document: unknown;
          unknown_actions?: { action: string }[];
        };
        const r = parseValue(d.document, f);
        if (!r.policy) continue;
        linted++;
        const oracle = new Set((d.unknown_actions ?? []).map((x) => x.action.toLowerCase()));
        for (const x of await lintPolicy(r.policy)) {
          if (x.code !== "unknown_action") continue;
          const a = /`([^`]+)` is not an action/.exec(x.message)?.[1]?.toLowerCase() ?? "";
          if (!oracle.has(a)) falseUnknown.push(`${f}: ${x.message}`);
        }
      }
      expect(linted).toBeGreaterThan(1600);
      expect(falseUnknown).toEqual([]);
    },
    60_000,
  );
});
