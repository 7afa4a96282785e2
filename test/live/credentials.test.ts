// Live mode's credential chain against the fake AWS endpoint (AWS_ENDPOINT_URL): the SDK's credential providers
// send their requests through the allow-list gate, each is in the audit, and the SSO token cache is never written.

import { mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ssoCacheFileName } from "../../src/credentials/snapshot.js";
import { credentialOperationOf } from "../../src/live/credentials.js";
import { runLiveProbes } from "../../src/live/index.js";
import { renderAudit } from "../../src/report/live.js";
import { FAKE, FakeAws, json, queryOk, xml } from "./fake-aws.js";

const ACCOUNT = "123456789012";
const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const gci = xml(
  queryOk(
    "GetCallerIdentity",
    `<Arn>arn:aws:sts::${ACCOUNT}:assumed-role/deploy/s1</Arn><UserId>AROAEXAMPLEID:s1</UserId><Account>${ACCOUNT}</Account>`,
    STS_NS,
  ),
);
const creds = `<Credentials><AccessKeyId>${FAKE.accessKeyId}</AccessKeyId><SecretAccessKey>${FAKE.secretAccessKey}</SecretAccessKey><SessionToken>${FAKE.sessionToken}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>`;
const assumed = `<AssumedRoleUser><Arn>arn:aws:sts::${ACCOUNT}:assumed-role/deploy/s1</Arn><AssumedRoleId>AROAEXAMPLEID:s1</AssumedRoleId></AssumedRoleUser>`;

describe("live credential providers go through the allow-list and the audit", () => {
  const fake = new FakeAws();
  let endpoint = "";
  let dir = "";
  beforeAll(async () => {
    endpoint = await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    dir = mkdtempSync(path.join(tmpdir(), "authdoctor-livecreds-"));
    for (const v of [
      "AWS_PROFILE",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "AWS_WEB_IDENTITY_TOKEN_FILE",
      "AWS_ROLE_ARN",
      "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
      "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ])
      vi.stubEnv(v, undefined);
    vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
    vi.stubEnv("AWS_ENDPOINT_URL", endpoint);
    vi.stubEnv("AWS_REGION", "us-east-1");
    vi.stubEnv("HOME", dir);
    vi.stubEnv("AWS_CONFIG_FILE", path.join(dir, "config"));
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", path.join(dir, "credentials"));
  });
  afterEach(() => vi.unstubAllEnvs());

  const live = (profile: string) =>
    runLiveProbes({
      profile,
      endpointOverride: endpoint,
      timeoutMs: 2000,
      probes: ["identity"],
      env: { AWS_REGION: "us-east-1" },
    });

  it("a role profile (role_arn + source_profile): sts:AssumeRole is sent, audited as a credential-provider call", async () => {
    writeFileSync(
      path.join(dir, "config"),
      `[profile base]\nregion = us-east-1\n[profile deploy]\nrole_arn = arn:aws:iam::${ACCOUNT}:role/deploy\nsource_profile = base\nregion = us-east-1\n`,
    );
    writeFileSync(
      path.join(dir, "credentials"),
      `[base]\naws_access_key_id = ${FAKE.longTermKeyId}\naws_secret_access_key = ${FAKE.secretAccessKey}\n`,
    );
    fake.on("sts:AssumeRole", xml(queryOk("AssumeRole", `${creds}${assumed}`, STS_NS)));
    fake.on("sts:GetCallerIdentity", gci);
    const report = await live("deploy");
    expect(report.credentials).toMatchObject({ ok: true, value: { temporary: true } });
    expect(fake.seen.map((s) => s.route)).toEqual(
      expect.arrayContaining(["sts:AssumeRole", "sts:GetCallerIdentity"]),
    );
    const entry = report.audit.find((e) => e.operation.startsWith("sts:AssumeRole"));
    expect(entry).toMatchObject({ operation: "sts:AssumeRole (credential provider)", outcome: "ok" });
    expect(renderAudit(report)).toContain("sts:AssumeRole (credential provider)");
    // no secret in the audit
    expect(JSON.stringify(report)).not.toContain(FAKE.secretAccessKey);
  });

  it("web identity: sts:AssumeRoleWithWebIdentity is gated and audited", async () => {
    const token = path.join(dir, "token");
    writeFileSync(token, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
    vi.stubEnv("AWS_WEB_IDENTITY_TOKEN_FILE", token);
    vi.stubEnv("AWS_ROLE_ARN", `arn:aws:iam::${ACCOUNT}:role/deploy`);
    writeFileSync(path.join(dir, "config"), "[default]\nregion = us-east-1\n");
    // the call is not signed (the token is the proof), so the fake cannot read a service from a signature
    fake.on(
      "?:AssumeRoleWithWebIdentity",
      xml(queryOk("AssumeRoleWithWebIdentity", `${creds}${assumed}`, STS_NS)),
    );
    fake.on("sts:GetCallerIdentity", gci);
    const report = await live("default");
    expect(report.credentials, JSON.stringify(report.credentials)).toMatchObject({ ok: true });
    expect(report.audit.map((e) => e.operation)).toContain(
      "sts:AssumeRoleWithWebIdentity (credential provider)",
    );
  });

  it("SSO: the cached token is used read-only; a refresh (sso-oidc:CreateToken) is refused and the cache is not written", async () => {
    const cacheDir = path.join(dir, ".aws/sso/cache");
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(
      path.join(dir, "config"),
      "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = us-east-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n",
    );
    const cacheFile = path.join(cacheDir, ssoCacheFileName("corp"));
    // expires in 2 minutes: inside the SDK's refresh window, so the SDK would refresh and rewrite the file
    const cached = JSON.stringify({
      startUrl: "https://corp.awsapps.com/start",
      region: "eu-west-1",
      accessToken: "aoaCachedAccessTokenValue",
      expiresAt: new Date(Date.now() + 120_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      clientId: "client-id",
      clientSecret: "client-secret",
      registrationExpiresAt: "2099-01-01T00:00:00Z",
      refreshToken: "aorRefreshTokenValue",
    });
    writeFileSync(cacheFile, cached);
    const before = statSync(cacheFile).mtimeMs;
    const report = await live("dev");
    const ops = report.audit.map((e) => e.operation);
    expect(ops).toContain("sso-oidc:CreateToken (credential provider)");
    expect(report.audit.find((e) => e.operation.startsWith("sso-oidc:"))).toMatchObject({
      outcome: "refused",
      attempts: 0,
    });
    // the cached token was still used for the role credentials, through the gate
    expect(ops).toContain("sso:GetRoleCredentials (credential provider)");
    expect(fake.seen.some((s) => s.path.startsWith("/token"))).toBe(false);
    expect(readFileSync(cacheFile, "utf8")).toBe(cached);
    expect(statSync(cacheFile).mtimeMs).toBe(before);
    expect(JSON.stringify(report)).not.toContain("aorRefreshTokenValue");
    expect(JSON.stringify(report)).not.toContain("client-secret");
  });
});

describe("--sso-refresh: an expired SSO token refreshed in memory only", () => {
  const fake = new FakeAws();
  let endpoint = "";
  let dir = "";
  let cacheFile = "";
  let cached = "";
  beforeAll(async () => {
    endpoint = await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    dir = mkdtempSync(path.join(tmpdir(), "authdoctor-ssorefresh-"));
    for (const v of ["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"])
      vi.stubEnv(v, undefined);
    vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
    vi.stubEnv("AWS_ENDPOINT_URL", endpoint);
    vi.stubEnv("AWS_REGION", "us-east-1");
    vi.stubEnv("HOME", dir);
    vi.stubEnv("AWS_CONFIG_FILE", path.join(dir, "config"));
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", path.join(dir, "credentials"));
    const cacheDir = path.join(dir, ".aws/sso/cache");
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(
      path.join(dir, "config"),
      "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = us-east-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n",
    );
    cacheFile = path.join(cacheDir, ssoCacheFileName("corp"));
    cached = JSON.stringify({
      startUrl: "https://corp.awsapps.com/start",
      region: "eu-west-1",
      accessToken: "aoaExpiredAccessTokenValue",
      expiresAt: "2020-01-01T00:00:00Z",
      clientId: "client-id",
      clientSecret: "client-secret-value",
      registrationExpiresAt: "2099-01-01T00:00:00Z",
      refreshToken: "aorRefreshTokenValue",
    });
    writeFileSync(cacheFile, cached);
    // an old mtime, so that any rewrite (even of the same bytes) shows
    utimesSync(cacheFile, new Date("2021-01-01T00:00:00Z"), new Date("2021-01-01T00:00:00Z"));
  });
  afterEach(() => vi.unstubAllEnvs());

  const live = (ssoRefresh: boolean) =>
    runLiveProbes({
      profile: "dev",
      endpointOverride: endpoint,
      timeoutMs: 2000,
      probes: ["identity"],
      env: { AWS_REGION: "us-east-1" },
      ...(ssoRefresh ? { ssoRefresh: true } : {}),
    });
  const untouched = () => {
    expect(readFileSync(cacheFile, "utf8")).toBe(cached);
    expect(statSync(cacheFile).mtime.toISOString()).toBe("2021-01-01T00:00:00.000Z");
  };

  it("without the flag: nothing is sent, and the message says how to refresh", async () => {
    const report = await live(false);
    expect(report.credentials.ok).toBe(false);
    const reason = JSON.stringify(report.credentials);
    expect(reason).toContain("aws sso login --profile dev");
    expect(reason).toContain("--sso-refresh");
    expect(fake.seen).toEqual([]);
    untouched();
  });

  it("with the flag: CreateToken and GetRoleCredentials are sent through the gate and audited; the cache is not written", async () => {
    fake.on(
      "?:POST /token",
      json(
        {
          accessToken: "aoaFreshAccessTokenValue",
          expiresIn: 3600,
          refreshToken: "aorNewRefreshTokenValue",
          tokenType: "Bearer",
        },
        "application/json",
      ),
    );
    fake.on(
      "?:GET /federation/credentials?account_id=123456789012&role_name=Dev",
      json(
        {
          roleCredentials: {
            accessKeyId: FAKE.accessKeyId,
            secretAccessKey: FAKE.secretAccessKey,
            sessionToken: FAKE.sessionToken,
            expiration: 4102444800000,
          },
        },
        "application/json",
      ),
    );
    fake.on("sts:GetCallerIdentity", gci);
    const report = await live(true);
    expect(report.credentials, JSON.stringify(report.credentials)).toMatchObject({ ok: true });
    // the refresh used the cached registration and refresh token, and the new access token got the role credentials
    const token = fake.seen.find((x) => x.route === "?:POST /token");
    expect(token?.body).toContain("aorRefreshTokenValue");
    const portal = fake.seen.find((x) => x.route.startsWith("?:GET /federation/credentials"));
    expect(portal?.headers["x-amz-sso_bearer_token"]).toBe("aoaFreshAccessTokenValue");
    const audit = report.audit.map((e) => [e.operation, e.outcome]);
    expect(audit).toContainEqual(["sso-oidc:CreateToken (credential provider)", "ok"]);
    expect(audit).toContainEqual(["sso:GetRoleCredentials (credential provider)", "ok"]);
    expect(renderAudit(report)).toContain("sso-oidc:CreateToken (credential provider)");
    untouched();
    const out = JSON.stringify(report) + renderAudit(report);
    for (const secret of [
      "aoaFreshAccessTokenValue",
      "aorNewRefreshTokenValue",
      "aorRefreshTokenValue",
      "client-secret-value",
      FAKE.secretAccessKey,
    ])
      expect(out).not.toContain(secret);
  });

  it("with the flag, a token without a refresh token: a clear message, nothing sent", async () => {
    const legacy = JSON.parse(cached) as Record<string, unknown>;
    delete legacy.refreshToken;
    cached = JSON.stringify(legacy);
    writeFileSync(cacheFile, cached);
    utimesSync(cacheFile, new Date("2021-01-01T00:00:00Z"), new Date("2021-01-01T00:00:00Z"));
    const report = await live(true);
    expect(report.credentials.ok).toBe(false);
    expect(JSON.stringify(report.credentials)).toContain("cannot be refreshed");
    expect(JSON.stringify(report.credentials)).toContain("aws sso login --profile dev");
    expect(fake.seen).toEqual([]);
    untouched();
  });
});

describe("credentialOperationOf", () => {
  it("names the operation from the request, whatever the endpoint", () => {
    expect(credentialOperationOf({ body: "Action=AssumeRole&Version=2011-06-15" })).toBe("sts:AssumeRole");
    expect(credentialOperationOf({ path: "/federation/credentials", method: "GET" })).toBe(
      "sso:GetRoleCredentials",
    );
    expect(credentialOperationOf({ path: "/token", method: "POST" })).toBe("sso-oidc:CreateToken");
    expect(credentialOperationOf({ path: "/x", method: "PUT", hostname: "localhost" })).toBe("?:PUT /x");
  });
});
