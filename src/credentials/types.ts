// Data types of the credential-chain model: the snapshot it reads, the outcome of each link, the report.

import type { CauseId } from "../core/cause-ids.js";
import type { IniFile } from "./ini.js";

/** The three SDKs modelled (docs/aws-facts.md §2.1–§2.3). */
export type SdkId = "js" | "python" | "cli";

export const SDK_IDS: readonly SdkId[] = ["js", "python", "cli"];

/** What one link of a provider chain does with the snapshot. */
export type Outcome =
  /** supplies credentials: the chain stops here */
  | "won"
  /** nothing configured for it: the chain moves on */
  | "skipped"
  /** configured but broken, and the error stops the chain (`tryNextLink: false`, botocore raising) */
  | "halted"
  /** configured but broken; the SDK moves on to the next link anyway */
  | "unusable"
  /** needs the network (IMDS, container endpoint): not decidable offline */
  | "not-checked";

/** A credential identity as it may be printed: never a secret, key id masked. */
export interface MaskedIdentity {
  /** `AKIA****WXYZ`, or `unknown` when the source only yields keys at run time. */
  accessKeyId: string;
  /** First four characters of the key id (`AKIA`, `ASIA`...), when known. */
  prefix?: string;
  kind: "long-term" | "temporary" | "unknown";
  /** 12-digit account id decoded from the key id (docs/aws-facts.md §2.6) or given by `aws_account_id`. */
  account?: string;
  accountFrom?: "key-id" | "aws_account_id" | "AWS_ACCOUNT_ID" | "sso_account_id" | "role_arn";
  hasSessionToken: boolean;
  /** ISO expiry, when the source names one. */
  expires?: string;
  /** Role that will be assumed (assume-role, web identity), when any. */
  roleArn?: string;
}

/** One link of a chain, evaluated. */
export interface LinkOutcome {
  /** Stable id of the source (`env`, `shared-credentials-file`, `web-identity-env`...). */
  source: string;
  outcome: Outcome;
  /** Why, in plain words (no secrets). */
  reason: string;
  /** `file:line`, a variable name, or `-`. */
  where: string;
  identity?: MaskedIdentity;
  /** False for links after the one that decided the chain: what would happen if the chain got there. */
  reached?: boolean;
  /** Profiles followed by this link, first hop first (`dev -> base`). */
  profiles?: string[];
  /** Static keys that sign the first AssumeRole call, when the link assumes a role from them. */
  sourceIdentity?: MaskedIdentity;
}

/** A resolved setting and where it came from. */
export interface Setting {
  value: string;
  /** `AWS_REGION`, `config`, `credentials`, `--profile`, `default`... */
  from: string;
  /** `file:line` or variable name. */
  where: string;
}

/** How the SDK would resolve credentials, region and STS on this machine. */
export interface SdkResolution {
  sdk: SdkId;
  /** Human name: `AWS SDK for JavaScript v3`, `boto3 (botocore)`, `AWS CLI v2`. */
  label: string;
  profile: Setting;
  configFile: string;
  credentialsFile: string;
  /** Every link, in chain order. */
  chain: LinkOutcome[];
  /** The link that supplies credentials, if any. */
  winner: LinkOutcome | null;
  /** The link that decided the chain (the winner, or the one that halted it), if any. */
  decidedBy: LinkOutcome | null;
  /** What would win if the deciding link were removed. */
  next: LinkOutcome | null;
  /**
   * `credentials`: a source wins; `error`: the chain stops with an error; `network`: the chain falls
   * through to IMDS or a container endpoint (not checked offline); `none`: nothing found anywhere.
   */
  result: "credentials" | "error" | "network" | "none";
  /** One line: the source that wins and why, or the error the SDK would raise. */
  summary: string;
  /** The error text the SDK would show, when `result` is `error` or `none`. */
  error?: string;
  /** Profiles followed (`dev -> base`). */
  profileChain: string[];
  region: Setting | null;
  sts: {
    mode: "regional" | "global";
    endpoint: string;
    why: string;
  };
  /** `AWS_ENDPOINT_URL*` and `endpoint_url` overrides that apply. */
  endpointOverrides: Setting[];
}

/** One problem (or notable fact) in the local credential setup. */
export interface Finding {
  /** Stable kebab-case code, e.g. `env-keys-shadow-profile`. */
  code: string;
  cause: CauseId;
  severity: "error" | "warning" | "info";
  /** One line, lower case, no secrets. */
  message: string;
  /** `file:line`, variable name, or `-`. */
  where: string;
  fix: string;
  /** SDKs affected, when not all. */
  sdks?: SdkId[];
}

export const CREDENTIALS_SCHEMA = "authdoctor.credentials/v1" as const;

export interface CredentialsReport {
  schema: typeof CREDENTIALS_SCHEMA;
  resolution: Record<SdkId, SdkResolution>;
  findings: Finding[];
}

/** Input of `inspectCredentials`: the environment plus where the files are. */
export interface InspectInput {
  env: Record<string, string | undefined>;
  /** Profile selected as each SDK's own flag would (`--profile`, `Session(profile_name=)`, client `profile`). */
  profile?: string;
  /** Home folder for `~/.aws/...` (default: HOME/USERPROFILE from `env`, then the OS). */
  homeDir?: string;
  now?: Date;
  /** Snapshot form: explicit config file path (wins over `AWS_CONFIG_FILE`). */
  configFile?: string;
  /** Snapshot form: explicit credentials file path (wins over `AWS_SHARED_CREDENTIALS_FILE`). */
  credentialsFile?: string;
  /** Snapshot form: folder holding the SSO token cache (default `~/.aws/sso/cache`). */
  ssoCacheDir?: string;
}

/** One local file as read: status plus the views each SDK family has of it. */
export interface FileSnapshot {
  /** Absolute path. */
  path: string;
  /** Path for messages (`~/.aws/config` when under the home folder). */
  display: string;
  /** Which variable or default chose it. */
  chosenBy: string;
  status: "ok" | "missing" | "unreadable";
  /** Why it could not be read (no file contents). */
  error?: string;
  /** `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`, `binary`. */
  encoding: string;
  /** Our own scan (decoded text, with line numbers). */
  scan: IniFile;
  /** What the JS SDK sees (smithy `loadSharedConfigFiles` on the bytes read as UTF-8). */
  js: Record<string, Record<string, string>>;
  /** The error botocore's configparser would raise on the file, if any. */
  pythonError?: string;
}

/** A cached SSO token, reduced to what the model needs (no token). */
export interface SsoTokenInfo {
  /** Cache key: the sso-session name or legacy start URL. */
  key: string;
  path: string;
  display: string;
  status: "ok" | "missing" | "unreadable" | "garbled";
  expiresAt?: string;
  hasRefreshToken: boolean;
}

/** A web identity token file, reduced to its decoded claims (never the token). */
export interface TokenFileInfo {
  path: string;
  display: string;
  status: "ok" | "missing" | "unreadable" | "garbled";
  error?: string;
  exp?: number;
  iss?: string;
  aud?: string;
}

/** Everything the model reads: pure data, gathered once by `snapshot.ts`. */
export interface Snapshot {
  env: Record<string, string | undefined>;
  now: Date;
  explicitProfile?: string;
  homeDir: string;
  config: FileSnapshot;
  credentials: FileSnapshot;
  sso: Map<string, SsoTokenInfo>;
  tokenFiles: Map<string, TokenFileInfo>;
  /** Path and display of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE status, when set. */
  containerTokenFile?: { display: string; status: "ok" | "missing" | "unreadable" };
}
