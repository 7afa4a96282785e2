// Turn one parsed candidate value into a CloudTrail record: unwrap export lines (Panther `log`, AWS docs
// `event`, EventBridge `detail`), `lookup-events` elements (`CloudTrailEvent` string), CloudTrail Lake rows,
// and Logstash NDJSON (`@timestamp` instead of eventTime).

import type { CloudTrailRecord, FastFields } from "./types.js";

const WRAPPER_FIELDS = ["log", "event", "detail", "record", "Record", "cloudtrail", "_source"] as const;
const STRING_FIELDS = ["CloudTrailEvent", "eventJson", "eventjson", "EventData", "eventData"] as const;

/** Keys of which a record has at least one besides eventName (a catalog of event names has none of them). */
const RECORD_KEYS = [
  "eventTime",
  "@timestamp",
  "p_event_time",
  "awsRegion",
  "userIdentity",
  "eventVersion",
  "eventID",
  "eventType",
  "requestParameters",
  "recipientAccountId",
  "sourceIPAddress",
  "errorCode",
];

/** True when the object looks like a CloudTrail record: an eventName plus a time, region, identity or id. */
export function isRecord(v: unknown): v is CloudTrailRecord {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.eventName === "string" && RECORD_KEYS.some((k) => o[k] !== undefined);
}

/** Whether the scanner's fields are enough to call a candidate a record without parsing it. */
export function fastIsRecord(f: FastFields): boolean {
  return (
    f.eventName !== undefined &&
    (f.eventTime !== undefined ||
      f.awsRegion !== undefined ||
      f.identityType !== undefined ||
      f.principal !== undefined)
  );
}

/**
 * The CloudTrail record carried by `value`, or null when it is not one. Throws SyntaxError when a
 * `CloudTrailEvent` string is not JSON.
 */
export function toRecord(value: unknown, depth = 0): CloudTrailRecord | null {
  if (depth > 3 || typeof value !== "object" || value === null) return null;
  if (Array.isArray(value)) return fromLakeRow(value);
  const o = value as Record<string, unknown>;
  if (isRecord(o)) {
    if (typeof o.eventTime !== "string") {
      // Logstash NDJSON has `@timestamp`, Panther fixtures `p_event_time` instead of eventTime.
      const t = o["@timestamp"] ?? o.p_event_time;
      if (typeof t === "string") o.eventTime = t;
    }
    return typedRecord(o);
  }
  for (const k of STRING_FIELDS) {
    const s = o[k];
    if (typeof s === "string" && s.startsWith("{")) return toRecord(JSON.parse(s), depth + 1);
  }
  for (const k of WRAPPER_FIELDS) {
    const inner = o[k];
    if (typeof inner === "object" && inner !== null) {
      const r = toRecord(inner, depth + 1);
      if (r) return r;
    }
  }
  return null;
}

/** Top-level fields typed as strings in CloudTrailRecord (errorMessage is checked where it is read). */
const RECORD_STRINGS = [
  "eventVersion",
  "eventTime",
  "eventSource",
  "awsRegion",
  "sourceIPAddress",
  "userAgent",
  "errorCode",
  "requestID",
  "eventID",
  "eventType",
  "recipientAccountId",
  "sharedEventID",
  "vpcEndpointId",
] as const;
const IDENTITY_STRINGS = [
  "type",
  "principalId",
  "arn",
  "accountId",
  "accessKeyId",
  "userName",
  "invokedBy",
  "identityProvider",
] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function dropNonStrings(o: Record<string, unknown>, keys: readonly string[]): void {
  for (const k of keys) if (o[k] !== undefined && typeof o[k] !== "string") delete o[k];
}

/**
 * Make a record match its type: a field of the wrong JSON type (a number for `eventTime`, a string for
 * `userIdentity`...) is dropped, as if absent, so no reader calls a string method on a number.
 */
export function typedRecord(o: CloudTrailRecord): CloudTrailRecord {
  dropNonStrings(o, RECORD_STRINGS);
  for (const k of ["requestParameters", "responseElements", "additionalEventData", "tlsDetails"] as const)
    if (o[k] !== undefined && o[k] !== null && !isObject(o[k])) delete o[k];
  const u = o.userIdentity as unknown;
  if (u === undefined) return o;
  if (!isObject(u)) {
    delete o.userIdentity;
    return o;
  }
  dropNonStrings(u, IDENTITY_STRINGS);
  const sc = u.sessionContext as unknown;
  if (sc === undefined) return o;
  if (!isObject(sc)) {
    delete u.sessionContext;
    return o;
  }
  dropNonStrings(sc, ["sourceIdentity", "ec2RoleDelivery"]);
  for (const k of ["sessionIssuer", "attributes", "webIdFederationData"])
    if (sc[k] !== undefined && !isObject(sc[k])) delete sc[k];
  if (isObject(sc.sessionIssuer)) dropNonStrings(sc.sessionIssuer, IDENTITY_STRINGS);
  if (isObject(sc.attributes)) dropNonStrings(sc.attributes, ["creationDate", "mfaAuthenticated"]);
  if (isObject(sc.webIdFederationData)) dropNonStrings(sc.webIdFederationData, ["federatedProvider"]);
  return o;
}

/** A CloudTrail Lake `QueryResultRows` row: an array of one-key objects. */
function fromLakeRow(row: unknown[]): CloudTrailRecord | null {
  const out: Record<string, unknown> = {};
  for (const cell of row) {
    if (typeof cell !== "object" || cell === null || Array.isArray(cell)) return null;
    for (const [k, v] of Object.entries(cell)) out[k] = v;
  }
  return isRecord(out) ? typedRecord(out as CloudTrailRecord) : null;
}

/** The summary fields of a parsed record. */
export function fastFieldsOf(r: CloudTrailRecord): FastFields {
  const f: FastFields = {};
  if (typeof r.eventTime === "string") f.eventTime = r.eventTime;
  if (typeof r.eventSource === "string") f.eventSource = r.eventSource;
  if (typeof r.eventName === "string") f.eventName = r.eventName;
  if (typeof r.awsRegion === "string") f.awsRegion = r.awsRegion;
  if (typeof r.userAgent === "string") f.userAgent = r.userAgent;
  if (typeof r.errorCode === "string") f.errorCode = r.errorCode;
  if (r.errorMessage !== undefined) f.hasErrorMessage = true;
  const u = r.userIdentity;
  if (u && typeof u === "object") {
    if (typeof u.arn === "string") f.principal = u.arn;
    if (typeof u.invokedBy === "string") f.invokedBy = u.invokedBy;
    if (typeof u.type === "string") f.identityType = u.type;
  }
  return f;
}
