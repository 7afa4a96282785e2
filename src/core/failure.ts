// The structured form of one AWS error as the user met it (output of src/errors).

/** Where the pasted text came from, as recognised by the parser. */
export type FailureFormat =
  | "aws-cli"
  | "boto3"
  | "js-v3"
  | "java"
  | "go-v2"
  | "dotnet"
  | "terraform"
  | "cloudformation"
  | "http-xml"
  | "http-json"
  | "graphql"
  | "amplify"
  | "api-gateway"
  | "cloudtrail"
  | "plain";

/** The kind of principal named in an error message or ARN. */
export type PrincipalKind =
  | "iam-user"
  | "role"
  | "role-session"
  | "federated-user"
  | "root"
  | "anonymous"
  | "cognito-identity"
  | "web-identity"
  | "saml"
  | "service"
  | "unknown";

export interface Principal {
  /** As written in the error (ARN, `anonymous`, Cognito identity id...). */
  raw: string;
  kind: PrincipalKind;
  partition?: string;
  account?: string;
  /** User name, role name or federated user name. */
  name?: string;
  /** Role session name for `assumed-role` ARNs. */
  session?: string;
}

/** The policy type named by AWS's "because no X policy allows" / "explicit deny in a X policy" phrases. */
export type PolicyType =
  | "identity-based"
  | "resource-based"
  | "permissions-boundary"
  | "session"
  | "service-control"
  | "resource-control"
  | "vpc-endpoint"
  | "unknown";

/**
 * The policy a denial's wording names, as worded: the policy types, and the role trust policy named as such
 * (`policyType` reads it as the role's `resource-based` policy).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 */
export type NamedPolicy = Exclude<PolicyType, "unknown"> | "role-trust";

/** A key id as it may appear in output: never the full value. */
export interface MaskedKeyId {
  /** `AKIA****WXYZ`. */
  masked: string;
  /** `AKIA`, `ASIA`, ... (first four characters). */
  prefix: string;
}

export interface ClockEvidence {
  /** The request time the server saw (ISO 8601), when the message names it. */
  requestTime?: string;
  /** The server's time (ISO 8601), when the message names it. */
  serverTime?: string;
  /** requestTime - serverTime in seconds (positive: the client clock is ahead). */
  skewSeconds?: number;
  /** Tolerance the message names, in seconds (S3/SigV4: 900). */
  toleranceSeconds?: number;
}

/**
 * The IAM Access Troubleshooter reference in a denial: `… Go to <console link> for complete details, or call the
 * GetRequestAuthorizationDetails API with the following authorization id: <ID>`.
 * https://docs.aws.amazon.com/iam-toolbox/latest/APIReference/API_GetRequestAuthorizationDetails.html
 */
export interface AuthorizationRef {
  /** Lower-case letters and digits. */
  id: string;
  /** The console link, when the message has one. */
  url?: string;
  /** The region of the link (`region=` of the console URL), where the details are kept. */
  region?: string;
}

/** One failure extracted from user input. Every field except `format`, `raw` and `notes` is optional. */
export interface Failure {
  format: FailureFormat;
  /** The span of input it came from, with secrets masked. */
  raw: string;
  /** Error code on the wire (`AccessDenied`, `InvalidClientTokenId`...) or the SDK's error name. */
  code?: string;
  message?: string;
  /** Service as the SDK names it (`sts`, `s3`, `appsync`...), lower case. */
  service?: string;
  /** API operation (`GetCallerIdentity`). */
  operation?: string;
  /** IAM action `svc:Action`, when the text names it (or it follows from the operation). */
  action?: string;
  principal?: Principal;
  /** Resource ARN (or name) named in the message. */
  resource?: string;
  policyType?: PolicyType;
  denyKind?: "explicit" | "implicit";
  /**
   * The policy the wording names, as worded: `role-trust` for the role trust policy; for a deny reached
   * "transitively through a service control policy", the policy type the phrase names (`policyType` is then
   * `service-control`).
   */
  namedPolicy?: NamedPolicy;
  /** The message says the deny was reached "transitively through a service control policy". */
  viaScp?: boolean;
  /** ARN of the policy named as denying (newer AccessDenied messages). */
  denyingPolicyArn?: string;
  encodedMessage?: { text: string; truncated: boolean };
  /** The authorization ID (and console link) AWS adds to denials of supported services. */
  authorization?: AuthorizationRef;
  region?: string;
  /** Where the region came from: `endpoint`, `arn`, `message`, `flag`... */
  regionSource?: string;
  httpStatus?: number;
  requestId?: string;
  clock?: ClockEvidence;
  accessKeyId?: MaskedKeyId;
  /** `(reached max retries: N)`. */
  retries?: number;
  /** Amplify's `recoverySuggestion`, GraphQL `errorType`... */
  hint?: string;
  /** What the parser could not extract or had to guess, in plain words. */
  notes: string[];
}
