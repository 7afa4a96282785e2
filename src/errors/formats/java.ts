// Java SDK v1/v2 service exceptions: `Msg (Service: AmazonS3; Status Code: 403; Error Code: AccessDenied;
// Request ID: ...)` and v2's comma form `(Service: S3, Status Code: 403, Request ID: ...)` (docs/aws-facts.md §1.2, Appendix A).

import { normaliseService } from "../service.js";
import { lineStart } from "../text.js";
import { draft, type Hit } from "../types.js";

const BLOCK_RE =
  /\(Service: ?([^;,()\n]{1,80})[;,] ?Status Code: ?(\d{3})((?:[;,] ?[A-Za-z0-9 -]{1,40}: ?[^;,()\n]{0,300}){0,12})\)/g;
// `pkg.AmazonS3Exception: ` / `software.amazon.awssdk.services.sts.model.StsException: ` before the message.
const CLASS_RE =
  /(?:^|[\s"(])((?:[a-z][\w$]{0,60}\.){1,10}([A-Z][\w$]{1,100}(?:Exception|Error)))(?: \[[^\]\n]{0,80}\])?: ?/g;
const GENERIC_CLASS =
  /^(?:Amazon|AWS|Aws)?(?:[A-Z][A-Za-z0-9]{0,40})?ServiceException$|^(?:SdkClientException|SdkException|AmazonClientException)$/;

function parseFields(tail: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of tail.split(/[;,] ?/)) {
    const i = part.indexOf(":");
    if (i <= 0) continue;
    fields.set(part.slice(0, i).trim().toLowerCase(), part.slice(i + 1).trim());
  }
  return fields;
}

/** Read Java SDK exceptions carrying the `(Service: ...; Status Code: ...)` block. */
export function readJava(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(BLOCK_RE)) {
    const start = lineStart(text, m.index);
    const head = text.slice(start, m.index);
    const fields = parseFields(m[3] ?? "");
    const serviceName = m[1]!.trim();
    const service = normaliseService(serviceName);
    const status = Number(m[2]);
    let message = head;
    let className: string | undefined;
    let classAt = -1;
    for (const c of head.matchAll(CLASS_RE)) {
      className = c[2]!;
      classAt = c.index + c[0].length;
    }
    if (classAt >= 0) message = head.slice(classAt);
    const quoted = /message: "([^\n]{0,8000})$/.exec(message);
    if (quoted) message = quoted[1]!;
    message = message.trim();
    let code = fields.get("error code");
    if (!code && className && !GENERIC_CLASS.test(className)) {
      const base = normaliseService(className);
      if (base !== service) code = className;
    }
    const d = draft("java", {
      ...(code ? { code } : {}),
      ...(message ? { message } : {}),
      ...(service ? { service } : {}),
      httpStatus: status,
    });
    const requestId = fields.get("request id");
    if (requestId && requestId !== "null") d.requestId = requestId;
    if (!code) d.notes.push("the Java exception names no error code");
    hits.push({ start, end: m.index + m[0].length, priority: 20, draft: d });
  }
  return hits;
}
