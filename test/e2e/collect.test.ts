// End-to-end: `authdoctor collect` on a planted home folder (canary secrets everywhere), then `diagnose --bundle`
// on the result; `--live` against a fake AWS endpoint (AWS_ENDPOINT_URL), with denied reads listed.

import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeAws, json, queryError, queryOk, restError, xml } from "../live/fake-aws.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repoRoot, "dist/cli/bin.js");
const root = mkdtempSync(path.join(tmpdir(), "authdoctor-collect-"));
const home = path.join(root, "home");

// Every secret planted below holds CANARY; none may reach the bundle or the output.
const ENV_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARYENV1";
const FILE_SECRET = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbCANARYFILE";
const PROFILE_TOKEN = `IQoJb3JpZ2luX2VjECANARYPROFILETOKEN${"QUJD".repeat(30)}`;
const SSO_TOKEN = "aoaAAAAAGZCANARYSSOACCESSTOKENxyz";
const JWT = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ iss: "https://token.actions.githubusercontent.com", aud: "sts.amazonaws.com", exp: 1 })).toString("base64url")}.CANARYSIGNATUREabcdef`;
const ERROR =
  "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.";

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: home,
    NO_COLOR: "1",
    AWS_ACCESS_KEY_ID: "ASIAQ3EGUXAMPLEVV7AB",
    AWS_SECRET_ACCESS_KEY: ENV_SECRET,
    AWS_PROFILE: "dev",
    AWS_WEB_IDENTITY_TOKEN_FILE: path.join(home, "token"),
    HTTPS_PROXY: "http://builder:CANARYPROXYPW@proxy.internal:3128",
    ...extra,
  };
}

const run = (args: string[], opts: { input?: string; env?: Record<string, string> } = {}) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    env: opts.env ?? env(),
    ...(opts.input !== undefined ? { input: opts.input } : {}),
  });

/** Like {@link run}, without blocking this process (the fake AWS endpoint runs in it). */
function runAsync(args: string[], input: string, environment: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: environment });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

beforeAll(() => {
  mkdirSync(path.join(home, ".aws", "sso", "cache"), { recursive: true });
  writeFileSync(
    path.join(home, ".aws", "config"),
    "[default]\nregion = eu-central-1\n\n[profile dev]\nregion = eu-central-1\ncredential_process = /opt/bin/creds --password CANARYPROCESS\n",
  );
  writeFileSync(
    path.join(home, ".aws", "credentials"),
    `[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${FILE_SECRET}\n\n[ci]\naws_access_key_id = ASIAIOSFODNN7EXAMPL2\naws_secret_access_key=${FILE_SECRET}\naws_session_token=${PROFILE_TOKEN}\n`,
  );
  writeFileSync(
    path.join(home, ".aws", "sso", "cache", "4f5d0d2a.json"),
    JSON.stringify({
      startUrl: "https://corp.awsapps.com/start",
      region: "eu-west-1",
      accessToken: SSO_TOKEN,
      refreshToken: "CANARYREFRESH",
      clientSecret: "CANARYCLIENTSECRET",
      expiresAt: "2025-05-12T10:00:00Z",
    }),
  );
  writeFileSync(path.join(home, "token"), JWT);
});

describe("authdoctor collect", () => {
  it("writes a bundle without any secret, which diagnose reads", () => {
    const dir = path.join(root, "case-1");
    const r = run(
      ["collect", dir, "--region", "eu-central-1", "--sdk", "cli", "--notes", "deploy job 4711"],
      {
        input: `${ERROR}\n`,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("next: authdoctor diagnose --bundle");
    const files = walk(dir)
      .map((f) => path.relative(dir, f))
      .sort();
    expect(files).toEqual(
      [
        "README.md",
        "aws/config",
        "aws/credentials",
        "case.json",
        "collect.json",
        "env.txt",
        "error.txt",
        "sso-cache/4f5d0d2a.json",
        "web-identity-token",
      ].sort(),
    );
    for (const f of walk(dir)) {
      const text = readFileSync(f, "utf8");
      expect(text, f).not.toContain("CANARY");
      expect(text, f).not.toContain(SSO_TOKEN);
      expect(statSync(f).mode & 0o077, f).toBe(0);
    }
    expect(`${r.stdout}${r.stderr}`).not.toContain("CANARY");
    const envTxt = readFileSync(path.join(dir, "env.txt"), "utf8");
    expect(envTxt).toContain("AWS_SECRET_ACCESS_KEY=REDACTED");
    expect(envTxt).toContain("AWS_ACCESS_KEY_ID=ASIAQ3EGUXAMPLEVV7AB");
    expect(envTxt).toContain("HTTPS_PROXY=http://builder:REDACTED@proxy.internal:3128");
    const creds = readFileSync(path.join(dir, "aws/credentials"), "utf8");
    expect(creds).toContain("aws_secret_access_key = REDACTED\n");
    expect(creds).toContain("aws_session_token=REDACTED\n");
    expect(creds.split("\n").length).toBe(
      readFileSync(path.join(home, ".aws/credentials"), "utf8").split("\n").length,
    );
    expect(readFileSync(path.join(dir, "aws/config"), "utf8")).toContain("credential_process = REDACTED");
    const sso = JSON.parse(readFileSync(path.join(dir, "sso-cache/4f5d0d2a.json"), "utf8"));
    expect(sso).toMatchObject({ startUrl: "https://corp.awsapps.com/start", accessToken: "REDACTED" });
    expect(readFileSync(path.join(dir, "web-identity-token"), "utf8")).toMatch(
      /^eyJ[^.]+\.[^.]+\.REDACTED\n$/,
    );
    expect(JSON.parse(readFileSync(path.join(dir, "case.json"), "utf8"))).toEqual({
      region: "eu-central-1",
      sdk: "cli",
      profile: "dev",
      notes: "deploy job 4711",
    });

    // The bundle diagnosed elsewhere: the AWS CLI uses the environment's temporary key, which has no token.
    const d = run(["diagnose", "--bundle", dir, "--json"], {
      env: { PATH: process.env.PATH ?? "", HOME: root },
    });
    expect(d.status, d.stderr).toBe(0);
    const diagnosis = JSON.parse(d.stdout) as {
      verdict: { cause: string };
      checked: Array<{ source: string; status: string }>;
      unknowns: Array<{ what: string }>;
    };
    expect(diagnosis.verdict.cause).toBe("SESSION_TOKEN_MISSING");
    expect(diagnosis.checked.find((c) => c.source === "credentials")?.status).toBe("used");
    expect(diagnosis.unknowns.map((u) => u.what).join("\n")).not.toMatch(/not used/);
  });

  it("never writes into a non-empty folder without --force, nor through a symbolic link", () => {
    const dir = path.join(root, "case-2");
    mkdirSync(dir);
    const victim = path.join(root, "victim.txt");
    writeFileSync(victim, "keep me\n");
    symlinkSync(victim, path.join(dir, "env.txt"));
    const errFile = path.join(root, "error-2.txt");
    writeFileSync(errFile, ERROR);
    const refused = run(["collect", dir, "--file", errFile]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("not empty");
    expect(refused.stderr).toContain("--force");
    const forced = run(["collect", dir, "--force"], { input: ERROR });
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(victim, "utf8")).toBe("keep me\n");
    expect(readFileSync(path.join(dir, "env.txt"), "utf8")).toContain("AWS_PROFILE=dev");
  });

  it("rejects bad usage with one line and exit 2", () => {
    expect(run(["collect", path.join(root, "c3"), "--time", "yesterday"]).status).toBe(2);
    expect(run(["collect", path.join(root, "c4"), "--sdk", "perl"]).status).toBe(2);
    const missing = run(["collect", path.join(root, "c5"), "--file", path.join(root, "nope.txt")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(path.join(root, "c5"))).toBe(false);
  });
});

describe("authdoctor collect --live", () => {
  const fake = new FakeAws();
  let url: string;
  const regionOf = (s: { headers: Record<string, unknown> }) =>
    /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(s.headers.authorization))?.[1];
  beforeAll(async () => {
    url = await fake.start();
    fake
      .on(
        "sts:GetCallerIdentity",
        xml(
          queryOk(
            "GetCallerIdentity",
            "<Arn>arn:aws:sts::111122223333:assumed-role/deploy/ci-4711</Arn><UserId>AROAEXAMPLE:ci-4711</UserId><Account>111122223333</Account>",
            "https://sts.amazonaws.com/doc/2011-06-15/",
          ),
        ),
      )
      .on(
        "account:GetRegionOptStatus",
        json({ RegionName: "ap-east-1", RegionOptStatus: "DISABLED" }, "application/json"),
      )
      .on("iam:GetAccountAuthorizationDetails", queryError(403, "AccessDenied", "not authorized"))
      .on("iam:GetRole", queryError(403, "AccessDenied", "not authorized"))
      .on("iam:ListRolePolicies", queryError(403, "AccessDenied", "not authorized"))
      .on("iam:ListAttachedRolePolicies", queryError(403, "AccessDenied", "not authorized"))
      .on("cloudtrail:LookupEvents", (s) =>
        regionOf(s) === "us-east-1"
          ? (json({
              Events: [
                {
                  EventId: "e1",
                  EventName: "AssumeRole",
                  CloudTrailEvent: JSON.stringify({
                    eventVersion: "1.08",
                    eventTime: "2025-05-12T09:20:00Z",
                    eventSource: "sts.amazonaws.com",
                    eventName: "AssumeRole",
                    awsRegion: "us-east-1",
                    userIdentity: { type: "AWSService", invokedBy: "ec2.amazonaws.com" },
                    responseElements: {
                      credentials: {
                        accessKeyId: "ASIAQ3EGUXAMPLEVV7AB",
                        sessionToken: "IQoJb3JpZ2luX2VjECANARYTRAILTOKEN",
                        expiration: "May 12, 2025, 10:20:00 AM",
                      },
                    },
                  }),
                },
              ],
            }) as { body: string; headers: Record<string, string> })
          : (jsonError403() as { status: number; body: string; headers: Record<string, string> }),
      );
  });
  afterAll(async () => {
    await fake.stop();
  });

  it("adds what the caller may read and lists each denied call with its permission", async () => {
    const dir = path.join(root, "case-live");
    const e = env({
      AWS_ENDPOINT_URL: url,
      AWS_REGION: "eu-central-1",
      AWS_SESSION_TOKEN: "IQoJb3JpZ2luX2VjECANARYSESSION",
    });
    delete (e as Record<string, string | undefined>).AWS_PROFILE;
    const r = await runAsync(
      ["collect", dir, "--live", "--region", "ap-east-1", "--time", "2025-05-12T09:31:43Z"],
      ERROR,
      e,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("live: sts:GetCallerIdentity");
    expect(fake.seen.map((s) => s.route).join(" "), r.stderr).toContain("sts:GetCallerIdentity");
    expect(fake.count("sts:GetCallerIdentity")).toBeGreaterThan(0);
    const readme = readFileSync(path.join(dir, "README.md"), "utf8");
    expect(readme).toContain(
      "`iam:GetAccountAuthorizationDetails` in eu-central-1: needs `iam:GetAccountAuthorizationDetails`",
    );
    expect(readme).toContain("`cloudtrail:LookupEvents` in ap-east-1: needs `cloudtrail:LookupEvents`");
    expect(readme).toContain("Region `ap-east-1`: DISABLED");
    const trail = JSON.parse(readFileSync(path.join(dir, "trail/lookup-us-east-1.json"), "utf8")) as {
      Records: Array<{ responseElements: { credentials: { sessionToken: string; accessKeyId: string } } }>;
    };
    expect(trail.Records[0]!.responseElements.credentials).toMatchObject({
      sessionToken: "REDACTED",
      accessKeyId: "ASIAQ3EGUXAMPLEVV7AB",
    });
    expect(existsSync(path.join(dir, "authz.json"))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(dir, "case.json"), "utf8")).principal).toBe(
      "arn:aws:sts::111122223333:assumed-role/deploy/ci-4711",
    );
    for (const f of walk(dir)) expect(readFileSync(f, "utf8"), f).not.toContain("CANARY");
    expect(`${r.stdout}${r.stderr}`).not.toContain("CANARY");
    // only read-only operations were asked of AWS
    for (const s of fake.seen)
      expect(s.route).toMatch(/^(sts:Get|account:Get|iam:(Get|List)|cloudtrail:Lookup)/);

    const d = run(["diagnose", "--bundle", dir, "--json"], {
      env: { PATH: process.env.PATH ?? "", HOME: root },
    });
    expect(d.status, d.stderr).toBe(0);
    const checked = (JSON.parse(d.stdout) as { checked: Array<{ source: string; status: string }> }).checked;
    expect(checked.find((c) => c.source === "trail")?.status).toBe("used");
  }, 60_000);
});

function jsonError403() {
  return {
    status: 400,
    headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "AccessDeniedException" },
    body: JSON.stringify({ __type: "AccessDeniedException", message: "not authorized" }),
  };
}
void restError;
