// Read-only calls for `authdoctor collect --live`: what the caller may read about its own case (identity, policies,
// the failing region's opt-in state, CloudTrail around the failure), as raw material for a bundle.

import type { LookupEventsResponse } from "@aws-sdk/client-cloudtrail";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { redactText } from "../core/redact.js";
import { callAws, type LiveContext } from "./call.js";
import { collectNetworkEvidence, type NetworkDocumentOut } from "./network-evidence.js";
import { probeRegionStatus } from "./probes/account.js";
import { probeCallerIdentity } from "./probes/identity.js";
import { probePolicies } from "./probes/policies.js";
import { principalOfArn } from "./probes/util.js";
import { gatedCredentials, resolveCredentials, resolveHomeRegion } from "./run.js";
import type { AuditEntry, AuthorizationSnapshot, CallerIdentity, RegionStatus } from "./types.js";

const MINUTE = 60_000;
/** LookupEvents pages read per region (50 events each). */
const MAX_PAGES = 6;

/** Options of {@link collectLive}. */
export interface CollectLiveOptions {
  profile?: string;
  /** The failing region (default: the configured one). */
  region?: string;
  /** When the failure happened (default: now): CloudTrail is read from 30 minutes before to 10 after. */
  time?: Date;
  env?: Record<string, string | undefined>;
  /** Tests: send every request here. */
  endpointOverride?: string;
  /** The failing instance or interface: its network evidence is read too (docs/network.md). */
  network?: { instance?: string; eni?: string };
  credentials?: AwsCredentialIdentityProvider;
  /** `--sso-refresh` (src/live/credentials.ts). */
  ssoRefresh?: boolean;
  timeoutMs?: number;
}

/** CloudTrail records of one region, as `lookup-events` returns them, parsed. */
export interface TrailPage {
  region: string;
  window: { start: string; end: string };
  records: Record<string, unknown>[];
  /** More events were there than were read. */
  truncated: boolean;
}

/** What {@link collectLive} gathered. */
export interface CollectLiveResult {
  homeRegion: string;
  failingRegion: string;
  /** Why no call was made at all (no credentials), when none was. */
  noCredentials?: string;
  identity?: CallerIdentity;
  authorization?: AuthorizationSnapshot;
  regionStatus?: RegionStatus;
  trail: TrailPage[];
  /** Every call made. */
  audit: AuditEntry[];
  /** Calls AWS refused, each with the permission that would allow it. */
  denied: Array<{ operation: string; region: string; permission: string }>;
  /** Other things that could not be read, one line each. */
  gaps: string[];
  /** The failing machine's network: one document per `network/` file (with `network`). */
  network?: NetworkDocumentOut[];
}

// Values CloudTrail may record that are secrets: an AssumeRole record holds the session token it handed out in
// `responseElements.credentials` (https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html).
const SECRET_FIELD =
  /^(sessionToken|secretAccessKey|accessToken|refreshToken|idToken|clientSecret|password)$/i;

/** A copy of `value` with the values of secret-named fields replaced by `REDACTED`. */
export function scrubSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubSecrets);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = SECRET_FIELD.test(k) && v !== null && v !== "" ? "REDACTED" : scrubSecrets(v);
    return out;
  }
  return value;
}

/** Read up to {@link MAX_PAGES} pages of LookupEvents in `region` over the window. */
async function lookupAll(ctx: LiveContext, region: string, start: Date, end: Date, gaps: string[]) {
  const records: Record<string, unknown>[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await callAws<LookupEventsResponse>(
      ctx,
      "cloudtrail",
      "LookupEvents",
      { StartTime: start, EndTime: end, MaxResults: 50, ...(token ? { NextToken: token } : {}) },
      { region, summarise: (o: LookupEventsResponse) => `${(o.Events ?? []).length} events` },
    );
    if (!r.ok) {
      if (r.outcome !== "denied") gaps.push(`CloudTrail in ${region}: ${r.reason}`);
      return page === 0 ? undefined : { records, truncated: true };
    }
    for (const e of r.value.Events ?? []) {
      if (!e.CloudTrailEvent) continue;
      try {
        records.push(scrubSecrets(JSON.parse(e.CloudTrailEvent)) as Record<string, unknown>);
      } catch {
        gaps.push(`CloudTrail in ${region}: event ${e.EventId ?? "?"} is not JSON`);
      }
    }
    token = r.value.NextToken;
    if (!token) return { records, truncated: false };
  }
  return { records, truncated: true };
}

/**
 * Ask AWS, read-only, what a bundle can hold about the caller's case: the caller identity, the authorization
 * snapshot (or the principal's own policies), the failing region's opt-in state, and CloudTrail around the
 * failure in the failing region and in us-east-1. Never throws; refused calls are listed in `denied`.
 */
export async function collectLive(opts: CollectLiveOptions = {}): Promise<CollectLiveResult> {
  const env = opts.env ?? process.env;
  const timeoutMs = Math.min(60_000, Math.max(100, opts.timeoutMs ?? 5000));
  const homeRegion = await resolveHomeRegion(opts.profile, env);
  const failingRegion = opts.region ?? homeRegion;
  const out: CollectLiveResult = { homeRegion, failingRegion, trail: [], audit: [], denied: [], gaps: [] };
  // the gated chain: each credential-provider call is allow-listed and in the audit; the SSO cache is never written
  const chain = await gatedCredentials(opts, { region: homeRegion, timeoutMs, audit: out.audit, env });
  const resolved = await resolveCredentials(chain, timeoutMs * 2);
  if (!resolved.ok) {
    out.noCredentials = resolved.reason;
    return out;
  }
  const identity = resolved.identity;
  const ctx: LiveContext = {
    credentials: async () => identity,
    timeoutMs,
    maxAttempts: 2,
    ...(opts.endpointOverride ? { endpointOverride: opts.endpointOverride } : {}),
    audit: out.audit,
    exchanges: [],
    env,
    budgetEnd: Date.now() + 120_000,
  };
  const note = (what: string, p: { ok: boolean; outcome?: string; reason?: string }) => {
    if (!p.ok && p.outcome !== "denied" && p.outcome !== "skipped") out.gaps.push(`${what}: ${p.reason}`);
  };

  const [who, region] = await Promise.all([
    probeCallerIdentity(ctx, "regional", homeRegion),
    probeRegionStatus(ctx, failingRegion, homeRegion),
  ]);
  if (who.ok) out.identity = who.value;
  else note("caller identity", who);
  if (region.ok) out.regionStatus = region.value;
  else note("region opt-in state", region);

  const principal = who.ok ? principalOfArn(who.value.arn) : undefined;
  if (principal) {
    const pol = await probePolicies(ctx, homeRegion, principal);
    if (pol.ok) out.authorization = pol.value;
    else note("policies", pol);
  } else if (who.ok) {
    out.gaps.push(`policies: \`${who.value.arn}\` is no IAM user or role whose policies can be read`);
  }

  const at = (opts.time ?? new Date()).getTime();
  const start = new Date(at - 30 * MINUTE);
  const end = new Date(Math.min(Date.now(), at + 10 * MINUTE));
  // LookupEvents allows two requests per second per account and region: one region after the other
  // (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html).
  for (const r of [...new Set([failingRegion, "us-east-1"])]) {
    const got = await lookupAll(ctx, r, start, end, out.gaps);
    if (got)
      out.trail.push({
        region: r,
        window: { start: start.toISOString(), end: end.toISOString() },
        ...got,
      });
  }

  if (opts.network && (opts.network.instance || opts.network.eni)) {
    const net = await collectNetworkEvidence(ctx, failingRegion, opts.network);
    out.network = net.documents;
    out.gaps.push(...net.gaps);
  }
  const seen = new Set<string>();
  for (const a of out.audit) {
    if (a.outcome !== "denied") continue;
    const key = `${a.operation} ${a.region}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.denied.push({ operation: a.operation, region: a.region, permission: a.operation });
  }
  out.gaps = out.gaps.map((g) => redactText(g));
  return out;
}
