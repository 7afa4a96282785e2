// Cross-source rules: facts that only mean something together (the failing call from the error text and the
// session behind its key in CloudTrail). Pure; each rule cites the docs/aws-facts.md section it rests on.

import type { Signal, TimelineEntry } from "../../core/diagnosis.js";
import type { Failure } from "../../core/failure.js";
import { maskKeyId } from "../../core/redact.js";
import type { TrailSession } from "../../trail/sessions.js";

export interface CorrelateInput {
  failure: Failure | null;
  region?: string;
  /** ISO 8601. */
  time?: string;
  principal?: string;
  /** Raw or masked key ids in use (from the credential setup). */
  keyIds: string[];
  sessions: TrailSession[];
  /** Successful calls recorded in the failing region by the failing account, any principal. */
  regionActivity?: { region: string; account?: string; calls: number; example?: string };
}

const GLOBAL_STS = /^sts\.amazonaws\.com$/i;
const REGIONAL_STS = /^sts\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/i;

/** The session behind the failing call: by key id first, else by principal (latest issued before the failure). */
export function failingSession(input: CorrelateInput): TrailSession | undefined {
  const masked = new Set(input.keyIds.map((k) => (k.includes("*") ? k : maskKeyId(k))));
  if (input.failure?.accessKeyId) masked.add(input.failure.accessKeyId.masked);
  const byKey = input.sessions.find((s) => masked.has(s.keyId));
  if (byKey) return byKey;
  if (!input.principal) return undefined;
  const at = input.time ? Date.parse(input.time) : Number.POSITIVE_INFINITY;
  const mine = input.sessions
    .filter((s) => s.principal === input.principal && (!s.issuedAt || Date.parse(s.issuedAt) <= at))
    .sort((a, b) => Date.parse(b.issuedAt ?? "") - Date.parse(a.issuedAt ?? ""));
  return mine[0];
}

/** Signals from the failing call seen together with the CloudTrail session that issued its credentials. */
export function correlate(input: CorrelateInput): Signal[] {
  const out: Signal[] = [];
  // Catalog §3.3: an account that makes successful calls in a region has that region enabled.
  const act = input.regionActivity;
  if (act && act.calls > 0) {
    out.push({
      cause: "REGION_NOT_ENABLED",
      effect: "refutes",
      text: `account ${act.account ?? "?"} made ${act.calls} successful call(s) in ${act.region}${act.example ? ` (${act.example})` : ""}, so the region is enabled`,
      source: `trail: calls in ${act.region}`,
    });
  }
  const s = failingSession(input);
  if (!s) return out;
  const region = input.region ?? input.failure?.region;
  const source = `trail: ${s.issuedAt ?? "?"} ${s.issuedBy} (session ${s.keyId})`;
  const okRegions = s.regions.filter((r) => !s.failedCalls.some((f) => f.region === r));
  const temporary = s.keyType === "ASIA";

  // Catalog §3.1/§3.2: tokens from the global endpoint are v1 unless the account prefers v2; v1 tokens fail in
  // opt-in regions only. Tokens from a regional endpoint are valid everywhere.
  if (temporary && s.endpoint && region) {
    if (GLOBAL_STS.test(s.endpoint) && !okRegions.includes(region)) {
      const worked = okRegions.length > 0 ? ` and worked in ${okRegions.join(", ")}` : "";
      out.push({
        cause: "STS_TOKEN_VERSION_REGION",
        effect: "supports",
        text: `session ${s.keyId} was issued by the global STS endpoint (${s.endpoint})${worked}; the failure is in ${region}`,
        source,
      });
    } else if (REGIONAL_STS.test(s.endpoint)) {
      out.push({
        cause: "STS_TOKEN_VERSION_REGION",
        effect: "refutes",
        text: `session ${s.keyId} came from the regional STS endpoint ${s.endpoint}, whose tokens are valid in every region`,
        source,
      });
    }
  }
  // Catalog §1.1: a key AWS accepted in the same session is neither unknown nor paired with a wrong secret.
  if (temporary && okRegions.length > 0 && s.events > s.failures) {
    const where = okRegions.join(", ");
    out.push({
      cause: "KEY_INVALID_ID",
      effect: "weakens",
      text: `AWS accepted session ${s.keyId} for ${s.events - s.failures} call(s) in ${where}`,
      source,
    });
    out.push({
      cause: "KEY_SECRET_MISMATCH",
      effect: "weakens",
      text: `the same session ${s.keyId} signed successful calls in ${where}`,
      source,
    });
  }
  return out;
}

/** Identity-policy changes, as the timeline names them (`iam:PutRolePolicy`...). */
const POLICY_CHANGE =
  /^iam:(Put|Attach|Detach|Delete)(Role|User|Group)Policy$|^iam:(CreatePolicyVersion|SetDefaultPolicyVersion)$/;

/**
 * A policy change to the failing principal shortly before a failure that the current policies deny: the change
 * probably brought the denial (docs/aws-facts.md §6.1: the trail keeps the change; the snapshot shows the result).
 */
export function changeBeforeDenial(
  denialCause: Signal["cause"] | undefined,
  timeline: TimelineEntry[] | undefined,
  time: string | undefined,
): Signal[] {
  if (!denialCause || !timeline || !time) return [];
  const at = Date.parse(time);
  const out: Signal[] = [];
  for (const t of timeline) {
    const when = Date.parse(t.time);
    if (t.kind !== "change" || !POLICY_CHANGE.test(t.event) || !(when <= at) || t.error) continue;
    const minutes = Math.round((at - when) / 60_000);
    out.push({
      cause: denialCause,
      effect: "supports",
      text: `${t.event.slice(4)} changed ${t.detail ?? "a policy of the failing principal"} ${minutes} min before the failure, and the policies now deny the request`,
      source: `trail: ${t.time} ${t.event.slice(4)}`,
    });
  }
  return out;
}
