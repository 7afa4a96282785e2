// The commands whose text output is kept as snapshots (test/e2e/snapshots.test.ts): every command and
// subcommand, on the examples/ bundles and test/fixtures/cli, so every run sees the same inputs.

export interface CliCase {
  /** The snapshot file name (test/e2e/__snapshots__/cli/<name>.txt). */
  name: string;
  args: string[];
}

const F = "test/fixtures/cli";
const APPSYNC = "examples/appsync-unauthorized";
const OPTIN = "examples/opt-in-region-authfailure";
const PASSROLE = "examples/passrole-missing";
const ROTATED = "examples/rotated-key";
const ALICE = "arn:aws:iam::111122223333:role/orders-reader";

export const CLI_CASES: CliCase[] = [
  { name: "help", args: ["--help"] },
  {
    name: "explain",
    args: [
      "explain",
      "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.",
      "--region",
      "ap-east-1",
    ],
  },
  { name: "explain-file-verbose", args: ["explain", "--file", `${F}/error-session-token.txt`, "--verbose"] },
  { name: "explain-help", args: ["explain", "--help"] },
  {
    name: "creds",
    args: ["creds", "--config-file", `${F}/aws/config`, "--credentials-file", `${F}/aws/credentials`],
  },
  {
    name: "creds-profile-chain",
    args: [
      "creds",
      "--config-file",
      `${F}/aws/config`,
      "--credentials-file",
      `${F}/aws/credentials`,
      "--profile",
      "dev",
      "--sdk",
      "python",
      "--chain",
    ],
  },
  {
    name: "can-allowed",
    args: [
      "can",
      "--policy",
      `${F}/role-policy.json`,
      "--principal",
      ALICE,
      "--action",
      "s3:GetObject",
      "--resource",
      "arn:aws:s3:::orders-bucket/2025/05/report.csv",
    ],
  },
  {
    name: "can-scp-denied",
    args: [
      "can",
      "--policy",
      `${F}/role-policy.json`,
      "--scp",
      `${F}/scp-region.json`,
      "--principal",
      ALICE,
      "--action",
      "s3:GetObject",
      "--resource",
      "arn:aws:s3:::orders-bucket/a.csv",
      "--context",
      "aws:RequestedRegion=us-east-1",
    ],
  },
  {
    name: "can-requests",
    args: ["can", "--policy", `${F}/role-policy.json`, "--requests", `${F}/requests.jsonl`],
  },
  {
    name: "can-authz",
    args: [
      "can",
      "--authz",
      `${PASSROLE}/authz.json`,
      "--principal",
      "arn:aws:sts::305827461390:assumed-role/gha-deploy-orders/gh-run",
      "--action",
      "iam:PassRole",
      "--resource",
      "arn:aws:iam::305827461390:role/orders-api-lambda",
    ],
  },
  { name: "lint", args: ["lint", `${F}/lint-findings.json`, `${F}/role-policy.json`] },
  { name: "lint-sarif", args: ["lint", `${F}/lint-findings.json`, "--format", "sarif"] },
  { name: "diagnose-appsync", args: ["diagnose", "--bundle", APPSYNC] },
  { name: "diagnose-passrole-verbose", args: ["diagnose", "--bundle", PASSROLE, "--verbose"] },
  { name: "diagnose-optin", args: ["diagnose", "--bundle", OPTIN] },
  { name: "diagnose-rotated-markdown", args: ["diagnose", "--bundle", ROTATED, "--format", "markdown"] },
  { name: "trail-summary", args: ["trail", "summary", `${APPSYNC}/trail`, "--no-progress"] },
  { name: "trail-sessions", args: ["trail", "sessions", `${OPTIN}/trail`, "--no-progress"] },
  {
    name: "trail-timeline",
    args: [
      "trail",
      "timeline",
      `${APPSYNC}/trail`,
      "--around",
      "2025-02-24T14:15:12Z",
      "--window",
      "30m",
      "--no-progress",
    ],
  },
  {
    name: "trail-changes",
    args: ["trail", "changes", `${ROTATED}/trail`, "--window", "24h", "--no-progress"],
  },
  {
    name: "trail-explain",
    args: ["trail", "explain", `${PASSROLE}/trail`, "--authz", `${PASSROLE}/authz.json`, "--no-progress"],
  },
  { name: "trail-help", args: ["trail", "--help"] },
];
