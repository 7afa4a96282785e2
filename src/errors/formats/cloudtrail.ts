// CloudTrail records (`errorCode`/`errorMessage` with `eventSource`, `eventName`, `awsRegion`, `userIdentity`):
// parsed records, and a field scan for half-pasted JSON (docs/aws-facts.md §6.1, §6.4).

import { parsePrincipal } from "../../core/arn.js";
import type { Principal } from "../../core/failure.js";
import { describeKeyId } from "../../core/redact.js";
import { isRegion, parseHost } from "../region.js";
import { lineStart } from "../text.js";
import { type Draft, draft, type Hit } from "../types.js";

type Rec = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

/** True for an object that looks like a CloudTrail record carrying an error. */
export function isFailedRecord(o: Rec): boolean {
  return (
    (str(o.eventSource) !== undefined || str(o.eventName) !== undefined) && str(o.errorCode) !== undefined
  );
}

/** `Client.UnauthorizedOperation` -> `UnauthorizedOperation` (EC2 prefixes codes in CloudTrail). */
function normaliseCode(code: string, d: Draft): string {
  const m = /^(?:Client|Server)\.(.+)$/.exec(code);
  if (!m) return code;
  d.notes.push(`CloudTrail records the code as \`${code}\``);
  return m[1]!;
}

function serviceOfSource(source: string): string | undefined {
  return parseHost(source)?.service;
}

function principalOf(identity: Rec): Principal | undefined {
  const arn = str(identity.arn);
  const type = str(identity.type);
  if (arn) {
    const p = parsePrincipal(arn);
    if (p.kind !== "unknown") return p;
  }
  switch (type) {
    case "Root":
      return {
        raw: arn ?? "root",
        kind: "root",
        ...(str(identity.accountId) ? { account: str(identity.accountId)! } : {}),
      };
    case "WebIdentityUser":
      return {
        raw: str(identity.userName) ?? str(identity.principalId) ?? "web-identity",
        kind: "web-identity",
      };
    case "SAMLUser":
      return { raw: str(identity.userName) ?? str(identity.principalId) ?? "saml", kind: "saml" };
    case "AWSService":
      return { raw: str(identity.invokedBy) ?? "aws-service", kind: "service" };
    case "AWSAccount":
      return { raw: str(identity.accountId) ?? str(identity.principalId) ?? "account", kind: "unknown" };
    default:
      return arn ? parsePrincipal(arn) : undefined;
  }
}

/** One failed CloudTrail record -> a draft. */
export function recordDraft(o: Rec): Draft {
  const d = draft("cloudtrail");
  d.code = normaliseCode(str(o.errorCode)!, d);
  const message = str(o.errorMessage);
  if (message) d.message = message;
  const source = str(o.eventSource);
  if (source) {
    const service = serviceOfSource(source);
    if (service) d.service = service;
  }
  const op = str(o.eventName);
  if (op) d.operation = op;
  const region = str(o.awsRegion);
  if (region && isRegion(region)) {
    d.region = region;
    d.regionSource = "cloudtrail";
  }
  const rid = str(o.requestID) ?? str(o.requestId);
  if (rid) d.requestId = rid;
  const identity = o.userIdentity;
  if (identity && typeof identity === "object") {
    const id = identity as Rec;
    const p = principalOf(id);
    if (p) d.principal = p;
    const key = str(id.accessKeyId);
    // Arrives masked by redaction (`ASIA****WXYZ`); describeKeyId keeps it masked either way.
    if (key && /^[A-Z]{4}\*{4}[A-Z0-9]{4}$/.test(key))
      d.accessKeyId = { masked: key, prefix: key.slice(0, 4) };
    else if (key && /^[A-Z]{4}[A-Z0-9]{12,124}$/.test(key)) d.accessKeyId = describeKeyId(key);
  }
  const tls = o.tlsDetails;
  const host = tls && typeof tls === "object" ? str((tls as Rec).clientProvidedHostHeader) : undefined;
  if (host) d.notes.push(`the client called \`${host}\``);
  if (identity && typeof identity === "object") {
    const ctx = (identity as Rec).sessionContext;
    if (ctx && typeof ctx === "object") {
      const attrs = (ctx as Rec).attributes;
      const mfa = attrs && typeof attrs === "object" ? (attrs as Rec).mfaAuthenticated : undefined;
      if (mfa === "true" || mfa === "false")
        d.notes.push(`the session was ${mfa === "true" ? "" : "not "}MFA-authenticated`);
      const web = (ctx as Rec).webIdFederationData;
      const provider = web && typeof web === "object" ? str((web as Rec).federatedProvider) : undefined;
      if (provider) d.notes.push(`web identity federation through \`${provider}\``);
    }
  }
  const time = str(o.eventTime);
  if (time) d.notes.push(`event time ${time}`);
  const vpce = str(o.vpcEndpointId);
  if (vpce) d.notes.push(`the call came through VPC endpoint \`${vpce}\``);
  if (!message) d.notes.push("the record has no errorMessage");
  return d;
}

const FIELD = (name: string) => new RegExp(`"${name}"\\s{0,4}:\\s{0,4}"((?:[^"\\\\\\n]|\\\\.){0,4000})"`);
const RECORD_FIELDS = ["errorMessage", "eventSource", "eventName", "awsRegion", "requestID", "eventTime"];
const IDENTITY_FIELDS = ["arn", "type", "accessKeyId", "accountId"];
const FIELDS = new Map([...RECORD_FIELDS, ...IDENTITY_FIELDS].map((f) => [f, FIELD(f)]));
const UNESCAPE = (s: string): string => {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
};

/** Scan half-pasted CloudTrail JSON for `"errorCode"` and read the record fields around it. */
export function readCloudTrailFields(text: string): Hit[] {
  const hits: Hit[] = [];
  const re = /"errorCode"\s{0,4}:\s{0,4}"([^"\n]{1,200})"/g;
  let n = 0;
  for (const m of text.matchAll(re)) {
    if (++n > 2000) break;
    // The record around the code: from the previous `"eventVersion"` (or a bounded window) to the next one.
    const lo = Math.max(0, m.index - 6000);
    const hi = Math.min(text.length, m.index + 6000);
    const prev = text.slice(lo, m.index).lastIndexOf('"eventVersion"');
    const next = text.slice(m.index, hi).indexOf('"eventVersion"');
    const start = prev >= 0 ? lo + prev : Math.max(0, m.index - 3000);
    const end = next >= 0 ? m.index + next : Math.min(text.length, m.index + 3000);
    const window = text.slice(start, end);
    const rec: Rec = { errorCode: m[1]! };
    for (const f of RECORD_FIELDS) {
      const v = FIELDS.get(f)!.exec(window);
      if (v) rec[f] = UNESCAPE(v[1]!);
    }
    const identity: Rec = {};
    for (const f of IDENTITY_FIELDS) {
      const v = FIELDS.get(f)!.exec(window);
      if (v) identity[f] = UNESCAPE(v[1]!);
    }
    rec.userIdentity = identity;
    if (!isFailedRecord(rec)) continue;
    const d = recordDraft(rec);
    d.notes.push("read from incomplete JSON: fields were picked by name");
    hits.push({ start: lineStart(text, start), end, priority: 45, draft: d });
  }
  return hits;
}
