import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The corpus validator (scripts/corpus.mjs) over the real parts, and over deliberately broken parts.
const ROOT = resolve(import.meta.dirname, "../..");
const SCRIPT = join(ROOT, "scripts/corpus.mjs");
const CORPUS = join(ROOT, "test/corpus");
const temps: string[] = [];

function run(args: string[]) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempCorpus(lines: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "corpus-"));
  temps.push(dir);
  mkdirSync(join(dir, "parts"));
  for (const [name, text] of Object.entries(lines)) writeFileSync(join(dir, "parts", name), text);
  return dir;
}

const good = {
  id: "x-001",
  source: "https://github.com/example/repo/issues/1",
  error: "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation",
  context: "boto3 on a laptop with keys in ~/.aws/credentials",
  evidence: {},
  cause: "KEY_INVALID_ID",
  secondary: [],
  fix: "Created a new key.",
  difficulty: "easy",
  sdk: "boto3",
  service: "sts",
};
const line = (o: object) => JSON.stringify(o);

afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe("corpus validator", () => {
  it("accepts every line of the real parts", () => {
    const r = run(["--check"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/case\(s\) valid/);
  });

  it("the committed dev/test split is the one the script writes", () => {
    const dir = mkdtempSync(join(tmpdir(), "corpus-split-"));
    temps.push(dir);
    cpSync(join(CORPUS, "parts"), join(dir, "parts"), { recursive: true });
    expect(run(["--dir", dir]).code).toBe(0);
    for (const f of ["dev.jsonl", "test.jsonl"]) {
      expect(readFileSync(join(dir, f), "utf8")).toBe(readFileSync(join(CORPUS, f), "utf8"));
    }
    const dev = readFileSync(join(dir, "dev.jsonl"), "utf8").trim().split("\n").length;
    const test = readFileSync(join(dir, "test.jsonl"), "utf8").trim().split("\n").length;
    expect(dev).toBeGreaterThan(test);
  });

  it("accepts a valid case and writes the split", () => {
    const dir = tempCorpus({ "a.jsonl": `${line(good)}\n` });
    const r = run(["--dir", dir, "--stats"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/KEY_INVALID_ID\s+1/);
    const both = readFileSync(join(dir, "dev.jsonl"), "utf8") + readFileSync(join(dir, "test.jsonl"), "utf8");
    expect(JSON.parse(both).id).toBe("x-001");
  });

  const bad: [string, string, RegExp][] = [
    ["malformed JSON", "{not json", /parts\/a\.jsonl:1: not JSON/],
    ["unknown cause", line({ ...good, cause: "BAD_ID" }), /cause BAD_ID is not a taxonomy id/],
    ["unknown secondary", line({ ...good, secondary: ["NOPE"] }), /secondary NOPE/],
    ["bad difficulty", line({ ...good, difficulty: "trivial" }), /difficulty trivial/],
    ["real account id", line({ ...good, error: "arn:aws:iam::918273645501:user/x" }), /12-digit account id/],
    ["real key id", line({ ...good, error: "key AKIAJ7Q2ZC4EXAMPL3XY is bad" }), /access key id AKIA/],
    ["e-mail", line({ ...good, context: "ask jane.doe@corp.io" }), /e-mail address/],
    ["missing field", line({ ...good, fix: "" }), /"fix" missing or empty/],
    ["non-URL source", line({ ...good, source: "somewhere" }), /source is not a URL/],
  ];
  for (const [name, text, want] of bad) {
    it(`rejects ${name}`, () => {
      const r = run(["--dir", tempCorpus({ "a.jsonl": `${text}\n` }), "--check"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(want);
    });
  }

  it("rejects duplicate ids, the same thread twice and more than 3 cases per repository, across files", () => {
    const a = [1, 2].map((n) =>
      line({ ...good, id: `a-${n}`, source: `https://github.com/o/r/issues/${n}` }),
    );
    const b = [
      line({ ...good, id: "a-1", source: "https://github.com/o/r/issues/3" }),
      line({ ...good, id: "b-2", source: "https://github.com/o/r/issues/4" }),
      line({ ...good, id: "b-3", source: "https://github.com/o/r/issues/2#issuecomment-9" }),
    ];
    const r = run(["--dir", tempCorpus({ "a.jsonl": a.join("\n"), "b.jsonl": b.join("\n") }), "--check"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/id a-1 already used/);
    expect(r.stderr).toMatch(/thread already used/);
    expect(r.stderr).toMatch(/repository o\/r has 5 cases/);
  });

  it("accepts redacted ids and the example account ids", () => {
    const ok = {
      ...good,
      error: "arn:aws:iam::111122223333:user/x key ASIAXXXXXXXXXXXXXXXX AKIAIOSFODNN7EXAMPLE at 444455556666",
    };
    expect(run(["--dir", tempCorpus({ "a.jsonl": line(ok) }), "--check"]).code).toBe(0);
  });
});
