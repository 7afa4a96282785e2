// AWS SDK for JavaScript v3 (and v2) errors as printed by Node: `Name: message` + stack + util.inspect block with
// `'$fault'` and `'$metadata': { httpStatusCode, requestId, attempts }`, also the same fields in (half) JSON
// (docs/aws-facts.md, Conventions).

import { lineStart } from "../text.js";
import { draft, type Hit } from "../types.js";

// `AccessDeniedException: msg`, `S3ServiceException [AccessDenied]: msg`, `403: UnknownError`.
const HEAD_RE =
  /^[ \t]{0,8}(?:Uncaught |Error: )?(?:([A-Za-z_$][\w$]{0,100}) \[([\w$-]{1,100})\]|([A-Za-z_$][\w$]{0,100}|\d{3})): ([^\n]{0,8000})$/gm;
const STACK_LINE_RE = /^\s{2,}at \S/;
const METADATA_RE = /['"]?\$metadata['"]?\s{0,4}:/g;
/** Most `$metadata` blocks read from one input. */
const MAX_ANCHORS = 500;
const NOT_ERROR_NAMES = new Set([
  "User",
  "Principal",
  "Message",
  "message",
  "Note",
  "Warning",
  "Caused",
  "at",
  "https",
  "http",
  "Traceback",
  "File",
]);
const GENERIC = /^(?:Error|ServiceException|[A-Za-z0-9]{1,40}ServiceException)$/;

/** `AccessDenied`, `AuthFailure`, `FooException`, `CredentialsProviderError`, `403`: not `Host` or `Date`. */
export function isCodeLike(name: string): boolean {
  return (
    /^\d{3}$/.test(name) ||
    /(?:Exception|Error|Fault)$/.test(name) ||
    /^(?:[A-Z][a-z0-9]{1,30}){2,8}$/.test(name) ||
    /^[A-Z][A-Za-z0-9]{1,60}\.[A-Z][A-Za-z0-9.]{1,60}$/.test(name) ||
    name === "Unauthorized" ||
    name === "Forbidden"
  );
}

const FIELD_RES = new Map<string, RegExp>();

function field(block: string, name: string): string | undefined {
  let re = FIELD_RES.get(name);
  if (!re) {
    re = new RegExp(
      `['"]?${name.replace(/\$/g, "\\$")}['"]?\\s{0,4}:\\s{0,4}(?:'([^'\\n]{0,8000})'|"((?:[^"\\\\\\n]|\\\\.){0,8000})"|(\\d{1,6}|true|false))`,
    );
    FIELD_RES.set(name, re);
  }
  const m = re.exec(block);
  if (!m) return undefined;
  return m[1] ?? (m[2] !== undefined ? unescapeJson(m[2]) : m[3]);
}

function unescapeJson(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

interface Head {
  start: number;
  end: number;
  name?: string;
  code?: string;
  message: string;
}

function readHead(m: RegExpExecArray): Head | undefined {
  const outer = m[1];
  const inner = m[2];
  const single = m[3];
  let name = single ?? outer;
  let code: string | undefined;
  if (outer && inner) {
    code = GENERIC.test(outer) || /^\d{3}$/.test(inner) ? inner : outer;
    name = outer;
  } else if (single && !GENERIC.test(single)) code = single;
  if (!name || NOT_ERROR_NAMES.has(name) || !(isCodeLike(name) || (code !== undefined && isCodeLike(code)))) {
    return undefined;
  }
  return {
    start: m.index,
    end: m.index + m[0].length,
    name,
    ...(code ? { code } : {}),
    message: m[4]!.trim(),
  };
}

/** Read Node-printed SDK errors: a `$metadata` block (inspect or JSON) or a `Name: message` line with a stack. */
export function readJs(text: string): Hit[] {
  const hits: Hit[] = [];
  const heads: Head[] = [];
  HEAD_RE.lastIndex = 0;
  for (const m of text.matchAll(HEAD_RE)) {
    const h = readHead(m);
    if (h) heads.push(h);
    if (heads.length > 2000) break;
  }
  const used = new Set<Head>();
  let anchors = 0;
  let next = 0; // first head at or after the current anchor (anchors come in text order)
  for (const meta of text.matchAll(METADATA_RE)) {
    if (++anchors > MAX_ANCHORS) break;
    const blockStart = Math.max(0, meta.index - 3000);
    const block = text.slice(blockStart, meta.index + 1500);
    // The error's head is the closest `Name: message` line above the block (inspect output).
    while (next < heads.length && heads[next]!.start < meta.index) next++;
    const above = next > 0 ? heads[next - 1] : undefined;
    const head = above && meta.index - above.start < 12000 ? above : undefined;
    const local = text.slice(meta.index, meta.index + 1500);
    const status = field(local, "httpStatusCode");
    const requestId = field(local, "requestId");
    const attempts = field(local, "attempts");
    const name = field(block, "name") ?? field(block, "Code") ?? field(block, "__type");
    const fault = field(block, "$fault");
    const headNear = head !== undefined && meta.index - head.start < 6000;
    const message =
      (headNear ? head?.message : undefined) ?? field(block, "message") ?? field(block, "Message");
    const code = head?.code ?? (name && !GENERIC.test(name) ? name.replace(/^.*#/, "") : undefined);
    const d = draft("js-v3", {
      ...(code ? { code } : {}),
      ...(message ? { message } : {}),
      ...(status ? { httpStatus: Number(status) } : {}),
      ...(requestId ? { requestId } : {}),
    });
    if (attempts && Number(attempts) > 1) d.retries = Number(attempts) - 1;
    if (fault) d.notes.push(`\`$fault\` is \`${fault}\``);
    if (/clockSkewCorrected['"]?\s{0,4}:\s{0,4}true/.test(local)) {
      d.notes.push("the SDK corrected its clock skew during this call (`clockSkewCorrected: true`)");
    }
    if (code && /^\d{3}$/.test(code))
      d.notes.push("the response had no body, so the SDK named the error after the status");
    const start = head ? lineStart(text, head.start) : lineStart(text, meta.index);
    if (head) used.add(head);
    const close = local.indexOf("}");
    hits.push({ start, end: close < 0 ? meta.index + 12 : meta.index + close + 1, priority: 15, draft: d });
  }
  // `Name: message` followed by a stack trace, without a metadata block (JS v2, credential-provider errors).
  for (const h of heads) {
    if (used.has(h) || !h.code) continue;
    const next = text.slice(h.end + 1, h.end + 400).split("\n", 1)[0] ?? "";
    if (!STACK_LINE_RE.test(next)) continue;
    const d = draft("js-v3", { code: h.code, message: h.message });
    hits.push({ start: lineStart(text, h.start), end: h.end, priority: 30, draft: d });
  }
  return hits;
}
