// The trail analyses as SQL run where the logs are: Athena (a table over the trail bucket, the documented
// CloudTrail table: https://docs.aws.amazon.com/athena/latest/ug/cloudtrail-logs.html, partitioned by
// region/year/month/day or by partition projection:
// https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html) and CloudTrail
// Lake (an event data store queried with Trino SQL, SELECT only:
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-limitations.html).
// Every query is generated here from validated names and literals, and is one SELECT: never DDL or DML.

import { changeEvents, DENIED_CODES } from "../classify.js";
import type { RecordKind } from "../types.js";

/** Where the query runs. */
export type QueryTarget =
  | {
      engine: "athena";
      /** `database.table`. */
      table: string;
      /**
       * How the table is partitioned: `projection` (a `timestamp` partition `yyyy/MM/dd`, optionally `region`),
       * `partitions` (`region`, `year`, `month`, `day`), or `none` (no pruning but on the event time).
       */
      partitioning: "projection" | "partitions" | "none";
      /** Whether the projection has a `region` partition (partition projection tables over several regions). */
      regionPartition?: boolean;
    }
  | {
      engine: "lake";
      /** Event data store id (the last part of its ARN). */
      eventDataStore: string;
    };

/** The slice of the trail a query reads. `since`/`until` are epoch ms, inclusive. */
export interface QueryWindow {
  since?: number;
  until?: number;
  regions?: string[];
  /** How much later than an event its log file may be delivered (folder date), for partition pruning. */
  deliverySlackMs?: number;
}

/** A user-given name that is not one a query can use. */
export class QueryNameError extends Error {}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const EDS_ID = /^[A-Za-z0-9][A-Za-z0-9-]{2,127}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** Parse `--athena DATABASE.TABLE` (letters, digits and `_`). */
export function parseAthenaTable(text: string): string {
  const parts = text.split(".");
  if (parts.length !== 2 || !parts.every((p) => IDENT.test(p)))
    throw new QueryNameError(`expected DATABASE.TABLE (letters, digits, _), got \`${text}\``);
  return parts.map((p) => `"${p.toLowerCase()}"`).join(".");
}

/** Parse `--lake` (an event data store ARN or its id). */
export function parseEventDataStore(text: string): string {
  const id = text.startsWith("arn:") ? text.slice(text.lastIndexOf("/") + 1) : text;
  if (!EDS_ID.test(id)) throw new QueryNameError(`expected an event data store ARN or id, got \`${text}\``);
  return id;
}

/** A SQL string literal. */
export function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function list(values: readonly string[]): string {
  return values.map(lit).join(", ");
}

/** `YYYY-MM-DDTHH:MM:SSZ`, rounded to the second (`up` for a lower bound, so that whole seconds compare alike). */
function isoSecond(ms: number, up: boolean): string {
  const s = up ? Math.ceil(ms / 1000) : Math.floor(ms / 1000);
  return new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** UTC days from `from` to `to` (epoch ms) as `yyyy/MM/dd`, or null when more than `max`. */
function days(from: number, to: number, max = 400): string[] | null {
  const out: string[] = [];
  const start = Date.UTC(
    new Date(from).getUTCFullYear(),
    new Date(from).getUTCMonth(),
    new Date(from).getUTCDate(),
  );
  for (let d = start; d <= to; d += 86_400_000) {
    if (out.length >= max) return null;
    out.push(new Date(d).toISOString().slice(0, 10).replace(/-/g, "/"));
  }
  return out;
}

/** Column expressions per engine: Athena's table has lower-case names and string times; Lake has timestamps. */
interface Columns {
  from: string;
  time: string;
  /** The event time as `YYYY-MM-DDTHH:MM:SSZ` text. */
  timeText: string;
  /** A time literal for comparisons. */
  timeLit(ms: number, up: boolean): string;
  ui: string;
  /** JSON text of a request/response/additional-data column. */
  json(col: string): string;
}

function columnsOf(t: QueryTarget): Columns {
  if (t.engine === "athena") {
    return {
      from: t.table,
      time: "eventtime",
      timeText: "eventtime",
      timeLit: (ms, up) => lit(isoSecond(ms, up)),
      ui: "useridentity",
      json: (c) => c,
    };
  }
  return {
    from: t.eventDataStore,
    time: "eventTime",
    timeText: "date_format(eventTime, '%Y-%m-%dT%H:%i:%sZ')",
    timeLit: (ms, up) => lit(isoSecond(ms, up).replace("T", " ").replace("Z", "")),
    ui: "userIdentity",
    // Lake stores requestParameters/responseElements/additionalEventData as map(varchar, varchar)
    json: (c) => `json_format(CAST(${c} AS JSON))`,
  };
}

/** The WHERE conditions of a window: event time and region, plus partition pruning on Athena. */
export function windowConditions(t: QueryTarget, w: QueryWindow): string[] {
  const c = columnsOf(t);
  const out: string[] = [];
  for (const r of w.regions ?? []) {
    if (!REGION.test(r)) throw new QueryNameError(`not a region name: \`${r}\``);
  }
  if (t.engine === "athena" && t.partitioning !== "none") {
    const slack = w.deliverySlackMs ?? 3_600_000;
    const span = w.since !== undefined && w.until !== undefined ? days(w.since, w.until + slack) : undefined;
    if (t.partitioning === "projection") {
      // a date-type projection prunes on a range of its text values
      if (w.since !== undefined)
        out.push(`"timestamp" >= ${lit(new Date(w.since).toISOString().slice(0, 10).replace(/-/g, "/"))}`);
      if (w.until !== undefined)
        out.push(
          `"timestamp" <= ${lit(new Date(w.until + slack).toISOString().slice(0, 10).replace(/-/g, "/"))}`,
        );
      if (t.regionPartition && w.regions?.length) out.push(`region IN (${list(w.regions)})`);
    } else {
      if (span) {
        const byDay = span.map((d) => {
          const [y, m, dd] = d.split("/");
          return `(year = ${lit(y!)} AND month = ${lit(m!)} AND day = ${lit(dd!)})`;
        });
        out.push(`(${byDay.join(" OR ")})`);
      } else if (w.since !== undefined) {
        out.push(`year >= ${lit(String(new Date(w.since).getUTCFullYear()))}`);
      }
      if (w.regions?.length) out.push(`region IN (${list(w.regions)})`);
    }
  }
  if (w.since !== undefined) out.push(`${c.time} >= ${c.timeLit(w.since, true)}`);
  if (w.until !== undefined) out.push(`${c.time} <= ${c.timeLit(w.until, false)}`);
  if (w.regions?.length)
    out.push(`${t.engine === "athena" ? "awsregion" : "awsRegion"} IN (${list(w.regions)})`);
  return out;
}

/** A condition true for records of at least one of `kinds` (a superset of what the local analyses keep). */
export function kindCondition(t: QueryTarget, kinds: readonly RecordKind[]): string {
  const athena = t.engine === "athena";
  const code = athena ? "errorcode" : "errorCode";
  const msg = athena ? "errormessage" : "errorMessage";
  const name = athena ? "eventname" : "eventName";
  const source = athena ? "eventsource" : "eventSource";
  const parts: string[] = [];
  for (const k of kinds) {
    if (k === "failure") parts.push(`${code} <> '' OR ${msg} IS NOT NULL OR ${name} = 'ConsoleLogin'`);
    else if (k === "denied") parts.push(`${code} IN (${list(DENIED_CODES)})`);
    else {
      // Lambda's versioned names (AddPermission20150331v2) lose their suffix first
      const base = `regexp_replace(${name}, '[0-9]{8}(v[0-9]+)?$', '')`;
      for (const { eventSource, eventNames } of changeEvents())
        parts.push(`(${source} = ${lit(eventSource)} AND ${base} IN (${list(eventNames)}))`);
    }
  }
  return parts.length === 0 ? "TRUE" : `(${parts.map((p) => `(${p})`).join(" OR ")})`;
}

function where(conds: string[]): string {
  return conds.length > 0 ? `\nWHERE ${conds.join("\n  AND ")}` : "";
}

/**
 * `trail summary` as one aggregate: every breakdown is a grouping set of one scan. Rows: `g` (the grouping bit
 * mask over src, name, principal, region, agent, code), the keys, `n` events, `f` failures, first and last time.
 */
export function summarySql(t: QueryTarget, w: QueryWindow): string {
  const c = columnsOf(t);
  const ui = c.ui;
  const athena = t.engine === "athena";
  const col = (a: string, l: string) => (athena ? a : l);
  return `SELECT grouping(src, name, principal, region, agent, code) AS g, src, name, principal, region, agent, code,
  count(*) AS n, count(code) AS f,
  min(CASE WHEN regexp_like(t, '^[0-9]') THEN t END) AS first_seen,
  max(CASE WHEN regexp_like(t, '^[0-9]') THEN t END) AS last_seen
FROM (
  SELECT coalesce(${col("eventsource", "eventSource")}, '(none)') AS src,
    coalesce(${col("eventname", "eventName")}, '(none)') AS name,
    coalesce(${ui}.arn, ${ui}.invokedby, '(' || ${ui}.type || ')', '(none)') AS principal,
    coalesce(${col("awsregion", "awsRegion")}, '(none)') AS region,
    coalesce(${col("useragent", "userAgent")}, '(none)') AS agent,
    CASE WHEN ${col("errorcode", "errorCode")} <> '' THEN ${col("errorcode", "errorCode")}
      WHEN ${col("errormessage", "errorMessage")} IS NOT NULL THEN '(no errorCode)' END AS code,
    ${c.timeText} AS t
  FROM ${c.from}${where(windowConditions(t, w)).replace(/\n/g, "\n  ")}
) e
GROUP BY GROUPING SETS ((src), (name), (principal), (region), (agent), (code), (src, name), ())`;
}

/** The record columns the local analyses read, under the names `rowToRecord` expects. */
function recordColumns(t: QueryTarget): string {
  const c = columnsOf(t);
  const u = c.ui;
  const athena = t.engine === "athena";
  const n = (a: string, l: string) => (athena ? a : l);
  const cols = [
    `${c.timeText} AS eventtime`,
    `${n("eventversion", "eventVersion")} AS eventversion`,
    `${n("eventsource", "eventSource")} AS eventsource`,
    `${n("eventname", "eventName")} AS eventname`,
    `${n("awsregion", "awsRegion")} AS awsregion`,
    `${n("sourceipaddress", "sourceIPAddress")} AS sourceipaddress`,
    `${n("useragent", "userAgent")} AS useragent`,
    `${n("errorcode", "errorCode")} AS errorcode`,
    `${n("errormessage", "errorMessage")} AS errormessage`,
    `${c.json(n("requestparameters", "requestParameters"))} AS requestparameters`,
    `${c.json(n("responseelements", "responseElements"))} AS responseelements`,
    `${c.json(n("additionaleventdata", "additionalEventData"))} AS additionaleventdata`,
    `${n("requestid", "requestID")} AS requestid`,
    `${n("eventid", "eventID")} AS eventid`,
    `${n("eventtype", "eventType")} AS eventtype`,
    `CAST(${n("readonly", "readOnly")} AS varchar) AS readonly`,
    `${n("recipientaccountid", "recipientAccountId")} AS recipientaccountid`,
    `${n("sharedeventid", "sharedEventID")} AS sharedeventid`,
    `${n("vpcendpointid", "vpcEndpointId")} AS vpcendpointid`,
    `${u}.type AS ui_type`,
    `${u}.principalid AS ui_principalid`,
    `${u}.arn AS ui_arn`,
    `${u}.accountid AS ui_accountid`,
    `${u}.accesskeyid AS ui_accesskeyid`,
    `${u}.username AS ui_username`,
    `${u}.invokedby AS ui_invokedby`,
    `${u}.sessioncontext.attributes.mfaauthenticated AS ui_mfa`,
    `${u}.sessioncontext.attributes.creationdate AS ui_creationdate`,
    `${u}.sessioncontext.sessionissuer.type AS si_type`,
    `${u}.sessioncontext.sessionissuer.principalid AS si_principalid`,
    `${u}.sessioncontext.sessionissuer.arn AS si_arn`,
    `${u}.sessioncontext.sessionissuer.accountid AS si_accountid`,
    `${u}.sessioncontext.sessionissuer.username AS si_username`,
    `${u}.sessioncontext.webidfederationdata.federatedprovider AS ui_webidprovider`,
    `${n("tlsdetails", "tlsDetails")}.tlsversion AS tls_version`,
    `${n("tlsdetails", "tlsDetails")}.ciphersuite AS tls_cipher`,
    `${n("tlsdetails", "tlsDetails")}.clientprovidedhostheader AS tls_host`,
  ];
  cols.push(
    `CAST(${n("sessioncredentialfromconsole", "sessionCredentialFromConsole")} AS varchar) AS sessioncredentialfromconsole`,
  );
  if (athena) {
    // The documented Athena table's userIdentity struct has no identityProvider: for SAML and web identity callers
    // it is rebuilt from what the row does hold, as CloudTrail fills it: the web identity provider
    // (responseElements.provider), the SAML name qualifier (responseElements.nameQualifier), or, for a call that
    // failed (no response), the provider that starts the principal id (`provider:audience:subject`).
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
    // (sessionContext.sourceIdentity is not in that table either: issuances read it from their request/response)
    cols.push(
      `CASE WHEN ${u}.type IN ('WebIdentityUser', 'SAMLUser') THEN coalesce(json_extract_scalar(responseelements, '$.provider'), json_extract_scalar(responseelements, '$.nameQualifier'), nullif(split_part(${u}.principalid, ':', 1), '')) END AS ui_identityprovider`,
    );
  } else {
    cols.push(
      `${u}.identityprovider AS ui_identityprovider`,
      `${u}.sessioncontext.sourceidentity AS ui_sourceidentity`,
    );
  }
  return cols.join(",\n  ");
}

/** The records of a window (of some kinds only), with the columns the analyses read. */
export function recordsSql(t: QueryTarget, w: QueryWindow, kinds?: readonly RecordKind[]): string {
  const c = columnsOf(t);
  const conds = windowConditions(t, w);
  if (kinds && kinds.length > 0) conds.push(kindCondition(t, kinds));
  return `SELECT ${recordColumns(t)}\nFROM ${c.from}${where(conds)}`;
}

/** Whether generated SQL is one read-only statement (checked again before any query is started). */
export function isSelectOnly(sql: string): boolean {
  const s = sql.replace(/'(?:[^']|'')*'/g, "''");
  return (
    /^\s*SELECT\b/i.test(s) &&
    !s.includes(";") &&
    !/\b(?:INSERT|UPDATE|DELETE|MERGE|CREATE|DROP|ALTER|UNLOAD|GRANT|CALL|MSCK|VACUUM|OPTIMIZE)\b/i.test(s)
  );
}
