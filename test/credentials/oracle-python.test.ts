// Oracle for the Python row: botocore's own credential resolver on the same temporary setups, when this machine
// has python3 with botocore (skipped otherwise). No network: IMDS disabled, STS/SSO calls are deferred by botocore.

import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { maskKeyId } from "../../src/core/redact.js";
import { ssoCacheFileName } from "../../src/credentials/snapshot.js";
import type { CredentialsReport } from "../../src/credentials/types.js";
import {
  cleanHomes,
  inspect,
  jwt,
  KEY_A,
  KEY_B,
  KEY_T,
  SECRET_A,
  SECRET_B,
  TOKEN,
  tempHome,
} from "./helpers.js";

afterAll(cleanHomes);

const PY = `
import json, os, sys
import botocore.session
from botocore.credentials import DeferredRefreshableCredentials, RefreshableCredentials
out = []
for case in json.load(sys.stdin):
    os.environ.clear()
    os.environ.update(case["env"])
    try:
        s = botocore.session.Session(profile=case.get("profile"))
        s.get_scoped_config()
        c = s.get_credentials()
        if c is None:
            out.append({"none": True})
        elif isinstance(c, DeferredRefreshableCredentials):
            out.append({"method": c.method})
        elif isinstance(c, RefreshableCredentials):
            out.append({"method": c.method, "key": c._access_key})
        else:
            out.append({"method": c.method, "key": c.access_key})
    except Exception as e:
        out.append({"error": type(e).__name__})
print(json.dumps(out))
`;

const hasBotocore = spawnSync("python3", ["-c", "import botocore"], { stdio: "ignore" }).status === 0;

/** Our python-row source id -> botocore's `Credentials.method`. */
const METHOD: Record<string, string> = {
  env: "env",
  "assume-role": "assume-role",
  "web-identity": "assume-role-with-web-identity",
  sso: "sso",
  "shared-credentials-file": "shared-credentials-file",
  process: "custom-process",
  "config-file": "config-file",
};

interface Case {
  name: string;
  files?: Record<string, string | Uint8Array>;
  env?: Record<string, string>;
  profile?: string;
}

const ini = (name: string, id: string, secret: string, extra = "") =>
  `[${name}]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n${extra}`;
const ROLE = (n: string) => `arn:aws:iam::111111111111:role/${n}`;

const CASES: Case[] = [
  { name: "env keys", env: { AWS_ACCESS_KEY_ID: KEY_A, AWS_SECRET_ACCESS_KEY: SECRET_A } },
  {
    name: "env keys beat AWS_PROFILE",
    files: { ".aws/credentials": ini("dev", KEY_B, SECRET_B) },
    env: { AWS_ACCESS_KEY_ID: KEY_A, AWS_SECRET_ACCESS_KEY: SECRET_A, AWS_PROFILE: "dev" },
  },
  {
    name: "an explicit profile beats env keys",
    files: { ".aws/credentials": ini("dev", KEY_B, SECRET_B) },
    env: { AWS_ACCESS_KEY_ID: KEY_A, AWS_SECRET_ACCESS_KEY: SECRET_A },
    profile: "dev",
  },
  {
    name: "AWS_DEFAULT_PROFILE beats AWS_PROFILE",
    files: { ".aws/credentials": `${ini("a", KEY_A, SECRET_A)}\n${ini("b", KEY_B, SECRET_B)}` },
    env: { AWS_DEFAULT_PROFILE: "a", AWS_PROFILE: "b" },
  },
  { name: "a half-set env pair", env: { AWS_ACCESS_KEY_ID: KEY_A } },
  { name: "only the secret in env", env: { AWS_SECRET_ACCESS_KEY: SECRET_A } },
  { name: "nothing at all" },
  {
    name: "a missing profile",
    files: { ".aws/credentials": ini("default", KEY_A, SECRET_A) },
    env: { AWS_PROFILE: "nope" },
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
    name: "credentials file over config file",
    files: {
      ".aws/config": ini("default", KEY_A, SECRET_A),
      ".aws/credentials": ini("default", KEY_B, SECRET_B),
    },
  },
  {
    name: "credential_process before config-file keys",
    files: {
      ".aws/config": `${ini("default", KEY_A, SECRET_A)}credential_process = node -e "process.stdout.write(JSON.stringify({Version:1,AccessKeyId:'${KEY_B}',SecretAccessKey:'${SECRET_B}'}))"\n`,
    },
  },
  {
    name: "assume-role beats static keys on the first hop",
    files: {
      ".aws/credentials": `${ini("top", KEY_A, SECRET_A, `role_arn = ${ROLE("top")}\nsource_profile = base\n`)}\n${ini("base", KEY_B, SECRET_B)}`,
    },
    env: { AWS_PROFILE: "top" },
  },
  {
    name: "a source_profile loop",
    files: {
      ".aws/config": `[profile a]\nrole_arn = ${ROLE("a")}\nsource_profile = b\n[profile b]\nrole_arn = ${ROLE("b")}\nsource_profile = a\n`,
    },
    env: { AWS_PROFILE: "a" },
  },
  {
    name: "a missing source_profile",
    files: { ".aws/config": `[profile a]\nrole_arn = ${ROLE("a")}\nsource_profile = ghost\n` },
    env: { AWS_PROFILE: "a" },
  },
  {
    name: "source_profile and credential_source together",
    files: {
      ".aws/credentials": ini(
        "x",
        KEY_A,
        SECRET_A,
        `role_arn = ${ROLE("x")}\nsource_profile = x\ncredential_source = Environment\n`,
      ),
    },
    env: { AWS_PROFILE: "x" },
  },
  {
    name: "a profile naming itself with its own keys",
    files: {
      ".aws/credentials": ini("self", KEY_A, SECRET_A, `role_arn = ${ROLE("self")}\nsource_profile = self\n`),
    },
    env: { AWS_PROFILE: "self" },
  },
  {
    name: "IRSA variables beat [default] keys",
    files: { ".aws/credentials": ini("default", KEY_A, SECRET_A), tok: jwt({ exp: 9e9 }) },
    env: { AWS_ROLE_ARN: ROLE("irsa"), AWS_WEB_IDENTITY_TOKEN_FILE: "$HOME/tok" },
  },
  {
    name: "SSO profile with a cached token",
    files: {
      ".aws/config":
        "[default]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n",
      [`.aws/sso/cache/${ssoCacheFileName("corp")}`]: JSON.stringify({
        accessToken: "t".repeat(20),
        expiresAt: "2099-01-01T00:00:00Z",
      }),
    },
  },
  {
    name: "SSO profile naming a missing sso-session",
    files: {
      ".aws/config": "[default]\nsso_session = nope\nsso_account_id = 123456789012\nsso_role_name = Dev\n",
    },
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
    name: "a UTF-16 file",
    files: {
      ".aws/credentials": Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(ini("default", KEY_A, SECRET_A), "utf16le"),
      ]),
    },
  },
  {
    name: "a duplicate section",
    files: { ".aws/credentials": `${ini("default", KEY_A, SECRET_A)}${ini("default", KEY_B, SECRET_B)}` },
  },
  {
    name: "CRLF line endings",
    files: { ".aws/credentials": ini("default", KEY_A, SECRET_A).replace(/\n/g, "\r\n") },
  },
  {
    name: "an inline comment stays in the key id",
    files: { ".aws/credentials": ini("default", `${KEY_A} # main`, SECRET_A) },
  },
  {
    name: "an empty AWS_PROFILE",
    files: { ".aws/credentials": ini("default", KEY_A, SECRET_A) },
    env: { AWS_PROFILE: "" },
  },
  {
    name: "role_arn without a source",
    files: { ".aws/credentials": ini("r", KEY_A, SECRET_A, `role_arn = ${ROLE("r")}\n`) },
    env: { AWS_PROFILE: "r" },
  },
  {
    name: "an unsupported credential_source",
    files: { ".aws/config": `[profile r]\nrole_arn = ${ROLE("r")}\ncredential_source = Ec2Metadata\n` },
    env: { AWS_PROFILE: "r" },
  },
  {
    name: "a web identity profile with a missing token file",
    files: {
      ".aws/config": `[profile w]\nrole_arn = ${ROLE("w")}\nweb_identity_token_file = /nonexistent/tok\n`,
    },
    env: { AWS_PROFILE: "w" },
  },
  {
    name: "an SSO profile missing sso_region",
    files: {
      ".aws/config":
        "[default]\nsso_start_url = https://x.awsapps.com/start\nsso_account_id = 123456789012\nsso_role_name = Dev\n",
    },
  },
  {
    name: "a source profile resolved through its own providers (credential_process)",
    files: {
      ".aws/config": `[profile r]\nrole_arn = ${ROLE("r")}\nsource_profile = p\n[profile p]\ncredential_process = node -e "process.stdout.write(JSON.stringify({Version:1,AccessKeyId:'${KEY_B}',SecretAccessKey:'${SECRET_B}'}))"\n`,
    },
    env: { AWS_PROFILE: "r" },
  },
  {
    name: "a source profile without credentials",
    files: {
      ".aws/config": `[profile r]\nrole_arn = ${ROLE("r")}\nsource_profile = p\n[profile p]\nregion = eu-west-1\n`,
    },
    env: { AWS_PROFILE: "r" },
  },
  {
    name: "keys and a role in the source profile (keys win on the source hop)",
    files: {
      ".aws/credentials": `${ini("mid", KEY_A, SECRET_A, `role_arn = ${ROLE("mid")}\nsource_profile = base\n`)}\n${ini("base", KEY_B, SECRET_B)}`,
      ".aws/config": `[profile top]\nrole_arn = ${ROLE("top")}\nsource_profile = mid\n`,
    },
    env: { AWS_PROFILE: "top" },
  },
  { name: "a refused container URL", env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://10.0.0.5/creds" } },
  {
    name: "AWS_SECURITY_TOKEN in env",
    env: { AWS_ACCESS_KEY_ID: KEY_T, AWS_SECRET_ACCESS_KEY: SECRET_A, AWS_SECURITY_TOKEN: TOKEN },
  },
  {
    name: "a key before any section",
    files: { ".aws/credentials": `region = x\n${ini("default", KEY_A, SECRET_A)}` },
  },
  {
    name: "temporary keys with aws_security_token",
    files: { ".aws/credentials": ini("default", KEY_T, SECRET_A, `aws_security_token = ${TOKEN}\n`) },
  },
];

function botocoreResults(
  cases: { env: Record<string, string>; profile?: string }[],
): Record<string, string>[] {
  const r = spawnSync("python3", ["-c", PY], {
    input: JSON.stringify(cases),
    encoding: "utf8",
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr.split("\n").slice(-3).join(" ")}`);
  return JSON.parse(r.stdout) as Record<string, string>[];
}

describe.skipIf(!hasBotocore)("oracle: Python row vs botocore's credential resolver", () => {
  const setups = CASES.map((c) => {
    const home = tempHome();
    for (const [rel, body] of Object.entries(c.files ?? {})) {
      mkdirSync(dirname(join(home, rel)), { recursive: true });
      writeFileSync(join(home, rel), typeof body === "string" ? body.replaceAll("$HOME", home) : body);
    }
    const env: Record<string, string> = {
      HOME: home,
      AWS_CONFIG_FILE: `${home}/.aws/config`,
      AWS_SHARED_CREDENTIALS_FILE: `${home}/.aws/credentials`,
      AWS_EC2_METADATA_DISABLED: "true",
      PATH: process.env.PATH ?? "",
      ...Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, v.replaceAll("$HOME", home)])),
    };
    return { c, home, env };
  });
  let real: Record<string, string>[] = [];
  const models: CredentialsReport[] = [];

  it("runs botocore once for every setup", async () => {
    real = botocoreResults(
      setups.map((s) => ({ env: s.env, ...(s.c.profile ? { profile: s.c.profile } : {}) })),
    );
    for (const s of setups)
      models.push(
        await inspect(s.home, s.env, { ...(s.c.profile ? { profile: s.c.profile } : {}), now: new Date() }),
      );
    expect(real).toHaveLength(CASES.length);
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))("%s", (_name, i) => {
    const b = real[i]!;
    const py = models[i]!.resolution.python;
    const what = `botocore: ${JSON.stringify({ ...b, key: b.key ? maskKeyId(b.key) : undefined })}; model: ${py.summary}`;
    if (process.env.ORACLE_DEBUG) console.log(CASES[i]!.name, "=>", what);
    if (b.error) expect(py.result, what).toBe("error");
    else if (b.none) expect(["none", "network"], what).toContain(py.result);
    else {
      // deferred providers (assume role, SSO, web identity) fail only at first use: compare the deciding source
      expect(METHOD[py.decidedBy?.source ?? ""], what).toBe(b.method);
      // credential_process is never run by authdoctor: its key is unknown to the model
      if (b.key && py.winner?.identity?.accessKeyId !== "unknown")
        expect(py.winner?.identity?.accessKeyId, what).toBe(maskKeyId(b.key));
    }
  });
});
