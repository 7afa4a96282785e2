// End-to-end: the built CLI on the example bundles (each names its story's cause first), the report formats,
// input errors, and the canary secret of the rotated-key bundle never leaving in any format.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const bin = join(root, "dist/cli/bin.js");
const CANARY_SECRET = "tR8mCANARYq2Vn5Lw9xSECRETz4Hb7Kd1FjU6pYe";
const OLD_KEY = "AKIAYGDN2TRZOBSHPFX7";
const tmp = mkdtempSync(join(tmpdir(), "authdoctor-diagnose-e2e-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", HOME: tmp, ...env },
    input: "",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(args: string[]) {
  const out = execFileSync(process.execPath, [bin, ...args, "--json"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", HOME: tmp },
  });
  return JSON.parse(out);
}

const CASES = [
  ["appsync-unauthorized", "IAM_RESOURCE_MISMATCH"],
  ["opt-in-region-authfailure", "STS_TOKEN_VERSION_REGION"],
  ["passrole-missing", "PASSROLE_MISSING"],
  ["rotated-key", "KEY_INACTIVE"],
] as const;

describe("authdoctor diagnose --bundle examples/<name>", () => {
  it.each(CASES)("%s: names %s first, in the verdict and the ranking", (name, cause) => {
    const d = json(["diagnose", "--bundle", `examples/${name}`]);
    expect(d.schema).toBe("authdoctor.diagnosis/v1");
    expect(d.causes[0].id).toBe(cause);
    expect(d.verdict.cause).toBe(cause);
    expect(["confirmed", "likely"]).toContain(d.verdict.strength);
    expect(d.verdict.chain.length).toBeGreaterThan(0);
    expect(d.timeline.some((t: { kind: string }) => t.kind === "diagnosed")).toBe(true);
    expect(d.checked.find((c: { source: string }) => c.source === "trail").status).toBe("used");
    // the live probes were not asked for: an unknown, never a call
    expect(d.checked.find((c: { source: string }) => c.source === "live").status).toBe("not-given");
  });

  it("appsync: the evaluation confirms the Resource near miss, the trail rules out trust and role mapping", () => {
    const d = json(["diagnose", "--bundle", "examples/appsync-unauthorized"]);
    const chain = d.verdict.chain as Array<{ cause: string; effect: string; source: string }>;
    expect(chain.some((l) => l.effect === "confirms" && l.source === "policy evaluation")).toBe(true);
    expect(chain.some((l) => l.cause === "TRUST_POLICY" && l.effect === "refutes")).toBe(true);
    expect(d.policyDiff).toContain("apis/r7k2mq4xbzfwdh3nvyt5pelca4");
    // the verdict's fix carries the diff computed from the real policy, not the cause's illustrative one
    expect(d.verdict.fix.policyDiff).toBe(d.policyDiff);
    expect(d.verdict.fix.policyDiff).not.toContain("<the pattern that misses>");
    expect(d.timeline.map((t: { event: string }) => t.event)).toContain("sts:AssumeRoleWithWebIdentity");
  });

  it("opt-in region: the trail shows the global STS endpoint and rules out a disabled region", () => {
    const d = json(["diagnose", "--bundle", "examples/opt-in-region-authfailure"]);
    const texts = (d.evidence as Array<{ cause: string; effect: string; text: string }>).map(
      (s) => `${s.cause} ${s.effect} ${s.text}`,
    );
    expect(
      texts.some((t) => t.startsWith("STS_TOKEN_VERSION_REGION supports") && t.includes("sts.amazonaws.com")),
    ).toBe(true);
    expect(texts.some((t) => t.startsWith("REGION_NOT_ENABLED refutes"))).toBe(true);
  });

  it("passrole: the fix carries a policy diff for iam:PassRole on the execution role", () => {
    const d = json(["diagnose", "--bundle", "examples/passrole-missing"]);
    expect(d.verdict.fix.policyDiff).toContain("iam:PassRole");
    expect(d.verdict.fix.policyDiff).toContain("arn:aws:iam::305827461390:role/orders-api-lambda-exec");
  });

  it("flags override the bundle: another action changes the request diagnosed", () => {
    const d = json(["diagnose", "--bundle", "examples/appsync-unauthorized", "--action", "appsync:ListApis"]);
    expect(d.request.action).toBe("appsync:ListApis");
    expect(d.request.origins.action).toBe("--action");
    expect(d.request.origins.principal).toBe("case.json");
  });
});

describe("secrets never leave", () => {
  it.each(["text", "json", "markdown", "html"])("rotated-key in %s: no secret, no full key id", (format) => {
    const r = run(["diagnose", "--bundle", "examples/rotated-key", "--format", format, "--verbose"]);
    expect(r.code).toBe(0);
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain(CANARY_SECRET);
      expect(out).not.toContain(OLD_KEY);
    }
    // the masked id is shown (Markdown escapes its asterisks)
    expect(r.stdout.replace(/\\\*/g, "*")).toContain("AKIA****PFX7");
  });

  it("the other bundles' secrets stay out too", () => {
    const secret = "Zq8vN2bXr4TkP7mW1cYs9LdF3hJ6gQe0uVaBnR5E";
    const r = run(["diagnose", "--bundle", "examples/opt-in-region-authfailure", "--format", "markdown"]);
    expect(r.stdout).not.toContain(secret);
    expect(r.stdout).not.toContain("AKIATD2JTTNEUQXBLSXH");
  });
});

describe("formats and output", () => {
  it("--out writes a self-contained HTML report", () => {
    const out = join(tmp, "report.html");
    const r = run(["diagnose", "--bundle", "examples/passrole-missing", "--format", "html", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const html = readFileSync(out, "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("PASSROLE_MISSING");
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
  });

  it("markdown has the verdict, the evidence chain and the timeline", () => {
    const r = run(["diagnose", "--bundle", "examples/rotated-key", "--format", "markdown"]);
    expect(r.stdout).toContain("**Verdict: `KEY_INACTIVE`");
    expect(r.stdout).toContain("## Evidence chain");
    expect(r.stdout).toContain("iam:UpdateAccessKey");
  });

  it("text is the default and names the verdict", () => {
    const r = run(["diagnose", "--bundle", "examples/opt-in-region-authfailure"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Verdict\s+STS_TOKEN_VERSION_REGION/);
  });
});

describe("inputs", () => {
  it("error text alone: every missing evidence source is an unknown with what would decide it", () => {
    const d = json([
      "diagnose",
      "An error occurred (AuthFailure) when calling the DescribeInstances operation: AWS was not able to validate the provided access credentials",
      "--region",
      "ap-east-1",
    ]);
    const whats = (d.unknowns as Array<{ what: string; needs?: string }>).map((u) => u.what);
    expect(whats).toContain("no authorization snapshot");
    expect(whats).toContain("no CloudTrail records");
    const authz = d.unknowns.find((u: { what: string }) => u.what === "no authorization snapshot");
    expect(authz.needs).toContain("aws iam get-account-authorization-details");
    expect(d.causes[0].id).toBe("STS_TOKEN_VERSION_REGION");
  });

  it("without --time, the latest matching failure in the trail centres the timeline", () => {
    const d = json([
      "diagnose",
      "--file",
      "examples/passrole-missing/error.txt",
      "--authz",
      "examples/passrole-missing/authz.json",
      "--trail",
      "examples/passrole-missing/trail",
    ]);
    expect(d.request.time).toBe("2025-05-12T09:31:43Z");
    expect(d.request.origins.time).toBe("trail (latest matching failure)");
    expect(d.verdict.cause).toBe("PASSROLE_MISSING");
    expect(d.timeline.length).toBeGreaterThan(3);
  });

  it("an explicitly named input that cannot be read is exit 2 with one line naming it", () => {
    const r = run(["diagnose", "--bundle", "examples/rotated-key", "--authz", "no/such/authz.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("no/such/authz.json");
  });

  it("a missing bundle is exit 2", () => {
    const r = run(["diagnose", "--bundle", "examples/no-such-case"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("examples/no-such-case");
  });

  it("a bad --format or --time is exit 2", () => {
    expect(run(["diagnose", "x", "--format", "pdf"]).code).toBe(2);
    expect(run(["diagnose", "x", "--time", "yesterday"]).code).toBe(2);
  });

  it("--help shows examples", () => {
    const r = run(["diagnose", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--bundle examples/appsync-unauthorized");
    for (const flag of [
      "--authz",
      "--scp",
      "--rcp",
      "--policy",
      "--resource-policy",
      "--trail",
      "--live",
      "--out",
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });
});
