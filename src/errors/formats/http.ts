// Raw HTTP error bodies and headers: S3 `<Error>` XML (with clock and key elements), STS/IAM `<ErrorResponse>`,
// EC2 `<Response><Errors>`, `x-amzn-ErrorType`/request-id headers (docs/aws-facts.md §1.3, §1.9, §1.10, §1.20).

import { maskSecret } from "../../core/redact.js";
import { clockEvidence } from "../clock.js";
import { isRegion } from "../region.js";
import { decodeXml, lineStart } from "../text.js";
import { draft, type Hit } from "../types.js";

const MAX_BLOCK = 20000;
const STATUS_LINE_RE = /HTTP\/\d(?:\.\d)? (\d{3})\b/g;
const REQUEST_ID_HEADER_RE =
  /^(?:x-amzn-RequestId|x-amz-request-id|x-amzn-request-id)\s{0,4}:\s{0,4}([\w-]{6,100})/gim;
const ERROR_TYPE_HEADER_RE = /^x-amzn-ErrorType\s{0,4}:\s{0,4}([\w.#]{1,200})(?::\S{0,300})?/gim;
const BUCKET_REGION_RE = /^x-amz-bucket-region\s{0,4}:\s{0,4}([a-z0-9-]{4,30})/im;

function tag(block: string, name: string): string | undefined {
  const open = `<${name}>`;
  const i = block.indexOf(open);
  if (i < 0) return undefined;
  const from = i + open.length;
  const close = block.indexOf(`</${name}>`, from);
  const lt = block.indexOf("<", from);
  const end = close >= 0 ? close : lt >= 0 ? lt : block.length;
  return decodeXml(block.slice(from, Math.min(end, from + MAX_BLOCK))).trim();
}

/** Echoed secrets in S3 errors: `<Token-0>` carries the session token, `<SignatureProvided>` the signature. */
export function maskEchoes(text: string): string {
  return text.replace(
    /<(Token-\d{1,2}|SignatureProvided|StringToSign|CanonicalRequest)>([^<]{1,20000})/g,
    (_m, t: string, v: string) => `<${t}>${maskSecret(v)}`,
  );
}

function lastMatchBefore(re: RegExp, text: string, at: number): RegExpExecArray | undefined {
  let last: RegExpExecArray | undefined;
  re.lastIndex = 0;
  for (const m of text.slice(Math.max(0, at - 8000), at).matchAll(re)) last = m;
  return last;
}

/** Status, request id and error type from HTTP headers printed before `at` (debug logs, curl -i). */
export function headerContext(
  text: string,
  at: number,
): { status?: number; requestId?: string; errorType?: string; bucketRegion?: string } {
  const window = text.slice(Math.max(0, at - 8000), at + 200);
  const status = lastMatchBefore(STATUS_LINE_RE, text, at);
  const rid = lastMatchBefore(REQUEST_ID_HEADER_RE, text, at);
  const type = lastMatchBefore(ERROR_TYPE_HEADER_RE, text, at);
  const bucket = BUCKET_REGION_RE.exec(window);
  return {
    ...(status ? { status: Number(status[1]) } : {}),
    ...(rid ? { requestId: rid[1]! } : {}),
    ...(type ? { errorType: type[1]!.replace(/^.*#/, "") } : {}),
    ...(bucket && isRegion(bucket[1]!) ? { bucketRegion: bucket[1]! } : {}),
  };
}

/** Read XML error bodies (S3 `<Error>`, query-protocol `<ErrorResponse>`, EC2 `<Response><Errors>`). */
export function readXml(text: string): Hit[] {
  const hits: Hit[] = [];
  let from = 0;
  let closeTag = -2; // next `</Error>` at or after `open`, cached so a text without one is scanned once
  for (let n = 0; n < 500; n++) {
    const open = text.indexOf("<Error>", from);
    if (open < 0) break;
    const nextOpen = text.indexOf("<Error>", open + 7);
    if (closeTag !== -1 && closeTag < open) closeTag = text.indexOf("</Error>", open);
    let end: number;
    if (closeTag >= 0 && closeTag - open < MAX_BLOCK && (nextOpen < 0 || closeTag < nextOpen))
      end = closeTag + 8;
    else end = Math.min(nextOpen < 0 ? text.length : nextOpen, open + MAX_BLOCK);
    from = end;
    const block = text.slice(open, end);
    const code = tag(block, "Code");
    const message = tag(block, "Message");
    if (!code && !message) continue;
    // Query protocol puts RequestId after </Error>; EC2 uses <RequestID> after </Errors>.
    const after = text.slice(end, end + 600);
    const requestId = tag(block, "RequestId") ?? tag(after, "RequestId") ?? tag(after, "RequestID");
    const before = text.slice(Math.max(0, open - 300), open);
    const ec2 = /<Response>\s{0,20}<Errors>\s{0,20}$/.test(before);
    const query = /<ErrorResponse[^>\n]{0,300}>\s{0,20}$/.test(before);
    const d = draft("http-xml", {
      ...(code ? { code } : {}),
      ...(message ? { message } : {}),
      ...(requestId ? { requestId } : {}),
    });
    const resource = tag(block, "Resource") ?? tag(block, "BucketName");
    if (resource) d.resource = resource;
    const type = tag(block, "Type");
    if (type) d.notes.push(`error type \`${type}\``);
    const hostId = tag(block, "HostId");
    if (hostId) d.notes.push(`S3 host id \`${hostId.slice(0, 120)}\``);
    if (ec2) d.service = "ec2";
    else if (hostId !== undefined) d.service = "s3";
    else if (!query && /<(?:RequestTime|ServerTime|HostId|BucketName|AWSAccessKeyId)>/.test(block))
      d.service = "s3";
    const requestTime = tag(block, "RequestTime");
    const serverTime = tag(block, "ServerTime");
    const skewMs = tag(block, "MaxAllowedSkewMilliseconds");
    if (requestTime || serverTime) {
      d.clock = clockEvidence(
        requestTime,
        serverTime,
        skewMs && /^\d{1,9}$/.test(skewMs) ? Number(skewMs) / 1000 : undefined,
      );
    }
    const region = tag(block, "Region");
    if (region && isRegion(region)) d.notes.push(`the service expects region \`${region}\``);
    const h = headerContext(text, open);
    if (h.status) d.httpStatus = h.status;
    if (!d.requestId && h.requestId) d.requestId = h.requestId;
    if (h.bucketRegion) {
      d.region = h.bucketRegion;
      d.regionSource = "x-amz-bucket-region";
    }
    hits.push({ start: lineStart(text, open), end, priority: 10, draft: d });
  }
  return hits;
}

// boto3's `print(e.response)`: a Python dict repr, not JSON (`{'Error': {'Code': 'AccessDenied', ...}}`).
const PY_ERROR_RE =
  /['"]Error['"]: \{['"]Code['"]: ['"]([^'"\n]{1,120})['"], ['"]Message['"]: (?:'([^'\n]{0,4000})'|"([^"\n]{0,4000})")/g;
const PY_STATUS_RE = /['"]HTTPStatusCode['"]: (\d{3})/;
const PY_REQUEST_RE = /['"]RequestId['"]: ['"]([\w-]{1,100})['"]/;

/** Read boto3 response dicts printed by Python (`e.response`). */
export function readPythonDict(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(PY_ERROR_RE)) {
    const start = lineStart(text, m.index);
    const after = text.slice(m.index, m.index + 3000);
    const d = draft("boto3", { code: m[1]!, message: m[2] ?? m[3] ?? "" });
    const status = PY_STATUS_RE.exec(after);
    if (status) d.httpStatus = Number(status[1]);
    const rid = PY_REQUEST_RE.exec(after);
    if (rid) d.requestId = rid[1]!;
    hits.push({ start, end: m.index + m[0].length, priority: 12, draft: d });
    if (hits.length >= 1000) break;
  }
  return hits;
}
