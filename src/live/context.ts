// A live context for commands other than the probes (trail push-down): the user's credentials resolved once
// through the gated credential chain (its calls are the first entries of the audit), bounded timeouts.

import type { LiveContext } from "./call.js";
import { gatedCredentials, resolveCredentials, resolveHomeRegion } from "./run.js";
import type { AuditEntry } from "./types.js";

/** Credentials (profile or provider chain) and region (given, else the SDK's) for live calls. */
export async function liveContext(opts: {
  profile?: string;
  region?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** `--sso-refresh` (src/live/credentials.ts). */
  ssoRefresh?: boolean;
}): Promise<{ ctx: LiveContext; region: string }> {
  const env = opts.env ?? process.env;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const region = opts.region ?? (await resolveHomeRegion(opts.profile, env));
  const audit: AuditEntry[] = [];
  const chain = await gatedCredentials(opts, { region, timeoutMs, audit, env });
  const resolved = await resolveCredentials(chain, timeoutMs * 2);
  if (!resolved.ok)
    throw Object.assign(new Error(`could not resolve credentials: ${resolved.reason}`), {
      code: "NoCredentials",
      audit,
    });
  const identity = resolved.identity;
  return {
    region,
    ctx: {
      credentials: async () => identity,
      timeoutMs,
      maxAttempts: 2,
      audit,
      exchanges: [],
      env,
    },
  };
}
