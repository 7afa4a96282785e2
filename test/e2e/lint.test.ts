// End-to-end: the built `authdoctor lint` in text, JSON and SARIF.

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repoRoot, "dist/cli/bin.js");
const dir = mkdtempSync(path.join(tmpdir(), "authdoctor-lint-"));
const policy = path.join(dir, "p.json");
writeFileSync(
  policy,
  `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": "appsync:GraphQL", "Resource": "arn:aws:appsync:us-east-1:111122223333:apis/abc/types/create/*" },
    { "Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*" }
  ]
}`,
);
const run = (args: string[]) =>
  spawnSync(process.execPath, [bin, "lint", ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });

describe("authdoctor lint", () => {
  it("prints file:line:column findings", () => {
    const r = run([policy]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${policy}:4:`);
    expect(r.stdout).toContain("[appsync_type_not_root]");
    expect(r.stdout).toMatch(/p\.json:5:\d+: error .*did you mean `s3:GetObject`/);
  });

  it("--format json gives the authdoctor.lint/v1 object", () => {
    const j = JSON.parse(run([policy, "--format", "json"]).stdout);
    expect(j.schema).toBe("authdoctor.lint/v1");
    expect(j.files[0].findings.map((f: { code: string }) => f.code)).toEqual([
      "appsync_type_not_root",
      "unknown_action",
    ]);
  });

  it("--format sarif gives SARIF 2.1.0 with regions", () => {
    const j = JSON.parse(run([policy, "--format", "sarif"]).stdout);
    expect(j.version).toBe("2.1.0");
    expect(j.runs[0].results[1]).toMatchObject({
      ruleId: "unknown_action",
      level: "error",
      locations: [{ physicalLocation: { region: { startLine: 5 } } }],
    });
  });

  it("an unreadable file is named on stderr, the others are still linted, exit 2", () => {
    const r = run([path.join(dir, "missing.json"), policy]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("missing.json: cannot read: no such file");
    expect(r.stdout).toContain("unknown_action");
  });

  it("a bad --format is exit 2", () => {
    expect(run([policy, "--format", "xml"]).status).toBe(2);
  });
});
