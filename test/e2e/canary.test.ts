// End-to-end secret canaries: every command x format of the built CLI is run on inputs that carry secrets in every
// shape we know (secret keys raw, URL-encoded and labelled with an odd length; every STS session token family; SSO
// tokens; JWTs; base64-wrapped and JSON-escaped forms; a token inside a CloudTrail userAgent), and no byte of any
// canary may appear on stdout or stderr. Run `npm run build` first (npm test does).

import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repoRoot, "dist/cli/bin.js");
const dir = mkdtempSync(path.join(tmpdir(), "authdoctor-canary-"));
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
};

/** Base64 padding of a canary body to a realistic token length (pseudo-random, deterministic). */
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const pad = (s: string, n: number) => {
  let x = s.length * 7919;
  let out = s;
  while (out.length < n) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += B64[x % 64];
  }
  return out;
};

/** Every canary holds `CaNrY` and a number: any leak of a raw canary shows as that marker in the output. */
const C = {
  secret: "wJalrXUtnFEMI/K7MDENG/CaNrY01bPxRfiCYEXA", // 40 chars, a secret access key's shape
  secretUrl: "wJalrXUtnFEMI/K7MDENG/CaNrY02bPxRfiCY+XA", // shown URL-encoded (%2F, %2B) in the inputs
  secretOdd: pad("CaNrY03wJalrXUtnFEMIK7MDENGbPxRfiCY", 44), // a labelled secret of an unusual length
  tokenIQoJ: pad("IQoJb3JpZ2luX2VjCaNrY04", 380),
  tokenFQoD: pad("FQoDYXdzEJr//////////wEaDCaNrY05", 300),
  tokenAQoD: pad("AQoDYXdzEPT//////////wEaDCaNrY06", 260),
  tokenFwoG: pad("FwoGZXIvYXdzECaNrY07", 300),
  tokenAgent: pad("IQoJb3JpZ2luX2VjCaNrY08", 200), // inside a userAgent
  sso: pad("aoaAAAAAGCaNrY09", 400), // an SSO access token (cache file, login)
  ssoShort: "CaNrY10ssoRefreshToken", // a labelled refresh token of no known shape
  jwt: `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJDYU5yWTExIn0.CaNrY11signatureAAAAAAAA`,
  password: "CaNrY12hunter2",
  // round 3 (r3-hostile2)
  secretEscaped: "wJalrXUtnFEMI/K7MDENG/CaNrY13bPxRfiCYEXA", // shown with JSON-escaped slashes (`\/`)
  secretJavaEnv: pad("CaNrY14wJalrXUtnFEMIK7MDENGbPxRfiCY", 43), // AWS_SECRET_KEY=, the Java SDK's older name
  secretSpaced: pad("CaNrY15wJalrXUtnFEMIK7MDENGbPxRfiCY", 41), // after a label and a space
  secretColour: "wJalrXUtnFEMI/K7MDENG/CaNrY16bPxRfiCYEXA", // printed in colour
  secretTwice: "wJalrXUtnFEMI/K7MDENG/CaNrY17bPxRfiCY+XA", // URL-encoded twice
};
/** Round 3: the forms of the canaries above as the inputs carry them. */
const ROUND3 = [
  `json ${JSON.stringify(C.secretEscaped).replace(/\//g, "\\/")}`,
  `AWS_SECRET_KEY=${C.secretJavaEnv}`,
  `aws configure set aws_secret_access_key ${C.secretSpaced}`,
  `\u001b[32m${C.secretColour}\u001b[0m`,
  `u=${encodeURIComponent(encodeURIComponent(C.secretTwice))}`,
].join("\n");
const base64Wrapped = Buffer.from(`aws_secret_access_key=${C.secret}`).toString("base64");
const KEY = "AKIAIOSFODNN7CANARY2";

/** The same canaries in the forms the inputs carry them. */
const LEAK_FORMS = [
  ...Object.values(C),
  ...Object.values(C).map((v) => encodeURIComponent(v)),
  base64Wrapped,
  KEY,
];

const errorText = [
  `An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::123456789012:assumed-role/App/s1 is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::bucket/key"`,
  `export AWS_ACCESS_KEY_ID=${KEY}`,
  `export AWS_SECRET_ACCESS_KEY=${C.secretOdd}`,
  `export AWS_SESSION_TOKEN=${C.tokenFQoD}`,
  `aws_session_token = ${C.tokenAQoD}`,
  `GET /?X-Amz-Credential=${KEY}&X-Amz-Security-Token=${encodeURIComponent(C.tokenIQoJ)}&u=${encodeURIComponent(C.secretUrl)}`,
  `aws_secret_access_key%3D${encodeURIComponent(C.secret)}`,
  `{"SecretAccessKey":"${C.secret}","SessionToken":"${C.tokenFwoG}"}`,
  `{\\"refresh_token\\": \\"${C.ssoShort}\\", \\"password\\": \\"${C.password}\\"}`,
  `Authorization: Bearer ${C.sso}`,
  `web identity token ${C.jwt}`,
  `blob ${base64Wrapped}`,
  ROUND3,
].join("\n");
const errorFile = file("error.txt", errorText);

const record = (i: number, extra: Record<string, unknown>) => ({
  eventVersion: "1.08",
  eventTime: `2025-02-24T14:1${i}:00Z`,
  eventSource: "s3.amazonaws.com",
  eventName: "GetObject",
  awsRegion: "us-east-1",
  sourceIPAddress: "203.0.113.9",
  userAgent: `aws-cli/2.15.0 md/token/${C.tokenAgent} ${C.jwt}`,
  userIdentity: {
    type: "AssumedRole",
    arn: "arn:aws:sts::123456789012:assumed-role/App/s1",
    accountId: "123456789012",
    accessKeyId: "ASIAY34FZKBOKMUTVV7A",
    sessionContext: { sessionIssuer: { type: "Role", arn: "arn:aws:iam::123456789012:role/App" } },
  },
  requestParameters: {
    bucketName: "bucket",
    key: `k?X-Amz-Security-Token=${encodeURIComponent(C.tokenIQoJ)}`,
  },
  ...extra,
});
const trail = file(
  "trail/events.json",
  JSON.stringify({
    Records: [
      record(0, {
        eventSource: "sts.amazonaws.com",
        eventName: "AssumeRole",
        requestParameters: { roleArn: "arn:aws:iam::123456789012:role/App", roleSessionName: "s1" },
        responseElements: {
          credentials: {
            accessKeyId: "ASIAY34FZKBOKMUTVV7A",
            sessionToken: C.tokenIQoJ,
            secretAccessKey: C.secret,
          },
        },
      }),
      record(1, {
        errorCode: "AccessDenied",
        errorMessage: `User is not authorized: token ${C.tokenFQoD} secret ${C.secret} aws_secret_access_key=${C.secretOdd}\n${ROUND3}`,
      }),
      record(2, {
        eventSource: "iam.amazonaws.com",
        eventName: "PutRolePolicy",
        requestParameters: {
          roleName: "App",
          policyName: "p",
          policyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Deny", Action: "s3:*", Resource: "*", Sid: "x" }],
            Comment: `password=${C.password} ${C.sso}`,
          }),
        },
      }),
    ],
  }),
);
const policy = file(
  "policy.json",
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Tagged",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::bucket/*",
        Condition: {
          StringEquals: { "aws:PrincipalTag/session_token": C.tokenIQoJ, "aws:UserAgent": C.secret },
        },
      },
    ],
  }),
);
const home = path.join(dir, "home");
file(
  "home/.aws/credentials",
  `[default]\naws_access_key_id = ${KEY}\naws_secret_access_key = ${C.secretOdd}\naws_session_token = ${C.tokenAQoD}\n`,
);
file(
  "home/.aws/config",
  "[default]\nregion = us-east-1\n[profile sso]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Dev\n",
);
file(
  "home/.aws/sso/cache/x.json",
  JSON.stringify({
    startUrl: "https://x.awsapps.com/start",
    region: "us-east-1",
    accessToken: C.sso,
    refreshToken: C.ssoShort,
    expiresAt: "2020-01-01T00:00:00Z",
  }),
);
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: home,
  NO_COLOR: "1",
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_ACCESS_KEY_ID: KEY,
  AWS_SECRET_ACCESS_KEY: C.secretOdd,
  AWS_SESSION_TOKEN: C.tokenFwoG,
};

const principal = "arn:aws:sts::123456789012:assumed-role/App/s1";
const canArgs = ["--policy", policy, "--principal", principal, "--action", "s3:GetObject"];
const trailArgs = [trail, "--no-progress"];

/** Every command and subcommand with each of its output formats. */
const RUNS: [string, string[]][] = [
  ["explain text", ["explain", "--file", errorFile, "-v"]],
  ["explain json", ["explain", "--file", errorFile, "--json"]],
  ["creds text", ["creds", "--chain"]],
  ["creds json", ["creds", "--json"]],
  ["can text", ["can", ...canArgs, "--resource", "arn:aws:s3:::bucket/key"]],
  ["can json", ["can", ...canArgs, "--resource", "arn:aws:s3:::bucket/key", "--json"]],
  ["lint text", ["lint", policy]],
  ["lint json", ["lint", policy, "--format", "json"]],
  ["lint sarif", ["lint", policy, "--format", "sarif"]],
  ["trail summary text", ["trail", "summary", ...trailArgs]],
  ["trail summary json", ["trail", "summary", ...trailArgs, "--json"]],
  ["trail sessions text", ["trail", "sessions", ...trailArgs]],
  ["trail sessions json", ["trail", "sessions", ...trailArgs, "--json"]],
  ["trail timeline text", ["trail", "timeline", ...trailArgs, "--around", "2025-02-24T14:11:00Z"]],
  ["trail timeline json", ["trail", "timeline", ...trailArgs, "--around", "2025-02-24T14:11:00Z", "--json"]],
  ["trail changes text", ["trail", "changes", ...trailArgs]],
  ["trail changes json", ["trail", "changes", ...trailArgs, "--json"]],
  ["trail explain text", ["trail", "explain", ...trailArgs]],
  ["trail explain json", ["trail", "explain", ...trailArgs, "--json"]],
  ...(["text", "json", "markdown", "html"] as const).map((f): [string, string[]] => [
    `diagnose ${f}`,
    [
      "diagnose",
      "--file",
      errorFile,
      "--trail",
      trail,
      "--policy",
      policy,
      "--time",
      "2025-02-24T14:11:00Z",
      "--format",
      f,
      "-v",
    ],
  ]),
  ["diagnose --json", ["diagnose", "--file", errorFile, "--json"]],
  // error messages quote inputs too
  ["error: bad flag value", ["explain", "--file", path.join(dir, `${C.secret}.txt`)]],
  ["error: bad context", ["can", ...canArgs, "--context", `aws:SourceIp=${C.tokenIQoJ}`]],
];

/** Runs whose output quotes the planted values (masked): trail error messages and user agents, file names. */
const SHOWS_MASKED = new Set([
  "trail summary text",
  "trail summary json",
  "trail sessions json",
  "trail timeline json",
  "diagnose json",
  "error: bad flag value",
]);

async function run(args: string[]) {
  try {
    const r = await promisify(execFile)(process.execPath, [bin, ...args], {
      env,
      timeout: 30_000,
      maxBuffer: 64 << 20,
    });
    return { status: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { status: e.code ?? -1, out: (e.stdout ?? "") + (e.stderr ?? "") };
  }
}

describe("no canary leaves through any command x format", () => {
  it.each(RUNS)("%s", async (_name, args) => {
    const r = await run(args);
    expect(r.status, r.out.slice(0, 500)).not.toBe(1);
    expect(r.out).not.toMatch(/internal error/);
    for (const leak of LEAK_FORMS) expect(r.out, `leaks ${leak.slice(0, 24)}...`).not.toContain(leak);
    // not even a fragment: every canary carries the marker
    expect(r.out).not.toMatch(/CaNrY/);
    expect(r.out.length).toBeGreaterThan(0);
    // the canaries did reach these outputs, masked (so the test can fail)
    if (SHOWS_MASKED.has(_name)) expect(r.out).toContain("****(");
  });
});
