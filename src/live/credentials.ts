// The credential chain of live mode: the SDK's own providers (env, profiles with role_arn/source_profile, web
// identity, SSO, process, container/IMDS), but every request they send to AWS passes a gate in the transport: it must
// be a credential-provider call on the allow-list (sts:AssumeRole, sts:AssumeRoleWithWebIdentity,
// sso:GetRoleCredentials) and it is listed in the audit. The SDK's own SSO token refresh (sso-oidc:CreateToken) is
// always refused, because the SDK writes the refreshed token back to the cache file: the cached token is used
// read-only. When it has expired, the user is told to run `aws sso login --profile X`, or to add `--sso-refresh`:
// then (and only then) authdoctor itself sends CreateToken with the cached refresh token through the same gate
// (audited as a credential-provider call), keeps the new token in memory, and gets the role credentials with it;
// nothing is written to ~/.aws/sso/cache.
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-sso-credentials.html (token refresh rewrites the cache)
// https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_CreateToken.html (refresh_token grant)

import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { isCredentialProviderOperation, isOptInCredentialOperation, LiveRefusedError } from "./allowlist.js";
import type { AuditEntry } from "./types.js";

/** The request fields the gate reads (a smithy HttpRequest). */
interface RequestLike {
  protocol?: string;
  hostname?: string;
  port?: number;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * The `service:Operation` a credential provider's request is, from the request itself (it may go to an endpoint
 * override, so the host alone does not say): the Query protocol's `Action`, a JSON target header, or the REST paths
 * of the SSO portal (`GET /federation/credentials`) and SSO OIDC (`POST /token`).
 */
export function credentialOperationOf(request: RequestLike): string {
  const headers = Object.fromEntries(
    Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const target = headers["x-amz-target"];
  const host = request.hostname ?? "";
  if (typeof target === "string") {
    const op = target.split(".").pop() ?? "?";
    return `${/oidc|sso/i.test(target) ? "sso-oidc" : "sts"}:${op}`;
  }
  const body = typeof request.body === "string" ? request.body : "";
  const action = /(?:^|&)Action=([A-Za-z]+)/.exec(body)?.[1];
  if (action) return `sts:${action}`;
  const path = request.path ?? "/";
  if (path.startsWith("/federation/credentials")) return "sso:GetRoleCredentials";
  if (path.startsWith("/federation/")) return `sso:${path.slice("/federation/".length).split(/[/?]/)[0]}`;
  if (path === "/token" || /^oidc\./.test(host)) return "sso-oidc:CreateToken";
  return `?:${request.method ?? "?"} ${path.split("?")[0]}`;
}

function endpointOf(r: RequestLike): string {
  const protocol = r.protocol?.replace(/:?$/, ":") ?? "https:";
  return `${protocol}//${r.hostname ?? "?"}${r.port ? `:${r.port}` : ""}`;
}

function regionOf(host: string, fallback: string): string {
  return /\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com/.exec(host)?.[1] ?? fallback;
}

/** Settings of the live credential chain. */
export interface CredentialChainSettings {
  profile?: string;
  region: string;
  timeoutMs: number;
  /** Receives one entry per credential-provider request, sent or refused. */
  audit: AuditEntry[];
  /**
   * `--sso-refresh`: an SSO profile whose cached token has expired (or expires within the SDK's 5-minute refresh
   * window) gets a new token from SSO OIDC CreateToken, kept in memory only. Default false: the cached token only.
   */
  ssoRefresh?: boolean;
  /** Environment for the profile name (AWS_PROFILE) and config paths (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/** The SDK refreshes an SSO token this long before it expires (and writes it back): the same window here. */
const SSO_REFRESH_WINDOW_MS = 5 * 60_000;

/** An SSO profile (`sso_session` or the legacy `sso_start_url` form) and its cached token, read-only. */
export interface SsoProfileState {
  profile: string;
  /** The `sso-session` name (refreshable), or undefined for a legacy profile. */
  session?: string;
  ssoRegion: string;
  accountId: string;
  roleName: string;
  /** The cached token, or undefined when the cache holds none. Secret fields never leave this module. */
  token?: {
    accessToken: string;
    expiresAt: string;
    refreshToken?: string;
    clientId?: string;
    clientSecret?: string;
  };
}

/** The SSO settings of a profile and its cached token (nothing is written), or null when it is not an SSO profile. */
export async function ssoProfileState(
  profileName: string | undefined,
  env: Record<string, string | undefined> = process.env,
): Promise<SsoProfileState | null> {
  const ini = await import("@smithy/shared-ini-file-loader");
  const profile = profileName ?? env.AWS_PROFILE ?? "default";
  const init = {
    profile,
    ignoreCache: true,
    ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
    ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
  };
  let p: Record<string, string | undefined> | undefined;
  let sessions: Record<string, Record<string, string | undefined>> = {};
  try {
    p = (await ini.parseKnownFiles(init))[profile];
    sessions = await ini.loadSsoSessionData(init);
  } catch {
    return null;
  }
  if (!p || (!p.sso_session && !p.sso_start_url)) return null;
  const session = p.sso_session;
  const ss = session ? sessions[session] : undefined;
  const ssoRegion = ss?.sso_region ?? p.sso_region ?? "";
  const state: SsoProfileState = {
    profile,
    ssoRegion,
    accountId: p.sso_account_id ?? "",
    roleName: p.sso_role_name ?? "",
  };
  if (session) state.session = session;
  const key = session ?? ss?.sso_start_url ?? p.sso_start_url ?? "";
  try {
    const t = (await ini.getSSOTokenFromFile(key)) as unknown as Record<string, unknown>;
    if (typeof t.accessToken === "string" && typeof t.expiresAt === "string") {
      const token: NonNullable<SsoProfileState["token"]> = {
        accessToken: t.accessToken,
        expiresAt: t.expiresAt,
      };
      if (typeof t.refreshToken === "string") token.refreshToken = t.refreshToken;
      if (typeof t.clientId === "string") token.clientId = t.clientId;
      if (typeof t.clientSecret === "string") token.clientSecret = t.clientSecret;
      state.token = token;
    }
  } catch {
    // no cached token: the SDK says so in its own words
  }
  return state;
}

/** Thrown instead of resolving credentials when an SSO profile's cached token cannot be used as it is. */
export class SsoTokenError extends Error {
  override readonly name = "SsoTokenExpired";
}

/** Why an SSO profile's cached token cannot be used, and how to fix it; undefined when it can be used. */
export function ssoTokenProblem(
  s: SsoProfileState,
  ssoRefresh: boolean,
  now = Date.now(),
): string | undefined {
  const t = s.token;
  if (!t) return undefined;
  const expires = Date.parse(t.expiresAt);
  if (Number.isNaN(expires) || expires > now) return undefined;
  const login = `run \`aws sso login --profile ${s.profile}\``;
  if (!ssoRefresh)
    return `the cached SSO token of profile ${s.profile} expired at ${t.expiresAt}: ${login}, or add --sso-refresh to let authdoctor refresh it in memory (the token cache is never written)`;
  if (!s.session || !t.refreshToken || !t.clientId || !t.clientSecret)
    return `the cached SSO token of profile ${s.profile} expired at ${t.expiresAt} and cannot be refreshed (${s.session ? "no refresh token in the cache" : "a legacy sso_start_url profile has no refresh token"}): ${login}`;
  return undefined;
}

/** Whether --sso-refresh applies to this state: a refreshable token inside the SDK's refresh window. */
function wantsRefresh(s: SsoProfileState, now = Date.now()): boolean {
  const t = s.token;
  if (!s.session || !t?.refreshToken || !t.clientId || !t.clientSecret) return false;
  const expires = Date.parse(t.expiresAt);
  return Number.isNaN(expires) || expires - now <= SSO_REFRESH_WINDOW_MS;
}

/**
 * The Node provider chain with every credential-provider request gated and audited. The gate is the request
 * handler of every client the providers create (STS for role and web identity profiles, SSO, SSO OIDC), handed
 * down through `clientConfig`, so no provider request leaves the process without passing it.
 */
export async function liveCredentialChain(
  s: CredentialChainSettings,
): Promise<AwsCredentialIdentityProvider> {
  const [{ NodeHttpHandler }, { fromNodeProviderChain }] = await Promise.all([
    import("@smithy/node-http-handler"),
    import("@aws-sdk/credential-providers"),
  ]);
  const inner = new NodeHttpHandler({ connectionTimeout: s.timeoutMs, requestTimeout: s.timeoutMs });
  const env = s.env ?? process.env;
  // static keys in the environment come first in the chain unless a profile is named (then the profile is read)
  const envFirst = !s.profile && !env.AWS_PROFILE && Boolean(env.AWS_ACCESS_KEY_ID);
  const sso = envFirst ? null : await ssoProfileState(s.profile, env);
  if (sso) {
    const problem = ssoTokenProblem(sso, s.ssoRefresh === true);
    if (problem !== undefined) {
      return async () => {
        throw new SsoTokenError(problem);
      };
    }
    if (s.ssoRefresh && wantsRefresh(sso)) {
      // our own refresh, in memory: the SDK's provider chain (which would write the cache) is not used
      const gate = gateOf(inner, s, true);
      let cached: Promise<AwsCredentialIdentity> | undefined;
      return () => {
        cached ??= refreshedSsoCredentials(sso, gate);
        return cached;
      };
    }
  }
  const gate = gateOf(inner, s, false);
  return fromNodeProviderChain({
    ...(s.profile ? { profile: s.profile } : {}),
    // handed to the STS, SSO and SSO OIDC clients the providers create
    // (no region here: each provider takes its own, e.g. sso_region for the SSO portal)
    clientConfig: { requestHandler: gate, maxAttempts: 1 },
  });
}

/** The transport of every credential-provider client: the allow-list check and one audit entry per request. */
// biome-ignore lint/suspicious/noExplicitAny: smithy's HttpHandler type is generic over its config
function gateOf(inner: any, s: CredentialChainSettings, optIn: boolean) {
  return {
    metadata: inner.metadata,
    // biome-ignore lint/suspicious/noExplicitAny: smithy's HttpHandler signature
    async handle(request: any, options?: any) {
      const r = request as RequestLike;
      const operation = credentialOperationOf(r);
      const started = Date.now();
      const entry: AuditEntry = {
        operation: `${operation} (credential provider)`,
        region: regionOf(r.hostname ?? "", s.region),
        endpoint: endpointOf(r),
        outcome: "ok",
        ms: 0,
        attempts: 1,
        detail: "",
      };
      s.audit.push(entry);
      const allowed =
        isCredentialProviderOperation(operation) || (optIn && isOptInCredentialOperation(operation));
      if (!allowed) {
        entry.outcome = "refused";
        entry.attempts = 0;
        entry.detail =
          operation === "sso-oidc:CreateToken"
            ? "SDK's SSO token refresh refused (it would rewrite the token cache): the cached token is used as it is; --sso-refresh refreshes it in memory"
            : `refused: not a credential-provider call on the allow-list`;
        throw new LiveRefusedError(operation);
      }
      try {
        const out = await inner.handle(request, options);
        const status = (out as { response?: { statusCode?: number } }).response?.statusCode;
        entry.outcome = status !== undefined && status >= 400 ? "error" : "ok";
        entry.detail = status !== undefined ? `HTTP ${status}` : "sent";
        return out;
      } catch (err) {
        entry.outcome = "error";
        entry.detail = `${(err as Error).name ?? "Error"}: ${String((err as Error).message ?? err).split("\n")[0]}`;
        throw err;
      } finally {
        entry.ms = Date.now() - started;
      }
    },
    updateHttpClientConfig: (key: never, value: never) => inner.updateHttpClientConfig(key, value),
    httpHandlerConfigs: () => inner.httpHandlerConfigs(),
    destroy: () => inner.destroy(),
  };
}

/**
 * --sso-refresh: SSO OIDC CreateToken (refresh_token grant) with the cached client registration and refresh token,
 * then SSO GetRoleCredentials with the new access token; both through the gate (audited), the new token kept in
 * memory only (never written to the cache).
 * https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_CreateToken.html
 * https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_GetRoleCredentials.html
 */
async function refreshedSsoCredentials(
  sso: SsoProfileState,
  // biome-ignore lint/suspicious/noExplicitAny: smithy's HttpHandler
  gate: any,
): Promise<AwsCredentialIdentity> {
  const t = sso.token!;
  const [{ SSOOIDCClient, CreateTokenCommand }, { SSOClient, GetRoleCredentialsCommand }] = await Promise.all(
    [import("@aws-sdk/client-sso-oidc"), import("@aws-sdk/client-sso")],
  );
  const config = { region: sso.ssoRegion, requestHandler: gate, maxAttempts: 1 };
  const oidc = new SSOOIDCClient(config);
  const portal = new SSOClient(config);
  try {
    const fresh = await oidc.send(
      new CreateTokenCommand({
        clientId: t.clientId!,
        clientSecret: t.clientSecret!,
        grantType: "refresh_token",
        refreshToken: t.refreshToken!,
      }),
    );
    if (!fresh.accessToken)
      throw new SsoTokenError(
        `SSO OIDC CreateToken returned no access token for profile ${sso.profile}: run \`aws sso login --profile ${sso.profile}\``,
      );
    const out = await portal.send(
      new GetRoleCredentialsCommand({
        accessToken: fresh.accessToken,
        accountId: sso.accountId,
        roleName: sso.roleName,
      }),
    );
    const c = out.roleCredentials;
    if (!c?.accessKeyId || !c.secretAccessKey)
      throw new SsoTokenError(`SSO GetRoleCredentials returned no credentials for profile ${sso.profile}`);
    return {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
      ...(c.expiration ? { expiration: new Date(c.expiration) } : {}),
    };
  } finally {
    oidc.destroy();
    portal.destroy();
  }
}
