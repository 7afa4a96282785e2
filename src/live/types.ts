// Types of the live probes' report: one fallible result per probe, the audit list and the unknowns.

import type { Failure, MaskedKeyId, Unknown } from "../core/index.js";

/** What happened to one AWS call (or network step) live mode made. */
export type CallOutcome = "ok" | "denied" | "error" | "timeout" | "refused";

/** One line of the audit list: every call live mode made, so the user can check what was asked of AWS. */
export interface AuditEntry {
  /** `sts:GetCallerIdentity`, or a network step such as `net:dns`, `net:tcp`, `net:tls`, `net:https`. */
  operation: string;
  /** Account the call ran in, once the caller identity is known. */
  account?: string;
  region: string;
  /** `https://host[:port]` the request went to (or would have gone to). */
  endpoint: string;
  outcome: CallOutcome;
  /** Wall time of the call including retries. */
  ms: number;
  /** HTTP attempts made (retries included); 0 when nothing was sent. */
  attempts: number;
  /** One line, no secrets: the error code and message, or what was read. */
  detail: string;
}

/** The result of one probe: a value, or why there is none (STYLE: fallible steps never throw). */
export type Probed<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      outcome: Exclude<CallOutcome, "ok"> | "skipped";
      /** Plain words, no secrets. */
      reason: string;
      /** Error code AWS (or the network) returned. */
      code?: string;
      /** The permission or data that would let the probe run. */
      needs?: string;
    };

/** The raw outputs of GetRequestAuthorizationDetails (every page) and GetRequestAuthorizationPolicy (per uri). */
export interface AuthorizationEvidence {
  authorizationId: string;
  region: string;
  pages: unknown[];
  policies: Array<{ uri: string; output: unknown }>;
  /** Policies that could not be read, with why. */
  missingPolicies: string[];
}

/** Probe names accepted by `runLiveProbes({ probes })`. */
export const PROBE_NAMES = [
  "identity",
  "account-summary",
  "region",
  "decode",
  "authorization-details",
  "policies",
  "simulate",
  "keys",
  "cloudtrail",
  "cognito",
  "appsync",
  "clock",
  "network",
] as const;
export type ProbeName = (typeof PROBE_NAMES)[number];

/** Options of {@link runLiveProbes}. */
export interface LiveOptions {
  /** Named profile whose credentials the SDK chain resolves (`--profile`). */
  profile?: string;
  /** The region the failing call went to (`--region`; wins over the failure's region). */
  region?: string;
  failure?: Failure;
  /** When the failure happened (ISO 8601): centre of the CloudTrail window. Default: now. */
  time?: string;
  /** Send every request to this endpoint instead of AWS (tests, emulators, VPC endpoints). */
  endpointOverride?: string;
  /** Credentials to use instead of the Node provider chain. */
  credentials?: import("@smithy/types").AwsCredentialIdentityProvider;
  /** Per-attempt timeout of each call in ms (default 5000). */
  timeoutMs?: number;
  /** HTTP attempts per call, 1..3 (default 2). */
  maxAttempts?: number;
  /** Time budget of the whole run in ms (default 6 × timeoutMs): later calls are not sent. */
  budgetMs?: number;
  /** Only these probes (default: every probe the failure makes relevant). */
  probes?: string[];
  /** Cognito identity pool id (`region:uuid`), when the failure text does not name one. */
  identityPoolId?: string;
  /** AppSync API id, when the failure does not name one. */
  appsyncApiId?: string;
  /** Environment for proxy variables and the default region (default `process.env`). */
  env?: Record<string, string | undefined>;
  /**
   * `--sso-refresh`: refresh an expired SSO token in memory (SSO OIDC CreateToken, audited); the token cache is
   * never written. Default: the cached token is used as it is.
   */
  ssoRefresh?: boolean;
}

/** The resolved credentials, masked. */
export interface CredentialInfo {
  accessKeyId: MaskedKeyId;
  /** A session token came with the key (temporary credentials). */
  temporary: boolean;
  expiration?: string;
}

/** `sts:GetCallerIdentity` on one endpoint. */
export interface CallerIdentity {
  /** Which of the three calls: the home region's endpoint, the global endpoint, or the failing region's. */
  target: "regional" | "global" | "failing-region";
  region: string;
  endpoint: string;
  account: string;
  arn: string;
  userId: string;
}

/** `iam:GetAccountSummary` (docs/aws-facts.md §3.2). */
export interface AccountSummary {
  /** 1 (v1Token) or 2 (v2Token) when the map names it. */
  globalEndpointTokenVersion?: number;
  summary: Record<string, number>;
}

/** Opt-in status of one region (docs/aws-facts.md §3.3). */
export interface RegionStatus {
  region: string;
  /** `ENABLED | ENABLING | DISABLING | DISABLED | ENABLED_BY_DEFAULT` (account) or `opt-in-not-required | opted-in | not-opted-in` (ec2). */
  status: string;
  source: "account:GetRegionOptStatus" | "ec2:DescribeRegions";
  /** The region is usable for the account (enabled or enabled by default). */
  enabled: boolean;
  /** The region is an opt-in region (launched after March 2019), when the status says. */
  optIn?: boolean;
  /** Enabling or disabling is under way. */
  transitioning: boolean;
}

/** The decoded form of an encoded authorization failure message (docs/aws-facts.md §1.12). */
import type { DecodedAuthorization } from "../core/decoded-message.js";

export type { DecodedAuthorization };

/** The principal live mode resolved its policies for. */
export interface PrincipalRef {
  kind: "user" | "role";
  name: string;
  arn: string;
}

/**
 * Policies in the shape of `aws iam get-account-authorization-details` (documents decoded to objects), as the
 * IAM engine reads it. With the narrow Get/List fallback only the caller's own principal is filled in.
 */
export interface AuthorizationDetails {
  UserDetailList: Array<Record<string, unknown>>;
  GroupDetailList: Array<Record<string, unknown>>;
  RoleDetailList: Array<Record<string, unknown>>;
  Policies: Array<Record<string, unknown>>;
}

export interface AuthorizationSnapshot {
  principal: PrincipalRef;
  /** `full`: whole account from GetAccountAuthorizationDetails; `principal`: the caller only, narrow calls. */
  scope: "full" | "principal";
  details: AuthorizationDetails;
  /** Parts that could not be read (a managed policy, a group...). */
  gaps: string[];
}

/** `iam:SimulatePrincipalPolicy` for the failing action. */
export interface SimulationResult {
  principalArn: string;
  action: string;
  resource: string;
  decision: "allowed" | "explicitDeny" | "implicitDeny";
  matchedStatements: Array<{ sourcePolicyId?: string; sourcePolicyType?: string }>;
  missingContextValues: string[];
  allowedByOrganizations?: boolean;
  allowedByPermissionsBoundary?: boolean;
}

export interface AccessKeyInfo {
  accessKeyId: MaskedKeyId;
  status: string;
  createDate?: string;
  lastUsedDate?: string;
  lastUsedService?: string;
  lastUsedRegion?: string;
}

export interface AccessKeyState {
  userName: string;
  keys: AccessKeyInfo[];
  /** The key the chain resolved, when it is one of the user's keys. */
  current?: AccessKeyInfo;
}

export interface TrailEventSummary {
  eventTime: string;
  eventName: string;
  eventSource?: string;
  username?: string;
  accessKeyId?: string;
  errorCode?: string;
  readOnly?: boolean;
  eventId?: string;
  /** Host header the client sent (`sts.amazonaws.com` = the global endpoint). */
  host?: string;
  /** Issuance events: the key id the call handed out (masked). */
  issuedKeyId?: string;
}

export interface TrailLookup {
  region: string;
  window: { start: string; end: string };
  /** Calls made with the resolved key around the failure. */
  byKey: TrailEventSummary[];
  /** STS/Cognito calls that issued the resolved key. */
  issuance: TrailEventSummary[];
  /** Write events in the 24 hours before the failure (IAM and key changes). */
  changes: TrailEventSummary[];
  gaps: string[];
}

export interface IdentityPoolConfig {
  identityPoolId: string;
  name?: string;
  allowUnauthenticated?: boolean;
  allowClassicFlow?: boolean;
  authenticatedRole?: string;
  unauthenticatedRole?: string;
  roleMappings: Array<{ provider: string; type?: string; ambiguousRoleResolution?: string; rules: number }>;
  loginProviders: string[];
  gaps: string[];
}

export interface AppSyncApi {
  apiId: string;
  name?: string;
  region: string;
  defaultAuth?: string;
  additionalAuth: string[];
}

/** Clock skew from HTTP `Date` headers (docs/aws-facts.md §4.3). */
export interface ClockSkew {
  /** local − server in seconds (positive: this machine's clock is ahead), rounded. */
  skewSeconds: number;
  /** Date headers used. */
  samples: number;
  /** Uncertainty: half the shortest round trip plus the header's one-second resolution. */
  uncertaintySeconds: number;
}

export interface NetworkStep {
  ok: boolean;
  ms: number;
  detail: string;
  code?: string;
}

/** DNS, TCP and TLS reachability of one endpoint (docs/aws-facts.md §7). */
export interface NetworkReport {
  host: string;
  port: number;
  /** The proxy the connection went through (credentials removed), or none. */
  proxy?: { url: string; variable: string };
  /** Why no proxy was used although one is set (`NO_PROXY` matched). */
  noProxyMatch?: string;
  dns: NetworkStep & { addresses: string[] };
  tcp?: NetworkStep;
  tls?: NetworkStep & { protocol?: string; issuer?: string; subject?: string };
  https?: NetworkStep & { status?: number; date?: string };
}

/** What {@link runLiveProbes} returns. */
export interface LiveReport {
  schema: "authdoctor.live/v1";
  startedAt: string;
  profile?: string;
  /** Region of the user's configuration (SDK chain), used for the regional STS call. */
  homeRegion: string;
  /** Region of the failing call, when known. */
  failingRegion?: string;
  credentials: Probed<CredentialInfo>;
  identity: {
    regional?: Probed<CallerIdentity>;
    global?: Probed<CallerIdentity>;
    failingRegion?: Probed<CallerIdentity>;
  };
  accountSummary?: Probed<AccountSummary>;
  regionStatus?: Probed<RegionStatus>;
  decodedMessage?: Probed<DecodedAuthorization>;
  /** AWS's own evaluation of the denied request (iam-toolbox), raw: src/iam reads it. */
  authorizationDetails?: Probed<AuthorizationEvidence>;
  authorization?: Probed<AuthorizationSnapshot>;
  simulation?: Probed<SimulationResult>;
  accessKeys?: Probed<AccessKeyState>;
  cloudTrail?: Probed<TrailLookup>;
  cognito?: Probed<IdentityPoolConfig>;
  appsync?: Probed<AppSyncApi>;
  clock?: Probed<ClockSkew>;
  network?: Probed<NetworkReport>;
  /** Every call made, in the order they finished. */
  audit: AuditEntry[];
  /** Probes that could not run, with the permission that would be needed. */
  unknowns: Unknown[];
}
