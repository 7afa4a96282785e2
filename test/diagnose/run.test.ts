// The orchestrator in-process: evidence sources used or reported missing, bad bundle files as unknowns, and a
// bundle's credential inspection never reading this machine's files or environment.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBundle } from "../../src/diagnose/bundle.js";
import { resolveInputs } from "../../src/diagnose/inputs.js";
import { diagnose } from "../../src/diagnose/run.js";

const root = resolve(import.meta.dirname, "../..");
const tmp = mkdtempSync(join(tmpdir(), "authdoctor-run-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function fromBundle(dir: string, env: Record<string, string | undefined> = {}) {
  return diagnose(resolveInputs({}, await loadBundle(dir), env));
}

describe("diagnose", () => {
  it("rotated-key: the credential source reads only the bundle, even with a poisoned home and environment", async () => {
    const home = join(tmp, "home");
    mkdirSync(join(home, ".aws"), { recursive: true });
    writeFileSync(
      join(home, ".aws/credentials"),
      "[default]\naws_access_key_id = AKIAZZZZZZZZZZZZPOIS\naws_secret_access_key = poisonpoisonpoisonpoisonpoisonpoison1234\n",
    );
    const saved = { HOME: process.env.HOME, KEY: process.env.AWS_ACCESS_KEY_ID };
    process.env.HOME = home;
    process.env.AWS_ACCESS_KEY_ID = "AKIAYYYYYYYYYYYYENVV";
    try {
      const d = await fromBundle(join(root, "examples/rotated-key"), process.env);
      const text = JSON.stringify(d);
      expect(text).not.toContain("POIS");
      expect(text).not.toContain("ENVV");
      expect(text).toContain("AKIA****PFX7");
      expect(d.checked?.find((c) => c.source === "credentials")?.detail).toContain("bundle copies");
      expect(d.verdict?.cause).toBe("KEY_INACTIVE");
    } finally {
      process.env.HOME = saved.HOME;
      if (saved.KEY === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.KEY;
    }
  });

  it("a malformed authz.json in a bundle becomes an unknown with its position; the rest still runs", async () => {
    const dir = join(tmp, "broken");
    cpSync(join(root, "examples/appsync-unauthorized"), dir, { recursive: true });
    writeFileSync(join(dir, "authz.json"), '{\n  "RoleDetailList": [\n    { oops }\n  ]\n}\n');
    const d = await fromBundle(dir);
    const u = d.unknowns.find((x) => x.what.includes("authz.json"));
    expect(u?.why).toMatch(/not valid JSON.*line 3/);
    expect(d.checked?.find((c) => c.source === "trail")?.status).toBe("used");
    expect(d.causes.length).toBeGreaterThan(0);
  });

  it("SCP levels from a bundle's scp/ folder take part, root first: an OU-level deny wins", async () => {
    const dir = join(tmp, "with-scp");
    cpSync(join(root, "examples/appsync-unauthorized"), dir, { recursive: true });
    mkdirSync(join(dir, "scp"));
    const allowAll = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    writeFileSync(join(dir, "scp/1-root.json"), JSON.stringify(allowAll));
    writeFileSync(
      join(dir, "scp/2-ou-apps.json"),
      JSON.stringify([
        allowAll,
        {
          Version: "2012-10-17",
          Statement: [{ Sid: "NoAppSync", Effect: "Deny", Action: "appsync:*", Resource: "*" }],
        },
      ]),
    );
    const d = await fromBundle(dir);
    expect(d.verdict?.cause).toBe("SCP_DENY");
    expect(d.checked?.find((c) => c.source === "policies")?.detail).toContain("ExplicitDeny");
    expect(d.unknowns.some((u) => u.what === "no service control policies given")).toBe(false);
  });

  it("error text with nothing else: each evidence source is reported missing", async () => {
    const d = await diagnose(
      resolveInputs(
        {
          text: "An error occurred (ExpiredToken) when calling the ListBuckets operation: The provided token has expired.",
        },
        undefined,
        { HOME: join(tmp, "empty-home") },
      ),
    );
    const status = Object.fromEntries((d.checked ?? []).map((c) => [c.source, c.status]));
    expect(status).toMatchObject({
      "error text": "used",
      policies: "not-given",
      trail: "not-given",
      live: "not-given",
    });
    expect(d.verdict?.cause).toBe("TOKEN_EXPIRED");
    expect(d.unknowns.some((u) => u.what === "no CloudTrail records")).toBe(true);
  });

  it("a request from flags only (no error text) is still diagnosed against the policies", async () => {
    const b = await loadBundle(join(root, "examples/passrole-missing"));
    const input = resolveInputs(
      {
        principal: "arn:aws:sts::305827461390:assumed-role/gha-deploy-orders/GitHubActions",
        action: "iam:PassRole",
        resource: "arn:aws:iam::305827461390:role/orders-api-lambda-exec",
      },
      { ...b, errorText: undefined },
      {},
    );
    const d = await diagnose(input);
    expect(d.failure?.format).toBe("plain");
    expect(d.verdict?.cause).toBe("PASSROLE_MISSING");
    expect(d.request?.origins.action).toBe("--action");
  });
});

describe("issue 17: what the report repeats or asks for", () => {
  const ex = async (name: string) =>
    diagnose(resolveInputs({}, await loadBundle(join(root, "examples", name)), {}));

  it("the trail's own record of the failure is the failure row: no second row for it", async () => {
    const d = await ex("passrole-missing");
    const failed = d.timeline!.filter((t) => t.error);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.kind).toBe("diagnosed");
  });

  it("a cross-account AssumeRole logged in both accounts is one row, by the caller's ARN", async () => {
    const d = await ex("opt-in-region-authfailure");
    const assume = d.timeline!.filter((t) => t.event === "sts:AssumeRole");
    expect(assume).toHaveLength(1);
    expect(assume[0]!.actor).toMatch(/^arn:aws:iam::214365870921:user\/kaito$/);
  });

  it("could-not-check asks for nothing that was given and used, and for each permission once", async () => {
    const passrole = await ex("passrole-missing");
    expect(passrole.unknowns.map((u) => u.needs ?? "").join("\n")).not.toMatch(
      /get-account-authorization-details/,
    );
    const rotated = await ex("rotated-key");
    const listKeys = rotated.unknowns.filter(
      (u) => /ListAccessKeys|list-access-keys/i.test(u.needs ?? "") && !u.needs!.startsWith("--live"),
    );
    expect(listKeys).toHaveLength(1);
    expect(JSON.stringify(rotated.unknowns)).not.toMatch(/catalog/);
  });

  it("a confirmed verdict's runners-up do not propose the evaluation already run", async () => {
    const d = await ex("passrole-missing");
    expect(d.verdict!.strength).toBe("confirmed");
    for (const r of d.verdict!.runnersUp)
      expect(r.separate).not.toMatch(/authdoctor can --authz|simulate-principal-policy/);
  });
});
