import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoCanary, plantedHome } from "../credentials/canaries.js";
import { cleanHomes, KEY_A, KEY_B, SECRET_A, SECRET_B, tempHome } from "../credentials/helpers.js";

const root = resolve(import.meta.dirname, "../..");
const bin = resolve(root, "dist/cli/bin.js");

beforeAll(() => {
  if (!existsSync(bin))
    execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: root, stdio: "ignore" });
});
afterAll(cleanHomes);

/** Run `authdoctor creds ARGS` with exactly `env` (plus PATH). */
function run(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [bin, "creds", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("authdoctor creds", () => {
  it("prints the versioned JSON with all three SDKs", () => {
    const home = tempHome({
      ".aws/credentials": `[dev]\naws_access_key_id = ${KEY_A}\naws_secret_access_key = ${SECRET_A}\n`,
    });
    const r = run(["--json"], {
      HOME: home,
      AWS_PROFILE: "dev",
      AWS_ACCESS_KEY_ID: KEY_B,
      AWS_SECRET_ACCESS_KEY: SECRET_B,
    });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schema).toBe("authdoctor.credentials/v1");
    expect(j.resolution.js.winner.identity.accessKeyId).toBe("AKIA****JXYZ");
    expect(j.resolution.python.winner.source).toBe("env");
    expect(j.findings.map((f: { code: string }) => f.code)).toContain("env-keys-shadow-profile");
  });

  it("--profile selects the profile as the SDK flags would; --sdk limits the output", () => {
    const home = tempHome({
      ".aws/credentials": `[dev]\naws_access_key_id = ${KEY_A}\naws_secret_access_key = ${SECRET_A}\n`,
    });
    const r = run(["--profile", "dev", "--sdk", "python", "--json"], {
      HOME: home,
      AWS_ACCESS_KEY_ID: KEY_B,
      AWS_SECRET_ACCESS_KEY: SECRET_B,
    });
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j.resolution)).toEqual(["python"]);
    expect(j.resolution.python.winner.identity.accessKeyId).toBe("AKIA****JXYZ");
  });

  it("prints short text: per SDK source, key, region, STS; then findings", () => {
    const home = tempHome({ ".aws/config": "[default]\nregion = eu-west-1\n" });
    const r = run([], { HOME: home, AWS_ACCESS_KEY_ID: KEY_A, AWS_SECRET_ACCESS_KEY: SECRET_A });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/AWS SDK for JavaScript v3/);
    expect(r.stdout).toMatch(/AKIA\*\*\*\*JXYZ \(long-term\), account 171436882533/);
    expect(r.stdout).toMatch(/region\s+eu-west-1/);
    expect(r.stdout).toMatch(/sts\s+regional https:\/\/sts\.eu-west-1\.amazonaws\.com/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it("has help with examples", () => {
    const r = run(["--help"], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:/);
    expect(r.stdout).toMatch(/--profile/);
  });

  it("rejects a bad --sdk with exit code 2 and one line", () => {
    const r = run(["--sdk", "ruby"], { HOME: tempHome() });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--sdk/);
  });

  it("never prints a planted secret, in JSON or text", () => {
    const { home, env } = plantedHome();
    for (const args of [
      ["--json"],
      [],
      ["--chain"],
      ["--profile", "proc", "--json"],
      ["--profile", "dup", "--chain"],
    ]) {
      const r = run(args, { ...env, HOME: home });
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
      expectNoCanary(r.stdout);
      expectNoCanary(r.stderr);
    }
  });
});
