// End-to-end: the built CLI's `explain` (arguments, --file, stdin, --json, --region, bad --file, --help).

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const BIN = "dist/cli/bin.js";
const ENV = { ...process.env, NO_COLOR: "1" };
const AUTH_FAILURE =
  "An error occurred (AuthFailure) when calling the DescribeInstances operation: AWS was not able to validate the provided access credentials";

function run(args: string[], input?: string) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: ENV, input: input ?? "" });
}

describe("authdoctor explain (e2e)", () => {
  it("explains text given as arguments", () => {
    const out = execFileSync(process.execPath, [BIN, "explain", AUTH_FAILURE, "--region", "ap-east-1"], {
      encoding: "utf8",
      env: ENV,
    });
    expect(out.split("\n")[0]).toMatch(/^AuthFailure/);
    expect(out).toContain("1. STS_TOKEN_VERSION_REGION");
    expect(out).not.toMatch(/\u001b\[/);
  });

  it("reads --file and prints JSON with --json", () => {
    const dir = mkdtempSync(join(tmpdir(), "authdoctor-explain-"));
    const file = join(dir, "err.txt");
    writeFileSync(
      file,
      "An error occurred (ExpiredToken) when calling the ListBuckets operation: The provided token has expired.\n",
    );
    const r = run(["explain", "--file", file, "--json"]);
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.schema).toBe("authdoctor.diagnosis/v1");
    expect(d.causes[0].id).toBe("TOKEN_EXPIRED");
  });

  it("reads stdin", () => {
    const r = run(
      ["explain", "--json"],
      "botocore.exceptions.NoCredentialsError: Unable to locate credentials\n",
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).causes[0].id).toBe("CRED_MISSING");
  });

  it("says plainly when the text shows no sign of an auth failure, and how to get the real error, exit 0", () => {
    const r = run(["explain", "all good here"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/no sign of an AWS auth failure/);
    expect(r.stdout).toMatch(/--debug/);
  });

  it("--notes and --fact become facts with their words, and close causes come with questions", () => {
    const r = run([
      "explain",
      "The security token included in the request is invalid",
      "--notes",
      "fails only in GitHub Actions",
      "--fact",
      "mfa",
      "--json",
    ]);
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.family).toBe("invalid-token");
    expect(d.facts).toEqual(
      expect.arrayContaining([
        { name: "mfa", quote: "--fact mfa" },
        expect.objectContaining({ name: "runs-in", value: "ci" }),
      ]),
    );
    for (const q of d.questions ?? []) {
      expect(typeof q.ask).toBe("string");
      expect(q.fact).toMatch(/^[a-z-]+(=[a-z0-9-]+)?$/);
      expect(q.separates.length).toBe(2);
    }
  });

  it("an unknown --fact is a usage error naming it, exit 2", () => {
    const r = run(["explain", "Access Denied", "--fact", "colour=blue"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--fact/);
    expect(r.stderr).toMatch(/unknown fact name/);
  });

  it("says so when no text is given at all", () => {
    // no text is bad usage (exit 2), with a line that says what to give
    const r = run(["explain"], "");
    expect(r.status).toBe(2);
    expect(`${r.stdout}${r.stderr}`).toMatch(/no error text/);
  });

  it("exits 2 with one line when --file cannot be read", () => {
    const r = run(["explain", "--file", "/nonexistent/err.txt"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("/nonexistent/err.txt");
  });

  it("has help with examples", () => {
    const r = run(["explain", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain("--region");
  });
});

describe("authdoctor explain: no text is bad usage (issue 17)", () => {
  it.each([[[""]], [["   "]]])("explain %j exits 2 and says what to pass", (args) => {
    const r = run(["explain", ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/no error text given/);
  });
});
