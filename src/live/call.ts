// One bounded, audited AWS call: client from the factory, deadline, outcome classification, audit entry.

import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { redactText } from "../core/redact.js";
import { LiveRefusedError } from "./allowlist.js";
import { createReadOnlyClient, type Exchange, type LiveService, makeCommand } from "./clients.js";
import { chooseProxy } from "./proxy.js";
import type { AuditEntry, CallOutcome } from "./types.js";

/** Shared state of one live run. */
export interface LiveContext {
  credentials: AwsCredentialIdentityProvider;
  timeoutMs: number;
  maxAttempts: number;
  endpointOverride?: string;
  audit: AuditEntry[];
  /** Every HTTP attempt of every call (clock skew reads their `Date` headers). */
  exchanges: Exchange[];
  /** Environment whose proxy variables the SDK connections honour. */
  env?: Record<string, string | undefined>;
  /** Epoch ms after which no call is sent and calls in flight are cut: the run's overall time budget. */
  budgetEnd?: number;
}

/** A call's result: the output, or why there is none. */
export type CallResult<T> = (
  | { ok: true; value: T }
  | {
      ok: false;
      outcome: Exclude<CallOutcome, "ok">;
      code: string;
      reason: string;
      /** For `denied`: the permission the probe needs. */
      needs?: string;
      httpStatus?: number;
    }
) & {
  /** Where the request went (or would have gone). */
  endpoint?: string;
};

// Codes meaning "the caller may not do this": the probe was denied, which is itself evidence.
const DENIED_CODES = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "UnauthorizedException",
  "AuthorizationError",
  "NotAuthorizedException",
]);
const TIMEOUT_CODES = new Set(["TimeoutError", "AbortError", "ETIMEDOUT", "RequestTimeout"]);

interface SdkErrorLike {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** Outcome, code and one-line reason of a thrown error (no secrets). */
export function classifyError(err: unknown): {
  outcome: Exclude<CallOutcome, "ok">;
  code: string;
  reason: string;
  httpStatus?: number;
} {
  if (err instanceof LiveRefusedError) return { outcome: "refused", code: err.name, reason: err.message };
  const e = (typeof err === "object" && err !== null ? err : { message: String(err) }) as SdkErrorLike;
  const code = (e.name && e.name !== "Error" ? e.name : undefined) ?? e.Code ?? e.code ?? "Error";
  const errno = typeof e.code === "string" ? e.code : undefined;
  const message = (e.message ?? "").split("\n")[0]!.slice(0, 300);
  const reason = redactText(message && message !== code ? `${code}: ${message}` : code);
  const httpStatus = e.$metadata?.httpStatusCode;
  const outcome: Exclude<CallOutcome, "ok"> = DENIED_CODES.has(code)
    ? "denied"
    : TIMEOUT_CODES.has(code) || (errno !== undefined && TIMEOUT_CODES.has(errno))
      ? "timeout"
      : "error";
  return { outcome, code, reason, ...(httpStatus ? { httpStatus } : {}) };
}

/** The endpoint a call would go to when the transport never saw it (refused, or failed before sending). */
export function expectedEndpoint(service: LiveService, region: string, override?: string): string {
  if (override) return override.replace(/\/+$/, "");
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  if (service === "iam") return `https://iam.${suffix}`;
  return `https://${service}.${region}.${suffix}`;
}

/** The proxy (display form) a connection to `endpoint` goes through, if any. */
function viaProxy(endpoint: string, env: Record<string, string | undefined>): string | undefined {
  try {
    return chooseProxy(new URL(endpoint), env).proxy?.display;
  } catch {
    return undefined;
  }
}

/** Options of one call. */
export interface CallSpec {
  region: string;
  /** Endpoint other than the SDK's (global STS); the override wins. */
  endpoint?: string;
  /** Summarise a successful output for the audit line (no secrets). */
  summarise?: (output: never) => string;
}

/**
 * Send `service:operation` with `input` through a read-only client, bounded by the per-attempt timeout and a
 * deadline over all attempts, and record one audit entry. Never throws.
 */
export async function callAws<T>(
  ctx: LiveContext,
  service: LiveService,
  operation: string,
  input: object,
  spec: CallSpec,
): Promise<CallResult<T>> {
  const exchanges: Exchange[] = [];
  const started = Date.now();
  const endpoint = ctx.endpointOverride ?? spec.endpoint;
  const abort = new AbortController();
  const left = ctx.budgetEnd === undefined ? Number.POSITIVE_INFINITY : ctx.budgetEnd - started;
  const deadlineMs = Math.max(0, Math.min(ctx.timeoutMs * ctx.maxAttempts + 500, left));
  let timer: NodeJS.Timeout | undefined;
  let result: CallResult<T>;
  let client: { destroy(): void } | undefined;
  try {
    if (deadlineMs === 0)
      throw Object.assign(new Error("not sent: the time budget of live mode is spent"), {
        name: "TimeoutError",
      });
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(Object.assign(new Error(`no answer within ${deadlineMs} ms`), { name: "TimeoutError" }));
      }, deadlineMs);
    });
    const work = (async () => {
      const c = await createReadOnlyClient(service, {
        region: spec.region,
        credentials: ctx.credentials,
        ...(endpoint ? { endpoint } : {}),
        timeoutMs: ctx.timeoutMs,
        maxAttempts: ctx.maxAttempts,
        exchanges,
        ...(ctx.env ? { env: ctx.env } : {}),
      });
      client = c;
      const command = await makeCommand(service, operation, input);
      return (await c.send(command, { abortSignal: abort.signal })) as T;
    })();
    work.catch(() => {}); // the deadline may win; the late rejection is handled here
    const value = await Promise.race([work, deadline]);
    result = { ok: true, value };
  } catch (err) {
    const c = classifyError(err);
    result = {
      ok: false,
      ...c,
      ...(c.outcome === "denied" ? { needs: `${service}:${operation}` } : {}),
    };
  } finally {
    clearTimeout(timer);
    client?.destroy();
  }
  ctx.exchanges.push(...exchanges);
  const last = exchanges[exchanges.length - 1];
  result.endpoint = last?.endpoint ?? expectedEndpoint(service, spec.region, endpoint);
  const proxy = ctx.env ? viaProxy(result.endpoint, ctx.env) : undefined;
  ctx.audit.push({
    operation: `${service}:${operation}`,
    region: spec.region,
    endpoint: proxy ? `${result.endpoint} via ${proxy}` : result.endpoint,
    outcome: result.ok ? "ok" : result.outcome,
    ms: Date.now() - started,
    attempts: exchanges.length,
    detail: result.ok
      ? redactText(spec.summarise ? spec.summarise(result.value as never) : "ok")
      : result.reason,
  });
  return result;
}
