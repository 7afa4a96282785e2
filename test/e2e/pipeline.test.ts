// End-to-end: `explain` and `diagnose` are one pipeline, so the built CLI ranks the same text the same way in both,
// and the diagnosis JSON carries the request with the origin of each field.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const bin = join(root, "dist/cli/bin.js");
const tmp = mkdtempSync(join(tmpdir(), "authdoctor-pipeline-e2e-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The environment without any AWS_ variable of the machine running the tests. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_") && v !== undefined) env[k] = v;
  return { ...env, NO_COLOR: "1", HOME: tmp };
}

function runJson(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args, "--json"], {
    cwd: tmp,
    encoding: "utf8",
    env: cleanEnv(),
    input: "",
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

const ASIA_TEXT = [
  "$ export AWS_ACCESS_KEY_ID=ASIAQ3EGUZQXEXAMPLE7",
  "$ aws s3 ls",
  "An error occurred (InvalidClientTokenId) when calling the ListBuckets operation: The AWS Access Key Id you provided does not exist in our records.",
  "",
].join("\n");

describe("explain and diagnose: one pipeline", () => {
  const file = join(tmp, "error.txt");
  writeFileSync(file, ASIA_TEXT);

  it("a session key pasted above InvalidClientTokenId: both rank SESSION_TOKEN_MISSING first", () => {
    const e = runJson(["explain", "--file", file]);
    const d = runJson(["diagnose", "--file", file]);
    expect(e.causes[0].id).toBe("SESSION_TOKEN_MISSING");
    expect(d.causes[0].id).toBe("SESSION_TOKEN_MISSING");
    expect(d.verdict.cause).toBe("SESSION_TOKEN_MISSING");
  });

  it("the diagnosis JSON carries the request with each field's origin", () => {
    const d = runJson([
      "diagnose",
      "--action",
      "s3:ListAllMyBuckets",
      "--region",
      "eu-west-1",
      "--file",
      file,
    ]);
    expect(d.schema).toBe("authdoctor.diagnosis/v1");
    expect(d.request.action).toBe("s3:ListAllMyBuckets");
    expect(d.request.origins.action).toBe("--action");
    expect(d.request.fields.action).toEqual({
      value: "s3:ListAllMyBuckets",
      origin: "flag",
      label: "--action",
    });
    expect(d.request.fields.region.origin).toBe("flag");
  });
});
