// Oracle: the JS row of the model against the real `fromNodeProviderChain()` on the same temporary setups.
// No network: AWS_EC2_METADATA_DISABLED=true, and no setup reaches STS, SSO or a container endpoint.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { maskKeyId } from "../../src/core/redact.js";
import { ssoCacheFileName } from "../../src/credentials/snapshot.js";
import { cleanHomes, inspect, KEY_A, KEY_B, KEY_T, SECRET_A, SECRET_B, TOKEN, tempHome } from "./helpers.js";

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
type Chain = (init?: {
  roleAssumer?: (source: Creds, params: { RoleArn: string }) => Promise<Creds>;
  roleAssumerWithWebIdentity?: (params: { RoleArn: string }) => Promise<Creds>;
}) => () => Promise<Creds>;

// Stand-ins for STS (no network): they name the role and the keys that would sign the call.
const fakeSts = {
  roleAssumer: async (source: Creds, params: { RoleArn: string }) => ({
    accessKeyId: `ROLE|${params.RoleArn}|${source.accessKeyId}`,
    secretAccessKey: "x",
    sessionToken: "x",
  }),
  roleAssumerWithWebIdentity: async (params: { RoleArn: string }) => ({
    accessKeyId: `WEBID|${params.RoleArn}`,
    secretAccessKey: "x",
    sessionToken: "x",
  }),
};
let fromNodeProviderChain: Chain;

beforeAll(async () => {
  ({ fromNodeProviderChain } = (await import("@aws-sdk/credential-providers")) as unknown as {
    fromNodeProviderChain: Chain;
  });
});
afterAll(cleanHomes);

/** Run the real chain with exactly `env` (process.env swapped around the call, then restored). */
async function realChain(
  env: Record<string, string>,
): Promise<{ ok: true; keyId: string } | { ok: false; error: string }> {
  const saved = process.env;
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  process.env = { PATH: saved.PATH ?? "", ...env };
  try {
    const c = await fromNodeProviderChain(fakeSts)();
    return { ok: true, keyId: c.accessKeyId };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  } finally {
    process.env = saved;
    warn.mockRestore();
  }
}

interface Case {
  name: string;
  files?: Record<string, string | Uint8Array>;
  env?: Record<string, string>;
}

const ini = (name: string, id: string, secret: string, extra = "") =>
  `[${name}]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n${extra}`;
const processJson = JSON.stringify({ Version: 1, AccessKeyId: KEY_B, SecretAccessKey: SECRET_B });

const CASES: Case[] = [
  { name: "env keys only", env: { AWS_ACCESS_KEY_ID: KEY_A, AWS_SECRET_ACCESS_KEY: SECRET_A } },
  {
    name: "env keys + AWS_PROFILE: the profile wins",
    files: { ".aws/credentials": ini("dev", KEY_B, SECRET_B) },
    env: { AWS_ACCESS_KEY_ID: KEY_A, AWS_SECRET_ACCESS_KEY: SECRET_A, AWS_PROFILE: "dev" },
  },
  {
    name: "AWS_PROFILE names a missing profile",
    files: { ".aws/credentials": ini("default", KEY_A, SECRET_A) },
    env: { AWS_PROFILE: "nope" },
  },
  { name: "nothing at all" },
  { name: "a half-set env pair", env: { AWS_ACCESS_KEY_ID: KEY_A } },
  {
    name: "a half-set env pair and [default] keys",
    files: { ".aws/credentials": ini("default", KEY_B, SECRET_B) },
    env: { AWS_SECRET_ACCESS_KEY: SECRET_A },
  },
  {
    name: "[dev] in the config file",
    files: { ".aws/config": ini("dev", KEY_A, SECRET_A) },
    env: { AWS_PROFILE: "dev" },
  },
  {
    name: "[profile dev] in the config file",
    files: { ".aws/config": ini("profile dev", KEY_A, SECRET_A) },
    env: { AWS_PROFILE: "dev" },
  },
  {
    name: "[profile dev] in the credentials file",
    files: { ".aws/credentials": ini("profile dev", KEY_A, SECRET_A) },
    env: { AWS_PROFILE: "dev" },
  },
  {
    name: "the credentials file wins over the config file for the same profile",
    files: {
      ".aws/config": ini("default", KEY_A, SECRET_A),
      ".aws/credentials": ini("default", KEY_B, SECRET_B),
    },
  },
  {
    name: "[profile default] replaces [default] in the config file",
    files: {
      ".aws/config": `${ini("default", KEY_A, SECRET_A)}\n${ini("profile default", KEY_B, SECRET_B)}`,
    },
  },
  {
    name: "AWS_DEFAULT_PROFILE is ignored",
    files: { ".aws/credentials": `${ini("default", KEY_A, SECRET_A)}\n${ini("other", KEY_B, SECRET_B)}` },
    env: { AWS_DEFAULT_PROFILE: "other" },
  },
  {
    name: "an ASIA key without token is still returned",
    env: { AWS_ACCESS_KEY_ID: KEY_T, AWS_SECRET_ACCESS_KEY: SECRET_A },
  },
  {
    name: "CRLF line endings",
    files: { ".aws/credentials": ini("default", KEY_A, SECRET_A).replace(/\n/g, "\r\n") },
  },
  {
    name: "a UTF-8 BOM",
    files: {
      ".aws/credentials": Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(ini("default", KEY_A, SECRET_A)),
      ]),
    },
  },
  {
    name: "a UTF-16LE file",
    files: {
      ".aws/credentials": Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(ini("default", KEY_A, SECRET_A), "utf16le"),
      ]),
    },
  },
  {
    name: "inline comments are dropped",
    files: { ".aws/credentials": ini("default", `${KEY_A} # main`, `${SECRET_A} ; rotated`) },
  },
  {
    name: "role_arn with both source_profile and credential_source falls back to static keys",
    files: {
      ".aws/credentials": ini(
        "x",
        KEY_A,
        SECRET_A,
        "role_arn = arn:aws:iam::111111111111:role/x\nsource_profile = x\ncredential_source = Environment\n",
      ),
    },
    env: { AWS_PROFILE: "x" },
  },
  {
    name: "a source_profile loop falls through",
    files: {
      ".aws/config":
        "[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::222222222222:role/b\nsource_profile = a\n",
    },
    env: { AWS_PROFILE: "a" },
  },
  {
    name: "a missing source_profile falls through to the env-less end",
    files: {
      ".aws/config": "[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = ghost\n",
    },
    env: { AWS_PROFILE: "a" },
  },
  {
    name: "credential_process",
    files: {
      ".aws/config": `[default]\ncredential_process = node -e "process.stdout.write(process.argv[1])" '${processJson}'\n`,
    },
  },
  {
    name: "a web identity token file that does not exist stops the chain",
    env: {
      AWS_WEB_IDENTITY_TOKEN_FILE: "/nonexistent/authdoctor/token",
      AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/x",
    },
  },
  {
    name: "a legacy SSO profile with an expired token",
    files: {
      ".aws/config":
        "[default]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 123456789012\nsso_role_name = Dev\n",
      [`.aws/sso/cache/${ssoCacheFileName("https://corp.awsapps.com/start")}`]: JSON.stringify({
        accessToken: "sso-token-value",
        expiresAt: "2020-01-01T00:00:00Z",
      }),
    },
  },
  {
    name: "an sso-session profile without a cached token",
    files: {
      ".aws/config":
        "[default]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n",
    },
  },
  {
    name: "temporary keys with a token in the credentials file",
    files: { ".aws/credentials": ini("default", KEY_T, SECRET_A, `aws_session_token = ${TOKEN}\n`) },
  },
  {
    name: "assume-role beats static keys on the first hop",
    files: {
      ".aws/credentials": `${ini("top", KEY_A, SECRET_A, "role_arn = arn:aws:iam::111111111111:role/top\nsource_profile = base\n")}\n${ini("base", KEY_B, SECRET_B)}`,
    },
    env: { AWS_PROFILE: "top" },
  },
  {
    name: "static keys beat role_arn on a source hop",
    files: {
      ".aws/config":
        "[profile top]\nrole_arn = arn:aws:iam::111111111111:role/top\nsource_profile = mid\n[profile mid]\nrole_arn = arn:aws:iam::222222222222:role/mid\nsource_profile = base\n",
      ".aws/credentials": `${ini("mid", KEY_A, SECRET_A)}\n${ini("base", KEY_B, SECRET_B)}`,
    },
    env: { AWS_PROFILE: "top" },
  },
  {
    name: "a two-role chain",
    files: {
      ".aws/config":
        "[profile top]\nrole_arn = arn:aws:iam::111111111111:role/top\nsource_profile = mid\n[profile mid]\nrole_arn = arn:aws:iam::222222222222:role/mid\nsource_profile = base\n",
      ".aws/credentials": ini("base", KEY_B, SECRET_B),
    },
    env: { AWS_PROFILE: "top" },
  },
  {
    name: "credential_source = Environment under AWS_PROFILE",
    files: {
      ".aws/config":
        "[profile ci]\nrole_arn = arn:aws:iam::111111111111:role/ci\ncredential_source = Environment\n",
    },
    env: { AWS_PROFILE: "ci", AWS_ACCESS_KEY_ID: KEY_A, AWS_SECRET_ACCESS_KEY: SECRET_A },
  },
  {
    name: "mfa_serial stops the JS chain",
    files: {
      ".aws/config":
        "[profile r]\nrole_arn = arn:aws:iam::111111111111:role/r\nsource_profile = default\nmfa_serial = arn:aws:iam::111111111111:mfa/me\n",
      ".aws/credentials": ini("default", KEY_A, SECRET_A),
    },
    env: { AWS_PROFILE: "r" },
  },
  {
    name: "IRSA variables alone",
    files: { tok: "eyJhbGciOiJub25lIn0.eyJleHAiOjk5OTk5OTk5OTl9.c2ln" },
    env: { AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/irsa", AWS_WEB_IDENTITY_TOKEN_FILE: "$HOME/tok" },
  },
  {
    name: "IRSA variables lose to [default] keys in JS",
    files: {
      ".aws/credentials": ini("default", KEY_A, SECRET_A),
      tok: "eyJhbGciOiJub25lIn0.eyJleHAiOjk5OTk5OTk5OTl9.c2ln",
    },
    env: { AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/irsa", AWS_WEB_IDENTITY_TOKEN_FILE: "$HOME/tok" },
  },
  {
    name: "a web identity profile",
    files: {
      ".aws/config":
        "[profile w]\nrole_arn = arn:aws:iam::123456789012:role/w\nweb_identity_token_file = $HOME/tok\n",
      tok: "eyJhbGciOiJub25lIn0.eyJleHAiOjk5OTk5OTk5OTl9.c2ln",
    },
    env: { AWS_PROFILE: "w" },
  },
];

describe("oracle: JS row vs the real fromNodeProviderChain()", () => {
  it.each(CASES)("$name", async (c) => {
    const home = tempHome();
    for (const [rel, body] of Object.entries(c.files ?? {})) {
      mkdirSync(dirname(join(home, rel)), { recursive: true });
      writeFileSync(join(home, rel), typeof body === "string" ? body.replaceAll("$HOME", home) : body);
    }
    const env = {
      HOME: home,
      AWS_CONFIG_FILE: `${home}/.aws/config`,
      AWS_SHARED_CREDENTIALS_FILE: `${home}/.aws/credentials`,
      AWS_EC2_METADATA_DISABLED: "true",
      ...Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, v.replaceAll("$HOME", home)])),
    };
    const [real, model] = await Promise.all([realChain(env), inspect(home, env, { now: new Date() })]);
    const js = model.resolution.js;
    if (process.env.ORACLE_DEBUG)
      console.log(
        c.name,
        "=>",
        real.ok ? maskKeyId(real.keyId) : real.error.slice(0, 90),
        "| model:",
        js.result,
        js.winner?.identity?.accessKeyId ?? "",
      );
    if (real.ok && real.keyId.startsWith("ROLE|")) {
      const [, roleArn, source] = real.keyId.split("|");
      expect(js.winner?.identity?.roleArn, js.summary).toBe(roleArn);
      if (source && !source.startsWith("ROLE"))
        expect(js.winner?.sourceIdentity?.accessKeyId).toBe(maskKeyId(source));
    } else if (real.ok && real.keyId.startsWith("WEBID|")) {
      expect(js.winner?.identity?.roleArn, js.summary).toBe(real.keyId.split("|")[1]);
    } else if (real.ok) {
      expect(js.result, `real chain returned ${maskKeyId(real.keyId)}; model: ${js.summary}`).toBe(
        "credentials",
      );
      const modelKey = js.winner?.identity?.accessKeyId;
      // credential_process is never run by authdoctor: only the source can be compared
      if (modelKey === "unknown") expect(js.winner?.reason).toMatch(/credential_process/);
      else expect(modelKey).toBe(maskKeyId(real.keyId));
    } else {
      expect(["none", "error"], `real chain failed with "${real.error}"; model: ${js.summary}`).toContain(
        js.result,
      );
      if (real.error.includes("Could not load credentials from any providers"))
        expect(js.result).toBe("none");
      else expect(js.result).toBe("error");
    }
  });
});
