// End-to-end: the built `authdoctor run -- <command>` wrapping small node scripts.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repoRoot, "dist/cli/bin.js");
const dir = mkdtempSync(path.join(tmpdir(), "authdoctor-run-"));
const home = mkdtempSync(path.join(tmpdir(), "authdoctor-run-home-"));
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARYKEY1";
const TOKEN = `FwoGZXIvYXdzECANARYTOKEN${"YWJjZGVm".repeat(16)}`;

const script = (name: string, body: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, body);
  return p;
};
const cleanEnv = () => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("AWS_")) out[k] = v;
  return { ...out, HOME: home, NO_COLOR: "1" };
};
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, [bin, "run", ...args], {
    encoding: "utf8",
    env: cleanEnv(),
    ...(input !== undefined ? { input } : {}),
    maxBuffer: 64 * 1024 * 1024,
  });

const AWS_ERROR =
  "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.";
const failing = script(
  "fail.mjs",
  `process.stdout.write("deploying stack...\\n");
process.stderr.write(${JSON.stringify(`\n${AWS_ERROR}\n`)});
process.exit(255);
`,
);

describe("authdoctor run", () => {
  it("keeps the exit code, passes the output through and prints the diagnosis after it", () => {
    const r = run(["--", process.execPath, failing]);
    expect(r.status).toBe(255);
    expect(r.stdout).toBe("deploying stack...\n");
    const own = r.stderr.indexOf(AWS_ERROR);
    const diag = r.stderr.indexOf("diagnosis:");
    expect(own).toBeGreaterThanOrEqual(0);
    expect(diag).toBeGreaterThan(own);
    expect(r.stderr.slice(diag)).toContain("KEY_INVALID_ID");
    expect(r.stderr).toContain("failed (exit 255)");
  });

  it("writes the diagnosis JSON with --json", () => {
    const out = path.join(dir, "diagnosis.json");
    const r = run(["--json", out, "--", process.execPath, failing]);
    expect(r.status).toBe(255);
    const d = JSON.parse(readFileSync(out, "utf8")) as { schema: string; verdict: { cause: string } };
    expect(d.schema).toBe("authdoctor.diagnosis/v1");
    expect(d.verdict.cause).toBe("KEY_INVALID_ID");
  });

  it("says nothing when the command succeeds or fails for another reason", () => {
    const ok = run(["--", process.execPath, "-e", "console.log('fine')"]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe("fine\n");
    expect(ok.stderr).toBe("");
    const out = path.join(dir, "none.json");
    const other = run([
      "--json",
      out,
      "--",
      process.execPath,
      "-e",
      "console.error('Error: connect ECONNREFUSED 127.0.0.1:5432 (postgres)'); process.exit(3)",
    ]);
    expect(other.status).toBe(3);
    expect(other.stderr).not.toContain("diagnosis:");
    expect(existsSync(out)).toBe(false);
    const throttled = run([
      "--",
      process.execPath,
      "-e",
      "console.error('An error occurred (ThrottlingException) when calling the ListStacks operation: Rate exceeded'); process.exit(254)",
    ]);
    expect(throttled.status).toBe(254);
    expect(throttled.stderr).not.toContain("diagnosis:");
  });

  it("never prints secrets from the captured output in the diagnosis", () => {
    const leaky = script(
      "leaky.mjs",
      `console.error("aws_secret_access_key = ${SECRET}");
console.error("AWS_SESSION_TOKEN=${TOKEN}");
console.error(${JSON.stringify(AWS_ERROR)});
process.exit(255);
`,
    );
    const out = path.join(dir, "leaky.json");
    const r = run(["--json", out, "--", process.execPath, leaky]);
    expect(r.status).toBe(255);
    const diag = r.stderr.slice(r.stderr.indexOf("diagnosis:"));
    expect(diag).toContain("KEY_INVALID_ID");
    for (const text of [diag, readFileSync(out, "utf8")]) {
      expect(text).not.toContain("CANARYKEY");
      expect(text).not.toContain("CANARYTOKEN");
    }
  });

  it("passes stdin through and the whole output, while keeping only a tail", () => {
    const echo = run(
      ["--", process.execPath, "-e", "process.stdin.pipe(process.stdout)"],
      "line from stdin\n",
    );
    expect(echo.status).toBe(0);
    expect(echo.stdout).toBe("line from stdin\n");
    const big = run([
      "--",
      process.execPath,
      "-e",
      `process.stdout.write("x".repeat(3 * 1024 * 1024)); console.error(${JSON.stringify(AWS_ERROR)}); process.exitCode = 1`,
    ]);
    expect(big.status).toBe(1);
    expect(big.stdout.length).toBe(3 * 1024 * 1024);
    expect(big.stderr).toContain("KEY_INVALID_ID");
  });

  it("reports death by signal as 128+n and a missing command as 127", () => {
    const killed = run(["--", process.execPath, "-e", "process.kill(process.pid, 'SIGTERM')"]);
    expect(killed.status).toBe(128 + 15);
    const missing = run(["--", "authdoctor-no-such-command-xyz"]);
    expect(missing.status).toBe(127);
    expect(missing.stderr).toContain("cannot run `authdoctor-no-such-command-xyz`: no such command");
  });

  it("forwards SIGTERM to the command", () => {
    const waiter = script(
      "wait.mjs",
      `process.on("SIGTERM", () => { console.log("child got SIGTERM"); process.exit(42); });
console.log("ready");
setTimeout(() => process.exit(0), 20000);
`,
    );
    const parent = script(
      "parent.mjs",
      `import { spawn } from "node:child_process";
const c = spawn(process.execPath, [${JSON.stringify(bin)}, "run", "--", process.execPath, ${JSON.stringify(waiter)}], { stdio: ["ignore", "pipe", "inherit"] });
let out = "";
c.stdout.on("data", (d) => {
  out += d;
  if (out.includes("ready") && !c.sent) c.sent = c.kill("SIGTERM");
});
c.on("close", (code) => { console.log(JSON.stringify({ code, out })); });
`,
    );
    const r = spawnSync(process.execPath, [parent], { encoding: "utf8", env: cleanEnv() });
    const res = JSON.parse(r.stdout.trim()) as { code: number; out: string };
    expect(res.out).toContain("child got SIGTERM");
    expect(res.code).toBe(42);
  });

  it("rejects bad usage with exit 2", () => {
    expect(run(["--sdk", "perl", "--", process.execPath, "-e", "1"]).status).toBe(2);
    expect(run([]).status).toBe(2);
  });
});
