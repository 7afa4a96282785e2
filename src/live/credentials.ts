// The credential chain of live mode: the SDK's own providers (env, profiles with role_arn/source_profile, web
// identity, SSO, process, container/IMDS), but every request they send to AWS passes a gate in the transport: it must
// be a credential-provider call on the allow-list (sts:AssumeRole, sts:AssumeRoleWithWebIdentity,
// sso:GetRoleCredentials) and it is listed in the audit. SSO token refresh (sso-oidc:CreateToken) is refused, so the
// SDK never rewrites the SSO token cache: the cached token is used read-only and, when it is expired or about to
// be, the user is told to run `aws sso login`.
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-sso-credentials.html (token refresh rewrites the cache)

import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { isCredentialProviderOperation, LiveRefusedError } from "./allowlist.js";
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
  const gate = {
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
      if (!isCredentialProviderOperation(operation)) {
        entry.outcome = "refused";
        entry.attempts = 0;
        entry.detail =
          operation === "sso-oidc:CreateToken"
            ? "SSO token refresh refused: live mode never rewrites the SSO token cache; run `aws sso login` if the token has expired"
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
  return fromNodeProviderChain({
    ...(s.profile ? { profile: s.profile } : {}),
    // handed to the STS, SSO and SSO OIDC clients the providers create
    // (no region here: each provider takes its own, e.g. sso_region for the SSO portal)
    clientConfig: { requestHandler: gate, maxAttempts: 1 },
  });
}
