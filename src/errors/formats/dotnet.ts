// AWS SDK for .NET exceptions: `Amazon.S3.AmazonS3Exception: Access Denied`, `Amazon.Runtime.AmazonServiceException`,
// modeled `Amazon.SecurityToken.Model.ExpiredTokenException: ...`, with `Error Code`/`Status Code` when logged.

import { normaliseService } from "../service.js";
import { lineStart } from "../text.js";
import { draft, type Hit } from "../types.js";

const DOTNET_RE =
  /\bAmazon\.([A-Za-z0-9]{1,60}(?:\.[A-Za-z0-9]{1,60}){0,3})\.([A-Za-z0-9]{1,100}Exception)(?::[ \t]?([^\n]{0,8000}))?/g;
const CODE_NEAR_RE = /Error ?Code[:=] ?"?([A-Za-z][\w.]{1,100})/;
const STATUS_NEAR_RE = /(?:Status ?Code[:=] ?"?(\d{3}|[A-Z][A-Za-z]{2,40})|returned an error: \((\d{3})\))/;
const REQUEST_NEAR_RE = /Request ?Id[:=] ?"?([\w-]{6,100})/i;
const HTTP_NAMES: Record<string, number> = {
  Forbidden: 403,
  BadRequest: 400,
  Unauthorized: 401,
  NotFound: 404,
};

/** Read .NET SDK exception lines (inner ` ---> ` exceptions on the same error merge into the first). */
export function readDotnet(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(DOTNET_RE)) {
    const ns = m[1]!;
    const cls = m[2]!;
    if (ns.startsWith("Runtime.Internal")) continue;
    const start = lineStart(text, m.index);
    const message = (m[3] ?? "").trim();
    const near = text.slice(m.index, m.index + 3000);
    const first = ns.split(".")[0]!;
    const service = first === "Runtime" ? undefined : normaliseService(first);
    const modeled = /(?:^|\.)Model$/.test(ns);
    let code: string | undefined = modeled ? cls : undefined;
    const codeNear = CODE_NEAR_RE.exec(near);
    if (!code && codeNear) code = codeNear[1];
    const d = draft("dotnet", {
      ...(code ? { code } : {}),
      ...(message ? { message } : {}),
      ...(service ? { service } : {}),
    });
    const status = STATUS_NEAR_RE.exec(near);
    if (status) {
      const v = status[1] ?? status[2]!;
      const n = /^\d{3}$/.test(v) ? Number(v) : HTTP_NAMES[v];
      if (n) d.httpStatus = n;
    }
    const rid = REQUEST_NEAR_RE.exec(near);
    if (rid) d.requestId = rid[1]!;
    if (!code) d.notes.push(`\`${cls}\` is the SDK's generic exception: the error code is not in the text`);
    hits.push({ start, end: m.index + m[0].length, priority: 20, draft: d });
  }
  return hits;
}
