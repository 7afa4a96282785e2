// Query result rows back into the shapes the local analyses use: records for the accumulators, and the summary
// state of the grouping-set aggregate. Values arrive as text (Athena and Lake return every cell as a string).

import type { SummaryState } from "../summary.js";
import type { CloudTrailRecord, CloudTrailUserIdentity } from "../types.js";

/** One result row: column name -> text, or null for SQL NULL. */
export type Row = Record<string, string | null>;

/** Bits of `grouping(src, name, principal, region, agent, code)`: 1 = the column is not in the set. */
const G = {
  src: 31,
  name: 47,
  principal: 55,
  region: 59,
  agent: 61,
  code: 62,
  srcName: 15,
  all: 63,
} as const;

/** `YYYY-MM-DD HH:MM:SS[.fff]` (Lake) or ISO text as CloudTrail's `YYYY-MM-DDTHH:MM:SSZ`. */
function eventTimeText(t: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.0+)?Z?$/.exec(t);
  return m ? `${m[1]}T${m[2]}Z` : t;
}

/** Keys whose values CloudTrail itself logs as JSON text (policy documents): never parsed. */
const TEXT_KEYS = new Set([
  "policyDocument",
  "policy",
  "content",
  "assumeRolePolicyDocument",
  "resourcePolicy",
]);

/**
 * JSON text of a request/response column as an object. Lake's columns are maps of text, so a nested object
 * arrives as JSON text: with `nested`, such values are parsed back (but policy texts, which are text in the log).
 */
function objectOf(
  text: string | null | undefined,
  nested = false,
): Record<string, unknown> | null | undefined {
  if (text === undefined) return undefined;
  if (text === null || text === "" || text === "null") return null;
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
    const o = v as Record<string, unknown>;
    if (!nested) return o;
    for (const [k, x] of Object.entries(o)) {
      if (typeof x === "string" && !TEXT_KEYS.has(k) && /^[[{]/.test(x)) {
        try {
          o[k] = JSON.parse(x);
        } catch {
          // plain text that starts with a bracket
        }
      }
    }
    return o;
  } catch {
    return null;
  }
}

/** A CloudTrail record from a row of `recordsSql` (`lake`: the row came from CloudTrail Lake). */
export function rowToRecord(row: Row, lake = false): CloudTrailRecord {
  const s = (k: string): string | undefined => {
    const v = row[k];
    return v === null || v === undefined ? undefined : v;
  };
  const r: CloudTrailRecord = {};
  const set = (key: string, v: unknown) => {
    if (v !== undefined) r[key] = v;
  };
  set("eventVersion", s("eventversion"));
  const t = s("eventtime");
  if (t !== undefined) r.eventTime = eventTimeText(t);
  const ui: CloudTrailUserIdentity = {};
  const uset = (key: string, v: string | undefined) => {
    if (v !== undefined) ui[key] = v;
  };
  uset("type", s("ui_type"));
  uset("principalId", s("ui_principalid"));
  uset("arn", s("ui_arn"));
  uset("accountId", s("ui_accountid"));
  uset("accessKeyId", s("ui_accesskeyid"));
  uset("userName", s("ui_username"));
  uset("invokedBy", s("ui_invokedby"));
  uset("identityProvider", s("ui_identityprovider"));
  const issuer: Record<string, string> = {};
  for (const [k, col] of [
    ["type", "si_type"],
    ["principalId", "si_principalid"],
    ["arn", "si_arn"],
    ["accountId", "si_accountid"],
    ["userName", "si_username"],
  ] as const) {
    const v = s(col);
    if (v !== undefined) issuer[k] = v;
  }
  const attributes: Record<string, string> = {};
  if (s("ui_mfa") !== undefined) attributes.mfaAuthenticated = s("ui_mfa")!;
  if (s("ui_creationdate") !== undefined) attributes.creationDate = s("ui_creationdate")!;
  const sc: NonNullable<CloudTrailUserIdentity["sessionContext"]> = {};
  if (Object.keys(issuer).length > 0) sc.sessionIssuer = issuer;
  if (Object.keys(attributes).length > 0) sc.attributes = attributes;
  if (s("ui_webidprovider") !== undefined)
    sc.webIdFederationData = { federatedProvider: s("ui_webidprovider")! };
  if (s("ui_sourceidentity") !== undefined) sc.sourceIdentity = s("ui_sourceidentity")!;
  if (Object.keys(sc).length > 0) ui.sessionContext = sc;
  if (Object.keys(ui).length > 0) r.userIdentity = ui;
  set("eventSource", s("eventsource"));
  set("eventName", s("eventname"));
  set("awsRegion", s("awsregion"));
  set("sourceIPAddress", s("sourceipaddress"));
  set("userAgent", s("useragent"));
  set("errorCode", s("errorcode"));
  set("errorMessage", s("errormessage"));
  if ("requestparameters" in row) r.requestParameters = objectOf(row.requestparameters, lake) ?? null;
  if ("responseelements" in row) r.responseElements = objectOf(row.responseelements, lake) ?? null;
  const extra = objectOf(row.additionaleventdata, lake);
  if (extra) r.additionalEventData = extra;
  set("requestID", s("requestid"));
  set("eventID", s("eventid"));
  set("eventType", s("eventtype"));
  const ro = s("readonly");
  if (ro !== undefined) r.readOnly = ro === "true";
  set("recipientAccountId", s("recipientaccountid"));
  set("sharedEventID", s("sharedeventid"));
  set("vpcEndpointId", s("vpcendpointid"));
  const console = s("sessioncredentialfromconsole");
  if (console !== undefined) r.sessionCredentialFromConsole = console;
  const tls: Record<string, string> = {};
  if (s("tls_version") !== undefined) tls.tlsVersion = s("tls_version")!;
  if (s("tls_cipher") !== undefined) tls.cipherSuite = s("tls_cipher")!;
  if (s("tls_host") !== undefined) tls.clientProvidedHostHeader = s("tls_host")!;
  if (Object.keys(tls).length > 0) r.tlsDetails = tls;
  return r;
}

/** The summary state of the rows of `summarySql` (one partial result, merged like a worker's). */
export function summaryStateOf(rows: Iterable<Row>): SummaryState {
  const state: SummaryState = {
    events: 0,
    failures: 0,
    maps: {
      byErrorCode: [],
      byEventSource: [],
      byEventName: [],
      byPrincipal: [],
      byRegion: [],
      byUserAgent: [],
      failuresByEvent: [],
      failuresByPrincipal: [],
    },
    firstText: null,
    lastText: null,
  };
  const m = state.maps;
  for (const row of rows) {
    const g = Number(row.g);
    const n = Number(row.n);
    const f = Number(row.f);
    const v = (k: string) => row[k] ?? "(none)";
    if (g === G.all) {
      state.events = n;
      state.failures = f;
      state.firstText = row.first_seen ? eventTimeText(row.first_seen) : null;
      state.lastText = row.last_seen ? eventTimeText(row.last_seen) : null;
    } else if (g === G.src) m.byEventSource.push([v("src"), n]);
    else if (g === G.name) m.byEventName.push([v("name"), n]);
    else if (g === G.principal) {
      m.byPrincipal.push([v("principal"), n]);
      if (f > 0) m.failuresByPrincipal.push([v("principal"), f]);
    } else if (g === G.region) m.byRegion.push([v("region"), n]);
    else if (g === G.agent) m.byUserAgent.push([v("agent"), n]);
    else if (g === G.code) {
      if (row.code !== null && row.code !== undefined) m.byErrorCode.push([row.code, n]);
    } else if (g === G.srcName) {
      if (f > 0) m.failuresByEvent.push([`${v("src")} ${v("name")}`, f]);
    }
  }
  return state;
}
