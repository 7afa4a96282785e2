// Merging flags over a bundle, and the bundle's credential scope never reaching outside the bundle.
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBundle } from "../../src/diagnose/bundle.js";
import { bundleCredentialScope, checkExplicitInputs, resolveInputs } from "../../src/diagnose/inputs.js";

const root = resolve(import.meta.dirname, "../..");

describe("resolveInputs", () => {
  it("takes the bundle's case and files, and records where each value came from", async () => {
    const b = await loadBundle(join(root, "examples/appsync-unauthorized"));
    const input = resolveInputs({}, b, {});
    expect(input.text).toContain("Unauthorized");
    expect(input.textOrigin).toBe("bundle error.txt");
    expect(input.request.action?.value).toBe("appsync:GraphQL");
    expect(input.request.action?.origin).toBe("case.json");
    expect(input.authz).toBe(b.authz);
    expect(input.trail).toEqual([b.trail]);
    expect(input.explicit.size).toBe(0);
  });

  it("flags win over the bundle, lists are replaced whole, and flag paths are explicit", async () => {
    const b = await loadBundle(join(root, "examples/appsync-unauthorized"));
    const input = resolveInputs(
      { text: "boom", region: "eu-west-1", trail: ["t1.json", "t2.json"], authz: "mine.json", sdk: "python" },
      b,
      {},
    );
    expect(input.text).toBe("boom");
    expect(input.request.region?.value).toBe("eu-west-1");
    expect(input.request.region?.label).toBe("--region");
    expect(input.trail).toEqual(["t1.json", "t2.json"]);
    expect(input.authz).toBe("mine.json");
    expect(input.request.sdk?.value).toBe("python");
    expect([...input.explicit].sort()).toEqual(["mine.json", "t1.json", "t2.json"]);
  });

  it("without a bundle the credential scope is this machine's environment", () => {
    const env = { AWS_PROFILE: "x" };
    const input = resolveInputs({ text: "e" }, undefined, env);
    expect(input.credentials.origin).toBe("machine");
    expect(input.credentials.env).toBe(env);
  });
});

describe("bundleCredentialScope", () => {
  it("points every file of the credential model inside the bundle", async () => {
    const dir = join(root, "examples/opt-in-region-authfailure");
    const b = await loadBundle(dir);
    b.env = {
      ...b.env,
      AWS_CONFIG_FILE: "/home/kaito/.aws/config",
      AWS_WEB_IDENTITY_TOKEN_FILE: "/var/run/token",
    };
    const scope = bundleCredentialScope(b);
    expect(scope.origin).toBe("bundle");
    for (const p of [
      scope.homeDir,
      scope.configFile,
      scope.credentialsFile,
      scope.ssoCacheDir,
      scope.env.HOME,
      scope.env.AWS_CONFIG_FILE,
      scope.env.AWS_WEB_IDENTITY_TOKEN_FILE,
    ]) {
      expect(p?.startsWith(dir)).toBe(true);
    }
    expect(scope.env.AWS_ACCESS_KEY_ID).toBe("ASIA2YFQ52VIFADSAHQS");
    expect(scope.empty).toBeUndefined();
  });

  it("a bundle without aws/ files or env.txt is marked empty", async () => {
    const b = await loadBundle(join(root, "examples/passrole-missing"));
    expect(bundleCredentialScope(b).empty).toBe(true);
  });
});

describe("checkExplicitInputs", () => {
  it("one error per unreadable named path; stdin is not checked", async () => {
    const input = resolveInputs(
      { text: "e", trail: ["-", "nope/a.json"], authz: "nope/b.json" },
      undefined,
      {},
    );
    const errors = await checkExplicitInputs(input);
    expect(errors.map((e) => e.message).sort()).toEqual([
      "nope/a.json: cannot read: no such file",
      "nope/b.json: cannot read: no such file",
    ]);
  });
});
