// Every policy and snapshot in ../shared/data loads without a crash, and evaluating against them does not throw.

import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { evaluateRequest, loadAuthzSnapshot, parse, parseValue } from "../../src/iam/index.js";
import { describeShared } from "../support/shared-data.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const data = path.resolve(repoRoot, "../shared/data");

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

const policyDirs = ["aws-scp-examples", "aws-rcp-examples", "aws-data-perimeter-examples"];

describeShared("data/policies", "shared policy data", () => {
  it("parses every SCP, RCP and data-perimeter example (the known-bad upstream files report a position)", () => {
    let ok = 0;
    const bad: string[] = [];
    const warned: string[] = [];
    for (const d of policyDirs)
      for (const f of walk(path.join(data, "policies", d)).filter((x) => x.endsWith(".json"))) {
        const r = parse(readFileSync(f, "utf8"), f);
        const errs = r.errors.filter((e) => e.severity !== "warning");
        if (r.errors.some((e) => e.code === "policy_bad_action")) warned.push(path.basename(f));
        if (r.policy && errs.length === 0) ok++;
        else {
          bad.push(path.basename(f));
          expect(errs[0]!.where.line).toBeGreaterThan(0);
        }
      }
    expect(ok).toBeGreaterThan(90);
    // Invalid JSON upstream.
    expect(bad.sort()).toEqual(["deny-service-specific-credential-by-type.json"]);
    // `<action>` placeholders left for the reader: parsed, with a warning (such an action matches nothing).
    expect(warned).toEqual(["s3_endpoint_policy.json"]);
  });

  it("parses and evaluates every AWS managed policy of iam-dataset", () => {
    const dir = path.join(data, "policies/iam-dataset/managedpolicies");
    const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(1600);
    let parsed = 0;
    for (const f of files) {
      const doc = JSON.parse(readFileSync(path.join(dir, f), "utf8")) as {
        document: unknown;
        malformed?: boolean;
      };
      const r = parseValue(doc.document, f);
      if (!r.policy) continue;
      parsed++;
      const res = evaluateRequest(
        {
          principal: "arn:aws:iam::111122223333:user/u",
          action: "s3:GetObject",
          resource: "arn:aws:s3:::b/k",
        },
        { identityPolicies: [r.policy] },
      );
      expect(["Allowed", "ImplicitDeny", "ExplicitDeny"]).toContain(res.decision);
    }
    expect(parsed).toBeGreaterThan(1600);
  });

  it("parses every IAM User Guide example policy", () => {
    const lines = readFileSync(
      path.join(data, "policies/awsdocs-iam-user-guide/doc_example_policies.jsonl"),
      "utf8",
    )
      .split("\n")
      .filter(Boolean);
    let ok = 0;
    for (const l of lines) {
      const r = parseValue((JSON.parse(l) as { policy: unknown }).policy, "doc");
      if (r.policy) ok++;
    }
    expect(ok).toBeGreaterThan(lines.length * 0.9);
  });
});

/** Every policy document inside an API output: objects with `Statement`, or strings holding one. */
function policiesIn(v: unknown, out: unknown[] = []): unknown[] {
  if (typeof v === "string" && v.includes("Statement")) {
    try {
      policiesIn(JSON.parse(v), out);
    } catch {
      // not JSON: not a policy
    }
  } else if (Array.isArray(v)) for (const x of v) policiesIn(x, out);
  else if (v && typeof v === "object") {
    if ("Statement" in v) out.push(v);
    else for (const x of Object.values(v)) policiesIn(x, out);
  }
  return out;
}

describeShared("data/authz-details", "resource policies in the CloudMapper demo account", () => {
  it("parses every bucket, queue, topic, function, repository policy and trust policy and evaluates against it", () => {
    const dir = path.join(data, "authz-details/cloudmapper-demo/account-data");
    const docs = walk(dir)
      .filter((f) => !f.endsWith("authorization-details.json"))
      .flatMap((f) => {
        try {
          return policiesIn(JSON.parse(readFileSync(f, "utf8")));
        } catch {
          return [];
        }
      });
    expect(docs.length).toBeGreaterThanOrEqual(8);
    for (const d of docs) {
      const r = parseValue(d, "resource policy");
      expect(r.errors.filter((e) => e.severity !== "warning")).toEqual([]);
      const res = evaluateRequest(
        {
          principal: "arn:aws:iam::999999999999:user/outsider",
          action: "s3:GetObject",
          resource: "arn:aws:s3:::cloudmapper_demo/x",
          resourceAccount: "123456789012",
        },
        {
          resourcePolicy: r.policy!,
          identityPolicies: [
            { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
          ],
        },
      );
      expect(["Allowed", "ImplicitDeny", "ExplicitDeny"]).toContain(res.decision);
    }
  });
});

describeShared("data/authz-details", "authorization snapshots", () => {
  const files = walk(path.join(data, "authz-details")).filter((f) =>
    /authorization-details\.json$|\/files\/.*\.json$/.test(f),
  );
  it("finds the snapshots", () => expect(files.length).toBe(6));
  for (const f of files)
    it(`loads ${path.basename(f)} and evaluates each principal`, () => {
      const snap = loadAuthzSnapshot(JSON.parse(readFileSync(f, "utf8")), f);
      for (const p of [...snap.users.values(), ...snap.roles.values()]) {
        const r = evaluateRequest({ principal: p.arn, action: "iam:ListUsers" }, { authz: snap });
        expect(r.schema).toBe("authdoctor.evaluation/v1");
      }
      expect(snap.users.size + snap.roles.size + snap.managed.size).toBeGreaterThan(0);
    });
});
