import { describe, expect, it } from "vitest";
import { type Case, check } from "../support.js";

// Client-side texts of docs/aws-facts.md §1.21, §1.22, §1.17 (Amplify), §7 (network).
const cases: (Case & { sent?: boolean })[] = [
  {
    name: "CLI v2 no credentials",
    text: 'Unable to locate credentials. You can configure credentials by running "aws login".',
    want: { format: "aws-cli", code: "NoCredentialsError" },
  },
  {
    name: "botocore NoCredentialsError in a traceback",
    text: 'Traceback (most recent call last):\n  File "a.py", line 1, in <module>\nbotocore.exceptions.NoCredentialsError: Unable to locate credentials',
    want: { format: "boto3", code: "NoCredentialsError" },
  },
  {
    name: "profile not found",
    text: "The config profile (prod-admin) could not be found",
    want: { code: "ProfileNotFound", message: "The config profile (prod-admin) could not be found" },
  },
  {
    name: "botocore ProfileNotFound name printed",
    text: "botocore.exceptions.ProfileNotFound: The config profile (dev) could not be found",
    want: { format: "boto3", code: "ProfileNotFound" },
  },
  {
    name: "partial credentials",
    text: "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY",
    want: { code: "PartialCredentialsError" },
  },
  {
    name: "no region (CLI)",
    text: 'You must specify a region. You can also configure your region by running "aws configure".',
    want: { code: "NoRegionError" },
  },
  {
    name: "SSO session expired (botocore/CLI, docs/aws-facts.md §1.22)",
    text: "The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.",
    want: { code: "UnauthorizedSSOTokenError" },
  },
  {
    name: "SSO token refresh failed",
    text: "Error when retrieving token from sso: Token has expired and refresh failed",
    want: { code: "TokenRetrievalError" },
  },
  {
    name: "SSO token missing",
    text: "Error loading SSO Token: Token for my-sso does not exist",
    want: { code: "SSOTokenLoadError" },
  },
  {
    name: "JS v3 SSO expired",
    text: "CredentialsProviderError: The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.",
    want: { format: "js-v3", code: "CredentialsProviderError" },
  },
  {
    name: "JS v3 no credentials",
    text: "CredentialsProviderError: Could not load credentials from any providers",
    want: {
      format: "js-v3",
      code: "CredentialsProviderError",
      message: "Could not load credentials from any providers",
    },
  },
  {
    name: "JS v3 region missing",
    text: "Error: Region is missing\n    at default (/app/node_modules/@smithy/config-resolver/dist-cjs/index.js:1:1)",
    want: { format: "js-v3", message: "Region is missing" },
  },
  {
    name: "MFA needed to refresh",
    text: "Cannot refresh credentials: MFA token required.",
    want: { code: "RefreshWithMFAUnsupportedError" },
  },
  {
    name: "endpoint unreachable names the host's service and region (docs/aws-facts.md §7)",
    text: 'Could not connect to the endpoint URL: "https://sts.ap-east-1.amazonaws.com/"',
    sent: true,
    want: { code: "EndpointConnectionError", service: "sts", region: "ap-east-1", regionSource: "endpoint" },
  },
  {
    name: "DNS failure in JS",
    text: "Error: getaddrinfo ENOTFOUND sts.us-west-2.amazonaws.com",
    sent: true,
    want: { format: "js-v3", service: "sts", region: "us-west-2" },
  },
  {
    name: "Go v1 no providers",
    text: "NoCredentialProviders: no valid providers in chain. Deprecated.\n\tFor verbose messaging see aws.Config.CredentialsChainVerboseErrors",
    want: { format: "go-v2", code: "NoCredentialProviders" },
  },
  {
    name: "Java v2 credentials chain",
    text: "software.amazon.awssdk.core.exception.SdkClientException: Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider()])",
    want: { format: "java", code: "SdkClientException" },
  },
  {
    name: "Amplify no API key",
    text: "NoApiKey: No api-key configured",
    want: { format: "amplify", code: "NoApiKey" },
  },
  {
    name: "JS multiple credential sources warning",
    text: "Multiple credential sources detected: Both AWS_PROFILE and the pair AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY static credentials are set. This SDK will proceed with the AWS_PROFILE value.",
    want: { format: "js-v3" },
  },
  {
    name: "CDK without credentials",
    text: "Need to perform AWS calls for account 123456789012, but no credentials have been configured",
    want: { format: "cloudformation" },
  },
];

describe("client-side errors", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    const f = check(c);
    // Errors raised before any request say so; network errors and warnings do not.
    expect(f.notes.some((n) => n.includes("before any request"))).toBe(!c.sent);
  });
});
