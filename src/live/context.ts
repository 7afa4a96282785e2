// A live context for commands other than the probes (trail push-down): the user's credentials resolved once,
// bounded timeouts, an empty audit list.

import type { LiveContext } from "./call.js";
import { resolveCredentials, resolveHomeRegion } from "./run.js";

/** Credentials (profile or provider chain) and region (given, else the SDK's) for live calls. */
export async function liveContext(opts: {
  profile?: string;
  region?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}): Promise<{ ctx: LiveContext; region: string }> {
  const env = opts.env ?? process.env;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const region = opts.region ?? (await resolveHomeRegion(opts.profile, env));
  const chain = (await import("@aws-sdk/credential-providers")).fromNodeProviderChain(
    opts.profile ? { profile: opts.profile } : {},
  );
  const resolved = await resolveCredentials(chain, timeoutMs * 2);
  if (!resolved.ok)
    throw Object.assign(new Error(`could not resolve credentials: ${resolved.reason}`), {
      code: "NoCredentials",
    });
  const identity = resolved.identity;
  return {
    region,
    ctx: {
      credentials: async () => identity,
      timeoutMs,
      maxAttempts: 2,
      audit: [],
      exchanges: [],
      env,
    },
  };
}
