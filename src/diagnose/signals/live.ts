// Live probe results -> Signals for the cause ranker (what each read settles, docs/aws-facts.md §1.12, §3, §4.3, §5, §7).

import { accountOfArn } from "../../core/arn.js";
import type { CauseId, Failure, Signal } from "../../core/index.js";
import { analyseAuthorization, parseAuthorizationDetails } from "../../iam/authorization-details.js";
import type { CredentialInfo, LiveReport } from "../../live/types.js";
import { authorizationSignals } from "./authorization.js";
import { decodedSignals } from "./decoded.js";

// Simulator `SourcePolicyType`s of identity-based policies.
const IDENTITY_SOURCES = new Set(["user", "group", "role", "aws-managed", "user-managed", "IAM Policy"]);
// Codes of a rejected credential (docs/aws-facts.md §1.1, §1.2, §1.10).
const TOKEN_REJECTED = new Set([
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "AuthFailure",
  "InvalidToken",
]);
const NETWORK_CODES =
  /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|TimeoutError)$/;

/** Error codes the SDK makes up on the client side (no response from AWS): they do not prove the call reached AWS. */
const CLIENT_SIDE_CODE =
  /Endpoint|Connect|Timeout|Network|Credential|Provider|Socket|Certificate|SSL|TLS|Abort|^E[A-Z]+$/i;

/**
 * Why the failing call certainly reached AWS (a request id, or an error code only AWS returns), or undefined. A
 * probe that cannot reach the network now does not make the network the cause of a failure AWS itself answered.
 */
export function reachedAws(failure: Failure | undefined): string | undefined {
  if (!failure) return undefined;
  if (failure.requestId) return `the error carries AWS request id ${failure.requestId}`;
  const code = failure.code;
  if (code && !CLIENT_SIDE_CODE.test(code) && !NETWORK_CODES.test(code))
    return `the error carries the AWS error code ${code}`;
  return undefined;
}

/** What every live finding reads: the report, the failing call, and how the key of one compares with the other. */
export interface LiveContext {
  report: LiveReport;
  failure?: Failure;
  /** The credentials the provider chain resolved, when it did. */
  creds?: CredentialInfo;
  /** The failing call's key, masked. */
  failingKey?: string;
  /** The chain's key is the failing call's key (undefined: not known). */
  sameKey?: boolean;
  /** How a working probe settles a credential cause: `refutes` for the same key, else only `weakens`. */
  settle: Signal["effect"];
}

/** One finding: the signals one probe result gives (as ESLint lists rules: small, named, tested alone). */
export type LiveFinding = (c: LiveContext) => Signal[];

type Add = (cause: CauseId, effect: Signal["effect"], text: string, source: string) => void;

/** The signals `run` adds, each with a `live: ` source. */
function collect(run: (add: Add) => void): Signal[] {
  const out: Signal[] = [];
  run((cause, effect, text, source) => out.push({ cause, effect, text, source: `live: ${source}` }));
  return out;
}

/** The context of a report and the failing call. */
export function liveContext(report: LiveReport, failure?: Failure): LiveContext {
  const creds = report.credentials.ok ? report.credentials.value : undefined;
  const failingKey = failure?.accessKeyId?.masked;
  const sameKey = creds && failingKey ? creds.accessKeyId.masked === failingKey : undefined;
  return {
    report,
    ...(failure ? { failure } : {}),
    ...(creds ? { creds } : {}),
    ...(failingKey ? { failingKey } : {}),
    ...(sameKey !== undefined ? { sameKey } : {}),
    settle: sameKey === true ? "refutes" : "weakens",
  };
}

/** The first GetCallerIdentity that worked (home region, then global). */
function workingIdentity(report: LiveReport) {
  const { regional, global } = report.identity;
  return [regional, global].find((p) => p?.ok);
}

/** The credential provider chain: no credentials, a different key than the failing call, long-term keys. */
export function credentialChain(c: LiveContext): Signal[] {
  return collect((add) => {
    const { report, creds, failingKey, sameKey, settle } = c;
    if (!report.credentials.ok) {
      if (report.credentials.outcome === "timeout")
        add("NETWORK_PATH", "supports", report.credentials.reason, "credential provider chain");
      else add("CRED_MISSING", "supports", report.credentials.reason, "credential provider chain");
    } else if (creds) {
      if (sameKey === false)
        add(
          "CRED_WRONG_SOURCE",
          "supports",
          `the provider chain resolves ${creds.accessKeyId.masked}, the failing call used ${failingKey}`,
          "credential provider chain",
        );
      if (!creds.temporary && sameKey !== false)
        add(
          "STS_TOKEN_VERSION_REGION",
          settle,
          `the credentials are long-term keys (${creds.accessKeyId.prefix}) without a session token`,
          "credential provider chain",
        );
    }
  });
}

/** sts:GetCallerIdentity on the home and global endpoints: the credentials work (and as whom), or why STS rejects them. */
export function callerIdentity(c: LiveContext): Signal[] {
  return collect((add) => {
    const { report, failure, creds, sameKey, settle } = c;
    const { regional, global } = report.identity;
    const worked = [regional, global].find((p) => p?.ok);
    const home = regional ?? global;
    if (worked?.ok) {
      const id = worked.value;
      const src = `sts:GetCallerIdentity (${id.region})`;
      for (const cause of [
        "KEY_INVALID_ID",
        "KEY_SECRET_MISMATCH",
        "TOKEN_EXPIRED",
        "SESSION_TOKEN_STALE",
      ] as const)
        add(cause, settle, `the credentials work: STS answers ${id.arn}`, src);
      const resourceAccount = accountOfArn(failure?.resource);
      if (resourceAccount && resourceAccount !== id.account)
        add(
          "ACCOUNT_MISMATCH",
          "supports",
          `the resource is in account ${resourceAccount}, the credentials in account ${id.account}`,
          src,
        );
      const failingAccount = failure?.principal?.account;
      if (failingAccount && failingAccount !== id.account)
        add(
          "CRED_WRONG_SOURCE",
          "supports",
          `the failing call ran as account ${failingAccount}, the provider chain resolves account ${id.account}`,
          src,
        );
    } else if (home && !home.ok && home.code) {
      const src = `sts:GetCallerIdentity (${report.homeRegion})`;
      const code = home.code;
      if (code === "InvalidClientTokenId" || code === "InvalidAccessKeyId") {
        if (creds?.temporary)
          add("SESSION_TOKEN_STALE", "supports", `STS rejects the session: ${home.reason}`, src);
        else
          add(
            "KEY_INVALID_ID",
            sameKey === false ? "supports" : "confirms",
            `STS rejects the key: ${home.reason}`,
            src,
          );
      } else if (code === "SignatureDoesNotMatch")
        add("KEY_SECRET_MISMATCH", sameKey === false ? "supports" : "confirms", home.reason, src);
      else if (code === "ExpiredToken" || code === "ExpiredTokenException")
        add("TOKEN_EXPIRED", sameKey === false ? "supports" : "confirms", home.reason, src);
      else if (NETWORK_CODES.test(code) || home.outcome === "timeout")
        add("NETWORK_PATH", "supports", `STS unreachable: ${home.reason}`, src);
    }
  });
}

/** sts:GetCallerIdentity in the failing call's region: the credentials work there, or only elsewhere. */
export function failingRegionIdentity(c: LiveContext): Signal[] {
  return collect((add) => {
    const { report, settle } = c;
    const worked = workingIdentity(report);
    const { failingRegion } = report.identity;
    if (failingRegion && report.failingRegion) {
      const src = `sts:GetCallerIdentity (${report.failingRegion})`;
      if (failingRegion.ok) {
        for (const cause of ["STS_TOKEN_VERSION_REGION", "REGION_NOT_ENABLED"] as const)
          add(cause, settle, `the credentials work in ${report.failingRegion}`, src);
      } else if (worked?.ok && failingRegion.code && TOKEN_REJECTED.has(failingRegion.code)) {
        for (const cause of ["STS_TOKEN_VERSION_REGION", "REGION_NOT_ENABLED"] as const)
          add(
            cause,
            "supports",
            `the credentials work on ${worked.value.target === "global" ? "the global endpoint" : `the ${worked.value.region} endpoint`} but ${report.failingRegion} answers ${failingRegion.code}`,
            src,
          );
      }
    }
  });
}

/** The account's global-endpoint STS token version against the region's opt-in status (docs/aws-facts.md §3.2, §3.3). */
export function tokenVersion(c: LiveContext): Signal[] {
  return collect((add) => {
    const { report, creds, sameKey } = c;
    const region = report.regionStatus?.ok ? report.regionStatus.value : undefined;
    const version = report.accountSummary?.ok
      ? report.accountSummary.value.globalEndpointTokenVersion
      : undefined;
    if (version !== undefined) {
      const src = "iam:GetAccountSummary";
      if (version === 1) {
        if (region?.optIn && creds?.temporary && sameKey !== false)
          add(
            "STS_TOKEN_VERSION_REGION",
            "confirms",
            `the account's global STS endpoint issues v1 tokens, which ${region.region} (an opt-in region) rejects`,
            src,
          );
        else if (region?.optIn !== false)
          add(
            "STS_TOKEN_VERSION_REGION",
            "supports",
            "the account's global STS endpoint issues v1 tokens",
            src,
          );
      } else
        add(
          "STS_TOKEN_VERSION_REGION",
          "weakens",
          `the account's global STS endpoint issues v${version} tokens (valid in every region; older sessions may still be v1)`,
          src,
        );
    }
  });
}

/** Whether the failing region is enabled for the account (docs/aws-facts.md §3.3). */
export function regionStatus(c: LiveContext): Signal[] {
  return collect((add) => {
    const { report } = c;
    const region = report.regionStatus?.ok ? report.regionStatus.value : undefined;
    if (region) {
      const src = `${region.source} (${region.region})`;
      if (!region.enabled && !region.transitioning)
        add(
          "REGION_NOT_ENABLED",
          "confirms",
          `${region.region} is not enabled for the account (${region.status})`,
          src,
        );
      else if (region.transitioning)
        add(
          "REGION_NOT_ENABLED",
          "supports",
          `${region.region} is ${region.status}: access propagates over minutes to hours`,
          src,
        );
      else add("REGION_NOT_ENABLED", "refutes", `${region.region} is enabled (${region.status})`, src);
      if (region.optIn === false)
        add(
          "STS_TOKEN_VERSION_REGION",
          "refutes",
          `${region.region} is enabled by default: v1 tokens are valid there`,
          src,
        );
    }
  });
}

/** AWS's own evaluation (iam-toolbox), read like a saved --authorization-details file. */
export function toolboxEvaluation(c: LiveContext): Signal[] {
  const authz = c.report.authorizationDetails?.ok ? c.report.authorizationDetails.value : undefined;
  if (!authz) return [];
  try {
    const details = parseAuthorizationDetails(JSON.stringify(authz.pages), "live authorization details");
    return authorizationSignals(
      analyseAuthorization(details),
      "live: iam-toolbox GetRequestAuthorizationDetails",
    );
  } catch {
    // An answer not of the documented shape gives no signal; the audit shows the call.
    return [];
  }
}

/** The decoded authorization message: AWS's own evaluation, read like a pasted one. */
export function decodedMessage(c: LiveContext): Signal[] {
  const decoded = c.report.decodedMessage?.ok ? c.report.decodedMessage.value : undefined;
  return decoded ? decodedSignals(decoded, c.failure, "live: sts:DecodeAuthorizationMessage") : [];
}

/** The policy simulator's decision, and what it says of SCPs and the permissions boundary. */
export function simulation(c: LiveContext): Signal[] {
  return collect((add) => {
    const { report } = c;
    const sim = report.simulation?.ok ? report.simulation.value : undefined;
    if (sim) {
      const src = `iam:SimulatePrincipalPolicy (${sim.action})`;
      if (sim.decision === "allowed") {
        for (const cause of ["IAM_ACTION_NOT_ALLOWED", "IAM_RESOURCE_MISMATCH"] as const)
          add(
            cause,
            "weakens",
            `the simulator allows ${sim.action} on ${sim.resource} by identity policies`,
            src,
          );
      } else if (sim.decision === "explicitDeny") {
        const identity = sim.matchedStatements.some(
          (s) => s.sourcePolicyType && IDENTITY_SOURCES.has(s.sourcePolicyType),
        );
        add(
          "IAM_EXPLICIT_DENY",
          identity ? "confirms" : "supports",
          `the simulator finds an explicit deny${
            identity
              ? ` in ${sim.matchedStatements
                  .map((s) => s.sourcePolicyId)
                  .filter(Boolean)
                  .join(", ")}`
              : ""
          }`,
          src,
        );
      } else {
        add(
          "IAM_ACTION_NOT_ALLOWED",
          "supports",
          `the simulator finds no statement allowing ${sim.action}`,
          src,
        );
        if (sim.missingContextValues.length)
          add(
            "IAM_CONDITION_FAILED",
            "supports",
            `conditions need context the simulator lacked: ${sim.missingContextValues.join(", ")}`,
            src,
          );
      }
      if (sim.allowedByOrganizations === false)
        add("SCP_DENY", "confirms", "the simulator: service control policies do not allow it", src);
      else if (sim.allowedByOrganizations === true)
        add("SCP_DENY", "refutes", "the simulator: service control policies allow it", src);
      if (sim.allowedByPermissionsBoundary === false)
        add(
          "PERMISSION_BOUNDARY",
          "confirms",
          "the simulator: the permissions boundary does not allow it",
          src,
        );
      else if (sim.allowedByPermissionsBoundary === true)
        add("PERMISSION_BOUNDARY", "refutes", "the simulator: the permissions boundary allows it", src);
    }
  });
}

/** The state of the failing key among the user's access keys. */
export function accessKeys(c: LiveContext): Signal[] {
  return collect((add) => {
    const { report, failure, failingKey } = c;
    const keys = report.accessKeys?.ok ? report.accessKeys.value : undefined;
    if (keys) {
      const src = `iam:ListAccessKeys (${keys.userName})`;
      const target = failingKey ? keys.keys.find((k) => k.accessKeyId.masked === failingKey) : keys.current;
      if (target) {
        if (target.status === "Inactive")
          add(
            "KEY_INACTIVE",
            "confirms",
            `key ${target.accessKeyId.masked} of ${keys.userName} is Inactive`,
            src,
          );
        else if (target.status === "Active")
          add("KEY_INACTIVE", "refutes", `key ${target.accessKeyId.masked} is Active`, src);
      } else if (failingKey && failure?.principal?.kind === "iam-user")
        add(
          "KEY_INVALID_ID",
          "supports",
          `no key of user ${keys.userName} matches ${failingKey} (deleted?)`,
          src,
        );
    }
  });
}

/** CloudTrail: the endpoint that issued the session (global or regional). */
export function sessionIssuance(c: LiveContext): Signal[] {
  return collect((add) => {
    const { report } = c;
    const trail = report.cloudTrail?.ok ? report.cloudTrail.value : undefined;
    if (trail) {
      for (const e of trail.issuance) {
        const src = `cloudtrail:LookupEvents ${e.eventTime} ${e.eventName}${e.eventId ? ` (${e.eventId})` : ""}`;
        if (e.host === "sts.amazonaws.com")
          add(
            "STS_TOKEN_VERSION_REGION",
            "supports",
            "the session was issued by the global STS endpoint",
            src,
          );
        else if (e.host && /^sts\.[a-z0-9-]+\.amazonaws\.com/.test(e.host))
          add(
            "STS_TOKEN_VERSION_REGION",
            "refutes",
            `the session was issued by the regional endpoint ${e.host}`,
            src,
          );
      }
    }
  });
}

/** CloudTrail: key, policy, boundary, region and Organizations changes. */
export function accessChanges(c: LiveContext): Signal[] {
  return collect((add) => {
    const { report } = c;
    const trail = report.cloudTrail?.ok ? report.cloudTrail.value : undefined;
    if (trail) {
      for (const e of trail.changes) {
        const src = `cloudtrail:LookupEvents ${e.eventTime} ${e.eventName}${e.eventId ? ` (${e.eventId})` : ""}`;
        const by = e.username ? ` by ${e.username}` : "";
        if (/^(UpdateAccessKey|DeleteAccessKey)$/.test(e.eventName))
          add(
            e.eventName === "UpdateAccessKey" ? "KEY_INACTIVE" : "KEY_INVALID_ID",
            "supports",
            `${e.eventName}${by} at ${e.eventTime}`,
            src,
          );
        else if (e.eventName === "UpdateAssumeRolePolicy")
          add("TRUST_POLICY", "supports", `a trust policy changed${by} at ${e.eventTime}`, src);
        else if (
          /^(Put|Delete|Detach)(User|Role|Group)Policy$|^(CreatePolicyVersion|SetDefaultPolicyVersion|DeletePolicy)$/.test(
            e.eventName,
          )
        )
          add("IAM_ACTION_NOT_ALLOWED", "supports", `${e.eventName}${by} at ${e.eventTime}`, src);
        else if (/^(Put|Delete)(User|Role)PermissionsBoundary$/.test(e.eventName))
          add("PERMISSION_BOUNDARY", "supports", `${e.eventName}${by} at ${e.eventTime}`, src);
        else if (e.eventName === "DisableRegion")
          add("REGION_NOT_ENABLED", "supports", `DisableRegion${by} at ${e.eventTime}`, src);
        else if (
          /^(UpdatePolicy|AttachPolicy|DetachPolicy)$/.test(e.eventName) &&
          e.eventSource?.startsWith("organizations")
        )
          add("SCP_DENY", "supports", `${e.eventName} (Organizations)${by} at ${e.eventTime}`, src);
      }
    }
  });
}

/** The Cognito identity pool's roles, mappings and flows (docs/aws-facts.md §5.2). */
export function cognitoPool(c: LiveContext): Signal[] {
  return collect((add) => {
    const { report, failure } = c;
    const pool = report.cognito?.ok ? report.cognito.value : undefined;
    if (pool) {
      const src = `cognito-identity:GetIdentityPoolRoles (${pool.identityPoolId})`;
      const roleName =
        failure?.principal?.kind === "role-session" || failure?.principal?.kind === "role"
          ? failure.principal.name
          : undefined;
      if (roleName && pool.unauthenticatedRole?.endsWith(`/${roleName}`))
        add(
          "COGNITO_CONFIG",
          "supports",
          `the failing call used the pool's guest (unauthenticated) role ${roleName}`,
          src,
        );
      if (!pool.authenticatedRole && pool.gaps.length === 0)
        add("COGNITO_CONFIG", "supports", "the pool has no authenticated role", src);
      for (const m of pool.roleMappings)
        if (m.ambiguousRoleResolution === "Deny")
          add(
            "COGNITO_CONFIG",
            "supports",
            `role mapping for ${m.provider} (${m.type ?? "?"}) denies when no rule matches`,
            src,
          );
      if (
        pool.allowClassicFlow === false &&
        /^(GetOpenIdToken|AssumeRoleWithWebIdentity)$/.test(failure?.operation ?? "")
      )
        add("COGNITO_CONFIG", "supports", "the pool does not allow the basic (classic) flow", src);
    } else if (report.cognito && !report.cognito.ok && report.cognito.code === "ResourceNotFoundException")
      add(
        "REGION_MISMATCH",
        "supports",
        "the identity pool does not exist in the region its id names",
        "cognito-identity:DescribeIdentityPool",
      );
  });
}

/** The AppSync API's auth modes (docs/aws-facts.md §5.4). */
export function appsyncAuth(c: LiveContext): Signal[] {
  return collect((add) => {
    const { report, failure } = c;
    const api = report.appsync?.ok ? report.appsync.value : undefined;
    if (api) {
      const src = `appsync:GetGraphqlApi (${api.apiId})`;
      const modes = [api.defaultAuth, ...api.additionalAuth].filter(Boolean) as string[];
      const iamSigned = Boolean(failure?.principal) || failure?.service === "appsync";
      if (!modes.includes("AWS_IAM") && iamSigned)
        add(
          "APP_AUTH_MODE",
          "confirms",
          `the API accepts ${modes.join(", ") || "no mode"}, not AWS_IAM`,
          src,
        );
      else if (api.defaultAuth === "AWS_IAM")
        add("APP_AUTH_MODE", "weakens", "AWS_IAM is the API's default auth mode", src);
      else if (modes.includes("AWS_IAM"))
        add("APP_AUTH_MODE", "supports", "AWS_IAM is only an additional mode: fields need @aws_iam", src);
    } else if (report.appsync && !report.appsync.ok && report.appsync.code === "NotFoundException")
      add(
        "REGION_MISMATCH",
        "supports",
        "the AppSync API does not exist in that region or account",
        "appsync:GetGraphqlApi",
      );
  });
}

/** This machine's clock against AWS's Date header (docs/aws-facts.md §4.1, §4.3). */
export function clockSkew(c: LiveContext): Signal[] {
  return collect((add) => {
    const { report } = c;
    const clock = report.clock?.ok ? report.clock.value : undefined;
    if (clock) {
      const abs = Math.abs(clock.skewSeconds);
      const text = `this machine's clock is ${abs} s ${clock.skewSeconds >= 0 ? "ahead of" : "behind"} AWS (±${clock.uncertaintySeconds} s)`;
      if (abs - clock.uncertaintySeconds > 300) add("CLOCK_SKEW", "confirms", text, "HTTP Date header");
      else if (abs > 60) add("CLOCK_SKEW", "supports", text, "HTTP Date header");
      else add("CLOCK_SKEW", "refutes", text, "HTTP Date header");
    }
  });
}

/** The network path to the endpoint: DNS, TCP, TLS, HTTP (docs/aws-facts.md §7). */
export function networkPath(c: LiveContext): Signal[] {
  return collect((add) => {
    const { report } = c;
    const net = report.network?.ok ? report.network.value : undefined;
    if (net) {
      const src = `network ${net.host}:${net.port}${net.proxy ? ` via ${net.proxy.url}` : ""}`;
      const broken = [
        !net.dns.ok && !net.proxy ? `DNS: ${net.dns.detail}` : undefined,
        net.tcp && !net.tcp.ok ? `TCP: ${net.tcp.detail}` : undefined,
        net.tls && !net.tls.ok ? `TLS: ${net.tls.detail}` : undefined,
        net.https && !net.https.ok ? `HTTP: ${net.https.detail}` : undefined,
      ].find(Boolean);
      if (broken) add("NETWORK_PATH", "confirms", broken, src);
      else if (
        net.tls?.ok &&
        net.host.endsWith("amazonaws.com") &&
        net.tls.issuer &&
        !/amazon/i.test(net.tls.issuer)
      )
        add(
          "NETWORK_PATH",
          "supports",
          `the TLS certificate is issued by ${net.tls.issuer}, not Amazon: intercepting proxy?`,
          src,
        );
      else if (net.https?.ok)
        add("NETWORK_PATH", "weakens", `${net.host} answers over ${net.tls ? "TLS" : "HTTP"}`, src);
    }
  });
}

/** Every live finding, in the order their signals are listed. */
export const LIVE_FINDINGS: readonly LiveFinding[] = [
  credentialChain,
  callerIdentity,
  failingRegionIdentity,
  tokenVersion,
  regionStatus,
  toolboxEvaluation,
  decodedMessage,
  simulation,
  accessKeys,
  sessionIssuance,
  accessChanges,
  cognitoPool,
  appsyncAuth,
  clockSkew,
  networkPath,
];

/**
 * The signals a live report gives about `failure`'s causes. Probes that did not run give none (they are in
 * `report.unknowns`). Where the failing call's key is known and differs from the key the chain resolved, a
 * working probe only `weakens` a credential cause instead of refuting it.
 */
export function liveSignals(report: LiveReport, failure?: Failure): Signal[] {
  const c = liveContext(report, failure);
  const reached = reachedAws(failure);
  return LIVE_FINDINGS.flatMap((finding) => finding(c)).map((s) => keepToTheError(s, reached));
}

/**
 * INVARIANT: evidence never contradicts the error itself: an AWS answer proves the network path worked then, so a
 * probe finding the network broken now only weakens NETWORK_PATH.
 */
function keepToTheError(s: Signal, reached: string | undefined): Signal {
  if (s.cause !== "NETWORK_PATH" || !reached || (s.effect !== "confirms" && s.effect !== "supports"))
    return s;
  return {
    ...s,
    effect: "weakens",
    text: `${s.text}; but the failing call reached AWS (${reached}): this is the network from here, now`,
  };
}
