// Account-level reads: the STS token version (docs/aws-facts.md §3.2), a region's opt-in status (§3.3), decoding (§1.12).

import type { GetRegionOptStatusResponse } from "@aws-sdk/client-account";
import type { DescribeRegionsResult } from "@aws-sdk/client-ec2";
import type { GetAccountSummaryResponse } from "@aws-sdk/client-iam";
import type { DecodeAuthorizationMessageResponse } from "@aws-sdk/client-sts";
import { callAws, type LiveContext } from "../call.js";
import type { AccountSummary, DecodedAuthorization, Probed, RegionStatus } from "../types.js";
import { fromCall, notRun } from "./util.js";

/** `iam:GetAccountSummary`: the account's `GlobalEndpointTokenVersion` and the rest of the summary map. */
export async function probeAccountSummary(ctx: LiveContext, region: string): Promise<Probed<AccountSummary>> {
  const r = await callAws<GetAccountSummaryResponse>(
    ctx,
    "iam",
    "GetAccountSummary",
    {},
    {
      region,
      summarise: (o: GetAccountSummaryResponse) =>
        `GlobalEndpointTokenVersion ${o.SummaryMap?.GlobalEndpointTokenVersion ?? "not reported"}`,
    },
  );
  return fromCall(r, "the account summary", (o) => {
    const summary: Record<string, number> = { ...(o.SummaryMap ?? {}) };
    const v = summary.GlobalEndpointTokenVersion;
    return { ...(v !== undefined ? { globalEndpointTokenVersion: v } : {}), summary };
  });
}

const ACCOUNT_STATUS: Record<string, Pick<RegionStatus, "enabled" | "optIn" | "transitioning">> = {
  ENABLED: { enabled: true, optIn: true, transitioning: false },
  ENABLED_BY_DEFAULT: { enabled: true, optIn: false, transitioning: false },
  ENABLING: { enabled: false, optIn: true, transitioning: true },
  DISABLING: { enabled: false, optIn: true, transitioning: true },
  DISABLED: { enabled: false, optIn: true, transitioning: false },
};
const EC2_STATUS: Record<string, Pick<RegionStatus, "enabled" | "optIn" | "transitioning">> = {
  "opt-in-not-required": { enabled: true, optIn: false, transitioning: false },
  "opted-in": { enabled: true, optIn: true, transitioning: false },
  "not-opted-in": { enabled: false, optIn: true, transitioning: false },
};

/**
 * Opt-in status of `region`: `account:GetRegionOptStatus` (the account API lives in us-east-1), and when that
 * is denied or fails, `ec2:DescribeRegions` with `AllRegions` from the home region.
 */
export async function probeRegionStatus(
  ctx: LiveContext,
  region: string,
  homeRegion: string,
): Promise<Probed<RegionStatus>> {
  const a = await callAws<GetRegionOptStatusResponse>(
    ctx,
    "account",
    "GetRegionOptStatus",
    { RegionName: region },
    {
      region: "us-east-1",
      summarise: (o: GetRegionOptStatusResponse) => `${o.RegionName ?? region}: ${o.RegionOptStatus ?? "?"}`,
    },
  );
  if (a.ok && a.value.RegionOptStatus) {
    const status = a.value.RegionOptStatus;
    const flags = ACCOUNT_STATUS[status] ?? { enabled: false, transitioning: false };
    return { ok: true, value: { region, status, source: "account:GetRegionOptStatus", ...flags } };
  }
  const e = await callAws<DescribeRegionsResult>(
    ctx,
    "ec2",
    "DescribeRegions",
    { AllRegions: true, RegionNames: [region] },
    {
      region: homeRegion,
      summarise: (o: DescribeRegionsResult) =>
        (o.Regions ?? []).map((x) => `${x.RegionName}: ${x.OptInStatus}`).join(", ") || "no region listed",
    },
  );
  if (e.ok) {
    const found = (e.value.Regions ?? []).find((x) => x.RegionName === region);
    if (!found?.OptInStatus)
      return notRun("error", `could not read the opt-in status of \`${region}\`: not listed`);
    const flags = EC2_STATUS[found.OptInStatus] ?? { enabled: false, transitioning: false };
    return {
      ok: true,
      value: { region, status: found.OptInStatus, source: "ec2:DescribeRegions", ...flags },
    };
  }
  const both = [a, e].every((x) => !x.ok && x.outcome === "denied");
  return {
    ok: false,
    outcome: both ? "denied" : e.ok ? "error" : e.outcome,
    reason: `could not read the opt-in status of \`${region}\`: ${a.ok ? "no status" : a.reason}; ${e.reason}`,
    code: e.code,
    needs: "account:GetRegionOptStatus or ec2:DescribeRegions",
  };
}

interface RawItems<T> {
  items?: T[];
}
interface RawStatement {
  statementId?: string;
  effect?: string;
  actions?: RawItems<{ value?: string }>;
  resources?: RawItems<{ value?: string }>;
}
interface RawDecoded {
  allowed?: boolean;
  explicitDeny?: boolean;
  matchedStatements?: RawItems<RawStatement>;
  failures?: RawItems<unknown>;
  context?: {
    principal?: { arn?: string };
    action?: string;
    resource?: string;
    conditions?: RawItems<{ key?: string; values?: RawItems<{ value?: string }> }>;
  };
}

/** The decoded JSON of an authorization message in our shape (docs/aws-facts.md §1.12); undefined when it is not JSON. */
export function parseDecodedMessage(text: string): DecodedAuthorization | undefined {
  let raw: RawDecoded;
  try {
    raw = JSON.parse(text) as RawDecoded;
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== "object") return undefined;
  const values = (x: RawItems<{ value?: string }> | undefined) =>
    (x?.items ?? []).map((i) => i.value).filter((v): v is string => typeof v === "string");
  const ctx = raw.context ?? {};
  return {
    ...(typeof raw.allowed === "boolean" ? { allowed: raw.allowed } : {}),
    ...(typeof raw.explicitDeny === "boolean" ? { explicitDeny: raw.explicitDeny } : {}),
    matchedStatements: (raw.matchedStatements?.items ?? []).map((s) => ({
      ...(s.statementId ? { statementId: s.statementId } : {}),
      ...(s.effect ? { effect: s.effect } : {}),
      actions: values(s.actions),
      resources: values(s.resources),
    })),
    failures: raw.failures?.items ?? [],
    context: {
      ...(ctx.principal?.arn ? { principalArn: ctx.principal.arn } : {}),
      ...(ctx.action ? { action: ctx.action } : {}),
      ...(ctx.resource ? { resource: ctx.resource } : {}),
      conditions: (ctx.conditions?.items ?? [])
        .filter((c) => typeof c.key === "string")
        .map((c) => ({ key: c.key!, values: values(c.values) })),
    },
  };
}

/** `sts:DecodeAuthorizationMessage` for an encoded failure message. */
export async function probeDecode(
  ctx: LiveContext,
  encoded: { text: string; truncated: boolean },
  region: string,
): Promise<Probed<DecodedAuthorization>> {
  if (encoded.truncated)
    return notRun("skipped", "could not decode the authorization message: the encoded text is truncated");
  const r = await callAws<DecodeAuthorizationMessageResponse>(
    ctx,
    "sts",
    "DecodeAuthorizationMessage",
    { EncodedMessage: encoded.text.trim() },
    {
      region,
      summarise: (o: DecodeAuthorizationMessageResponse) => {
        const d = o.DecodedMessage ? parseDecodedMessage(o.DecodedMessage) : undefined;
        return d
          ? `allowed ${d.allowed}, explicitDeny ${d.explicitDeny}, action ${d.context.action ?? "?"}`
          : "decoded";
      },
    },
  );
  if (r.ok) {
    const d = r.value.DecodedMessage ? parseDecodedMessage(r.value.DecodedMessage) : undefined;
    if (!d) return notRun("error", "could not read the decoded authorization message: not JSON");
    return { ok: true, value: d };
  }
  return fromCall(r, "the decoded authorization message", () => undefined as never);
}
