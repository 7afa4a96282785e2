// Guidance that settles the failure: server certificate uploads (KeyPairMismatch / MalformedCertificate), the
// account whose STS preference decides the token version, and the headline of a PassRole denial.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { explainText } from "../../src/diagnose/explain.js";
import { makeStyle } from "../../src/report/style.js";
import { failureHeadline, renderText } from "../../src/report/text.js";

const plain = makeStyle(false);

function top(text: string, opts: { region?: string } = {}) {
  const d = explainText(text, opts);
  return { d, c: d.causes[0]! };
}

describe("server certificate uploads (KeyPairMismatch, MalformedCertificate)", () => {
  const JAVA =
    "com.amazonaws.services.identitymanagement.model.KeyPairMismatchException: The key pair does not match.";

  it("the Java class line alone: the openssl comparison of public keys, then re-upload with the chain apart", () => {
    const { d, c } = top(JAVA);
    expect(c.id).toBe("OTHER");
    const cmds = c.checks.map((k) => k.command);
    expect(cmds).toContain("openssl x509 -noout -pubkey -in cert.pem | openssl sha256");
    expect(cmds).toContain("openssl pkey -pubout -in key.pem | openssl sha256");
    // nothing generic: no caller identity, no trail timeline with a made-up path
    expect(cmds.join("\n")).not.toMatch(/get-caller-identity|trail timeline/);
    expect(c.checks.map((k) => k.text).join("\n")).toMatch(/unencrypted PEM/);
    expect(c.fix.summary).not.toMatch(/specific condition named in the message/);
    expect(c.fix.commands).toContain(
      "aws acm import-certificate --certificate fileb://cert.pem --private-key fileb://key.pem --certificate-chain fileb://chain.pem",
    );
    // the IAM upload needs a name the text does not give: said in prose, with every file filled
    expect(c.fix.steps[0]).toMatch(
      /^run `aws iam upload-server-certificate --server-certificate-name … --certificate-body file:\/\/cert\.pem --private-key file:\/\/key\.pem --certificate-chain file:\/\/chain\.pem` where --server-certificate-name is/,
    );
    const out = renderText(d, { style: plain });
    expect(out.split("\n")[0]).toBe("KeyPairMismatchException · The key pair does not match.");
    expect(out).toContain("$ openssl x509 -noout -pubkey -in cert.pem | openssl sha256");
    expect(out).toContain("- run `aws iam upload-server-certificate");
  });

  it("the CLI's own error with the pasted command: its name and files fill the upload command", () => {
    const text = [
      "$ aws iam upload-server-certificate --server-certificate-name shop-2026 --certificate-body file://shop.crt --private-key file://shop.key --certificate-chain file://bundle.crt",
      "An error occurred (KeyPairMismatch) when calling the UploadServerCertificate operation: The public key certificate and the private key do not match.",
    ].join("\n");
    const { c } = top(text);
    expect(c.id).toBe("OTHER");
    expect(c.checks.map((k) => k.command)).toContain("openssl pkey -pubout -in shop.key | openssl sha256");
    expect(c.fix.commands[0]).toBe(
      "aws iam upload-server-certificate --server-certificate-name shop-2026 --certificate-body file://shop.crt --private-key file://shop.key --certificate-chain file://bundle.crt",
    );
  });

  it("MalformedCertificate: format and validity checks first, keyed on the code, not on one wording", () => {
    const { c } = top(
      "An error occurred (MalformedCertificate) when calling the UploadServerCertificate operation: Unable to parse certificate. Please ensure the certificate is in PEM format.",
    );
    expect(c.id).toBe("OTHER");
    expect(c.checks[0]!.command).toBe("head -1 key.pem");
    expect(c.checks.map((k) => k.command)).toContain("openssl x509 -noout -subject -dates -in cert.pem");
  });

  const seeds = "/work/shared/seeds";
  const seed = existsSync(seeds) ? readdirSync(seeds).find((f) => f.startsWith("002_")) : undefined;
  it.skipIf(!seed)("seed 002 (the whole page around the Java line) gets the same steps", () => {
    const { c } = top(readFileSync(join(seeds, seed!), "utf8"));
    expect(c.id).toBe("OTHER");
    expect(c.checks.map((k) => k.command)).toContain(
      "openssl x509 -noout -pubkey -in cert.pem | openssl sha256",
    );
  });
  if (!seed) process.stderr.write("guidance.test: seed 002 not found under /work/shared/seeds: skipped\n");
});

describe("STS_TOKEN_VERSION_REGION names the account whose preference decides", () => {
  const ERR =
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid";

  it("a user that got the session: its account, the command run with its credentials", () => {
    const text = `${ERR}\n$ aws sts get-caller-identity --profile base\n{"UserId": "AIDAEXAMPLEUSERID1234", "Account": "111122223333", "Arn": "arn:aws:iam::111122223333:user/ci-bot"}`;
    const d = explainText(text, { region: "ap-east-1" });
    const c = d.causes.find((x) => x.id === "STS_TOKEN_VERSION_REGION")!;
    expect(c).toBeDefined();
    const step = c.fix.steps.find((s) => s.includes("v2"))!;
    expect(step).toContain("account 111122223333");
    expect(step).toMatch(/not the account of a role assumed with them/);
    expect(c.fix.commands).toContain(
      "aws iam set-security-token-service-preferences --global-endpoint-token-version v2Token",
    );
  });

  it("no source identity in the evidence: says which account and how to find it, never a target account", () => {
    const d = explainText(ERR, { region: "ap-east-1" });
    const c = d.causes.find((x) => x.id === "STS_TOKEN_VERSION_REGION")!;
    const step = c.fix.steps.find((s) => s.includes("v2"))!;
    expect(step).toMatch(/the account that issued the session/);
    expect(step).toMatch(/AssumeRole or GetSessionToken/);
  });
});

describe("the headline of a PassRole denial shows the call and the denied action apart", () => {
  it("CLI output: lambda CreateFunction, denied iam:PassRole (never `iam CreateFunction`)", () => {
    const d = explainText(
      "An error occurred (AccessDeniedException) when calling the CreateFunction operation: User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/lambda-exec",
    );
    const h = failureHeadline(d.failure!);
    expect(h).toContain("lambda CreateFunction");
    expect(h).toContain("denied iam:PassRole");
    expect(h).not.toContain("iam CreateFunction");
  });

  it("CloudFormation's handler message (Service: AWSLambdaInternal): lambda, denied iam:PassRole", () => {
    const d = explainText(
      'Resource handler returned message: "User: arn:aws:sts::123456789012:assumed-role/cfn-deploy/s is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/lambda-exec because no identity-based policy allows the iam:PassRole action (Service: AWSLambdaInternal; Status Code: 403; Error Code: AccessDeniedException; Request ID: 5b1a2c3d-1111-2222-3333-444455556666; Proxy: null)"',
    );
    const h = failureHeadline(d.failure!);
    expect(h).toMatch(/ · lambda · /);
    expect(h).toContain("denied iam:PassRole");
    expect(h).not.toMatch(/lambdainternal|· iam /);
  });
});
