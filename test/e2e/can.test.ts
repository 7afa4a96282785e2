// End-to-end: the built `authdoctor can` on files (run `npm run build` first; npm test does).

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repoRoot, "dist/cli/bin.js");
const dir = mkdtempSync(path.join(tmpdir(), "authdoctor-can-"));
const file = (name: string, content: unknown) => {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return p;
};
const run = (args: string[]) =>
  spawnSync(process.execPath, [bin, "can", ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });

const role = "arn:aws:sts::111122223333:assumed-role/Cognito_AuthRole/CognitoIdentityCredentials";
const api = "arn:aws:appsync:us-east-1:111122223333:apis/abcd";
let gql: string;
let allowAll: string;

beforeAll(() => {
  gql = file("gql.json", {
    Version: "2012-10-17",
    Statement: [{ Sid: "Gql", Effect: "Allow", Action: "appsync:GraphQL", Resource: api }],
  });
  allowAll = file("all.json", {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
  });
});

describe("authdoctor can", () => {
  it("explains seed 001: the Resource does not cover the field, with the fix as a diff", () => {
    const r = run([
      "--policy",
      gql,
      "--principal",
      role,
      "--action",
      "appsync:GraphQL",
      "--resource",
      `${api}/types/Query/fields/getPost`,
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("ImplicitDeny");
    expect(r.stdout).toContain("IAM_RESOURCE_MISMATCH");
    expect(r.stdout).toContain(`+     "${api}/types/Query/fields/getPost"`);
  });

  it("--json prints the authdoctor.evaluation/v1 object", () => {
    const out = execFileSync(
      process.execPath,
      [
        bin,
        "can",
        "--json",
        "--policy",
        gql,
        "--principal",
        role,
        "--action",
        "appsync:GraphQL",
        "--resource",
        api,
      ],
      { encoding: "utf8" },
    );
    const j = JSON.parse(out);
    expect(j).toMatchObject({
      schema: "authdoctor.evaluation/v1",
      decision: "Allowed",
      decidedBy: [{ sid: "Gql", index: 0 }],
    });
  });

  it("SCP levels: one --scp per level, an empty array allows nothing", () => {
    const empty = file("empty-level.json", "[]");
    const r = run([
      "--json",
      "--policy",
      allowAll,
      "--scp",
      allowAll,
      "--scp",
      empty,
      "--principal",
      "arn:aws:iam::111122223333:user/a",
      "--action",
      "s3:GetObject",
      "--resource",
      "arn:aws:s3:::b/k",
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({ decision: "ImplicitDeny", cause: "SCP_DENY" });
  });

  it("--context key=value feeds conditions", () => {
    const ip = file("ip.json", {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "s3:*",
          Resource: "*",
          Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
        },
      ],
    });
    const base = [
      "--json",
      "--policy",
      ip,
      "--principal",
      "arn:aws:iam::111122223333:user/a",
      "--action",
      "s3:GetObject",
    ];
    expect(JSON.parse(run([...base, "--context", "aws:SourceIp=203.0.113.7"]).stdout).decision).toBe(
      "Allowed",
    );
    expect(JSON.parse(run([...base, "--context", "aws:SourceIp=198.51.100.7"]).stdout).cause).toBe(
      "IAM_CONDITION_FAILED",
    );
  });

  it("--requests prints one JSON line per request in input order, with an error line for a bad one", () => {
    const reqs = file(
      "reqs.jsonl",
      [
        JSON.stringify({ principal: role, action: "appsync:GraphQL", resource: api }),
        "{not json",
        JSON.stringify({
          principal: role,
          action: "appsync:GraphQL",
          resource: `${api}/types/Query/fields/x`,
        }),
        JSON.stringify({ principal: role, action: "nope" }),
        JSON.stringify({
          principal: role,
          action: "s3:GetObject",
          resource: "arn:aws:s3:::b/k",
          identityPolicies: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
          },
        }),
        JSON.stringify({
          principal: role,
          action: "s3:GetObject",
          identityPolicies: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Permit", Action: "s3:GetObject" }],
          },
        }),
      ].join("\n"),
    );
    const r = run(["--json", "--policy", gql, "--requests", reqs]);
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.decision ?? `error@${l.line}`)).toEqual([
      "Allowed",
      "error@2",
      "ImplicitDeny",
      "error@4",
      "Allowed",
      "error@6",
    ]);
    expect(lines[1].error).toContain("reqs.jsonl (line 2, column 2): invalid JSON");
  });

  it("a role session is evaluated with the role's policies from --authz", () => {
    const authz = file("authz.json", {
      RoleDetailList: [
        {
          RoleName: "App",
          RoleId: "AROA1",
          Arn: "arn:aws:iam::111122223333:role/App",
          Path: "/",
          RolePolicyList: [
            {
              PolicyName: "p",
              PolicyDocument: {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: "sqs:*", Resource: "*" }],
              },
            },
          ],
          AttachedManagedPolicies: [],
        },
      ],
      Policies: [],
    });
    const r = run([
      "--json",
      "--authz",
      authz,
      "--principal",
      "arn:aws:sts::111122223333:assumed-role/App/x",
      "--action",
      "sqs:SendMessage",
      "--resource",
      "arn:aws:sqs:us-east-1:111122223333:q",
    ]);
    expect(JSON.parse(r.stdout).decision).toBe("Allowed");
  });

  it("a broken policy file is exit 2 with the file, line and column", () => {
    const bad = file(
      "bad.json",
      '{"Version":"2012-10-17",\n "Statement": [ {"Effect": "Allow", "Action": 3} ]}',
    );
    const r = run(["--policy", bad, "--principal", role, "--action", "s3:GetObject"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.json \(line 2, column \d+\): statement 0/);
  });

  it("a missing file and a missing --action are exit 2", () => {
    expect(
      run(["--policy", path.join(dir, "none.json"), "--principal", role, "--action", "s3:GetObject"]).status,
    ).toBe(2);
    expect(run(["--policy", gql, "--principal", role]).status).toBe(2);
  });

  it("--help shows examples", () => {
    const r = run(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Examples:");
  });
});
