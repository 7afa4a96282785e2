// AWS CLI v1/v2 and boto3/botocore service errors: `An error occurred (CODE) when calling the OP operation: MSG`
// with the optional ` (reached max retries: N)` (docs/aws-facts.md, Conventions), and the older botocore/CLI v1
// wording `A client error (CODE) occurred when calling the OP operation: MSG` (also `A server error`).

import { lineStart } from "../text.js";
import { draft, type Hit } from "../types.js";

const CLI_RE =
  /(?:An error occurred \(([^()\n]{1,120})\)|A (?:client|server) error \(([^()\n]{1,120})\) occurred)(?: \(reached max retries: (\d{1,4})\))? when calling the ([A-Za-z0-9]{1,120}) operation(?: \(reached max retries: (\d{1,4})\))?(?:: ?([^\n]{0,8000}))?/g;
const PY_CONTEXT_RE =
  /Traceback \(most recent call last\)|botocore\.(?:exceptions|errorfactory)\.|boto3\.|File "[^"\n]{1,300}\.py", line/;
const CLI_COMMAND_RE =
  /(?:^|\n)[^\n]{0,80}?\baws ((?:--?[\w-]{1,40}(?:[ =][^\s-][^\s]{0,200})? ){0,6})([a-z0-9-]{2,40}) [a-z0-9-]{2,60}/g;

/** Read CLI/boto3 `An error occurred (...)` lines. */
export function readCli(text: string): Hit[] {
  const hits: Hit[] = [];
  const python = PY_CONTEXT_RE.test(text);
  for (const m of text.matchAll(CLI_RE)) {
    const code = (m[1] ?? m[2]!).trim();
    const retries = m[3] ?? m[5];
    const operation = m[4]!;
    let message = (m[6] ?? "").trim();
    let end = m.index + m[0].length;
    // A terminal wraps a long encoded authorization message: its next lines are bare base64url (docs/aws-facts.md §1.12).
    if (/Encoded authorization failure message: ?[A-Za-z0-9_\-+/=]{1,20000}$/.test(message)) {
      for (let k = 0; k < 200; k++) {
        const next = /^\n([A-Za-z0-9_\-+/=]{8,20000})[ \t]*(?=\n|$)/.exec(text.slice(end, end + 20010));
        if (!next) break;
        message += next[1]!;
        end += next[0].length;
      }
    }
    const start = lineStart(text, m.index);
    const linePrefix = text.slice(start, m.index);
    const isBoto = python || /(?:ClientError|Exception|Error): ?$/.test(linePrefix);
    const d = draft(isBoto ? "boto3" : "aws-cli", {
      code,
      operation,
      ...(message ? { message } : {}),
      ...(retries !== undefined ? { retries: Number(retries) } : {}),
    });
    if (/^\d{3}$/.test(code)) {
      d.httpStatus = Number(code);
      d.notes.push(`the response had no body, so the code is the HTTP status \`${code}\``);
    }
    const boto = /botocore\.(?:errorfactory|exceptions)\.(\w{1,120}):/.exec(linePrefix);
    if (boto && boto[1] !== "ClientError" && boto[1] !== code) {
      d.notes.push(`botocore raised \`${boto[1]}\``);
    }
    hits.push({ start, end, priority: 20, draft: d });
  }
  return hits;
}

/** The service and `--region` of the last `aws <service> <command>` line before `before`, if any. */
export function cliCommandContext(text: string, before: number): { service?: string; region?: string } {
  const window = text.slice(Math.max(0, before - 20000), before);
  let last: RegExpExecArray | undefined;
  for (const m of window.matchAll(CLI_COMMAND_RE)) last = m;
  if (!last) return {};
  const nl = window.indexOf("\n", last.index + 1);
  const line = window.slice(last.index, nl < 0 ? undefined : nl);
  const region = /--region[ =]([a-z0-9-]{4,30})/.exec(line)?.[1];
  const service = last[2]!;
  return {
    ...(service !== "configure" ? { service: service === "s3api" ? "s3" : service } : {}),
    ...(region ? { region } : {}),
  };
}
