// Go SDK v2 (`operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: ...,
// api error Code: msg`) and the Go SDK v1 form (`Code: msg\n\tstatus code: 403, request id: ...`), as printed by
// Go programs and Terraform (docs/aws-facts.md §1.10, issue brief).

import { normaliseService } from "../service.js";
import { lineEnd, lineStart } from "../text.js";
import { draft, type Hit } from "../types.js";

const GO2_RE = /operation error ([A-Za-z0-9 .-]{1,60}): ([A-Za-z0-9]{1,120}), ([^\n]{0,8000})/g;
const HTTPS_RE =
  /^(?:exceeded maximum number of attempts, (\d{1,4}), )?https response error StatusCode: (\d{3}), RequestID: ([\w-]{0,100}),? ?(?:HostID: ([^,\s]{0,300}), )?(?:api error ([\w.]{1,120})(?:: ?([^\n]*))?|([^\n]*))$/;
const GO1_STATUS_RE = /\n[ \t]{0,20}status code: (\d{3}), request id: ([\w-]{0,100})/g;
// The same trailer on the error's own line: logs and issue reports often join the two lines.
const GO1_INLINE_RE = /(?<=\S)[ \t]{1,20}status code: (\d{3}), request id: ([\w-]{0,100})/g;
const CODE_TOKEN_RE = /(?:^|: )([A-Z][A-Za-z0-9.]{2,80}): /g;
const NOT_CODES = new Set(["Error", "User", "Principal", "Warning", "Caused"]);

/** Read Go SDK errors (v2 `operation error`, v1 `status code:` trailers). */
export function readGo(text: string): Hit[] {
  const hits: Hit[] = [];
  let lastLine = -1;
  for (const m of text.matchAll(GO2_RE)) {
    const start = lineStart(text, m.index);
    if (start === lastLine) continue; // nested `operation error` later on the same line
    lastLine = start;
    const service = normaliseService(m[1]!);
    const operation = m[2]!;
    const rest = m[3]!;
    const d = draft("go-v2", { ...(service ? { service } : {}), operation });
    const h = HTTPS_RE.exec(rest);
    if (h) {
      if (h[1]) d.retries = Number(h[1]);
      d.httpStatus = Number(h[2]);
      if (h[3]) d.requestId = h[3];
      if (h[5]) {
        d.code = h[5];
        d.message = (h[6] ?? "").trim();
      } else if (h[7]) d.message = h[7].trim();
    } else {
      d.message = rest.trim();
      d.notes.push("the Go error carries no HTTP response: the request may not have reached AWS");
    }
    hits.push({ start, end: m.index + m[0].length, priority: 20, draft: d });
  }
  const trailers = [
    ...[...text.matchAll(GO1_STATUS_RE)].map((m) => ({ m, inline: false })),
    ...[...text.matchAll(GO1_INLINE_RE)].map((m) => ({ m, inline: true })),
  ];
  for (const { m, inline } of trailers) {
    const prevEnd = m.index;
    const prevStart = lineStart(text, prevEnd);
    const line = text.slice(prevStart, prevEnd);
    let code: string | undefined;
    let message = "";
    for (const c of line.matchAll(CODE_TOKEN_RE)) {
      if (NOT_CODES.has(c[1]!)) continue;
      code = c[1]!;
      message = line.slice(c.index + c[0].length);
      break;
    }
    if (inline && !code) continue;
    const d = draft("go-v2", {
      ...(code ? { code } : {}),
      ...(message ? { message: message.trim() } : {}),
      httpStatus: Number(m[1]),
      ...(m[2] ? { requestId: m[2] } : {}),
    });
    d.notes.push("Go SDK v1 error form");
    hits.push({ start: prevStart, end: lineEnd(text, m.index + 1), priority: 25, draft: d });
  }
  return hits;
}
