// cloudtrail:LookupEvents around the failure: the key's calls, who issued the key, recent write events (§6).

import type { LookupEventsResponse } from "@aws-sdk/client-cloudtrail";
import { describeKeyId } from "../../core/redact.js";
import { callAws, type LiveContext } from "../call.js";
import type { Probed, TrailEventSummary, TrailLookup } from "../types.js";
import { iso } from "./util.js";

const MINUTE = 60_000;

interface RawTrailEvent {
  errorCode?: string;
  userIdentity?: { arn?: string };
  tlsDetails?: { clientProvidedHostHeader?: string };
  responseElements?: { credentials?: { accessKeyId?: string } } | null;
}

type LookupEvent = NonNullable<LookupEventsResponse["Events"]>[number];

function summarise(e: LookupEvent): TrailEventSummary & { issuedRaw?: string } {
  let raw: RawTrailEvent = {};
  try {
    raw = e.CloudTrailEvent ? (JSON.parse(e.CloudTrailEvent) as RawTrailEvent) : {};
  } catch {
    // a record we cannot parse keeps its lookup fields only
  }
  const issued = raw.responseElements?.credentials?.accessKeyId;
  return {
    eventTime: iso(e.EventTime) ?? "",
    eventName: e.EventName ?? "",
    ...(e.EventSource ? { eventSource: e.EventSource } : {}),
    ...(e.Username ? { username: e.Username } : {}),
    ...(e.AccessKeyId ? { accessKeyId: describeKeyId(e.AccessKeyId).masked } : {}),
    ...(raw.errorCode ? { errorCode: raw.errorCode } : {}),
    ...(e.ReadOnly ? { readOnly: e.ReadOnly === "true" } : {}),
    ...(e.EventId ? { eventId: e.EventId } : {}),
    ...(raw.tlsDetails?.clientProvidedHostHeader ? { host: raw.tlsDetails.clientProvidedHostHeader } : {}),
    ...(issued ? { issuedKeyId: describeKeyId(issued).masked, issuedRaw: issued } : {}),
  };
}

/**
 * Three lookups, one after another (LookupEvents allows 2 requests per second per account and region):
 * events made with `keyId` around `time` (−15 min, +5 min) in `region`; STS write events of the 12 hours
 * before that issued `keyId` (home region, whose endpoint usually issued it); write events of the 24 hours
 * before (us-east-1, where IAM records).
 */
export async function probeTrail(
  ctx: LiveContext,
  region: string,
  homeRegion: string,
  keyId: string | undefined,
  time: Date,
): Promise<Probed<TrailLookup>> {
  const now = Date.now();
  const at = time.getTime();
  const start = new Date(at - 15 * MINUTE);
  const end = new Date(Math.min(now, at + 5 * MINUTE));
  const gaps: string[] = [];
  const lookup = async (
    what: string,
    lookupRegion: string,
    attribute: { AttributeKey: string; AttributeValue: string },
    from: Date,
    to: Date,
  ) => {
    const r = await callAws<LookupEventsResponse>(
      ctx,
      "cloudtrail",
      "LookupEvents",
      { LookupAttributes: [attribute], StartTime: from, EndTime: to, MaxResults: 50 },
      {
        region: lookupRegion,
        summarise: (o: LookupEventsResponse) => `${what}: ${(o.Events ?? []).length} events`,
      },
    );
    if (!r.ok) {
      gaps.push(`${what}: ${r.outcome === "denied" ? "needs cloudtrail:LookupEvents" : r.reason}`);
      return { events: [] as ReturnType<typeof summarise>[], r };
    }
    if (r.value.NextToken) gaps.push(`${what}: first 50 events only`);
    return { events: (r.value.Events ?? []).map(summarise), r };
  };

  const strip = ({ issuedRaw: _i, ...rest }: ReturnType<typeof summarise>): TrailEventSummary => rest;
  const byKey = keyId
    ? await lookup(
        "calls with the key",
        region,
        { AttributeKey: "AccessKeyId", AttributeValue: keyId },
        start,
        end,
      )
    : undefined;
  const temporary = keyId?.startsWith("ASIA");
  const sts = temporary
    ? await lookup(
        "key issuance",
        homeRegion,
        { AttributeKey: "EventSource", AttributeValue: "sts.amazonaws.com" },
        new Date(at - 12 * 60 * MINUTE),
        end,
      )
    : undefined;
  const changes = await lookup(
    "recent changes",
    "us-east-1",
    { AttributeKey: "ReadOnly", AttributeValue: "false" },
    new Date(at - 24 * 60 * MINUTE),
    end,
  );
  const results = [byKey, sts, changes].filter((x) => x !== undefined);
  const failed = results.filter((x) => !x.r.ok);
  if (failed.length === results.length) {
    const first = failed[0]!.r;
    const denied = !first.ok && first.outcome === "denied";
    return {
      ok: false,
      outcome: first.ok ? "error" : first.outcome,
      reason: `could not read CloudTrail: ${denied ? "needs cloudtrail:LookupEvents" : gaps.join("; ")}`,
      ...(!first.ok ? { code: first.code } : {}),
      ...(denied ? { needs: "cloudtrail:LookupEvents" } : {}),
    };
  }
  return {
    ok: true,
    value: {
      region,
      window: { start: start.toISOString(), end: end.toISOString() },
      byKey: (byKey?.events ?? []).map(strip),
      issuance: (sts?.events ?? []).filter((e) => e.issuedRaw === keyId).map(strip),
      changes: changes.events.filter((e) => e.readOnly !== true).map(strip),
      gaps,
    },
  };
}
