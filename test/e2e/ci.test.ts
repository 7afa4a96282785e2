// End-to-end: CI gating and SARIF from the built CLI (diagnose --fail-on/--format sarif, trail explain --format
// sarif), and the repository's GitHub Action definition.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repoRoot, "dist/cli/bin.js");
const run = (args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: repoRoot, NO_COLOR: "1" },
  });

interface Sarif {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; rules: Array<{ id: string }> } };
    results: Array<{
      ruleId: string;
      level: string;
      message: { text: string };
      locations: Array<{ physicalLocation?: { artifactLocation: { uri: string } } }>;
      partialFingerprints: Record<string, string>;
    }>;
  }>;
}

/** Every result names a rule of the run, has a message, a location and a fingerprint. */
function checkSarif(log: Sarif): void {
  expect(log.version).toBe("2.1.0");
  for (const r of log.runs) {
    const rules = new Set(r.tool.driver.rules.map((x) => x.id));
    for (const res of r.results) {
      expect(rules.has(res.ruleId)).toBe(true);
      expect(["error", "warning", "note"]).toContain(res.level);
      expect(res.message.text.length).toBeGreaterThan(0);
      expect(res.locations.length).toBe(1);
      expect(Object.keys(res.partialFingerprints)).toEqual(["authdoctor/v1"]);
    }
  }
}

describe("diagnose --fail-on and --format sarif", () => {
  it("exits 3 when the verdict meets the condition, and writes SARIF pointing at the bundle's error.txt", () => {
    const r = run([
      "diagnose",
      "--bundle",
      "examples/passrole-missing",
      "--format",
      "sarif",
      "--fail-on",
      "likely",
    ]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain("--fail-on met: the verdict PASSROLE_MISSING is confirmed");
    const log = JSON.parse(r.stdout) as Sarif;
    checkSarif(log);
    const res = log.runs[0]!.results[0]!;
    expect(res.ruleId).toBe("PASSROLE_MISSING");
    expect(res.level).toBe("error");
    expect(res.locations[0]!.physicalLocation!.artifactLocation.uri).toBe(
      "examples/passrole-missing/error.txt",
    );
  });

  it("exits 0 when no condition is met, 2 on an unknown condition", () => {
    expect(run(["diagnose", "--bundle", "examples/passrole-missing", "--fail-on", "SCP_DENY"]).status).toBe(
      0,
    );
    const bad = run(["diagnose", "--bundle", "examples/passrole-missing", "--fail-on", "sometimes"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown condition `sometimes`");
  });

  it("gives the same fingerprint for the same case on every run", () => {
    const fp = () =>
      (JSON.parse(run(["diagnose", "--bundle", "examples/rotated-key", "--format", "sarif"]).stdout) as Sarif)
        .runs[0]!.results[0]!.partialFingerprints["authdoctor/v1"];
    expect(fp()).toBe(fp());
  });
});

describe("trail explain --format sarif", () => {
  it("writes one result per explained denial, pointing at the snapshot", () => {
    const r = run([
      "trail",
      "explain",
      "examples/passrole-missing/trail",
      "--authz",
      "examples/passrole-missing/authz.json",
      "--format",
      "sarif",
    ]);
    expect(r.status, r.stderr).toBe(0);
    const log = JSON.parse(r.stdout) as Sarif;
    checkSarif(log);
    const json = JSON.parse(
      run([
        "trail",
        "explain",
        "examples/passrole-missing/trail",
        "--authz",
        "examples/passrole-missing/authz.json",
        "--json",
      ]).stdout,
    ) as { explained: unknown[] };
    expect(log.runs[0]!.results.length).toBe(json.explained.length);
    expect(log.runs[0]!.results.length).toBeGreaterThan(0);
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation!.artifactLocation.uri).toBe(
      "examples/passrole-missing/authz.json",
    );
  });
});

describe("the GitHub Action", () => {
  it("is a composite action that lints policies and uploads the SARIF log", () => {
    const yml = readFileSync(path.join(repoRoot, "action.yml"), "utf8");
    expect(yml).toMatch(/using:\s*["']?composite/);
    expect(yml).toContain("github/codeql-action/upload-sarif@v3");
    expect(yml).toMatch(/lint .*--format sarif/);
    for (const input of ["policies:", "fail-on:", "sarif-file:"]) expect(yml).toContain(input);
  });

  it("its lint step lints the matching files into a SARIF log (run with bash as the runner would)", () => {
    const yml = readFileSync(path.join(repoRoot, "action.yml"), "utf8");
    // the `run: |` block of the step with `id: lint`, de-indented
    const block = /id: lint\n[\s\S]*?run: \|\n((?: {8}.*\n|\n)+)/.exec(yml)![1]!;
    const script = block.replace(/^ {8}/gm, "");
    const work = mkdtempSync(path.join(tmpdir(), "authdoctor-action-"));
    mkdirSync(path.join(work, "iam", "roles"), { recursive: true });
    writeFileSync(
      path.join(work, "iam", "roles", "deploy-policy.json"),
      '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:ListBuckets", "Resource": "*"}]\n}\n',
    );
    writeFileSync(path.join(work, "package.json"), "{}\n");
    const out = path.join(work, "github-output");
    writeFileSync(out, "");
    const r = spawnSync("bash", ["-c", script], {
      cwd: work,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH ?? "",
        GITHUB_ACTION_PATH: repoRoot,
        GITHUB_OUTPUT: out,
        POLICIES: "**/*policy*.json\nnone/*.json",
        FAIL_ON: "",
        SARIF_FILE: "lint.sarif",
      },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("linting 1 file(s)");
    expect(readFileSync(out, "utf8")).toContain("exit-code=0");
    const log = JSON.parse(readFileSync(path.join(work, "lint.sarif"), "utf8")) as Sarif;
    const res = log.runs[0]!.results.find((x) => x.ruleId === "unknown_action")!;
    expect(res.locations[0]!.physicalLocation!.artifactLocation.uri).toBe("iam/roles/deploy-policy.json");
  });
});
