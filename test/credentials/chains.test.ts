import { afterAll, describe, expect, it } from "vitest";
import { CLI_CHAIN, JS_CHAIN, PYTHON_CHAIN } from "../../src/credentials/chains.js";
import { inspectCredentials } from "../../src/credentials/index.js";
import { ssoCacheFileName } from "../../src/credentials/snapshot.js";
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
  winners,
} from "./helpers.js";

afterAll(cleanHomes);

const creds = (sections: Record<string, Record<string, string>>) =>
  Object.entries(sections)
    .map(
      ([name, kv]) =>
        `[${name}]\n${Object.entries(kv)
          .map(([k, v]) => `${k} = ${v}`)
          .join("\n")}\n`,
    )
    .join("\n");
const keys = (id: string, secret: string) => ({ aws_access_key_id: id, aws_secret_access_key: secret });
const envKeys = { AWS_ACCESS_KEY_ID: KEY_B, AWS_SECRET_ACCESS_KEY: SECRET_B };
const NO_IMDS = { AWS_EC2_METADATA_DISABLED: "true" };

describe("chains as data", () => {
  it("puts web identity after the ini files in JS and before the credentials file in botocore", () => {
    const js = JS_CHAIN.map((l) => l.source);
    const py = PYTHON_CHAIN.map((l) => l.source);
    expect(js.indexOf("web-identity-env")).toBeGreaterThan(js.indexOf("shared-ini"));
    expect(py.indexOf("web-identity")).toBeLessThan(py.indexOf("shared-credentials-file"));
    expect(CLI_CHAIN.map((l) => l.source)).toEqual(py);
  });
});

describe("precedence rules (JS, Python, CLI rows)", () => {
  it("env keys + AWS_PROFILE: JS uses the profile, boto3 and the CLI the env keys (docs/aws-facts.md §2.4)", async () => {
    const home = tempHome({ ".aws/credentials": creds({ dev: keys(KEY_A, SECRET_A) }) });
    const r = await inspect(home, { ...envKeys, AWS_PROFILE: "dev" });
    expect(winners(r)).toEqual({ js: "shared-ini", python: "env", cli: "env" });
    expect(r.resolution.js.winner?.identity?.accessKeyId).toBe("AKIA****JXYZ");
    expect(r.resolution.python.winner?.identity?.accessKeyId).toBe("AKIA****QPON");
    expect(r.resolution.js.chain[0]).toMatchObject({
      source: "env",
      outcome: "skipped",
      where: "AWS_PROFILE",
    });
    // what would win next for botocore: the profile's keys
    expect(r.resolution.python.next?.source).toBe("shared-credentials-file");
  });

  it("--profile removes env keys from every chain", async () => {
    const home = tempHome({ ".aws/credentials": creds({ dev: keys(KEY_A, SECRET_A) }) });
    const r = await inspect(home, envKeys, { profile: "dev" });
    expect(winners(r)).toEqual({
      js: "shared-ini",
      python: "shared-credentials-file",
      cli: "shared-credentials-file",
    });
    expect(r.resolution.cli.profile).toMatchObject({ value: "dev", from: "--profile" });
  });

  it("AWS_DEFAULT_PROFILE beats AWS_PROFILE in boto3, loses in the CLI, is ignored by JS", async () => {
    const home = tempHome({
      ".aws/credentials": creds({
        a: keys(KEY_A, SECRET_A),
        b: keys(KEY_B, SECRET_B),
        default: keys(KEY_T, SECRET_A),
      }),
    });
    const both = await inspect(home, { AWS_DEFAULT_PROFILE: "a", AWS_PROFILE: "b" });
    expect(both.resolution.python.profile.value).toBe("a");
    expect(both.resolution.cli.profile.value).toBe("b");
    expect(both.resolution.js.profile.value).toBe("b");
    const onlyDefault = await inspect(home, { AWS_DEFAULT_PROFILE: "a" });
    expect(onlyDefault.resolution.js.profile).toMatchObject({ value: "default", from: "default" });
    expect(onlyDefault.resolution.cli.profile).toMatchObject({ value: "a", from: "AWS_DEFAULT_PROFILE" });
  });

  it("AWS_REGION vs AWS_DEFAULT_REGION: JS reads the first, boto3 the second, the CLI both in that order", async () => {
    const home = tempHome({ ".aws/config": "[default]\nregion = eu-west-1\n" });
    const r = await inspect(home, { AWS_REGION: "us-west-2", AWS_DEFAULT_REGION: "eu-central-1" });
    expect(r.resolution.js.region).toMatchObject({ value: "us-west-2", from: "AWS_REGION" });
    expect(r.resolution.python.region).toMatchObject({ value: "eu-central-1", from: "AWS_DEFAULT_REGION" });
    expect(r.resolution.cli.region).toMatchObject({ value: "us-west-2", from: "AWS_REGION" });
    const d = await inspect(home, { AWS_DEFAULT_REGION: "eu-central-1" });
    expect(d.resolution.js.region).toMatchObject({ value: "eu-west-1", where: `${"~/.aws/config"}:2` });
  });

  it("JS reads `region` from the credentials file before the config file", async () => {
    const home = tempHome({
      ".aws/config": "[default]\nregion = eu-west-1\n",
      ".aws/credentials": `[default]\nregion = ap-south-1\naws_access_key_id = ${KEY_A}\naws_secret_access_key = ${SECRET_A}\n`,
    });
    const r = await inspect(home);
    expect(r.resolution.js.region).toMatchObject({
      value: "ap-south-1",
      from: "credentials",
      where: "~/.aws/credentials:2",
    });
  });

  it("IRSA env vars + [default] keys: JS uses the file keys, boto3 and the CLI web identity", async () => {
    const home = tempHome({
      ".aws/credentials": creds({ default: keys(KEY_A, SECRET_A) }),
      "token.jwt": jwt({ exp: 9e9 }),
    });
    const r = await inspect(home, {
      AWS_WEB_IDENTITY_TOKEN_FILE: `${home}/token.jwt`,
      AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/irsa",
    });
    expect(winners(r)).toEqual({ js: "shared-ini", python: "web-identity", cli: "web-identity" });
    expect(r.resolution.js.next?.source).toBe("web-identity-env");
    expect(r.resolution.python.winner?.identity).toMatchObject({
      kind: "temporary",
      account: "123456789012",
    });
  });

  it("assume-role beats static keys on the first hop; static keys beat role_arn on a source hop", async () => {
    const home = tempHome({
      ".aws/config":
        "[profile top]\nrole_arn = arn:aws:iam::111111111111:role/top\nsource_profile = mid\n" +
        "[profile mid]\nrole_arn = arn:aws:iam::222222222222:role/mid\nsource_profile = base\n",
      ".aws/credentials": creds({
        top: keys(KEY_B, SECRET_B),
        mid: keys(KEY_A, SECRET_A),
        base: keys(KEY_T, SECRET_A),
      }),
    });
    const r = await inspect(home, { AWS_PROFILE: "top" });
    for (const sdk of ["js", "python", "cli"] as const) {
      expect(r.resolution[sdk].winner?.source).toBe(sdk === "js" ? "shared-ini" : "assume-role");
      expect(r.resolution[sdk].winner?.identity?.roleArn).toBe("arn:aws:iam::111111111111:role/top");
      // mid has keys: they sign the AssumeRole call instead of mid's own role
      expect(r.resolution[sdk].profileChain).toEqual(["top", "mid"]);
      expect(r.resolution[sdk].winner?.sourceIdentity?.accessKeyId).toBe("AKIA****JXYZ");
    }
  });

  it("follows a two-role chain to the profile with keys", async () => {
    const home = tempHome({
      ".aws/config":
        "[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = b\n" +
        "[profile b]\nrole_arn = arn:aws:iam::222222222222:role/b\nsource_profile = c\n",
      ".aws/credentials": creds({ c: keys(KEY_A, SECRET_A) }),
    });
    const r = await inspect(home, {}, { profile: "a" });
    expect(r.resolution.js.profileChain).toEqual(["a", "b", "c"]);
    expect(r.resolution.python.profileChain).toEqual(["a", "b", "c"]);
  });

  it("a source_profile loop: JS moves on, botocore stops", async () => {
    const home = tempHome({
      ".aws/config":
        "[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = b\n" +
        "[profile b]\nrole_arn = arn:aws:iam::222222222222:role/b\nsource_profile = a\n",
    });
    const r = await inspect(home, { AWS_PROFILE: "a", ...NO_IMDS });
    expect(r.resolution.js.chain.find((o) => o.source === "shared-ini")?.outcome).toBe("unusable");
    expect(r.resolution.js.result).toBe("none");
    expect(r.resolution.python.result).toBe("error");
    expect(r.resolution.python.error).toMatch(/infinite loop/);
  });

  it("a profile naming itself as source_profile uses its own keys (botocore allows it)", async () => {
    const home = tempHome({
      ".aws/credentials": `[self]\naws_access_key_id = ${KEY_A}\naws_secret_access_key = ${SECRET_A}\nrole_arn = arn:aws:iam::111111111111:role/x\nsource_profile = self\n`,
    });
    const r = await inspect(home, { AWS_PROFILE: "self" });
    expect(r.resolution.python.winner?.source).toBe("assume-role");
    expect(r.resolution.js.winner?.source).toBe("shared-ini");
    expect(r.resolution.js.winner?.sourceIdentity?.accessKeyId).toBe("AKIA****JXYZ");
  });

  it("source_profile and credential_source together: botocore refuses, JS ignores the role", async () => {
    const home = tempHome({
      ".aws/credentials": `[x]\naws_access_key_id = ${KEY_A}\naws_secret_access_key = ${SECRET_A}\nrole_arn = arn:aws:iam::111111111111:role/x\nsource_profile = x\ncredential_source = Environment\n`,
    });
    const r = await inspect(home, { AWS_PROFILE: "x" });
    expect(r.resolution.js.winner?.identity?.accessKeyId).toBe("AKIA****JXYZ");
    expect(r.resolution.python.result).toBe("error");
  });

  it("credential_source = Environment takes the env keys even under AWS_PROFILE", async () => {
    const home = tempHome({
      ".aws/config":
        "[profile ci]\nrole_arn = arn:aws:iam::111111111111:role/ci\ncredential_source = Environment\n",
    });
    const r = await inspect(home, { ...envKeys, AWS_PROFILE: "ci" });
    expect(r.resolution.js.winner?.sourceIdentity?.accessKeyId).toBe("AKIA****QPON");
    expect(r.resolution.cli.winner?.source).toBe("env");
  });

  it("a missing profile: botocore raises ProfileNotFound first, JS falls through", async () => {
    const home = tempHome({ ".aws/credentials": creds({ default: keys(KEY_A, SECRET_A) }) });
    const r = await inspect(home, { ...envKeys, AWS_PROFILE: "nope", ...NO_IMDS });
    expect(r.resolution.python.error).toBe("The config profile (nope) could not be found");
    expect(r.resolution.cli.result).toBe("error");
    expect(r.resolution.js.result).toBe("none");
    expect(r.resolution.js.error).toMatch(/Could not load credentials from any providers/);
  });

  it("[dev] in the config file and [profile dev] in the credentials file define nothing", async () => {
    const home = tempHome({
      ".aws/config": "[dev]\nregion = eu-west-1\n",
      ".aws/credentials": `[profile dev]\naws_access_key_id = ${KEY_A}\naws_secret_access_key = ${SECRET_A}\n`,
    });
    const r = await inspect(home, { AWS_PROFILE: "dev", ...NO_IMDS });
    expect(winners(r)).toEqual({ js: "(none)", python: "(error)", cli: "(error)" });
  });

  it("a half-set env pair: JS skips it, botocore stops with PartialCredentialsError", async () => {
    const home = tempHome({ ".aws/credentials": creds({ default: keys(KEY_A, SECRET_A) }) });
    const r = await inspect(home, { AWS_ACCESS_KEY_ID: KEY_B });
    expect(r.resolution.js.winner?.source).toBe("shared-ini");
    expect(r.resolution.python.error).toMatch(/Partial credentials found in env/);
  });

  it("profile names may contain dots", async () => {
    const home = tempHome({
      ".aws/config": `[profile team.dev]\naws_access_key_id = ${KEY_A}\naws_secret_access_key = ${SECRET_A}\n`,
    });
    const r = await inspect(home, { AWS_PROFILE: "team.dev" });
    expect(winners(r)).toEqual({ js: "shared-ini", python: "config-file", cli: "config-file" });
  });

  it("an empty AWS_PROFILE: JS ignores it, botocore looks for a profile named ``", async () => {
    const home = tempHome();
    const r = await inspect(home, { ...envKeys, AWS_PROFILE: "" });
    expect(winners(r)).toEqual({ js: "env", python: "(error)", cli: "(error)" });
    expect(r.resolution.python.error).toBe("The config profile () could not be found");
  });

  it("AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE replace the default paths", async () => {
    const home = tempHome({
      "elsewhere/creds": creds({ default: keys(KEY_A, SECRET_A) }),
      "elsewhere/conf": "[default]\nregion = sa-east-1\n",
      ".aws/credentials": creds({ default: keys(KEY_B, SECRET_B) }),
    });
    const r = await inspect(home, {
      AWS_SHARED_CREDENTIALS_FILE: `${home}/elsewhere/creds`,
      AWS_CONFIG_FILE: "~/elsewhere/conf",
    });
    expect(r.resolution.js.winner?.identity?.accessKeyId).toBe("AKIA****JXYZ");
    expect(r.resolution.python.region?.where).toBe("~/elsewhere/conf:2");
    expect(r.resolution.cli.credentialsFile).toBe("~/elsewhere/creds");
  });

  it("credential_process wins without being run; static keys in the config file come last in botocore", async () => {
    const home = tempHome({
      ".aws/config": `[default]\ncredential_process = /bin/false\naws_access_key_id = ${KEY_A}\naws_secret_access_key = ${SECRET_A}\n`,
    });
    const r = await inspect(home);
    // JS: static keys (rung c) beat credential_process (rung e); botocore: process before config-file keys
    expect(winners(r)).toEqual({ js: "shared-ini", python: "process", cli: "process" });
    expect(r.resolution.python.next?.source).toBe("config-file");
  });

  it("SSO: a valid cached token wins with the account; missing or expired tokens stop the chain", async () => {
    const config =
      "[profile sso]\nsso_session = corp\nsso_account_id = 210987654321\nsso_role_name = Dev\n" +
      "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n" +
      "[profile legacy]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 210987654321\nsso_role_name = Dev\n" +
      "[profile broken]\nsso_session = nope\nsso_account_id = 210987654321\nsso_role_name = Dev\n";
    const token = (expiresAt: string) => JSON.stringify({ accessToken: "x".repeat(30), expiresAt });
    const home = tempHome({
      ".aws/config": config,
      [`.aws/sso/cache/${ssoCacheFileName("corp")}`]: token("2026-06-01T20:00:00Z"),
      [`.aws/sso/cache/${ssoCacheFileName("https://old.awsapps.com/start")}`]: token("2026-06-01T08:00:00Z"),
    });
    const ok = await inspect(home, { AWS_PROFILE: "sso" });
    expect(ok.resolution.js.winner?.identity).toMatchObject({ account: "210987654321", kind: "temporary" });
    expect(ok.resolution.python.winner?.source).toBe("sso");
    const expired = await inspect(home, { AWS_PROFILE: "legacy" });
    expect(expired.resolution.js.result).toBe("error");
    expect(expired.resolution.cli.error).toMatch(/expired/);
    const broken = await inspect(home, { AWS_PROFILE: "broken" });
    expect(broken.resolution.python.error).toMatch(/sso-session `nope`/);
    const later = await inspect(home, { AWS_PROFILE: "sso" }, { now: new Date("2026-06-02T00:00:00Z") });
    expect(later.resolution.js.result).toBe("error");
  });

  it("container variables: the chain is decided by the endpoint (not checked); JS skips IMDS", async () => {
    const home = tempHome();
    const r = await inspect(home, {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://169.254.170.23/v1/credentials",
    });
    expect(r.resolution.js.result).toBe("network");
    expect(r.resolution.js.decidedBy?.reason).toMatch(/EKS Pod Identity/);
    expect(r.resolution.js.chain.find((o) => o.source === "imds")?.outcome).toBe("skipped");
  });

  it("IMDS: not checked offline; AWS_EC2_METADATA_DISABLED=1 disables it for JS only", async () => {
    const home = tempHome();
    const r = await inspect(home, { AWS_EC2_METADATA_DISABLED: "1" });
    expect(r.resolution.js.result).toBe("none");
    expect(r.resolution.python.result).toBe("network");
    expect(r.resolution.python.decidedBy).toMatchObject({ source: "imds", outcome: "not-checked" });
  });

  it("STS endpoint modes per SDK defaults and settings (docs/aws-facts.md §3.1)", async () => {
    const home = tempHome({
      ".aws/config": "[default]\nregion = us-east-1\nsts_regional_endpoints = legacy\n",
    });
    const r = await inspect(home);
    expect(r.resolution.python.sts.mode).toBe("global");
    expect(r.resolution.js.sts).toMatchObject({
      mode: "regional",
      endpoint: "https://sts.us-east-1.amazonaws.com",
    });
    expect(r.resolution.cli.sts.mode).toBe("regional");
    const optIn = await inspect(home, { AWS_DEFAULT_REGION: "ap-east-1" });
    expect(optIn.resolution.python.sts.mode).toBe("regional");
    const env = await inspect(home, { AWS_STS_REGIONAL_ENDPOINTS: "regional" });
    expect(env.resolution.python.sts.mode).toBe("regional");
    const override = await inspect(home, { AWS_ENDPOINT_URL_STS: "https://sts.amazonaws.com" });
    expect(override.resolution.js.sts).toMatchObject({
      mode: "global",
      endpoint: "https://sts.amazonaws.com",
    });
  });

  it("decodes the account from the key id and masks the key", async () => {
    const home = tempHome();
    const r = await inspect(home, {
      AWS_ACCESS_KEY_ID: KEY_T,
      AWS_SECRET_ACCESS_KEY: SECRET_A,
      AWS_SESSION_TOKEN: TOKEN,
    });
    expect(r.resolution.js.winner?.identity).toEqual({
      accessKeyId: "ASIA****VV7A",
      prefix: "ASIA",
      kind: "temporary",
      account: "609629065308",
      accountFrom: "key-id",
      hasSessionToken: true,
    });
  });

  it("botocore reads AWS_SECURITY_TOKEN, JS does not", async () => {
    const home = tempHome();
    const r = await inspect(home, {
      AWS_ACCESS_KEY_ID: KEY_T,
      AWS_SECRET_ACCESS_KEY: SECRET_A,
      AWS_SECURITY_TOKEN: TOKEN,
    });
    expect(r.resolution.python.winner?.identity?.hasSessionToken).toBe(true);
    expect(r.resolution.js.winner?.identity?.hasSessionToken).toBe(false);
  });
});

describe("snapshot form (a case folder inspected on another machine)", () => {
  it("reads explicitly named files and SSO cache, ignoring HOME and AWS_CONFIG_FILE", async () => {
    const bundle = tempHome({
      "aws/config":
        "[profile sso]\nsso_session = corp\nsso_account_id = 210987654321\nsso_role_name = Dev\nregion = eu-central-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n",
      "aws/credentials": `[default]\naws_access_key_id = ${KEY_A}\naws_secret_access_key = ${SECRET_A}\n`,
      [`aws/sso-cache/${ssoCacheFileName("corp")}`]: JSON.stringify({
        accessToken: "t".repeat(20),
        expiresAt: "2030-01-01T00:00:00Z",
      }),
    });
    const r = await inspectCredentials({
      env: { AWS_PROFILE: "sso", AWS_CONFIG_FILE: "/elsewhere/config", HOME: "/nonexistent" },
      configFile: `${bundle}/aws/config`,
      credentialsFile: `${bundle}/aws/credentials`,
      ssoCacheDir: `${bundle}/aws/sso-cache`,
      now: new Date("2026-06-01T00:00:00Z"),
    });
    expect(r.resolution.python.winner?.identity?.account).toBe("210987654321");
    expect(r.resolution.js.region?.where).toBe(`${bundle}/aws/config:5`);
    expect(r.findings.map((f) => f.code)).not.toContain("file-missing");
  });
});
