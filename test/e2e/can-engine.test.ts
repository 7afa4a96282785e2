// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written `${...}` in plain strings
// End-to-end: `authdoctor can` batch and CI behaviour of issue 12 (run `npm run build` first; npm test does):
// --requests lines that fail alone, null context, out-of-range numbers, --output decisions, --fail-on, policy warnings.

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repoRoot, "dist/cli/bin.js");
const dir = mkdtempSync(path.join(tmpdir(), "authdoctor-can-engine-"));
const file = (name: string, content: unknown) => {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return p;
};
const run = (args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

const alice = "arn:aws:iam::111122223333:user/alice";
const s3get = file("s3get.json", {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: "*",
      Condition: { Null: { "aws:SourceVpce": "true" } },
    },
  ],
});

describe("can --requests", () => {
  it("a bad line or an out-of-range number is that line's error; the other lines are evaluated (exit 0)", () => {
    const lines = [
      { principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/k" },
      { principal: alice, action: "s3:GetObject", context: { "aws:EpochTime": 1e16 } },
      "{not json",
      '{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","context":{"n":1e400}}',
      { principal: alice, action: "s3:GetObject", context: { "aws:EpochTime": "Infinity" } },
      { principal: alice, action: "s3:PutObject" },
    ].map((l) => (typeof l === "string" ? l : JSON.stringify(l)));
    const reqs = file("mixed.jsonl", `${lines.join("\n")}\n`);
    const r = run(["can", "--policy", s3get, "--requests", reqs, "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(out).toHaveLength(6);
    expect(out[0].decision).toBe("Allowed");
    expect(out[1]).toMatchObject({ line: 2, error: expect.stringMatching(/aws:EpochTime.*out of range/) });
    expect(out[2]).toMatchObject({ line: 3, error: expect.stringContaining("invalid JSON") });
    expect(out[3]).toMatchObject({ line: 4, error: expect.stringContaining("out of range") });
    expect(out[4]).toMatchObject({ line: 5, error: expect.stringContaining("aws:EpochTime") });
    expect(out[5].decision).toBe("ImplicitDeny");
    expect(r.stdout).not.toContain("internal error");
  });

  it("a null context value means absent, overriding a derived key", () => {
    const pol = file("user.json", {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "*",
          Condition: { Null: { "aws:username": "true" } },
        },
      ],
    });
    const reqs = file(
      "null.jsonl",
      `${JSON.stringify({ principal: alice, action: "s3:GetObject", context: { "aws:username": null } })}\n${JSON.stringify({ principal: alice, action: "s3:GetObject" })}\n`,
    );
    const r = run(["can", "--policy", pol, "--requests", reqs, "--output", "decisions"]);
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(out.map((o) => o.decision)).toEqual(["Allowed", "ImplicitDeny"]);
    expect(out[0]).toEqual({ schema: "authdoctor.decision/v1", line: 1, decision: "Allowed" });
    expect(out[1]).toMatchObject({
      schema: "authdoctor.decision/v1",
      line: 2,
      cause: "IAM_CONDITION_FAILED",
      deniedBy: "identity",
    });
  });

  it("--context aws:EpochTime=1e16 is a usage error naming the flag (exit 2), not an internal error", () => {
    for (const v of ["1e16", "1e400", "Infinity"]) {
      const r = run([
        "can",
        "--policy",
        s3get,
        "--principal",
        alice,
        "--action",
        "s3:GetObject",
        "--context",
        `aws:EpochTime=${v}`,
      ]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^authdoctor: --context: .*aws:EpochTime/);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});

describe("CI exit codes", () => {
  it("can --fail-on deny exits 3 when a request is denied, 0 otherwise", () => {
    const base = ["can", "--policy", s3get, "--principal", alice];
    expect(run([...base, "--action", "s3:GetObject", "--fail-on", "deny"]).status).toBe(0);
    expect(run([...base, "--action", "s3:PutObject", "--fail-on", "deny"]).status).toBe(3);
    expect(run([...base, "--action", "s3:PutObject"]).status).toBe(0);
    const reqs = file(
      "two.jsonl",
      `${JSON.stringify({ principal: alice, action: "s3:GetObject" })}\n${JSON.stringify({ principal: alice, action: "s3:PutObject" })}\n`,
    );
    expect(
      run(["can", "--policy", s3get, "--requests", reqs, "--fail-on", "deny", "--output", "decisions"])
        .status,
    ).toBe(3);
    expect(run([...base, "--action", "s3:GetObject", "--fail-on", "maybe"]).status).toBe(2);
  });

  it("lint --fail-on error|warning exits 3 when met, 0 otherwise", () => {
    const clean = file("clean.json", {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }],
    });
    const warned = file("warned.json", {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::${Account}-logs/*" }],
    });
    const broken = file("broken.json", {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "*",
          Condition: { IpAddress: { "aws:SourceIp": "10.0.0.300/8" } },
        },
      ],
    });
    expect(run(["lint", clean, "--fail-on", "warning"]).status).toBe(0);
    expect(run(["lint", warned, "--fail-on", "error"]).status).toBe(0);
    expect(run(["lint", warned, "--fail-on", "warning"]).status).toBe(3);
    expect(run(["lint", broken, "--fail-on", "error"]).status).toBe(3);
    expect(run(["lint", broken]).status).toBe(0);
  });
});

describe("policy problems", () => {
  const messy = file("messy.json", {
    Version: "2012-10-17",
    Statement: [
      { Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::home/${aws:usename}/*" },
      {
        Sid: "B",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: "arn:aws:iam::111122223333:role/[PRIVILEGED_ROLE]",
      },
      {
        Sid: "C",
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: "*",
        Condition: {
          DateGreaterThan: { "aws:CurrentTime": "yesterday" },
          Bool: { "aws:SecureTransport": "yes" },
          NumericLessThan: { "s3:max-keys": "ten" },
        },
      },
    ],
  });

  it("lint reports condition values against the operator, unknown variables and placeholders", () => {
    const r = run(["lint", messy, "--format", "json"]);
    const codes = JSON.parse(r.stdout).files[0].findings.map((f: { code: string }) => f.code);
    expect(codes.filter((c: string) => c === "condition_value_invalid")).toHaveLength(3);
    expect(codes).toContain("unknown_policy_variable");
    expect(codes).toContain("placeholder");
    expect(r.stdout).toContain("did you mean `${aws:username}`");
  });

  it("can warns on stderr about the policies it evaluates, and still answers", () => {
    const r = run([
      "can",
      "--policy",
      messy,
      "--principal",
      alice,
      "--action",
      "s3:GetObject",
      "--resource",
      "arn:aws:s3:::home/alice/x",
      "--json",
    ]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).decision).toBe("ImplicitDeny");
    expect(r.stderr).toContain("aws:usename");
    expect(r.stderr).toContain("[PRIVILEGED_ROLE]");
    expect(r.stderr).toContain("yesterday");
  });

  it("a Principal given as a plain string and an action with a comma are read leniently, and the output says so", () => {
    const bucket = file("lenient-bucket.json", {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: "arn:aws:iam::444455556666:user/bob",
          Action: "s3:GetObject, s3:PutObject",
          Resource: "arn:aws:s3:::b/*",
        },
        {
          Effect: "Allow",
          Principal: "arn:aws:iam::444455556666:user/bob",
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::b/*",
        },
      ],
    });
    const idp = file("bob.json", {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
    });
    const r = run([
      "can",
      "--policy",
      idp,
      "--resource-policy",
      bucket,
      "--principal",
      "arn:aws:iam::444455556666:user/bob",
      "--action",
      "s3:GetObject",
      "--resource",
      "arn:aws:s3:::b/k",
      "--resource-account",
      "111122223333",
      "--json",
    ]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.decision).toBe("Allowed");
    expect(out.notes.join("\n")).toMatch(/plain string: read as \{"AWS"/);
    expect(out.notes.join("\n")).toMatch(/matches no request/);
  });
});
