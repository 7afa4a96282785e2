// End-to-end: the library as a package. `npm pack` the built project (run `npm run build` first; npm test does),
// install the tarball into a temporary project, import `authdoctor` by name there and call every export
// (test/fixtures/package/consumer.mjs). Offline: the tarball is unpacked into the project's node_modules and each
// runtime dependency is linked from this repository's node_modules, so only what package.json declares as a
// dependency is there (a dev-only package used at run time fails here).

import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  files: string[];
};
const work = mkdtempSync(join(tmpdir(), "authdoctor-package-"));
const project = join(work, "project");
let tarball = "";
let files: string[] = [];

beforeAll(() => {
  // --ignore-scripts: `prepare` would build again; npm test has just built dist/
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], {
      cwd: root,
      encoding: "utf8",
    }),
  ) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, packed[0]!.filename);
  files = packed[0]!.files.map((f) => f.path);
  const installed = join(project, "node_modules", "authdoctor");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
  for (const dep of Object.keys(pkg.dependencies)) {
    const link = join(project, "node_modules", dep);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(root, "node_modules", dep), link, "dir");
  }
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  // run from inside the project, where `import "authdoctor"` resolves to the installed tarball
  copyFileSync(join(root, "test/fixtures/package/consumer.mjs"), join(project, "consumer.mjs"));
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the packed library", () => {
  it("ships the library and the CLI, not the sources or tests", () => {
    expect(files).toContain("dist/index.js");
    expect(files).toContain("dist/index.d.ts");
    expect(files).toContain("dist/cli/bin.js");
    expect(files).toContain("dist/cli/chunks/cli.js");
    expect(files.some((f) => f.startsWith("src/") || f.startsWith("test/"))).toBe(false);
    // the CLI is one bundle: tsc's per-file CLI modules are not shipped (nothing in the library imports them)
    expect(files.filter((f) => /^dist\/cli\/.*\.js$/.test(f) && !f.startsWith("dist/cli/chunks/"))).toEqual([
      "dist/cli/bin.js",
    ]);
  });

  it("imports by name and every export works on real inputs", () => {
    // --no-warnings: the AWS SDK warns (process.emitWarning) that Node 20 support ends; the library itself
    // writes nothing to stderr, which this checks
    const r = spawnSync(process.execPath, ["--no-warnings", join(project, "consumer.mjs"), root], {
      cwd: project,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
      timeout: 30_000,
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out.notCalled).toEqual([]);
    expect(out).toMatchObject({
      isCauseId: [true, false],
      safeJsonRecord: false,
      safeValue: false,
      broadFamily: true,
      causeOf: "PASSROLE_MISSING",
      DIAGNOSIS_SCHEMA: "authdoctor.diagnosis/v1",
      OPT_IN_REGIONS: true,
      isOptInRegion: [true, false],
      InputError: "policy.json: invalid JSON",
      parseFailure: "AccessDenied",
      parseFailures: 2,
      explainText: "PASSROLE_MISSING",
      diagnoseFailure: "PASSROLE_MISSING",
      diagnoseText: "PASSROLE_MISSING",
      diagnoseBundle: "PASSROLE_MISSING",
      renderJson: "authdoctor.diagnosis/v1",
      renderText: true,
      renderMarkdown: true,
      renderHtml: true,
      parsePolicy: [2, 0],
      evaluateRequest: "ExplicitDeny",
      evaluate: "ExplicitDeny",
      compilePolicySet: "ExplicitDeny",
      loadAuthzSnapshot: [true, 0],
      credentialSignals: true,
      describeKeyId: "ASIA",
      redactText: false,
      trailSignals: true,
      runLiveProbes: true,
      liveSignals: true,
      parseArn: "s3",
      accountOfArn: "111122223333",
      regionOfArn: "eu-west-1",
      parsePrincipal: "role-session",
      offer: true,
      originLabel: "string",
      requestValues: "eu-west-1",
      diagnosedRequest: "eu-west-1",
      REQUEST_FIELDS: true,
      causeOfPolicyType: "SCP_DENY",
      POLICY_KIND_CAUSE: true,
      GRADES: "verified,reported,observed,simulated,inferred",
      gradeOfSource: "verified",
      strongerGrade: "verified",
      POLICY_TYPE_KIND: true,
      checkReachability: "security-group-egress",
      checkImds: "imds-disabled-by-env",
      checkProxies: "proxy-bypasses-endpoint",
      checkEndpointOverride: "endpoint-wrong-region",
    });
    expect(out.CAUSE_IDS).toBeGreaterThan(20);
    expect(out.lintText).toEqual(expect.arrayContaining([expect.any(String)]));
    expect((out.lintText as string[]).length).toBeGreaterThanOrEqual(2);
    expect(out.maskKeyId).not.toBe("AKIAIOSFODNN7EXAMPLE");
    expect(out.inspectCredentials).not.toBeNull();
    expect((out.readTrail as number[])[0]).toBeGreaterThan(0);
    expect(out.summarize).toBe((out.readTrail as number[])[0]);
  });

  it("has the files package.json names as bin, main and types", () => {
    const installed = join(project, "node_modules", "authdoctor");
    for (const f of ["dist/cli/bin.js", "dist/index.js", "dist/index.d.ts"])
      expect(existsSync(join(installed, f)), f).toBe(true);
  });
});
