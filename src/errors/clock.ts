// Time stamps in clock-skew errors (SigV4 `20231010T101010Z`, S3 ISO 8601) -> ISO strings and skew seconds.

import type { ClockEvidence } from "../core/failure.js";

/** Parse `20231010T101010Z` or an ISO 8601 date-time; undefined when it is neither. */
export function parseAwsTime(value: string): number | undefined {
  const v = value.trim();
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (basic) {
    const [, y, mo, d, h, mi, s] = basic.map(Number) as number[];
    const t = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
    return Number.isFinite(t) ? t : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/.test(v))
    return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

/**
 * Clock evidence from a request time and a server time (either form), plus the tolerance when known.
 * skewSeconds = request - server (positive: the client clock is ahead), docs/aws-facts.md §4.3.
 */
export function clockEvidence(request?: string, server?: string, toleranceSeconds?: number): ClockEvidence {
  const out: ClockEvidence = {};
  const req = request === undefined ? undefined : parseAwsTime(request);
  const srv = server === undefined ? undefined : parseAwsTime(server);
  if (req !== undefined) out.requestTime = iso(req);
  if (srv !== undefined) out.serverTime = iso(srv);
  if (req !== undefined && srv !== undefined) out.skewSeconds = Math.round((req - srv) / 1000);
  if (toleranceSeconds !== undefined && Number.isFinite(toleranceSeconds))
    out.toleranceSeconds = toleranceSeconds;
  return out;
}
