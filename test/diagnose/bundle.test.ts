// The bundle loader: layout, case.json and env listing parsing, problems reported instead of thrown.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { type BundleProblem, loadBundle, parseCaseFile, parseEnvListing } from "../../src/diagnose/bundle.js";

const root = resolve(import.meta.dirname, "../..");
const tmp = mkdtempSync(join(tmpdir(), "authdoctor-bundle-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function makeBundle(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmp, "b-"));
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(join(dir, rel, ".."), { recursive: true });
    writeFileSync(join(dir, rel), body);
  }
  return dir;
}

describe("loadBundle", () => {
  it("reads an example bundle: error text, case, authz, trail, credential copies", async () => {
    const b = await loadBundle(join(root, "examples/rotated-key"));
    expect(b.errorText).toContain("InvalidAccessKeyId");
    expect(b.caseFile?.sdk).toBe("python");
    expect(b.caseFile?.time).toBe("2025-06-03T02:00:07Z");
    expect(b.trail).toBe(join(root, "examples/rotated-key/trail"));
    expect(b.awsCredentials).toBeDefined();
    expect(b.env?.HOME).toBe("/home/exporter");
    expect(b.problems).toEqual([]);
  });

  it("orders SCP levels by file name (root first) and keeps only .json files", async () => {
    const dir = makeBundle({
      "scp/2-ou.json": "{}",
      "scp/1-root.json": "{}",
      "scp/notes.txt": "x",
      "scp/10-account.json": "{}",
    });
    const b = await loadBundle(dir);
    expect(b.scp.map((p) => p.slice(dir.length + 5))).toEqual([
      "1-root.json",
      "10-account.json",
      "2-ou.json",
    ]);
  });

  it("an empty folder is a bundle with nothing in it", async () => {
    const b = await loadBundle(makeBundle({}));
    expect(b.errorText).toBeUndefined();
    expect(b.trail).toBeUndefined();
    expect(b.scp).toEqual([]);
    expect(b.problems).toEqual([]);
  });

  it("a broken case.json and a bad env line are problems, not errors", async () => {
    const b = await loadBundle(
      makeBundle({ "case.json": "{ nope", "env.txt": "AWS_REGION=eu-west-1\nthis is not a pair\n" }),
    );
    expect(b.problems.map((p) => p.reason)).toEqual(
      expect.arrayContaining([expect.stringContaining("not valid JSON"), "expected KEY=VALUE"]),
    );
    expect(b.env).toEqual({ AWS_REGION: "eu-west-1" });
  });

  it("a missing folder or a file given as bundle is an InputError naming it", async () => {
    await expect(loadBundle(join(tmp, "nope"))).rejects.toThrow(/nope.*bundle not found/);
    const file = join(tmp, "file.txt");
    writeFileSync(file, "x");
    await expect(loadBundle(file)).rejects.toThrow(/is a folder/);
  });
});

describe("parseCaseFile", () => {
  it("keeps known string fields, checks sdk and time, reports the rest", () => {
    const problems: BundleProblem[] = [];
    const c = parseCaseFile(
      JSON.stringify({
        principal: "arn:aws:iam::111122223333:user/a",
        sdk: "ruby",
        time: "soon",
        region: 5,
        extra: 1,
      }),
      "case.json",
      problems,
    );
    expect(c).toEqual({ principal: "arn:aws:iam::111122223333:user/a" });
    expect(problems.map((p) => p.reason)).toEqual([
      "`region` must be a string",
      "`sdk` must be one of js, python, cli",
      "`time` is not an ISO 8601 time: `soon`",
      "unknown field `extra` ignored",
    ]);
  });

  it("never throws, whatever the text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        const problems: BundleProblem[] = [];
        const c = parseCaseFile(text, "case.json", problems);
        expect(typeof c).toBe("object");
      }),
    );
  });
});

describe("parseEnvListing", () => {
  it("reads env, printenv and export forms, comments and CRLF", () => {
    const problems: BundleProblem[] = [];
    const env = parseEnvListing(
      '# from env\r\nAWS_PROFILE=dev\r\nexport AWS_REGION=eu-west-1\nAWS_SECRET_ACCESS_KEY=REDACTED\nEMPTY=\nQUOTED="a b"\n',
      "env.txt",
      problems,
    );
    expect(env).toEqual({
      AWS_PROFILE: "dev",
      AWS_REGION: "eu-west-1",
      AWS_SECRET_ACCESS_KEY: "REDACTED",
      EMPTY: "",
      QUOTED: '"a b"',
    });
    expect(problems).toEqual([]);
  });

  it("never throws and only yields valid variable names", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const env = parseEnvListing(text, "env.txt", []);
        for (const k of Object.keys(env)) expect(k).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      }),
    );
  });
});
