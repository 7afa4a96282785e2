// JSON found in the input: CloudTrail records, GraphQL `errors[]` (AppSync), Amplify errors with
// `recoverySuggestion`, JS v3 error dumps (`$metadata`), HTTP JSON bodies (`__type`, `message`/`Message`),
// API Gateway bodies and boto3's `e.response` dict (docs/aws-facts.md, Conventions, §1.6, §1.17, §6.1).

import { findJson } from "../text.js";
import { type Draft, draft, type Hit } from "../types.js";
import { isFailedRecord, recordDraft } from "./cloudtrail.js";
import { headerContext } from "./http.js";

type Rec = Record<string, unknown>;

const MAX_DEPTH = 6;
const MAX_PER_DOCUMENT = 5000;
// API Gateway's own bodies (docs/aws-facts.md §1.6, §7).
const API_GATEWAY_MESSAGES =
  /^(?:Missing Authentication Token|Forbidden|Unauthorized|User is not authorized to access this resource(?: with an explicit deny)?|Invalid key=value pair|Authorization header requires|Endpoint request timed out)/;

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}
function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v)
    ? v
    : typeof v === "string" && /^\d{3}$/.test(v)
      ? Number(v)
      : undefined;
}
function isObj(v: unknown): v is Rec {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
function excerpt(o: unknown): string {
  try {
    return JSON.stringify(o).slice(0, 4000);
  } catch {
    return "";
  }
}
function cleanType(t: string): string {
  // `com.amazon.coral.service#UnrecognizedClientException`, `AccessDeniedException:http://internal...`
  return t.replace(/^.*#/, "").replace(/:.*$/, "");
}

function graphqlDrafts(errors: unknown[]): Draft[] {
  const out: Draft[] = [];
  for (const e of errors.slice(0, 200)) {
    if (!isObj(e)) continue;
    const message = str(e.message);
    const errorType = str(e.errorType);
    const suggestion = str(e.recoverySuggestion);
    if (!message && !errorType) continue;
    const d = draft(suggestion ? "amplify" : "graphql", {
      ...(errorType ? { code: errorType } : {}),
      ...(message ? { message } : {}),
      service: "appsync",
    });
    if (suggestion) d.hint = suggestion;
    else if (errorType) d.hint = `GraphQL errorType \`${errorType}\``;
    const path = Array.isArray(e.path) ? e.path.filter((p) => typeof p === "string").join(".") : undefined;
    if (path) d.notes.push(`GraphQL path \`${path}\``);
    out.push(d);
  }
  return out;
}

function objectDraft(o: Rec): Draft | Draft[] | undefined {
  if (isFailedRecord(o)) return recordDraft(o);
  if (Array.isArray(o.errors) && o.errors.some((e) => isObj(e) && (str(e.message) || str(e.errorType)))) {
    return graphqlDrafts(o.errors);
  }
  const meta = isObj(o.$metadata) ? o.$metadata : undefined;
  const message = str(o.message) ?? str(o.Message) ?? str(o.errorMessage);
  if (meta || o.$fault !== undefined) {
    const name = str(o.name) ?? str(o.Code) ?? str(o.__type);
    const d = draft("js-v3", {
      ...(name && name !== "Error" ? { code: cleanType(name) } : {}),
      ...(message ? { message } : {}),
    });
    const status = num(meta?.httpStatusCode);
    if (status) d.httpStatus = status;
    const rid = str(meta?.requestId);
    if (rid) d.requestId = rid;
    const attempts = num(meta?.attempts);
    if (attempts && attempts > 1) d.retries = attempts - 1;
    if (str(o.$fault)) d.notes.push(`\`$fault\` is \`${o.$fault}\``);
    if (meta?.clockSkewCorrected === true) d.notes.push("the SDK corrected its clock skew during this call");
    return d;
  }
  if (str(o.recoverySuggestion) && (message || str(o.name))) {
    const name = str(o.name);
    const d = draft("amplify", {
      ...(name && name !== "Error" ? { code: name } : {}),
      ...(message ? { message } : {}),
    });
    d.hint = str(o.recoverySuggestion)!;
    return d;
  }
  // boto3 `e.response`: {"Error": {"Code", "Message"}, "ResponseMetadata": {...}}.
  if (isObj(o.Error) && (str(o.Error.Code) || str(o.Error.Message))) {
    const rm = isObj(o.ResponseMetadata) ? o.ResponseMetadata : undefined;
    const d = draft(rm ? "boto3" : "http-json", {
      ...(str(o.Error.Code) ? { code: str(o.Error.Code)! } : {}),
      ...(str(o.Error.Message) ? { message: str(o.Error.Message)! } : {}),
    });
    const status = num(rm?.HTTPStatusCode);
    if (status) d.httpStatus = status;
    const rid = str(rm?.RequestId) ?? str(o.RequestId);
    if (rid) d.requestId = rid;
    return d;
  }
  const type = str(o.__type) ?? str(o.code) ?? str(o.Code) ?? str(o.errorType) ?? str(o.errorCode);
  if (type && (message || str(o.__type))) {
    const d = draft("http-json", { code: cleanType(type), ...(message ? { message } : {}) });
    if (str(o.errorType)) d.hint = `errorType \`${o.errorType}\``;
    return d;
  }
  if (message) {
    const keys = Object.keys(o);
    if (keys.length <= 3 && (API_GATEWAY_MESSAGES.test(message) || /execute-api:/.test(message))) {
      const d = draft("api-gateway", { message, service: "execute-api" });
      if (message === "Missing Authentication Token") {
        d.code = "MissingAuthenticationTokenException";
        d.notes.push(
          "API Gateway sends this body with `x-amzn-ErrorType: MissingAuthenticationTokenException`",
        );
      }
      return d;
    }
    if (
      keys.length <= 3 &&
      /not authorized|security token|signature|credential|expired|denied/i.test(message)
    ) {
      return draft("http-json", { message });
    }
  }
  return undefined;
}

interface Found {
  draft: Draft;
  /** The object it was read from. */
  src: unknown;
}

/** Walk a JSON value, collecting failures; a recognised object is not searched further. */
function collect(v: unknown, out: Found[], depth: number): void {
  if (out.length >= MAX_PER_DOCUMENT || depth > MAX_DEPTH) return;
  if (Array.isArray(v)) {
    for (const x of v) {
      collect(x, out, depth + 1);
      if (out.length >= MAX_PER_DOCUMENT) return;
    }
    return;
  }
  if (!isObj(v)) return;
  const got = objectDraft(v);
  if (got) {
    const list = Array.isArray(got) ? got : [got];
    for (const d of list) out.push({ draft: d, src: v });
    return;
  }
  for (const x of Object.values(v)) if (x !== null && typeof x === "object") collect(x, out, depth + 1);
}

/** Read every JSON document embedded in the text. */
export function readJson(text: string): Hit[] {
  const hits: Hit[] = [];
  let doc = 0;
  for (const span of findJson(text)) {
    const found: Found[] = [];
    collect(span.value, found, 0);
    doc++;
    const many = found.length > 1;
    // A body printed after its headers (`curl -i`, debug logs): status, request id and error type.
    const h = headerContext(text, span.start);
    for (const { draft: d, src } of found) {
      if (d.format === "http-json" || d.format === "api-gateway" || d.format === "graphql") {
        if (h.status && !d.httpStatus) d.httpStatus = h.status;
        if (h.requestId && !d.requestId) d.requestId = h.requestId;
        if (h.errorType && !d.code) d.code = h.errorType;
      }
      hits.push({
        start: span.start,
        end: span.end,
        priority: 5,
        draft: d,
        group: `json-${doc}`,
        ...(many || src !== span.value ? { raw: excerpt(src) } : {}),
      });
    }
  }
  return hits;
}
