// Client-side errors raised before any request is sent (credential chain, profiles, SSO, region, network,
// Amplify): botocore/CLI, JS v3, Java, .NET, Go, Terraform, CDK (docs/aws-facts.md §1.21, §1.22, §1.17, §7).

import type { FailureFormat } from "../../core/failure.js";
import { lineEnd, lineStart } from "../text.js";
import { draft, type Hit } from "../types.js";

interface ClientError {
  re: RegExp;
  /** Name the tool gives this error when the text does not print one. */
  code?: string;
  format: FailureFormat;
  /** Extra note (what the text means when it is not an error). */
  note?: string;
  /** True when a request was attempted (network errors, CDK role assumption). */
  sent?: boolean;
}

// Keyed on the exact AWS/SDK texts (docs/aws-facts.md); every quantifier bounded.
const CLIENT_ERRORS: ClientError[] = [
  { re: /Unable to locate credentials/, code: "NoCredentialsError", format: "aws-cli" },
  {
    re: /The config profile \([^()\n]{1,200}\) could not be found/,
    code: "ProfileNotFound",
    format: "aws-cli",
  },
  {
    re: /Partial credentials found in [\w-]{1,40}, missing: [\w, ]{1,200}/,
    code: "PartialCredentialsError",
    format: "aws-cli",
  },
  { re: /You must specify a region\./, code: "NoRegionError", format: "aws-cli" },
  { re: /\bRegion is missing\b/, format: "js-v3" },
  { re: /Could not load credentials from any providers/, code: "CredentialsProviderError", format: "js-v3" },
  {
    re: /The SSO session associated with this profile has expired or is otherwise invalid/,
    code: "UnauthorizedSSOTokenError",
    format: "aws-cli",
  },
  { re: /The SSO session associated with this profile (?:has expired|is invalid)\./, format: "js-v3" },
  {
    re: /Error when retrieving token from sso: [^\n]{0,300}/,
    code: "TokenRetrievalError",
    format: "aws-cli",
  },
  {
    re: /Error loading SSO Token: Token for \S{1,300} does not exist/,
    code: "SSOTokenLoadError",
    format: "aws-cli",
  },
  { re: /Token is expired\. To refresh this SSO session run/, format: "js-v3" },
  {
    re: /The SSO session token associated with profile=\S{1,200} was not found or is invalid/,
    format: "js-v3",
  },
  { re: /Sso session '[^'\n]{1,200}' could not be found in shared credentials file/, format: "js-v3" },
  { re: /Profile '?[^'\s]{1,200}'? is missing required property 'sso_session'/, format: "js-v3" },
  { re: /Conflicting SSO (?:region|start_url)/, format: "js-v3" },
  {
    re: /Cannot refresh credentials: MFA token required/,
    code: "RefreshWithMFAUnsupportedError",
    format: "boto3",
  },
  {
    re: /Infinite loop in credential configuration detected/,
    code: "InfiniteLoopConfigError",
    format: "boto3",
  },
  { re: /requires multi-factor authentication, but no MFA code callback was provided/, format: "js-v3" },
  { re: /Detected a cycle attempting to resolve credentials for profile/, format: "js-v3" },
  { re: /Unsupported credential source in profile/, format: "js-v3" },
  { re: /EC2 Instance Metadata Service access disabled/, format: "js-v3" },
  {
    re: /Multiple credential sources detected/,
    format: "js-v3",
    note: "this is a warning from the JS SDK, not an error: AWS_PROFILE won over the static environment keys",
  },
  {
    re: /Could not connect to the endpoint URL: "[^"\n]{1,500}"/,
    code: "EndpointConnectionError",
    sent: true,
    format: "aws-cli",
  },
  {
    re: /Connect timeout on endpoint URL: "[^"\n]{1,500}"/,
    code: "ConnectTimeoutError",
    sent: true,
    format: "aws-cli",
  },
  { re: /getaddrinfo (?:ENOTFOUND|EAI_AGAIN) \S{1,300}/, sent: true, format: "js-v3" },
  { re: /connect (?:ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH) [\w.:[\]]{1,80}/, sent: true, format: "js-v3" },
  { re: /Region not accepted: region="[^"\n]{0,60}" is not a valid hostname component/, format: "js-v3" },
  { re: /no valid providers in chain/, code: "NoCredentialProviders", format: "go-v2" },
  { re: /no EC2 IMDS role found/, format: "go-v2" },
  { re: /failed to refresh cached credentials/, format: "go-v2" },
  { re: /No valid credential sources found/, format: "terraform" },
  { re: /no valid credential sources for Terraform AWS Provider found/, format: "terraform" },
  {
    re: /Unable to load (?:AWS )?credentials from any (?:of the )?providers? in the chain/,
    code: "SdkClientException",
    format: "java",
  },
  { re: /Failed to resolve AWS credentials/, format: "dotnet" },
  { re: /Unable to get IAM security credentials from EC2 Instance Metadata Service/, format: "dotnet" },
  {
    re: /Need to perform AWS calls for account \d{12}, but no credentials have been configured/,
    format: "cloudformation",
  },
  {
    re: /could not be used to assume '[^'\n]{1,300}'/,
    sent: true,
    format: "cloudformation",
    note: "a CDK warning: the bootstrap role could not be assumed with the current credentials",
  },
  { re: /Unable to resolve AWS account to use/, sent: true, format: "cloudformation" },
  { re: /No api-key configured/, code: "NoApiKey", format: "amplify" },
  { re: /No federated jwt/, code: "NoValidAuthTokens", format: "amplify" },
  { re: /No current user\b/, code: "NoSignedUser", format: "amplify" },
  { re: /No auth token specified/, code: "NoAuthorizationHeader", format: "amplify" },
  { re: /No GraphQL endpoint configured/, code: "NoEndpoint", format: "amplify" },
  {
    re: /self[- ]signed certificate in certificate chain|unable to get local issuer certificate|CERTIFICATE_VERIFY_FAILED/,
    sent: true,
    format: "plain",
  },
];

const GENERIC_NAMES = new Set(["Error", "Exception", "ClientError", "BotoCoreError", "RuntimeError"]);
// `botocore.exceptions.NoCredentialsError: `, `CredentialsProviderError: `, `NoCredentialProviders: `.
const NAME_BEFORE_RE = /(?:^|[\s(])(?:[\w$]{1,80}\.){0,8}([A-Za-z][\w$]{2,100})(?: \[[\w-]{1,60}\])?: ?$/;
const PY_RE = /Traceback \(most recent call last\)|botocore\.|boto3|File "[^"\n]{1,300}\.py"/;
const JAVA_RE = /\b(?:com\.amazonaws|software\.amazon\.awssdk)\./;
const DOTNET_RE = /\bAmazon\.Runtime\./;

/** Read the client-side errors of docs/aws-facts.md §1.21/§1.22 and the network errors of §7, line by line. */
export function readClient(text: string): Hit[] {
  const hits: Hit[] = [];
  const python = PY_RE.test(text);
  for (const entry of CLIENT_ERRORS) {
    const re = new RegExp(entry.re.source, "g");
    let n = 0;
    for (const m of text.matchAll(re)) {
      if (++n > 2000) break;
      const start = lineStart(text, m.index);
      const end = lineEnd(text, m.index + m[0].length);
      const line = text.slice(start, end);
      const before = text.slice(start, m.index);
      const named = NAME_BEFORE_RE.exec(before)?.[1];
      const code = named && !GENERIC_NAMES.has(named) ? named : entry.code;
      let format = entry.format;
      if (JAVA_RE.test(line)) format = "java";
      else if (DOTNET_RE.test(line)) format = "dotnet";
      else if (format === "aws-cli" && python) format = "boto3";
      else if (/^\s*(?:│\s*)?Error: /.test(line) && /\.tf line \d|terraform/i.test(text))
        format = "terraform";
      const message = text.slice(m.index, end).trim();
      const d = draft(format, { ...(code ? { code } : {}), message });
      if (entry.note) d.notes.push(entry.note);
      if (!entry.sent) d.notes.push("raised by the client before any request reached AWS");
      hits.push({ start, end, priority: 40, draft: d });
    }
  }
  return hits;
}
