// Tools that wrap an SDK error in their own text: Terraform (`Error: creating IAM Role (x): <Go SDK error>`) and
// CloudFormation/CDK (`Resource handler returned message: "..." (RequestToken: ..., HandlerErrorCode: X)`,
// `API: iam:PassRole User: ...`).

import { lineEnd, lineStart } from "./text.js";
import type { Hit } from "./types.js";

const TERRAFORM_MARKERS_RE =
  /\.tf line \d|\bwith (?:aws_|module\.|data\.aws_)|registry\.terraform\.io|\bterraform\b/i;
const TF_ERROR_LINE_RE = /^\s{0,8}(?:[│|]\s{0,4})?Error: /;
const CFN_RE =
  /Resource handler returned message|HandlerErrorCode|(?:CREATE|UPDATE|DELETE)_FAILED|_ROLLBACK_|The stack named \S{1,200} failed/;
const HANDLER_CODE_RE = /HandlerErrorCode: ?(\w{1,80})/;
const MAX_LINE = 20000;
const CFN_API_RE = /\bAPI: ([a-z0-9-]{1,40}:[A-Za-z0-9]{1,120}) /;

/** Terraform boxes long diagnostics in `│ ` lines and wraps them: unbox and re-join so lines read whole. */
export function unboxTerraform(text: string): string {
  if (!/^[ \t]{0,8}[│╷╵]/m.test(text)) return text;
  const out: string[] = [];
  let joining = false;
  for (const raw of text.split("\n")) {
    if (/^[ \t]{0,8}[╷╵][ \t]*$/.test(raw)) {
      joining = false;
      continue;
    }
    const boxed = /^[ \t]{0,8}│ ?(.*)$/.exec(raw);
    if (!boxed) {
      joining = false;
      out.push(raw);
      continue;
    }
    const body = boxed[1]!;
    if (body.trim().length === 0) {
      joining = false;
      out.push("");
      continue;
    }
    if (/^Error: /.test(body)) {
      out.push(body);
      joining = true;
      continue;
    }
    if (joining && !/^\s{2,}(?:with|on) /.test(body)) out[out.length - 1] += ` ${body.trim()}`;
    else {
      joining = false;
      out.push(body);
    }
  }
  return out.join("\n");
}

/** Re-label hits that sit inside a Terraform or CloudFormation/CDK wrapper and read the wrapper's fields. */
export function applyWrappers(text: string, hits: Hit[]): void {
  const terraform = TERRAFORM_MARKERS_RE.test(text);
  // Hits on one line share the verdict; lines are cut to a window so a 1 MB single-line paste stays cheap.
  const verdicts = new Map<number, { cfn: boolean; tf: boolean; line: string }>();
  for (const hit of hits) {
    if (hit.group !== undefined) continue;
    const start = lineStart(text, hit.start);
    let v = verdicts.get(start);
    if (!v) {
      const end = Math.min(Math.max(lineEnd(text, hit.start), hit.end), start + MAX_LINE);
      const line = text.slice(start, end);
      v = { cfn: CFN_RE.test(line) || CFN_API_RE.test(line), tf: TF_ERROR_LINE_RE.test(line), line };
      verdicts.set(start, v);
    }
    const line = v.line;
    const d = hit.draft;
    if (v.cfn) {
      d.format = "cloudformation";
      const handler = HANDLER_CODE_RE.exec(line);
      if (handler) {
        if (!d.code) {
          d.code = handler[1]!;
          d.notes = d.notes.filter((n) => !n.includes("names no error code"));
          d.notes.push("code from CloudFormation's `HandlerErrorCode`");
        } else if (d.code !== handler[1]) d.notes.push(`CloudFormation handler error code \`${handler[1]}\``);
      }
      const api = CFN_API_RE.exec(line);
      if (api) d.action ??= api[1]!;
      continue;
    }
    if (v.tf && (terraform || d.format === "go-v2")) d.format = "terraform";
  }
}
