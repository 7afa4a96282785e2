// The one factory of AWS SDK clients in live mode: lazy SDK import, bounded timeouts, the read-only allow-list.

import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { addAllowList, type MiddlewareStackLike } from "./allowlist.js";

/** Services live mode talks to, by IAM prefix. */
export type LiveService =
  | "sts"
  | "iam"
  | "account"
  | "ec2"
  | "cloudtrail"
  | "cognito-identity"
  | "appsync"
  | "athena";

type SdkModule = Record<string, unknown>;

// Each SDK package is imported on first use only: nothing here runs at CLI start-up.
const MODULES: Record<LiveService, { load: () => Promise<SdkModule>; client: string }> = {
  sts: { load: () => import("@aws-sdk/client-sts") as Promise<SdkModule>, client: "STSClient" },
  iam: { load: () => import("@aws-sdk/client-iam") as Promise<SdkModule>, client: "IAMClient" },
  account: { load: () => import("@aws-sdk/client-account") as Promise<SdkModule>, client: "AccountClient" },
  ec2: { load: () => import("@aws-sdk/client-ec2") as Promise<SdkModule>, client: "EC2Client" },
  cloudtrail: {
    load: () => import("@aws-sdk/client-cloudtrail") as Promise<SdkModule>,
    client: "CloudTrailClient",
  },
  "cognito-identity": {
    load: () => import("@aws-sdk/client-cognito-identity") as Promise<SdkModule>,
    client: "CognitoIdentityClient",
  },
  appsync: { load: () => import("@aws-sdk/client-appsync") as Promise<SdkModule>, client: "AppSyncClient" },
  athena: { load: () => import("@aws-sdk/client-athena") as Promise<SdkModule>, client: "AthenaClient" },
};

/** One HTTP attempt as the transport saw it (filled by the capture middleware). */
export interface Exchange {
  /** `https://host[:port]`. */
  endpoint: string;
  sentAt: number;
  receivedAt?: number;
  status?: number;
  /** The response's `Date` header. */
  date?: string;
}

/** Settings of a client made by {@link createReadOnlyClient}. */
export interface ClientSettings {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** Endpoint URL replacing the SDK's resolution (override or the global STS endpoint). */
  endpoint?: string;
  /** Per-attempt connection and request timeout in ms. */
  timeoutMs: number;
  maxAttempts: number;
  /** Receives one entry per HTTP attempt. */
  exchanges?: Exchange[];
  /** Environment whose proxy variables the connections honour (default: no proxy). */
  env?: Record<string, string | undefined>;
}

/** The part of a smithy client live mode uses. */
export interface ReadOnlyClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy(): void;
  middlewareStack: MiddlewareStackLike;
}

/** The SDK module of `service` (cached by the module loader after the first call). */
export async function loadService(service: LiveService): Promise<SdkModule> {
  return MODULES[service].load();
}

function endpointOf(request: { protocol?: string; hostname?: string; port?: number }): string {
  const protocol = request.protocol?.replace(/:?$/, ":") ?? "https:";
  return `${protocol}//${request.hostname ?? "?"}${request.port ? `:${request.port}` : ""}`;
}

/**
 * A client of `service` with the read-only allow-list at the `initialize` step (before the endpoint, credentials
 * and signing), bounded timeouts and retries, and, when `exchanges` is given, a transport-side record of each
 * attempt (endpoint, status, `Date` header) for the audit list and the clock-skew probe.
 */
export async function createReadOnlyClient(
  service: LiveService,
  settings: ClientSettings,
): Promise<ReadOnlyClient> {
  const mod = await loadService(service);
  const Ctor = mod[MODULES[service].client] as new (config: object) => ReadOnlyClient;
  const agents = settings.env
    ? (await import("./agent.js")).proxyAgents(settings.env, settings.timeoutMs)
    : undefined;
  const client = new Ctor({
    region: settings.region,
    credentials: settings.credentials,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    maxAttempts: settings.maxAttempts,
    requestHandler: {
      connectionTimeout: settings.timeoutMs,
      requestTimeout: settings.timeoutMs,
      throwOnRequestTimeout: true,
      ...(agents ?? {}),
    },
  });
  // INVARIANT: every client live mode uses is made here, so every command passes the allow-list.
  addAllowList(client.middlewareStack, service);
  const sink = settings.exchanges;
  if (sink) {
    // Low priority in the deserialize step = innermost: sees the signed request and the raw response per attempt.
    (client.middlewareStack as unknown as ExtraStack).add(
      (next) => async (args) => {
        const exchange: Exchange = {
          endpoint: endpointOf((args as { request?: object }).request ?? {}),
          sentAt: Date.now(),
        };
        sink.push(exchange);
        const out = (await next(args)) as {
          response?: { statusCode?: number; headers?: Record<string, string> };
        };
        exchange.receivedAt = Date.now();
        exchange.status = out.response?.statusCode;
        exchange.date = out.response?.headers?.date ?? out.response?.headers?.Date;
        return out;
      },
      { step: "deserialize", priority: "low", name: "authdoctorExchangeRecorder" },
    );
  }
  return client;
}

interface ExtraStack {
  add(
    middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
    options: { step: "deserialize"; priority: "low"; name: string },
  ): void;
}

/** A command of `service` by operation name (`GetCallerIdentity`), constructed from the lazily loaded module. */
export async function makeCommand(service: LiveService, operation: string, input: object): Promise<unknown> {
  const mod = await loadService(service);
  const Ctor = mod[`${operation}Command`] as (new (input: object) => unknown) | undefined;
  if (!Ctor) throw new Error(`no command \`${operation}\` in the ${service} client`);
  return new Ctor(input);
}
