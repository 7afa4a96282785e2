// End-to-end: the built CLI against hostile inputs (run `npm run build` first; npm test does). Each bad input
// gets one line naming it, or is skipped and reported; nothing crashes, hangs or shows a secret.

import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repoRoot, "dist/cli/bin.js");
const dir = mkdtempSync(path.join(tmpdir(), "authdoctor-hostile-"));
const file = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
};
const env = { ...process.env, NO_COLOR: "1" };
/** Run the CLI; a hang fails the test through the timeout (the process is killed). */
const run = (args: string[], timeout = 8000) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env, timeout, maxBuffer: 64 << 20 });
const runAsync = async (args: string[]) => {
  try {
    // generous: 8 engineers share two cores; a hang still fails (killed, status -1)
    const r = await promisify(execFile)(process.execPath, [bin, ...args], { env, timeout: 30_000 });
    return { status: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout: string; stderr: string; killed?: boolean };
    return { status: e.killed ? -1 : (e.code ?? -1), stdout: e.stdout, stderr: e.stderr };
  }
};

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const principal = "arn:aws:iam::123456789012:user/alice";
const request = (extra: Record<string, unknown>) =>
  JSON.stringify({ principal, action: "s3:GetObject", resource: "arn:aws:s3:::b/k", ...extra });

/** A crash shows as exit 1 `internal error` or a stack frame. */
function expectNoCrash(r: { status: number | null; stderr: string }) {
  expect(r.status === 0 || r.status === 2, `exit ${r.status}: ${r.stderr}`).toBe(true);
  expect(r.stderr).not.toMatch(/internal error|^\s+at |Error:/m);
}

describe("hostile inputs", () => {
  it("each bad policy file given to `can` is one stderr line naming it, exit 2", async () => {
    const regular = file("regular", "x");
    const bad = [
      file("empty.json", ""),
      file("broken.json", '{"Version": "2012-10-17",, }'),
      file("number.json", "42"),
      file("binary.json", Buffer.from([0x00, 0xff, 0x1b, 0x5b, 0x32, 0x4a, 0x00, 0x01])),
      file("deep.json", `${"[".repeat(100_000)}${"]".repeat(100_000)}`),
      path.join(regular, "under-a-file.json"),
      dir,
    ];
    const options = ["--policy", "--scp", "--rcp", "--boundary", "--resource-policy", "--session-policy"];
    const jobs = options.flatMap((o, k) =>
      bad.map(async (f, i) => {
        // every file with some option, every option with some file: 12 runs, not 42
        if ((i + k) % 3 !== 0) return;
        const r = await runAsync(["can", o, f, "--principal", principal, "--action", "s3:GetObject"]);
        expect(r.status, `${o} ${f}: ${r.stderr}`).toBe(2);
        expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
        expect(r.stderr).toContain(f);
        expect(r.stderr).not.toMatch(/internal error|\x1b|\x00/);
      }),
    );
    await Promise.all(jobs);
  });

  it("a path under a regular file says so in a few words", () => {
    const r = run(["explain", "--file", path.join(file("plain", "x"), "x.txt")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/plain\/x\.txt: cannot read: a folder in the path is a file\n$/);
  });

  it("an endless input (/dev/zero) is refused as a device, not read for ever", () => {
    if (!existsSync("/dev/zero")) return;
    const r = run(["explain", "--file", "/dev/zero"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "authdoctor: /dev/zero: cannot read: a character device, not a regular file (use `-` to read stdin)\n",
    );
  });

  it("a long log is read by its ends: the error at the end of 6 MB (file or stdin) is found", () => {
    const log = "2025-01-01T00:00:00Z INFO request ok path=/api/v1/items status=200 duration=12ms\n".repeat(
      75_000,
    );
    const error = "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied\n";
    const big = file("long.log", log + error);
    const r = run(["explain", "--file", big, "--json"], 30_000);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).failure.code).toBe("AccessDenied");
    const viaStdin = spawnSync(process.execPath, [bin, "explain", "--json"], {
      input: log + error,
      encoding: "utf8",
      env,
      timeout: 30_000,
      maxBuffer: 64 << 20,
    });
    expect(JSON.parse(viaStdin.stdout).failure.code).toBe("AccessDenied");
    // and at the start
    const first = run(["explain", "--file", file("long2.log", error + log), "--json"], 30_000);
    expect(JSON.parse(first.stdout).failure.code).toBe("AccessDenied");
  });

  it("a FIFO, or a symbolic link to one, is refused with one line (exit 2) by every command that reads files", async () => {
    const fifo = path.join(dir, "fifo.json");
    if (spawnSync("mkfifo", [fifo]).status !== 0) return; // no mkfifo here
    const link = path.join(dir, "fifo-link.json");
    symlinkSync(fifo, link);
    const ok = file("ok-policy.json", JSON.stringify({ Version: "2012-10-17", Statement: [] }));
    const can = ["--principal", principal, "--action", "s3:GetObject"];
    for (const f of [fifo, link]) {
      const runs = await Promise.all([
        runAsync(["explain", "--file", f]),
        runAsync(["diagnose", "--file", f]),
        runAsync(["diagnose", "x", "--trail", f]),
        runAsync(["diagnose", "x", "--policy", f]),
        runAsync(["lint", f]),
        runAsync(["can", "--policy", f, ...can]),
        runAsync(["can", "--authz", f, ...can]),
        runAsync(["can", "--policy", ok, "--requests", f]),
        runAsync(["trail", "summary", f]),
        runAsync(["trail", "explain", f]),
      ]);
      for (const r of runs) {
        expect(r.status, r.stderr).toBe(2);
        expect(r.stderr, r.stderr).toContain(`${f}: cannot read: a FIFO (named pipe), not a regular file`);
      }
    }
  });

  it("a folder walk names FIFOs, ignored names and non-UTF-8 names in skipped; trail explain lists a bad Records file", () => {
    const logs = path.join(dir, "walk");
    mkdirSync(logs, { recursive: true });
    const rec = (name: string) => ({
      eventTime: "2024-01-01T00:00:00Z",
      eventName: name,
      eventSource: "s3.amazonaws.com",
      errorCode: "AccessDenied",
      userIdentity: { type: "IAMUser", arn: principal },
    });
    writeFileSync(path.join(logs, "good.json"), JSON.stringify({ Records: [rec("GetObject")] }));
    writeFileSync(path.join(logs, "bad-records.json"), JSON.stringify({ Records: rec("PutObject") }));
    for (const n of ["notes.txt", "copy.json.bak", "noext", "x.JSON.GZ.1"])
      writeFileSync(path.join(logs, n), "{}");
    const hasFifo = spawnSync("mkfifo", [path.join(logs, "pipe.json")]).status === 0;
    writeFileSync(Buffer.from(`${logs}/n\xff.json`, "latin1"), JSON.stringify({ Records: [] }));
    for (const sub of ["summary", "explain"]) {
      const r = run(["trail", sub, logs, "--json"]);
      expect(r.status, r.stderr).toBe(0);
      const skipped = (JSON.parse(r.stdout) as { skipped: { file: string; reason: string }[] }).skipped;
      const reason = (name: string) => skipped.find((s) => s.file.endsWith(name))?.reason;
      expect(reason("bad-records.json")).toMatch(/no CloudTrail records/);
      for (const n of ["notes.txt", "copy.json.bak", "noext", "x.JSON.GZ.1"])
        expect(reason(n)).toMatch(/^ignored: /);
      if (hasFifo) expect(reason("pipe.json")).toMatch(/FIFO/);
      expect(skipped.find((s) => s.file.includes("\uFFFD"))?.reason).toMatch(/not UTF-8/);
    }
  });

  it("colour codes in the inputs cannot fake a coloured verdict, with or without NO_COLOR; JSON escapes C1", () => {
    const fake = "\u001b[32mALLOWED\u001b[39m \u009b31m";
    const trail = file(
      "colour-trail.json",
      JSON.stringify({
        Records: [
          {
            eventTime: "2024-01-01T00:00:00Z",
            eventName: "GetObject",
            eventSource: "s3.amazonaws.com",
            errorCode: "AccessDenied",
            userAgent: fake,
            userIdentity: { type: "IAMUser", arn: principal },
          },
        ],
      }),
    );
    for (const colour of [{ NO_COLOR: "1" }, { FORCE_COLOR: "1", NO_COLOR: "" }]) {
      const r = spawnSync(process.execPath, [bin, "trail", "summary", trail], {
        encoding: "utf8",
        env: { ...process.env, ...colour },
        timeout: 30_000,
      });
      expect(r.status).toBe(0);
      expect(r.stdout).not.toContain("\u001b[32mALLOWED");
      expect(r.stdout).not.toContain("\u009b");
      expect(r.stdout).toContain("\\u001b[32mALLOWED\\u001b[39m \\u009b31m");
      if (colour.NO_COLOR === "1") expect(r.stdout).not.toContain("\u001b");
      else expect(r.stdout).toContain("\u001b[1m");
    }
    const j = spawnSync(process.execPath, [bin, "trail", "summary", trail, "--json"], {
      encoding: "utf8",
      env,
      timeout: 30_000,
    });
    expect(j.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(j.stdout).toContain("\\u009b31m");
    expect(JSON.stringify(JSON.parse(j.stdout))).toContain(JSON.stringify(fake).slice(1, -1));
  });

  it("a UTF-16 policy without a byte-order mark is read", () => {
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
    });
    const f = file("utf16.json", Buffer.from(policy, "utf16le"));
    const r = run(["can", "--policy", f, "--principal", principal, "--action", "s3:GetObject", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).decision).toBe("Allowed");
  });

  it("`can --requests`: a deeply nested context value is a bad line, the other lines are evaluated", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const f = file(
      "deep-context.jsonl",
      [
        `${request({}).slice(0, -1)},"context":{"aws:SourceIp":${deep}}}`,
        request({ context: { "aws:SourceIp": { nested: 1 } } }),
        request({}),
      ].join("\n"),
    );
    const r = run(["can", "--requests", f, "--json"]);
    expectNoCrash(r);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0].error).toMatch(/line 1\): `context` value of `aws:SourceIp` must be a string/);
    expect(lines[1].error).toMatch(/line 2\): `context` value of `aws:SourceIp`/);
    expect(lines[2].decision).toBe("ImplicitDeny");
  });

  it("`can`: patterns with many `*` are matched at once (no regex backtracking), huge ones compile", () => {
    const hostile = `arn:aws:s3:::${"*a".repeat(24)}*b`;
    const value = `arn:aws:s3:::${"a".repeat(200)}`;
    const allow = (resource: string, condition?: unknown) => [
      { Statement: [{ Effect: "Allow", Action: "s3:*", Resource: resource, Condition: condition }] },
    ];
    const f = file(
      "redos.jsonl",
      [
        JSON.stringify({
          principal,
          action: "s3:GetObject",
          resource: value,
          identityPolicies: allow(hostile),
        }),
        JSON.stringify({
          principal,
          action: "s3:GetObject",
          resource: value,
          identityPolicies: allow("*", { StringLike: { "aws:userid": `${"*a".repeat(24)}*b` } }),
          context: { "aws:userid": "a".repeat(200) },
        }),
        JSON.stringify({
          principal,
          action: "s3:GetObject",
          resource: `arn:aws:s3:::b/${"y".repeat(30_000)}x`,
          identityPolicies: allow(`arn:aws:s3:::b/${"*?".repeat(30_000)}x`),
        }),
      ].join("\n"),
    );
    const r = run(["can", "--requests", f, "--json"], 5000);
    expectNoCrash(r);
    const out = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(out.map((o) => o.decision)).toEqual(["ImplicitDeny", "ImplicitDeny", "Allowed"]);
  });

  it("`can --requests`: a line that is not JSON is reported by position, without quoting the line", () => {
    const f = file("secret.jsonl", `${request({})}\n${SECRET}\n`);
    const r = run(["can", "--requests", f, "--json"]);
    expectNoCrash(r);
    expect(r.stdout).not.toContain(SECRET.slice(0, 6));
    expect(r.stdout).toContain("secret.jsonl (line 2, column 1): invalid JSON: unexpected character `w`");
  });

  it("`lint`: a very long Resource is checked without overflowing the stack", () => {
    const f = file(
      "long.json",
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${"x".repeat(200_000)}` },
        ],
      }),
    );
    const r = run(["lint", f]);
    expectNoCrash(r);
    expect(r.status).toBe(0);
  });

  it("`trail`: fields of the wrong type are ignored, in every subcommand", async () => {
    const rec = (i: number) => ({
      eventTime: i % 2 ? "2024-01-01T00:00:00Z" : 20240101,
      eventName: "GetObject",
      eventSource: ["s3.amazonaws.com"],
      awsRegion: 5,
      errorCode: i % 3 ? "AccessDenied" : { code: 1 },
      userIdentity:
        i % 4 ? { type: 7, arn: ["x"], accessKeyId: 12345, sessionContext: "no" } : "not an identity",
      requestParameters: "not an object",
      sourceIPAddress: null,
    });
    const f = file("typed.json", JSON.stringify({ Records: Array.from({ length: 8 }, (_, i) => rec(i)) }));
    const runs = [
      ["trail", "summary", f],
      ["trail", "sessions", f, "--json"],
      ["trail", "changes", f],
      ["trail", "explain", f, "--json"],
      ["trail", "timeline", f, "--around", "2024-01-01T00:00:00Z"],
      ["trail", "timeline", f, "--around", "2024-01-01T00:00:00Z", "--json"],
    ];
    for (const r of await Promise.all(runs.map(runAsync))) {
      expectNoCrash(r);
      expect(r.status).toBe(0);
    }
  });

  it("`trail`: deep nesting is refused at 512 levels, in linear time, across read chunks or left open", async () => {
    const depth = 250_000; // 1.5 MB: the record spans the 1 MiB read chunks
    const head = '{"Records":[{"eventTime":"2024-01-01T00:00:00Z","eventName":"PutRolePolicy"';
    const nested = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    const f = file("deep-trail.json", `${head},"requestParameters":${nested}}]}`);
    const open = file("open-trail.json", `${head},"a":${"[".repeat(1_000_000)}`);
    const rs = await Promise.all([
      runAsync(["trail", "summary", f, "--json"]),
      runAsync(["trail", "sessions", f, "--json"]),
      runAsync(["trail", "summary", open, "--json"]),
    ]);
    for (const r of rs) {
      expectNoCrash(r);
      expect(JSON.parse(r.stdout).skipped[0].reason).toMatch(
        /^JSON nested deeper than 512 levels at byte \d+$/,
      );
    }
  });

  it("`trail`: a small gzip bomb is refused at 256 MiB inflated, not inflated into memory", () => {
    // gzip members concatenated: 1 KB each, 1 MiB of blanks each once inflated
    const member = gzipSync(Buffer.alloc(1 << 20, 0x20), { level: 9 });
    const f = file("bomb.json.gz", Buffer.concat(Array.from({ length: 260 }, () => member)));
    const r = run(["trail", "summary", f, "--json"]);
    expectNoCrash(r);
    expect(JSON.parse(r.stdout).skipped[0].reason).toMatch(/^inflates to more than 256 MiB from \d+ bytes/);
  });

  it("`trail`: a named file that cannot be read exits 2 after the rest is reported; a broken file in a walked folder exits 0", () => {
    const good = file(
      "named/good.json",
      JSON.stringify({
        Records: [
          { eventTime: "2026-01-01T00:00:00Z", eventSource: "s3.amazonaws.com", eventName: "GetObject" },
        ],
      }),
    );
    const truncated = file("named/cut.json.gz", gzipSync(Buffer.from('{"Records":[]}')).subarray(0, 12));
    for (const sub of ["summary", "sessions", "changes", "explain"]) {
      const named = run(["trail", sub, good, truncated, "--json"]);
      expectNoCrash(named);
      expect(named.status, `${sub} with a named broken file`).toBe(2);
      expect(named.stderr.trim().split("\n"), sub).toHaveLength(1);
      expect(named.stderr, sub).toMatch(/^authdoctor: .*cut\.json\.gz: truncated gzip/);
      const out = JSON.parse(named.stdout);
      expect(out.files, sub).toBe(2);
      expect(
        out.skipped.map((k: { file: string }) => path.basename(k.file)),
        sub,
      ).toEqual(["cut.json.gz"]);
      const walked = run(["trail", sub, path.dirname(good), "--json"]);
      expect(walked.status, `${sub} walking a folder with a broken file`).toBe(0);
      expect(JSON.parse(walked.stdout).skipped.length, sub).toBe(1);
    }
  });

  it("`diagnose --bundle`: a garbled case.json is a problem that does not quote the file", () => {
    const b = path.join(dir, "bundle");
    file(
      "bundle/error.txt",
      "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied",
    );
    file("bundle/case.json", `${SECRET} {`);
    mkdirSync(path.join(b, "authz.json"), { recursive: true }); // a folder where a file is expected
    file("bundle/env.txt", Buffer.from([0x00, 0xff, 0xfe, 0x1b, 0x0a, 0x41, 0x3d]));
    const r = run(["diagnose", "--bundle", b, "--format", "json"]);
    expectNoCrash(r);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain(SECRET.slice(0, 6));
    expect(r.stdout).toContain("not valid JSON: unexpected character `w` (line 1, column 1)");
  });

  it("`creds`: a source_profile chain of thousands of profiles is reported, not followed to a stack overflow", () => {
    const n = 3000;
    const config = Array.from(
      { length: n },
      (_, i) =>
        `[profile p${i}]\nrole_arn = arn:aws:iam::123456789012:role/r${i}\nsource_profile = p${i + 1}\n`,
    ).join("");
    const f = file("chain-config", `${config}[profile p${n}]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n`);
    const empty = file("no-credentials", "");
    const r = run(["creds", "--config-file", f, "--credentials-file", empty, "--profile", "p0", "--json"]);
    expectNoCrash(r);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("source_profile chain longer than 256 profiles from `p0`: not followed");
  });

  it("a reader that stops early (`| head`) ends the output quietly, no EPIPE stack", () => {
    const lines = Array.from({ length: 3000 }, () => request({})).join("\n");
    const f = file("many.jsonl", lines);
    const r = spawnSync(
      "bash",
      [
        "-c",
        `"${process.execPath}" "${bin}" can --requests "${f}" --json | head -c 10 >/dev/null; echo "rc=\${PIPESTATUS[0]}"`,
      ],
      { encoding: "utf8", env, timeout: 8000 },
    );
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("rc=0");
  });

  it("control characters from the inputs are shown, not sent to the terminal", async () => {
    const evil = "curl\u001b]0;owned\u0007\u001b[2J\rhidden";
    const record = {
      eventTime: "2024-01-01T00:00:00Z",
      eventName: "GetObject",
      eventSource: "s3.amazonaws.com",
      errorCode: "AccessDenied",
      userAgent: evil,
      userIdentity: { type: "IAMUser", arn: "arn:aws:iam::123456789012:user/alice" },
    };
    const trail = file("evil-trail.json", JSON.stringify({ Records: [record] }));
    const policy = file(
      "evil-policy.json",
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: evil, Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
      }),
    );
    const runs = await Promise.all([
      runAsync(["trail", "summary", trail]),
      runAsync([
        "can",
        "--policy",
        policy,
        "--principal",
        principal,
        "--action",
        "s3:GetObject",
        "--resource",
        "*",
      ]),
      runAsync(["lint", policy]),
      runAsync([
        "explain",
        `An error occurred (AccessDenied) when calling the GetObject operation: User: ${principal} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/${evil}"`,
      ]),
      runAsync([
        "creds",
        "--config-file",
        file("evil-config", `[default]\nregion = us-east-1${evil}\n`),
        "--credentials-file",
        file("no-keys", ""),
      ]),
    ]);
    for (const r of runs) {
      expectNoCrash(r);
      expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    }
    expect(runs[0].stdout).toContain("curl\\u001b]0;owned\\u0007\\u001b[2J\\u000dhidden");
  });

  it("`diagnose`: values from the inputs are shell-quoted in every suggested command", () => {
    const text =
      'An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:iam::123456789012:user/a is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b$(id)/k;id" with an explicit deny';
    const r = run([
      "diagnose",
      text,
      "--resource",
      "arn:aws:s3:::b$(id)/k;id",
      "--region",
      "x;rm -rf ~",
      "--format",
      "json",
    ]);
    expectNoCrash(r);
    const d = JSON.parse(r.stdout) as { causes: Array<{ checks: Array<{ command?: string }> }> };
    const commands = d.causes.flatMap((c) => c.checks.map((k) => k.command ?? ""));
    expect(commands.some((c) => c.includes("'aws:RequestedRegion=x;rm -rf ~'"))).toBe(true);
    // outside single quotes, no command substitution or command separator from the inputs is left
    for (const c of commands) expect(c.replace(/'[^']*'/g, "''"), c).not.toMatch(/\$\(id|;id|;rm/);
  });

  it("`diagnose --bundle`: a FIFO where aws/config should be is not read (the read would block for ever)", () => {
    const b = path.join(dir, "fifo-bundle");
    file(
      "fifo-bundle/error.txt",
      "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: x",
    );
    file(
      "fifo-bundle/aws/credentials",
      "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n",
    );
    if (spawnSync("mkfifo", [path.join(b, "aws/config")]).status !== 0) return; // no mkfifo here
    const r = run(["diagnose", "--bundle", b], 5000);
    expectNoCrash(r);
    expect(r.status).toBe(0);
  });

  it("`can --authz`: entries of the wrong type are left out with one warning line naming the file, exit 0", () => {
    const snapshot = {
      UserDetailList: [
        null,
        { UserName: 5, Arn: [] },
        { UserName: "alice", Arn: principal, UserPolicyList: [{ PolicyName: "p", PolicyDocument: 7 }] },
      ],
      RoleDetailList: "not a list",
      Policies: [{ Arn: 1 }],
    };
    const f = file("wrong-types-authz.json", JSON.stringify(snapshot));
    const r = run(["can", "--authz", f, "--principal", principal, "--action", "s3:GetObject"]);
    expectNoCrash(r);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /^authdoctor: .*wrong-types-authz\.json: warning: \d+ entries not used \(.+\)\n$/,
    );
    expect(r.stdout).toContain("ImplicitDeny");
  });

  it("an input error that quotes a name with a newline or an escape is still one line", () => {
    const r = run([
      "can",
      "--policy",
      path.join(dir, "a\nb\u001b[2J.json"),
      "--principal",
      principal,
      "--action",
      "s3:GetObject",
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`authdoctor: ${dir}/a\\u000ab\\u001b[2J.json: cannot read: no such file\n`);
  });

  it("diagnose: a malformed policy file named on the command line is one line with its position, exit 2", () => {
    const authz = file("diagnose/bad-authz.json", '{"UserDetailList": [ {"UserName": ');
    const r = run(["diagnose", "AccessDenied", "--authz", authz]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`${authz} (line 1, column`);
    expect(r.stderr).toContain("invalid JSON");
    const scp = file("diagnose/bad-scp.json", '{"Version": "2012-10-17", "Statement": [');
    const s = run(["diagnose", "AccessDenied", "--scp", scp]);
    expect(s.status).toBe(2);
    expect(s.stderr).toContain(`${scp} (line 1, column`);
  });

  it("mcp: no raw C1, bidi or escape character from an input reaches stdout (text and structured content)", async () => {
    const { spawn } = await import("node:child_process");
    const ctl = "\u001b]8;;http://evil.example/\u0007x\u001b]8;;\u0007 \u009b2J \u202eevil\u202c \u0085";
    const trail = file(
      "mcp-ctl/trail.json",
      JSON.stringify({
        Records: [
          {
            eventTime: "2024-01-01T00:00:00Z",
            eventName: "GetObject",
            eventSource: "s3.amazonaws.com",
            errorCode: "AccessDenied",
            errorMessage: `denied ${ctl}`,
            userAgent: `cli ${ctl}`,
            userIdentity: { type: "IAMUser", arn: `${principal}${ctl}` },
          },
        ],
      }),
    );
    const child = spawn(process.execPath, [bin, "mcp", "--root", dir], { env });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d: string) => {
      out += d;
    });
    const send = (m: unknown) => child.stdin.write(`${JSON.stringify(m)}\n`);
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    });
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    const text = `An error occurred (AccessDenied) when calling the GetObject operation: User: ${principal}${ctl} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b${ctl}`;
    send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "explain", arguments: { text } } });
    send({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "trail_summary", arguments: { paths: [trail] } },
    });
    const replies = () => out.split("\n").filter((l) => /"id":[23]\b/.test(l)).length;
    for (let i = 0; i < 300 && replies() < 2; i++) await new Promise((r) => setTimeout(r, 100));
    child.stdin.end();
    expect(replies()).toBe(2);
    // every reply is JSON; an input's controls are shown escaped, never written raw (JSON.stringify leaves C1 and bidi raw)
    expect(out).not.toMatch(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(out).toContain("\\\\u009b2J");
    for (const line of out.split("\n").filter((l) => l.trim())) {
      const msg = JSON.parse(line) as { result?: { content?: { text: string }[] } };
      for (const c of msg.result?.content ?? []) expect(c.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    }
  }, 40_000);

  it("a folder walk with a record nested 20,000 levels deep: no crash in the reading threads, the record is skipped", async () => {
    const logs = path.join(dir, "deep-walk");
    mkdirSync(logs, { recursive: true });
    const rec = (name: string) =>
      JSON.stringify({
        eventTime: "2024-01-01T00:00:00Z",
        eventName: name,
        eventSource: "s3.amazonaws.com",
        errorCode: "AccessDenied",
        userIdentity: { type: "IAMUser", arn: principal },
      });
    const deep = `${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}`;
    writeFileSync(
      path.join(logs, "deep.json"),
      `{"Records":[${rec("GetObject").slice(0, -1)},"requestParameters":${deep}}]}`,
    );
    // enough files for the walk to use its worker threads
    for (let i = 0; i < 12; i++)
      writeFileSync(path.join(logs, `f${i}.json`), `{"Records":[${rec(`Op${i}`)}]}`);
    for (const sub of ["changes", "explain", "timeline"]) {
      const args = ["trail", sub, logs, "--json", "--no-progress"];
      if (sub === "timeline") args.push("--around", "2024-01-01T00:00:00Z");
      const r = await runAsync(args);
      expectNoCrash(r);
      expect(r.status, `${sub}: ${r.stderr}`).toBe(0);
      const skipped =
        (JSON.parse(r.stdout) as { skipped?: { file: string; reason: string }[] }).skipped ?? [];
      expect(skipped.find((s) => s.file.endsWith("deep.json"))?.reason, sub).toMatch(/nested too deeply/);
    }
  }, 60_000);
});
