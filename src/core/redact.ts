// The one redaction point: every access key id, secret key, session token and SSO/OIDC token that could reach an
// output goes through `redactText`, which the CLI's output writer applies to every command, format and error message
// (src/cli/output.ts). Domain code masks a value only where it shows it deliberately masked (`AKIA****MPLE`).
//
// Shapes (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html): access key ids are a four-letter
// prefix and 16 base32 characters; secret access keys are 40 base64 characters; STS session tokens are long base64
// blobs whose first bytes vary with the token version (`AQoD…`, `FQoD…`, `FQoG…`, `FwoG…`, `IQoJ…`, `IgoJ…`).
// Shapes change, so labelled values (`aws_secret_access_key=…`, `"SessionToken": "…"`) are removed whatever their
// shape, and URL-encoded, JSON-escaped and base64-wrapped forms are recognised too.

import type { MaskedKeyId } from "./failure.js";

/**
 * Where a value may start besides after a non-alphanumeric character: right after an escape of JSON text (`\n`,
 * `\t`, `\u0007`: the `--json` outputs write an input's newline so) or after a terminal control sequence, raw or
 * escaped (`ESC[32m`, `\u001b[32m`), whose last letter would otherwise glue to the value.
 */
const AFTER_ESCAPE = String.raw`(?<=\\[nrtbf])|(?<=\\u[0-9A-Fa-f]{4})|(?<=(?:\u001b\[|\u009b|\\u001[bB]\[|\\u009[bB])[0-?]{0,32}[ -/]{0,4}[@-~])`;
const START = `(?:(?<![A-Za-z0-9])|${AFTER_ESCAPE})`;

/** Access key id shapes: a four-letter prefix and 16 more base32 characters. */
const KEY_ID_RE = new RegExp(
  `${START}(AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)([A-Z2-7]{12})([A-Z0-9]{4})\\b`,
  "g",
);
/** Prefixes of ids that sign requests (access keys); the others name principals and are not secret. */
const SECRET_KEYS = new Set(["AKIA", "ASIA", "ABIA", "ACCA"]);

/** `AKIAIOSFODNN7EXAMPLE` -> `AKIA****MPLE`. Short or odd values keep at most their first four characters. */
export function maskKeyId(id: string): string {
  const v = id.trim();
  if (v.length >= 16) return `${v.slice(0, 4)}****${v.slice(-4)}`;
  if (v.length > 4) return `${v.slice(0, 4)}****`;
  return "****";
}

/** The masked form and prefix of a key id. */
export function describeKeyId(id: string): MaskedKeyId {
  const v = id.trim();
  return { masked: maskKeyId(v), prefix: v.slice(0, 4).toUpperCase() };
}

/** Mask a secret value entirely, keeping only its length as a hint. */
export function maskSecret(value: string): string {
  return `****(${value.length} chars)`;
}

// Labels of secret values, in the spellings of the config files, environment variables, SDK JSON, HTTP headers, CLI
// flags and query strings: words joined by `_`, `-`, `.` or nothing, also Markdown-escaped (`aws\_secret`).
// `AWS_SECRET_KEY` is the Java SDK's older variable name
// (https://docs.aws.amazon.com/sdk-for-java/v1/developer-guide/credentials.html), `secret_key` Terraform's.
// `signature` is matched only as `Signature=` (SigV4 Authorization header) or `X-Amz-Signature`.
const J = "(?:\\\\?[_.-])?";
const words = (...w: string[]) => w.join(J);
const LABEL = [
  words("secret", "access", "key"),
  words("secret", "key"),
  words("session", "token"),
  words("security", "token"),
  words("x", "amz", "security", "token"),
  words("x", "amz", "signature"),
  words("x", "amz", "credential"),
  "signature",
  "password",
  words("client", "secret"),
  words("id", "token"),
  words("access", "token"),
  words("refresh", "token"),
  words("registration", "access", "token"),
  words("bearer", "token"),
  words("private", "key"),
].join("|");
/** Labels whose value may follow after spaces alone (`aws configure set aws_secret_access_key X`, CLI flags). */
const STRONG_LABEL = [
  words("secret", "access", "key"),
  words("secret", "key"),
  words("session", "token"),
  words("security", "token"),
].join("|");
// A quote as written raw, JSON-escaped once or more (`\"`, `\\\"`), URL-encoded (`%22`, `%27`) or as an HTML
// entity (`&quot;`, `&#34;`).
const QUOTE = `(?:(?:\\\\)*["'\`]|%2[27]|&quot;|&#0?3[49];|&#96;|&#x2[27];|&apos;)`;
// `=`, `:` or their URL encodings (`%3D`, `%3A`), with optional spaces and quotes around.
const SEP = `${QUOTE}?[ \\t]*(?:[:=]|%3[DdAa])[ \\t]*${QUOTE}?`;
/** A labelled secret: the label (kept), the separator (kept) and the value (masked), whatever the value's shape. */
const LABELLED_RE = new RegExp(
  `(${START}(?:${LABEL})(?![A-Za-z0-9])${SEP})((?:[^\\s"'\`,;&}<>\\\\)\\]]|%2[BbFf]|%3[Dd])+)`,
  "gi",
);
/**
 * A strong label, spaces, then a value with the look of a key or token (16+ characters with a digit, `+` or `/`):
 * `--secret-access-key X`, `export AWS_SESSION_TOKEN X`. Prose after a label (`AWS_SESSION_TOKEN is not set`) stays.
 */
const SPACED_RE = new RegExp(
  `(${START}(?:${STRONG_LABEL})(?![A-Za-z0-9])[ \\t]+)([A-Za-z0-9+/=%_.~-]{16,})`,
  "gi",
);
/** `Bearer <token>` in an Authorization header. */
const BEARER_RE = /(\bBearer\s+)([A-Za-z0-9._~+/-]{12,}=*)/g;
/** JWTs (web identity tokens, Cognito and OIDC tokens). */
const JWT_RE = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{0,}/g;
/**
 * Runs of base64 characters (never starting inside the parameters of a control sequence), raw or encoded (URL-encoded once or twice: `%2F`, `%252F`; JSON-escaped: `\/`,
 * `\u002F`): the candidates for session tokens, secret keys and base64-wrapped secrets. Each run is judged by
 * `judgeRun`.
 */
const ENC = String.raw`%(?:25)?2[BbFf]|(?:\\)*\\(?:\/|u002[BbFf])`;
const ENC_EQ = String.raw`=|%(?:25)?3[Dd]|(?:\\)*\\u003[Dd]`;
const RUN_RE = new RegExp(
  String.raw`(?<!(?:\u001b\[|\u009b|\\u001[bB]\[|\\u009[bB])[0-?]{0,32})(?:(?<![A-Za-z0-9+/%\\])|(?<=%[0-9A-Fa-f]{2})|${AFTER_ESCAPE})(?:[A-Za-z0-9+/]|${ENC})+(?:${ENC_EQ}){0,2}`,
  "g",
);
/**
 * Maximal spans of the characters a run is made of (`%` and `\` for the encoded forms, `=` for padding), 20 or
 * more long. Every run of 20+ characters lies inside one: a run's characters are all in the class, and the
 * character before a span is not, so RUN_RE's look-behind sees the same thing at a span's start as in the whole text
 * (the class holds the characters of a control sequence's introducer and parameters too: `\u001b[32m`, ESC `[1;33m`).
 */
const RUN_SPAN_RE = /[A-Za-z0-9+/%=\\[;:<>?\u001b\u009b]{20,}/g;
/** Known first characters of STS session token versions. */
const TOKEN_PREFIX = "AQoD|AQoE|AgoJ|FQoD|FQoG|FwoG|IQoJ|IgoJ|IQo[A-Za-z0-9]|JQoJ|JwoG";
const TOKEN_START = new RegExp(`^(?:${TOKEN_PREFIX})`);
/** A session token anywhere, also after a slash (`token/IQoJ…` in a user agent) or a URL-encoded slash. */
const TOKEN_RE = new RegExp(
  `${START}(?:${TOKEN_PREFIX})(?:[A-Za-z0-9+/]|${ENC}){36,}(?:${ENC_EQ}){0,2}`,
  "g",
);

/**
 * How a secret found in the text is replaced: masked (`****(40 chars)`) for output, or a fixed placeholder when the
 * text is written for others (a case bundle). Set only for the duration of one synchronous call.
 */
let replaceSecret: (value: string) => string = maskSecret;
/** Whether access key ids are masked (output) or kept whole (a bundle: they are identifiers, not secrets). */
let maskKeyIds = true;
/** Whether a value is already replaced (masked or the placeholder). */
let isReplaced: (value: string) => boolean = (v) => v.startsWith("****");

/** A run with its encoded `+`, `/` and `=` decoded: URL-encoded (once or twice), JSON-escaped (`\/`, `\u002F`). */
function urlDecodeRun(run: string): string {
  return run.includes("%") || run.includes("\\")
    ? run
        .replace(/%(?:25)?2[Bb]|\\+u002[Bb]/g, "+")
        .replace(/%(?:25)?2[Ff]|\\+(?:\/|u002[Ff])/g, "/")
        .replace(/%(?:25)?3[Dd]|\\+u003[Dd]/g, "=")
    : run;
}

/** Whether a 40-character value has the mixed shape of a secret access key (not a hex digest, not a word). */
function secretShaped(v: string): boolean {
  return /^[A-Za-z0-9+/]{40}$/.test(v) && /[a-z]/.test(v) && /[A-Z0-9]/.test(v) && !/^[a-f0-9]+$/.test(v);
}

/** The run with any 40-character secret-shaped window bounded by slashes (or the run's ends) masked, else undefined. */
function secretBetweenSlashes(run: string): string | undefined {
  for (let i = 0; i + 40 <= run.length; i++) {
    if (i > 0 && run[i - 1] !== "/") continue;
    const end = i + 40;
    if (end < run.length && run[end] !== "/" && run[end] !== "=") continue;
    const w = run.slice(i, end);
    if (secretShaped(w)) return `${run.slice(0, i)}${replaceSecret(w)}${run.slice(end)}`;
  }
  return undefined;
}

/** Text decoded from a base64 run when it is mostly printable (a wrapped document), else undefined. */
function base64Text(run: string): string | undefined {
  const body = run.replace(/=+$/, "");
  if (body.length < 16 || !/^[A-Za-z0-9+/]+$/.test(body)) return undefined;
  const buf = Buffer.from(body, "base64");
  if (buf.length < 12) return undefined;
  let printable = 0;
  for (const b of buf) if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09) printable++;
  return printable / buf.length >= 0.9 ? buf.toString("latin1") : undefined;
}

/** The length of the longest `/`-separated segment (a loop: a spread of a long run's segments overflows the stack). */
function longestSegment(run: string): number {
  let best = 0;
  let start = 0;
  for (let i = run.indexOf("/"); i >= 0; i = run.indexOf("/", i + 1)) {
    best = Math.max(best, i - start);
    start = i + 1;
  }
  return Math.max(best, run.length - start);
}

/** The replacement for a run of base64 characters, or the run itself when it is not secret. */
function judgeRun(run: string, depth: number): string {
  if (run.length < 20) return run;
  const decoded = urlDecodeRun(run);
  const bare = decoded.replace(/=+$/, "");
  if (TOKEN_START.test(bare) && bare.length >= 40) return replaceSecret(decoded);
  if (secretShaped(bare)) return replaceSecret(decoded);
  // a long blob with the alphabet of a token (upper, lower, digit, long stretches between slashes): STS and SSO
  // tokens, signed blobs; a long path (`/home/x/AWSLogs/123/CloudTrail`) has short segments
  if (
    bare.length >= 100 &&
    /[a-z]/.test(bare) &&
    /[A-Z]/.test(bare) &&
    /[0-9]/.test(bare) &&
    longestSegment(bare) >= 32
  )
    return replaceSecret(decoded);
  // a secret key between slashes of a longer run (a path or URL segment: `/tmp/x/<secret>.txt`)
  if (bare.length > 40 && decoded.includes("/")) {
    const cut = secretBetweenSlashes(decoded);
    if (cut) return cut;
  }
  // a base64-wrapped text that carries a secret (`YXdzX3NlY3JldF9hY2Nlc3Nfa2V5PS4uLg==`)
  if (depth < 2) {
    const text = base64Text(bare);
    if (text !== undefined && redactDepth(text, depth + 1) !== text) return replaceSecret(decoded);
  }
  return run;
}

/**
 * An encoded authorization failure message is not a secret: it is what `sts:DecodeAuthorizationMessage` takes, and
 * it must survive redaction whole (its long base64url runs look like tokens).
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html
 */
const ENCODED_MESSAGE_RE = /(authorization failure message:\s*)([A-Za-z0-9_+/=-]{40,})/gi;

/**
 * Texts longer than this are redacted piece by piece: the regular expressions backtrack over a run and overflow the
 * stack on runs of some megabytes (a CloudTrail errorMessage of 30 MB crashed every output). Pieces end after a
 * newline, else after a character no pattern can span (`,` `}` `]` `;` `>`, whitespace not after a label); a stretch
 * of this length with none of them is one giant token, masked whole when it has the alphabet of a token.
 */
const PIECE = 64 * 1024;
const CUT_AFTER = /[\n,}\];>]/;
/** Text that ends with a label and its separator: cutting here would part a label from its value. */
const ENDS_WITH_LABEL = new RegExp(`(?:${STRONG_LABEL}|${LABEL}|bearer)(?:${SEP})?[ \\t]*$`, "i");

/** Where to end the piece that starts at `from` (exclusive), or -1 when the window holds no safe cut. */
function cutPoint(text: string, from: number): number {
  const end = from + PIECE;
  const nl = text.lastIndexOf("\n", end - 1);
  if (nl > from) return nl + 1;
  for (let i = end - 1; i > from; i--) {
    const c = text[i]!;
    if (CUT_AFTER.test(c)) return i + 1;
    if ((c === " " || c === "\t") && !ENDS_WITH_LABEL.test(text.slice(Math.max(from, i - 80), i + 1)))
      return i + 1;
  }
  return -1;
}

function redactDepth(text: string, depth: number): string {
  if (text.length <= PIECE) return redactPiece(text, depth);
  const out: string[] = [];
  let from = 0;
  while (text.length - from > PIECE) {
    const cut = cutPoint(text, from);
    if (cut < 0) {
      // one token longer than a piece
      let end = from + PIECE;
      while (end < text.length && /[^\s,}\];>]/.test(text[end]!)) end++;
      const token = text.slice(from, end);
      // masked when it has a token's alphabet (upper and lower case, digits); a run of one letter stays (an error
      // text may follow it glued: `xxxx…An error occurred`)
      out.push(
        /[a-z]/.test(token) && /[A-Z]/.test(token) && /[0-9]/.test(token) ? replaceSecret(token) : token,
      );
      from = end;
    } else {
      out.push(redactPiece(text.slice(from, cut), depth));
      from = cut;
    }
  }
  out.push(redactPiece(text.slice(from), depth));
  return out.join("");
}

/**
 * ECMA-48 control sequences (CSI with ESC `[` or U+009B, OSC up to BEL or ST): their final letter (`m` of a colour
 * code) glues to a value that follows, so a secret printed in colour would not look like one.
 * https://ecma-international.org/publications-and-standards/standards/ecma-48/
 */
const CONTROL_SEQ_RE = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/;

function redactPiece(text: string, depth: number): string {
  const whole = redactSegment(text, depth);
  if (!CONTROL_SEQ_RE.test(whole)) return whole;
  // again between the control sequences (labels were matched across them above)
  const seq = new RegExp(CONTROL_SEQ_RE.source, "g");
  let out = "";
  let last = 0;
  for (const m of whole.matchAll(seq)) {
    out += redactSegment(whole.slice(last, m.index), depth) + m[0];
    last = m.index + m[0].length;
  }
  return out + redactSegment(whole.slice(last), depth);
}

function redactSegment(text: string, depth: number): string {
  if (!/authorization failure message/i.test(text)) return redactPlain(text, depth);
  // redact around each encoded message, keep the messages themselves
  let out = "";
  let last = 0;
  for (const m of text.matchAll(ENCODED_MESSAGE_RE)) {
    const start = m.index + m[1]!.length;
    out += redactPlain(text.slice(last, start), depth) + m[2]!;
    last = start + m[2]!.length;
  }
  return out + redactPlain(text.slice(last), depth);
}

function redactPlain(text: string, depth: number): string {
  return (
    text
      .replace(LABELLED_RE, (m, label: string, value: string) =>
        // `AWS_SESSION_TOKEN: they were removed` is prose, not a value: a short lowercase word after a colon stays;
        // a JSON key ending in a label (`"md/command#iam.change-password": 1`) with an unquoted number or literal is
        // not a secret (a secret in JSON is a string, quoted) and masking it would break the JSON
        isReplaced(value) ||
        (/:\s/.test(label) && /^[a-z]{1,12}$/.test(value)) ||
        (/["'][ \t]*:[ \t]*$/.test(label) && /^(?:-?[0-9][0-9.eE+-]*|true|false|null)$/.test(value))
          ? m
          : `${label}${replaceSecret(value)}`,
      )
      .replace(SPACED_RE, (m, label: string, value: string) =>
        isReplaced(value) || !(/[0-9+/%]/.test(value) && /[A-Za-z]/.test(value))
          ? m
          : `${label}${replaceSecret(value)}`,
      )
      .replace(BEARER_RE, (m, lead: string, token: string) =>
        isReplaced(token) ? m : `${lead}${replaceSecret(token)}`,
      )
      // a JWT whose signature is already replaced keeps its readable claims (a bundle's web identity token)
      .replace(JWT_RE, (m) => (isReplaced(m.slice(m.lastIndexOf(".") + 1)) ? m : replaceSecret(m)))
      .replace(TOKEN_RE, (m) => replaceSecret(urlDecodeRun(m)))
      // only spans of 20+ run characters can hold a run judgeRun changes (shorter runs stay): the spans are found
      // first, which skips the callback for every short word; runs never cross a span's ends (see RUN_SPAN_RE)
      .replace(RUN_SPAN_RE, (span) =>
        span.replace(RUN_RE, (run) => (run.length < 20 || isReplaced(run) ? run : judgeRun(run, depth))),
      )
      .replace(KEY_ID_RE, (m, prefix: string) => (maskKeyIds && SECRET_KEYS.has(prefix) ? maskKeyId(m) : m))
  );
}

/**
 * Remove secrets from text: labelled secret values (any shape), session tokens of every version, JWTs, bearer
 * tokens, 40-character secret keys, URL-encoded and base64-wrapped forms of those; access key ids are masked to
 * `AKIA****WXYZ`. Idempotent: already masked values are left as they are.
 */
export function redactText(text: string): string {
  return redactDepth(text, 0);
}

/**
 * Remove secrets from a file written for others (a case bundle made by `collect`): the same detection as
 * {@link redactText}, but every secret becomes `placeholder` and access key ids stay whole (they are identifiers the
 * diagnosis matches against CloudTrail, not secrets). Values that already are the placeholder are left alone.
 */
export function redactSecretValues(text: string, placeholder = "REDACTED"): string {
  const saved = { replaceSecret, maskKeyIds, isReplaced };
  replaceSecret = () => placeholder;
  maskKeyIds = false;
  isReplaced = (v) => v === placeholder || v.startsWith("****");
  try {
    return redactDepth(text, 0);
  } finally {
    ({ replaceSecret, maskKeyIds, isReplaced } = saved);
  }
}

/** All access key ids (AKIA/ASIA/...) in a text, raw: callers must mask before printing. */
export function findAccessKeyIds(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(KEY_ID_RE)) if (SECRET_KEYS.has(m[1]!)) out.push(m[0]);
  return out;
}
