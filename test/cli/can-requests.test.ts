// `can` output from the built CLI against the reference: the optimised batch path (memo, texts kept per result,
// records redacted one by one, one write per batch) prints exactly what evaluating each line afresh and
// JSON.stringify-ing it prints; `--json` on one request, written in pieces, is exactly JSON.stringify(result, null, 2);
// a 50,000-statement policy as --policy and --scp, denied, runs in a 256 MB heap; lint's work on large policies is
// linear.

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadEvaluationEnv } from "../../src/iam/env.js";
import { type CanRequest, evaluateRequest } from "../../src/iam/index.js";
import { lintWork } from "../../src/iam/lint.js";
import { lintText } from "../../src/iam/lint-files.js";
import { checkRequest } from "../../src/iam/requests.js";
import { evaluationJsonPieces } from "../../src/report/evaluation.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repoRoot, "dist/cli/bin.js");
const run = (args: string[], nodeArgs: string[] = []) =>
  spawnSync(process.execPath, [...nodeArgs, bin, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { PATH: process.env.PATH ?? "", HOME: repoRoot, NO_COLOR: "1" },
  });
const dir = mkdtempSync(path.join(tmpdir(), "authdoctor-can-requests-"));
const ACCOUNT = "111122223333";

/** Small seeded PRNG (mulberry32): the workload is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const identity = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Data",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject"],
      Resource: "arn:aws:s3:::data/*",
      Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } },
    },
    {
      Sid: "Start",
      Effect: "Allow",
      Action: "ec2:StartInstances",
      Resource: `arn:aws:ec2:*:${ACCOUNT}:instance/*`,
      Condition: { StringEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } },
    },
    {
      Sid: "NoStopWithoutMfa",
      Effect: "Deny",
      Action: "ec2:StopInstances",
      Resource: "*",
      Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
    },
    { Sid: "Queues", Effect: "Allow", Action: "sqs:SendMessage", Resource: `arn:aws:sqs:*:${ACCOUNT}:q-*` },
  ],
};
const scp = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: "*", Resource: "*" },
    {
      Sid: "Regions",
      Effect: "Deny",
      NotAction: ["iam:*", "sts:*"],
      Resource: "*",
      Condition: { StringNotEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } },
    },
  ],
};
const bucketPolicy = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::444455556666:root" },
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::data/*",
    },
  ],
};

/** A mixed batch with repeats, fresh resources and context values that do and do not matter. */
function workload(n: number): string[] {
  const r = rng(7);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const region = pick(["us-east-1", "eu-west-1", "ap-east-1"]);
    const [action, resource] = pick<[string, string]>([
      ["s3:GetObject", `arn:aws:s3:::data/k${Math.floor(r() * 4)}`],
      ["s3:PutObject", "arn:aws:s3:::data/k1"],
      ["s3:DeleteObject", "arn:aws:s3:::data/k1"],
      ["ec2:StartInstances", `arn:aws:ec2:${region}:${ACCOUNT}:instance/i-${Math.floor(r() * 1e6)}`],
      ["ec2:StopInstances", `arn:aws:ec2:${region}:${ACCOUNT}:instance/i-1`],
      ["sqs:SendMessage", `arn:aws:sqs:${region}:${ACCOUNT}:q-${Math.floor(r() * 3)}`],
    ]);
    const principal = pick([`arn:aws:iam::${ACCOUNT}:user/alice`, "arn:aws:iam::444455556666:user/partner"]);
    const context: Record<string, string> = {
      "aws:SourceIp": r() < 0.5 ? `10.0.0.${Math.floor(r() * 3)}` : "198.51.100.7",
      "aws:RequestedRegion": region,
      "aws:CurrentTime": "2026-06-15T12:00:00Z",
    };
    if (r() < 0.5) context["aws:MultiFactorAuthPresent"] = r() < 0.5 ? "true" : "false";
    const line: Record<string, unknown> = { principal, action, resource, resourceAccount: ACCOUNT, context };
    if (principal.includes("444455556666") && action.startsWith("s3:")) line.resourcePolicy = bucketPolicy;
    out.push(JSON.stringify(line));
  }
  // two bad lines: each gets its own error record, the rest goes on
  out.splice(10, 0, "{not json");
  out.splice(20, 0, JSON.stringify({ principal: "x", action: "bad action" }));
  return out;
}

describe("can --requests through the CLI equals the reference", () => {
  const identityFile = path.join(dir, "identity.json");
  const scpFile = path.join(dir, "scp.json");
  writeFileSync(identityFile, JSON.stringify(identity));
  writeFileSync(scpFile, JSON.stringify(scp));
  const lines = workload(600);
  const reqFile = path.join(dir, "requests.jsonl");
  writeFileSync(reqFile, `${lines.join("\n")}\n`);
  /** Each line evaluated on its own (no memo) and stringified: the contract of docs/json-contract.md. */
  const reference = async () => {
    // the environment the CLI builds from the same files (policies are named by their paths)
    const { env } = await loadEvaluationEnv({ policy: [identityFile], scp: [scpFile] });
    return lines.map((l, i) => {
      try {
        const v = JSON.parse(l) as CanRequest;
        if (checkRequest(v)) return { line: i + 1, result: undefined };
        return { line: i + 1, result: evaluateRequest(v, env) };
      } catch {
        return { line: i + 1, result: undefined };
      }
    });
  };

  it("--json: every evaluation line is JSON.stringify of a fresh evaluation", async () => {
    const r = run(["can", "--policy", identityFile, "--scp", scpFile, "--requests", reqFile, "--json"]);
    expect(r.status).toBe(0);
    const got = r.stdout.split("\n");
    expect(got.pop()).toBe("");
    expect(got).toHaveLength(lines.length);
    for (const [i, ref] of (await reference()).entries()) {
      if (ref.result) expect(got[i]).toBe(JSON.stringify(ref.result));
      else expect(JSON.parse(got[i]!)).toMatchObject({ schema: "authdoctor.evaluation/v1", line: i + 1 });
    }
    expect(got.filter((l) => l.includes('"error"'))).toHaveLength(2);
  });

  it("--output decisions: every line is JSON.stringify of the lean object", async () => {
    const r = run([
      "can",
      "--policy",
      identityFile,
      "--scp",
      scpFile,
      "--requests",
      reqFile,
      "--output",
      "decisions",
    ]);
    expect(r.status).toBe(0);
    const got = r.stdout.trimEnd().split("\n");
    expect(got).toHaveLength(lines.length);
    for (const [i, ref] of (await reference()).entries()) {
      if (!ref.result) continue;
      const o: Record<string, unknown> = {
        schema: "authdoctor.decision/v1",
        line: i + 1,
        decision: ref.result.decision,
      };
      if (ref.result.cause) o.cause = ref.result.cause;
      if (ref.result.deniedBy) o.deniedBy = ref.result.deniedBy;
      expect(got[i]).toBe(JSON.stringify(o));
    }
  });
});

/** A policy of `n` statements (the shape of bench/iam-cli.mjs's large policy). */
function bigPolicy(n: number): string {
  const statements = [];
  for (let i = 0; i < n; i++)
    statements.push({
      Sid: `S${i}`,
      Effect: i % 10 === 0 ? "Deny" : "Allow",
      Action: ["s3:GetObject", "ec2:Describe*", "dynamodb:Query"][i % 3],
      Resource: `arn:aws:s3:::bucket-${i}/*`,
      ...(i % 5 === 0 ? { Condition: { StringEquals: { "aws:PrincipalTag/team": `t${i}` } } } : {}),
    });
  return JSON.stringify({ Version: "2012-10-17", Statement: statements }, null, 1);
}

describe("can on large policies", () => {
  it("--json on one request is JSON.stringify(result, null, 2), written in pieces that end after a comma", () => {
    const policy = JSON.parse(bigPolicy(3000));
    const result = evaluateRequest(
      {
        principal: `arn:aws:iam::${ACCOUNT}:user/alice`,
        action: "s3:PutObject",
        resource: "arn:aws:s3:::bucket-3/k",
      },
      { identityPolicies: [policy], scps: [[policy]] },
    );
    expect(result.fix?.document).toBeDefined();
    const pieces = [...evaluationJsonPieces(result)];
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join("")).toBe(JSON.stringify(result, null, 2));
    for (const p of pieces.slice(0, -1)) expect(p.endsWith(",")).toBe(true);
  });

  it("a denied request on a 50,000-statement policy as --policy and --scp runs in a 256 MB heap", () => {
    const file = path.join(dir, "big-50k.json");
    writeFileSync(file, bigPolicy(50_000));
    const r = run(
      [
        "can",
        "--policy",
        file,
        "--scp",
        file,
        "--principal",
        `arn:aws:iam::${ACCOUNT}:user/alice`,
        "--action",
        "s3:PutObject",
        "--resource",
        "arn:aws:s3:::bucket-3/k",
        "--json",
      ],
      ["--max-old-space-size=256"],
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { decision: string; fix: { document: { Statement: unknown[] } } };
    expect(out.decision).toBe("ImplicitDeny");
    expect(out.fix.document.Statement).toHaveLength(50_001);
  }, 180_000);

  it("lint's work grows linearly with the statements (token grids per statement bounded)", async () => {
    const before = { ...lintWork };
    await lintText(bigPolicy(2000), "a.json");
    const small = lintWork.grids - before.grids;
    const mid = { ...lintWork };
    await lintText(bigPolicy(4000), "b.json");
    const large = lintWork.grids - mid.grids;
    // a pattern is tried against the formats of its own service only: a few grids per statement
    expect(small).toBeLessThanOrEqual(2000 * 4);
    expect(large).toBeLessThanOrEqual(2.2 * small);
  });
});
