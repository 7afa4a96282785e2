// Plain pasted AWS messages (a console banner, a log line, Ruby/PHP/Go v1 `Code: message`): lines carrying a
// known AWS auth message, with the code when the line names one (docs/aws-facts.md §1.x exact texts).

import { lineEnd } from "../text.js";
import { draft, type Hit } from "../types.js";
import { isCodeLike } from "./js.js";

interface Known {
  re: RegExp;
  /** Code implied by a message only one error uses. */
  code?: string;
  format?: "api-gateway";
}

// Exact AWS/SDK texts (docs/aws-facts.md); the implied code only where the text belongs to one code.
const KNOWN: Known[] = [
  { re: /not authorized to perform/i },
  { re: /Not Authorized to access \w{1,200} on type \w{1,200}/ },
  { re: /\bAccess Denied\b/ },
  { re: /The security token included in the request is (?:invalid|expired)/ },
  { re: /Signature (?:expired|not yet current): \d{8}T\d{6}Z/ },
  { re: /The request signature we calculated does not match/ },
  { re: /AWS was not able to validate the provided access credentials/, code: "AuthFailure" },
  { re: /Missing Authentication Token/, code: "MissingAuthenticationTokenException", format: "api-gateway" },
  { re: /Encoded authorization failure message/, code: "UnauthorizedOperation" },
  { re: /The AWS Access Key Id you provided does not exist in our records/, code: "InvalidAccessKeyId" },
  { re: /The provided token is malformed or otherwise invalid/, code: "InvalidToken" },
  { re: /The provided token has expired/, code: "ExpiredToken" },
  { re: /You are not subscribed to this service/, code: "OptInRequired" },
  {
    re: /The difference between the request time and the current time is too large/,
    code: "RequestTimeTooSkewed",
  },
  { re: /Invalid identity pool configuration/, code: "InvalidIdentityPoolConfigurationException" },
  { re: /Unauthenticated access is not supported for this identity pool/, code: "NotAuthorizedException" },
  { re: /Invalid login token\./, code: "NotAuthorizedException" },
  { re: /Token is not from a supported provider of this identity pool/, code: "NotAuthorizedException" },
  { re: /Logins don't match/, code: "NotAuthorizedException" },
  { re: /IdentityPool '[^'\n]{1,100}' not found/, code: "ResourceNotFoundException" },
  { re: /Incorrect token audience/, code: "InvalidIdentityToken" },
  { re: /No OpenIDConnect provider found in your account/, code: "InvalidIdentityToken" },
  { re: /Couldn't retrieve verification key from your identity provider/, code: "InvalidIdentityToken" },
  { re: /The requested DurationSeconds exceeds/, code: "ValidationError" },
  { re: /Credential should be scoped/ },
  { re: /not a valid key=value pair \(missing equal-sign\) in Authorization header/ },
  { re: /Authorization header requires '\w{1,40}' parameter/ },
  { re: /The authorization header is malformed/, code: "AuthorizationHeaderMalformed" },
  { re: /Cross-account pass role is not allowed/ },
  { re: /The ciphertext refers to a customer master key that does not exist/, code: "AccessDeniedException" },
  { re: /Request has expired\./ },
  {
    re: /The request must contain either a valid \(registered\) AWS access key ID/,
    code: "MissingAuthenticationToken",
  },
  { re: /Basic \(classic\) flow is not enabled/, code: "InvalidParameterException" },
  {
    re: /Valid authorization header not provided|Unable to parse JWT token|You are not authorized to make this call/,
  },
  { re: /All access to this Amazon S3 resource has been disabled/, code: "AllAccessDisabled" },
];

// Quick gate: a line must hold one of these words before the patterns run.
const GATE_RE =
  /authoriz|Access Denied|security token|Signature|validate the provided|Authentication Token|Access Key Id|token|subscribed|request time|identity pool|login|Logins|IdentityPool|OpenIDConnect|verification key|DurationSeconds|Credential should|pass role|ciphertext|expired|access key ID|classic\) flow|Amazon S3 resource/i;
// `Aws::STS::Errors::InvalidClientTokenId: `, `AccessDenied (client): `, `AccessDenied: `, `Client.UnauthorizedOperation: `.
const RUBY_RE = /Aws::(\w{1,60})::Errors::(\w{1,100}):/;
const PHP_RE = /\b([A-Z][A-Za-z0-9]{2,100}) \((?:client|server)\): /;
const CODE_PREFIX_RE = /(?:^|[\s:>|(])((?:Client\.|Server\.)?[A-Z][A-Za-z0-9]{2,100}): /g;
const NOT_CODES = new Set([
  "User",
  "Principal",
  "Error",
  "Message",
  "Warning",
  "Note",
  "Caused",
  "Exception",
  "Reason",
]);

/** Read lines that carry a known AWS auth message and were not read by a more specific reader. */
export function readPlain(text: string): Hit[] {
  const hits: Hit[] = [];
  let start = 0;
  let lines = 0;
  while (start <= text.length && lines < 200000) {
    lines++;
    const end = lineEnd(text, start);
    const line = end - start > 20000 ? text.slice(start, start + 20000) : text.slice(start, end);
    if (GATE_RE.test(line)) {
      let known: Known | undefined;
      let at = -1;
      for (const k of KNOWN) {
        const m = k.re.exec(line);
        if (m && (at < 0 || m.index < at)) {
          known = k;
          at = m.index;
        }
      }
      if (known) {
        const { d, implied } = plainDraft(line, known, at);
        hits.push({ start, end, priority: 90, draft: d, ...(implied ? { impliedCode: implied } : {}) });
      }
    }
    start = end + 1;
  }
  return hits;
}

/** A message that sits inside a JSON string value (`"errorMessage":"..."`) ends at its closing quote. */
function fromJsonString(line: string, at: number, message: string): string {
  if (!/"\s{0,4}:\s{0,4}"$/.test(line.slice(Math.max(0, at - 12), at))) return message;
  const m = /^(?:[^"\\]|\\.){0,20000}/.exec(message);
  const body = m ? m[0] : message;
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return body;
  }
}

function plainDraft(
  line: string,
  known: Known,
  at: number,
): { d: ReturnType<typeof draft>; implied?: string } {
  let code: string | undefined;
  // Keep the `User: <principal>` that precedes `is not authorized`.
  const user = line.lastIndexOf("User: ", at);
  const from = user >= 0 && at - user < 1600 ? user : at;
  let msgAt = from;
  const ruby = RUBY_RE.exec(line);
  const php = PHP_RE.exec(line);
  if (ruby) {
    code = ruby[2]!;
    msgAt = ruby.index + ruby[0].length;
  } else if (php) {
    code = php[1]!;
    msgAt = php.index + php[0].length;
  } else {
    for (const c of line.slice(0, from + 1).matchAll(CODE_PREFIX_RE)) {
      const name = c[1]!;
      if (NOT_CODES.has(name) || !isCodeLike(name.replace(/^(?:Client|Server)\./, ""))) continue;
      code = name.replace(/^(?:Client|Server)\./, "");
      msgAt = c.index + c[0].length;
      break;
    }
  }
  while (msgAt < line.length && (line[msgAt] === " " || line[msgAt] === "\t")) msgAt++;
  const message = fromJsonString(line, msgAt, line.slice(msgAt).trim());
  const d = draft(known.format ?? "plain", { ...(code ? { code } : {}), message });
  if (ruby) d.service = ruby[1]!.toLowerCase();
  return !code && known.code ? { d, implied: known.code } : { d };
}
