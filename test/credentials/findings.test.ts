import { afterAll, describe, expect, it } from "vitest";
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
  withCode,
} from "./helpers.js";

afterAll(cleanHomes);

interface Case {
  name: string;
  files?: Record<string, string | Uint8Array>;
  env?: Record<string, string>;
  profile?: string;
  /** Expected finding: code, cause, severity and where (a `~/...` path, `:line` or variable). */
  want: { code: string; cause: string; severity: string; where?: string | RegExp; sdks?: string[] };
}

const keysIni = (name: string, id: string, secret: string, extra = "") =>
  `[${name}]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n${extra}`;

const CASES: Case[] = [
  {
    name: "a web identity token path with `~` (not expanded by the SDKs)",
    files: { tok: "x.y.z" },
    env: { AWS_WEB_IDENTITY_TOKEN_FILE: "~/tok", AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/irsa" },
    want: {
      code: "web-identity-token-missing",
      cause: "CRED_MISSING",
      severity: "error",
      where: "AWS_WEB_IDENTITY_TOKEN_FILE",
    },
  },
  {
    name: "env keys shadowing AWS_PROFILE (boto3, CLI; JS does the opposite)",
    files: { ".aws/credentials": keysIni("dev", KEY_A, SECRET_A) },
    env: { AWS_PROFILE: "dev", AWS_ACCESS_KEY_ID: KEY_B, AWS_SECRET_ACCESS_KEY: SECRET_B },
    want: {
      code: "env-keys-shadow-profile",
      cause: "CRED_WRONG_SOURCE",
      severity: "warning",
      where: /AWS_PROFILE/,
    },
  },
  {
    name: "AWS_SESSION_TOKEN next to an AKIA key",
    env: { AWS_ACCESS_KEY_ID: KEY_A, AWS_SECRET_ACCESS_KEY: SECRET_A, AWS_SESSION_TOKEN: TOKEN },
    want: {
      code: "session-token-with-long-term-key",
      cause: "SESSION_TOKEN_STALE",
      severity: "error",
      where: "AWS_SESSION_TOKEN",
    },
  },
  {
    name: "an ASIA key without a session token (file)",
    files: { ".aws/credentials": keysIni("default", KEY_T, SECRET_A) },
    want: {
      code: "temporary-key-without-token",
      cause: "SESSION_TOKEN_MISSING",
      severity: "error",
      where: "~/.aws/credentials:2",
    },
  },
  {
    name: "a key id of the wrong length and charset",
    env: { AWS_ACCESS_KEY_ID: "AKIA1234567890abcdef12", AWS_SECRET_ACCESS_KEY: SECRET_A },
    want: {
      code: "key-id-malformed",
      cause: "KEY_INVALID_ID",
      severity: "error",
      where: "AWS_ACCESS_KEY_ID",
    },
  },
  {
    name: "a role id pasted as key id",
    env: { AWS_ACCESS_KEY_ID: "AROAZ7YWX6VUT5SRQPON", AWS_SECRET_ACCESS_KEY: SECRET_A },
    want: { code: "key-id-wrong-prefix", cause: "KEY_INVALID_ID", severity: "error" },
  },
  {
    name: "a secret with a trailing CR (env from a Windows file)",
    env: { AWS_ACCESS_KEY_ID: KEY_A, AWS_SECRET_ACCESS_KEY: `${SECRET_A}\r` },
    want: {
      code: "secret-cr",
      cause: "KEY_SECRET_MISMATCH",
      severity: "error",
      where: "AWS_SECRET_ACCESS_KEY",
    },
  },
  {
    name: "a key id with stray whitespace",
    env: { AWS_ACCESS_KEY_ID: ` ${KEY_A}`, AWS_SECRET_ACCESS_KEY: SECRET_A },
    want: { code: "key-id-whitespace", cause: "KEY_INVALID_ID", severity: "error" },
  },
  {
    name: "a quoted secret in the credentials file",
    files: { ".aws/credentials": keysIni("default", KEY_A, `"${SECRET_A}"`) },
    want: {
      code: "secret-quoted",
      cause: "KEY_SECRET_MISMATCH",
      severity: "error",
      where: "~/.aws/credentials:3",
    },
  },
  {
    name: "a secret of the wrong length",
    files: { ".aws/credentials": keysIni("default", KEY_A, "tooShortSecret") },
    want: {
      code: "secret-malformed",
      cause: "KEY_SECRET_MISMATCH",
      severity: "error",
      where: "~/.aws/credentials:3",
    },
  },
  {
    name: "swapped key id and secret",
    files: { ".aws/credentials": keysIni("default", SECRET_A, KEY_A) },
    want: {
      code: "secret-looks-like-key-id",
      cause: "KEY_SECRET_MISMATCH",
      severity: "error",
      where: "~/.aws/credentials:3",
    },
  },
  {
    name: "the same key id under several profiles with different secrets",
    files: { ".aws/credentials": `${keysIni("a", KEY_A, SECRET_A)}\n${keysIni("b", KEY_A, SECRET_B)}` },
    want: {
      code: "same-key-different-secrets",
      cause: "KEY_SECRET_MISMATCH",
      severity: "warning",
      where: /credentials:2, .*credentials:6/,
    },
  },
  {
    name: "a profile that does not exist",
    files: { ".aws/credentials": keysIni("default", KEY_A, SECRET_A) },
    env: { AWS_PROFILE: "prod" },
    want: { code: "profile-not-found", cause: "CRED_WRONG_SOURCE", severity: "error", where: "AWS_PROFILE" },
  },
  {
    name: "a profile written [name] in the config file",
    files: { ".aws/config": "[default]\nregion = us-east-1\n\n[prod]\nregion = eu-west-1\n" },
    profile: "prod",
    want: {
      code: "profile-wrong-section-form",
      cause: "CRED_WRONG_SOURCE",
      severity: "error",
      where: "~/.aws/config:4",
    },
  },
  {
    name: "a profile written [profile name] in the credentials file",
    files: { ".aws/credentials": keysIni("profile prod", KEY_A, SECRET_A) },
    env: { AWS_PROFILE: "prod" },
    want: {
      code: "profile-wrong-section-form",
      cause: "CRED_WRONG_SOURCE",
      severity: "error",
      where: "~/.aws/credentials:1",
    },
  },
  {
    name: "source_profile missing",
    files: {
      ".aws/config": "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n",
    },
    env: { AWS_PROFILE: "r" },
    want: {
      code: "source-profile-missing",
      cause: "CRED_MISSING",
      severity: "error",
      where: "~/.aws/config:3",
    },
  },
  {
    name: "source_profile looping",
    files: {
      ".aws/config":
        "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n",
    },
    env: { AWS_PROFILE: "a" },
    want: { code: "source-profile-loop", cause: "OTHER", severity: "error", where: "~/.aws/config:3" },
  },
  {
    name: "a malformed role_arn",
    files: {
      ".aws/config":
        "[profile r]\nrole_arn = arn:aws:iam:123456789012:role/r\ncredential_source = Environment\n",
    },
    env: { AWS_PROFILE: "r" },
    want: { code: "role-arn-malformed", cause: "OTHER", severity: "error", where: "~/.aws/config:2" },
  },
  {
    name: "both source_profile and credential_source",
    files: {
      ".aws/config":
        "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = default\ncredential_source = Environment\n",
      ".aws/credentials": keysIni("default", KEY_A, SECRET_A),
    },
    env: { AWS_PROFILE: "r" },
    want: {
      code: "source-profile-and-credential-source",
      cause: "OTHER",
      severity: "error",
      where: "~/.aws/config:4",
    },
  },
  {
    name: "expired temporary credentials (env expiration)",
    env: {
      AWS_ACCESS_KEY_ID: KEY_T,
      AWS_SECRET_ACCESS_KEY: SECRET_A,
      AWS_SESSION_TOKEN: TOKEN,
      AWS_CREDENTIAL_EXPIRATION: "2026-06-01T11:00:00Z",
    },
    want: {
      code: "credentials-expired",
      cause: "TOKEN_EXPIRED",
      severity: "error",
      where: "AWS_CREDENTIAL_EXPIRATION",
    },
  },
  {
    name: "expired temporary credentials (file expiration field)",
    files: {
      ".aws/credentials": keysIni(
        "default",
        KEY_T,
        SECRET_A,
        `aws_session_token = ${TOKEN}\nx_security_token_expires = 2026-05-30T00:00:00Z\n`,
      ),
    },
    want: {
      code: "credentials-expired",
      cause: "TOKEN_EXPIRED",
      severity: "error",
      where: "~/.aws/credentials:5",
    },
  },
  {
    name: "an SSO token cache missing",
    files: {
      ".aws/config":
        "[default]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n",
    },
    want: {
      code: "sso-token-missing",
      cause: "SSO_CONFIG",
      severity: "error",
      where: /sso\/cache\/[0-9a-f]{40}\.json/,
    },
  },
  {
    name: "an SSO token expired",
    files: {
      ".aws/config":
        "[default]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 123456789012\nsso_role_name = Dev\n",
      [`.aws/sso/cache/${ssoCacheFileName("https://corp.awsapps.com/start")}`]: JSON.stringify({
        accessToken: "secret-sso-access-token-value",
        expiresAt: "2026-06-01T02:00:00Z",
      }),
    },
    want: { code: "sso-token-expired", cause: "TOKEN_EXPIRED", severity: "error" },
  },
  {
    name: "an sso_session without its section",
    files: {
      ".aws/config": "[default]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n",
    },
    want: { code: "sso-session-missing", cause: "SSO_CONFIG", severity: "error", where: "~/.aws/config:2" },
  },
  {
    name: "a web identity token file missing",
    env: {
      AWS_WEB_IDENTITY_TOKEN_FILE: "/nonexistent/authdoctor/token",
      AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/irsa",
    },
    want: {
      code: "web-identity-token-missing",
      cause: "CRED_MISSING",
      severity: "error",
      where: "AWS_WEB_IDENTITY_TOKEN_FILE",
    },
  },
  {
    name: "a web identity token expired (JWT exp)",
    files: { tok: jwt({ exp: 1_700_000_000 }) },
    env: { AWS_WEB_IDENTITY_TOKEN_FILE: "$HOME/tok", AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/irsa" },
    want: { code: "web-identity-token-expired", cause: "TOKEN_EXPIRED", severity: "error" },
  },
  {
    name: "a web identity token file that is not a JWT",
    files: { tok: "not a token at all" },
    env: { AWS_WEB_IDENTITY_TOKEN_FILE: "$HOME/tok", AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/irsa" },
    want: { code: "web-identity-token-garbled", cause: "OTHER", severity: "error" },
  },
  {
    name: "an invalid region (an Availability Zone)",
    env: { AWS_REGION: "us-east-1a" },
    want: { code: "region-invalid", cause: "REGION_MISMATCH", severity: "error", where: "AWS_REGION" },
  },
  {
    name: "an opt-in region with a global STS endpoint",
    files: { ".aws/config": "[default]\nregion = ap-east-1\n" },
    env: { AWS_ENDPOINT_URL_STS: "https://sts.amazonaws.com" },
    want: { code: "opt-in-region-global-sts", cause: "STS_TOKEN_VERSION_REGION", severity: "warning" },
  },
  {
    name: "a leftover AWS_ENDPOINT_URL",
    env: { AWS_ENDPOINT_URL: "http://localhost:4566" },
    want: {
      code: "endpoint-url-override",
      cause: "NETWORK_PATH",
      severity: "warning",
      where: "AWS_ENDPOINT_URL",
    },
  },
  {
    name: "AWS_EC2_METADATA_DISABLED",
    env: { AWS_EC2_METADATA_DISABLED: "true" },
    want: {
      code: "metadata-disabled",
      cause: "CRED_MISSING",
      severity: "info",
      where: "AWS_EC2_METADATA_DISABLED",
    },
  },
  {
    name: "no credentials at all",
    env: { AWS_EC2_METADATA_DISABLED: "true" },
    want: { code: "no-credentials", cause: "CRED_MISSING", severity: "error" },
  },
  {
    name: "a half-set env pair",
    env: { AWS_ACCESS_KEY_ID: KEY_A },
    want: { code: "env-keys-half-set", cause: "CRED_MISSING", severity: "error", where: "AWS_ACCESS_KEY_ID" },
  },
  {
    name: "AWS_PROFILE and AWS_DEFAULT_PROFILE disagree",
    files: { ".aws/credentials": `${keysIni("a", KEY_A, SECRET_A)}\n${keysIni("b", KEY_B, SECRET_B)}` },
    env: { AWS_PROFILE: "a", AWS_DEFAULT_PROFILE: "b" },
    want: { code: "profile-vars-disagree", cause: "CRED_WRONG_SOURCE", severity: "warning" },
  },
  {
    name: "the SDKs resolve different regions",
    env: { AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "us-east-1" },
    want: { code: "region-differs-by-sdk", cause: "REGION_MISMATCH", severity: "warning" },
  },
  {
    name: "a section without the profile prefix in the config file",
    files: { ".aws/config": "[staging]\nregion = eu-west-1\n" },
    want: {
      code: "config-section-without-profile-prefix",
      cause: "CRED_WRONG_SOURCE",
      severity: "warning",
      where: "~/.aws/config:1",
    },
  },
  {
    name: "an inline comment after a secret (kept by botocore)",
    files: { ".aws/credentials": keysIni("default", KEY_A, `${SECRET_A} # rotated in May`) },
    want: {
      code: "inline-comment-in-value",
      cause: "KEY_SECRET_MISMATCH",
      severity: "warning",
      sdks: ["python", "cli"],
    },
  },
  {
    name: "a duplicate section (botocore refuses the file)",
    files: {
      ".aws/credentials": `${keysIni("default", KEY_A, SECRET_A)}\n${keysIni("default", KEY_A, SECRET_A)}`,
    },
    want: { code: "file-parse-error", cause: "OTHER", severity: "error", where: "~/.aws/credentials:5" },
  },
  {
    name: "an unreadable config path (a folder)",
    files: { "cfgdir/x": "" },
    env: { AWS_CONFIG_FILE: "~/cfgdir" },
    want: { code: "file-unreadable", cause: "CRED_MISSING", severity: "error" },
  },
  {
    name: "AWS_SHARED_CREDENTIALS_FILE naming a missing file",
    env: { AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/authdoctor/credentials" },
    want: {
      code: "file-missing",
      cause: "CRED_WRONG_SOURCE",
      severity: "warning",
      where: "AWS_SHARED_CREDENTIALS_FILE",
    },
  },
  {
    name: "IRSA variables shadowed by [default] keys in JS",
    files: { ".aws/credentials": keysIni("default", KEY_A, SECRET_A), tok: jwt({ exp: 9e9 }) },
    env: { AWS_WEB_IDENTITY_TOKEN_FILE: "$HOME/tok", AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/irsa" },
    want: { code: "sdks-disagree", cause: "CRED_WRONG_SOURCE", severity: "warning" },
  },
  {
    name: "mfa_serial on a role profile (JS default chain cannot prompt)",
    files: {
      ".aws/config":
        "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = default\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n",
      ".aws/credentials": keysIni("default", KEY_A, SECRET_A),
    },
    env: { AWS_PROFILE: "r" },
    want: { code: "mfa-serial-no-prompt", cause: "MFA_REQUIRED", severity: "warning", sdks: ["js"] },
  },
  {
    name: "AWS_SECURITY_TOKEN only (JS does not read it)",
    env: { AWS_ACCESS_KEY_ID: KEY_T, AWS_SECRET_ACCESS_KEY: SECRET_A, AWS_SECURITY_TOKEN: TOKEN },
    want: {
      code: "security-token-var-ignored-by-js",
      cause: "SESSION_TOKEN_MISSING",
      severity: "warning",
      sdks: ["js"],
    },
  },
  {
    name: "a refused container URL",
    env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://10.0.0.5/creds" },
    want: { code: "container-uri-refused", cause: "CRED_MISSING", severity: "error" },
  },
];

describe("findings", () => {
  it.each(CASES)("$name", async (c) => {
    const home = tempHome(c.files ?? {});
    const env = Object.fromEntries(
      Object.entries(c.env ?? {}).map(([k, v]) => [k, v.replaceAll("$HOME", home)]),
    );
    const r = await inspect(home, env, c.profile ? { profile: c.profile } : {});
    const found = withCode(r, c.want.code);
    expect(found.length, `findings: ${r.findings.map((f) => f.code).join(", ")}`).toBeGreaterThan(0);
    const f = found[0]!;
    expect(f.cause).toBe(c.want.cause);
    expect(f.severity).toBe(c.want.severity);
    expect(f.message.length).toBeGreaterThan(10);
    expect(f.fix.length).toBeGreaterThan(5);
    if (typeof c.want.where === "string") expect(f.where).toBe(c.want.where);
    else if (c.want.where) expect(f.where).toMatch(c.want.where);
    if (c.want.sdks) expect(f.sdks).toEqual(c.want.sdks);
  });

  it("a clean setup has no error or warning findings", async () => {
    const home = tempHome({
      ".aws/credentials": keysIni("default", KEY_A, SECRET_A),
      ".aws/config": "[default]\nregion = eu-west-1\n",
    });
    const r = await inspect(home, {});
    expect(r.findings.filter((f) => f.severity !== "info")).toEqual([]);
  });

  it("sorts errors before warnings before info", async () => {
    const home = tempHome();
    const r = await inspect(home, {
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_ENDPOINT_URL: "http://localhost:4566",
      AWS_REGION: "bad region",
    });
    const ranks = r.findings.map((f) => ({ error: 0, warning: 1, info: 2 })[f.severity]);
    expect(ranks).toEqual([...ranks].sort());
  });
});
