// SigV4 signing strings: the server's CanonicalRequest / StringToSign (S3 SignatureDoesNotMatch error bodies carry
// them, also as *Bytes hex) and the client's own (botocore/CLI `--debug` logs, SDK loggers, or the canonical request
// itself), compared part by part. The parts are those of
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html

/** A canonical request, split into its parts. */
export interface CanonicalRequest {
  method: string;
  path: string;
  query: string;
  /** Canonical headers as `[name, value]`, in order. */
  headers: Array<[string, string]>;
  signedHeaders: string;
  payloadHash: string;
}

/** A string to sign, split into its parts. */
export interface StringToSign {
  algorithm: string;
  timestamp: string;
  scope: { date: string; region: string; service: string; terminator: string; raw: string };
  hash: string;
}

/** One side's signing strings; either may be missing. */
export interface SigningStrings {
  canonicalRequest?: CanonicalRequest;
  stringToSign?: StringToSign;
}

export type SignaturePart =
  | "method"
  | "path"
  | "query"
  | `header:${string}`
  | "signed-headers"
  | "payload-hash"
  | "scope"
  | "string-to-sign";

export interface SignatureDifference {
  part: SignaturePart;
  server: string;
  client: string;
  /** The usual cause of a difference in this part. */
  cause: string;
}

const MAX_TEXT = 4 * 1024 * 1024;

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]{1,6});/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d{1,7});/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, "&");
}

/** `50 55 54 0a …` (the *Bytes elements) as text; undefined when it is not hex bytes. */
function fromHexBytes(s: string): string | undefined {
  const bytes = s.trim().split(/\s+/);
  if (bytes.length === 0 || !bytes.every((b) => /^[0-9a-f]{2}$/i.test(b))) return undefined;
  return Buffer.from(bytes.map((b) => Number.parseInt(b, 16))).toString("utf8");
}

function xmlElement(text: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]{0,200000}?)</${name}>`).exec(text);
  return m ? unescapeXml(m[1]!) : undefined;
}

/** Split a canonical request; undefined when the text is not one. */
export function parseCanonicalRequest(text: string): CanonicalRequest | undefined {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const method = lines[0]?.trim();
  if (!method || !/^[A-Z]{3,10}$/.test(method) || lines.length < 6) return undefined;
  const headers: Array<[string, string]> = [];
  let i = 3;
  for (; i < lines.length && lines[i] !== ""; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    if (colon <= 0) return undefined;
    headers.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1)]);
  }
  const signedHeaders = lines[i + 1]?.trim();
  const payloadHash = lines[i + 2]?.trim();
  if (signedHeaders === undefined || payloadHash === undefined || !/^[a-z0-9;_.-]+$/.test(signedHeaders))
    return undefined;
  return { method, path: lines[1] ?? "", query: lines[2] ?? "", headers, signedHeaders, payloadHash };
}

/** Split a string to sign; undefined when the text is not one. */
export function parseStringToSign(text: string): StringToSign | undefined {
  const lines = text
    .replace(/\r\n/g, "\n")
    .split("\n")
    .map((l) => l.trim());
  const [algorithm, timestamp, scope, hash] = lines;
  if (!algorithm?.startsWith("AWS4-") || !timestamp || !scope || hash === undefined) return undefined;
  const [date, region, service, terminator] = scope.split("/");
  if (!date || region === undefined || !service || !terminator) return undefined;
  return { algorithm, timestamp, scope: { date, region, service, terminator, raw: scope }, hash };
}

/** The server's signing strings from an error body (S3 XML: CanonicalRequest, StringToSign and the *Bytes forms). */
export function serverSigningStrings(text: string): SigningStrings | undefined {
  const t = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  const cr =
    xmlElement(t, "CanonicalRequest") ??
    (xmlElement(t, "CanonicalRequestBytes") !== undefined
      ? fromHexBytes(xmlElement(t, "CanonicalRequestBytes")!)
      : undefined);
  const sts =
    xmlElement(t, "StringToSign") ??
    (xmlElement(t, "StringToSignBytes") !== undefined
      ? fromHexBytes(xmlElement(t, "StringToSignBytes")!)
      : undefined);
  const out: SigningStrings = {};
  const canonical = cr !== undefined ? parseCanonicalRequest(cr) : undefined;
  const toSign = sts !== undefined ? parseStringToSign(sts) : undefined;
  if (canonical) out.canonicalRequest = canonical;
  if (toSign) out.stringToSign = toSign;
  return canonical || toSign ? out : undefined;
}

// A log record's prefix (botocore: `2024-05-01 10:00:00,123 - MainThread - botocore.auth - DEBUG - `).
const LOG_PREFIX = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}[^\n]{0,200}? - (?:DEBUG|INFO|WARNING) - /;

/** The block of lines after a marker line (`CanonicalRequest:`), up to the next log record. */
function blockAfter(lines: string[], marker: RegExp): string | undefined {
  const at = lines.findIndex((l) => marker.test(l.replace(LOG_PREFIX, "")));
  if (at < 0) return undefined;
  const rest = lines[at]!.replace(LOG_PREFIX, "").replace(marker, "");
  const block: string[] = rest.trim() ? [rest.trim()] : [];
  for (let i = at + 1; i < lines.length && !LOG_PREFIX.test(lines[i]!); i++) block.push(lines[i]!);
  return block.join("\n");
}

/**
 * The client's own signing strings: a botocore/CLI `--debug` log, an SDK logger's `canonical request` /
 * `string to sign` lines, or the canonical request (optionally followed by the string to sign) by itself.
 */
export function clientSigningStrings(text: string): SigningStrings | undefined {
  const t = (text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text).replace(/\r\n/g, "\n");
  const lines = t.split("\n");
  const out: SigningStrings = {};
  const crBlock = blockAfter(
    lines,
    /^\s*(?:Calculating signature using v4 auth\.\s*)?canonical ?request:?\s*/i,
  );
  const stsBlock = blockAfter(lines, /^\s*string ?to ?sign:?\s*/i);
  const cr =
    crBlock !== undefined ? parseCanonicalRequest(crBlock.replace(/^\n+/, "")) : parseCanonicalRequest(t);
  if (cr) out.canonicalRequest = cr;
  const sts =
    stsBlock !== undefined
      ? parseStringToSign(stsBlock.replace(/^\n+/, ""))
      : (() => {
          const at = t.indexOf("AWS4-HMAC-SHA256\n");
          return at >= 0 ? parseStringToSign(t.slice(at)) : undefined;
        })();
  if (sts) out.stringToSign = sts;
  return cr || sts ? out : undefined;
}

function headerCause(name: string): string {
  if (name === "host")
    return "signed for another host than the one reached: a custom endpoint, or a proxy forwarding another Host";
  if (name === "x-amz-date")
    return "the signing time differs: the request was re-signed or the header rewritten";
  if (name === "content-type" || name === "content-length" || name === "content-md5")
    return "a proxy, framework or HTTP client changed the body headers after signing";
  if (name === "x-amz-content-sha256")
    return "the payload hash header changed after signing (streaming/chunked upload set up differently)";
  return "a proxy or load balancer added, dropped or rewrote this header after signing";
}

/** Compare the server's and the client's signing strings part by part. */
export function compareSigning(server: SigningStrings, client: SigningStrings): SignatureDifference[] {
  const out: SignatureDifference[] = [];
  const push = (part: SignaturePart, s: string, c: string, cause: string) => {
    if (s !== c) out.push({ part, server: s, client: c, cause });
  };
  const a = server.canonicalRequest;
  const b = client.canonicalRequest;
  if (a && b) {
    push(
      "method",
      a.method,
      b.method,
      "the request went out with another method than the one signed (a redirect, or a presigned URL used with another method)",
    );
    push(
      "path",
      a.path,
      b.path,
      /%25[0-9A-F]{2}/i.test(b.path) !== /%25[0-9A-F]{2}/i.test(a.path)
        ? "the path is double-encoded on one side: S3 encodes the path once, other services twice"
        : "the path was encoded or normalised differently (a proxy, a framework, or a hand-rolled signer)",
    );
    push(
      "query",
      a.query,
      b.query,
      "query parameters were re-ordered, re-encoded or added after signing (a proxy, a redirect, a hand-rolled signer)",
    );
    const sh = new Map(a.headers);
    const ch = new Map(b.headers);
    for (const name of new Set([...sh.keys(), ...ch.keys()])) {
      push(`header:${name}`, sh.get(name) ?? "(absent)", ch.get(name) ?? "(absent)", headerCause(name));
    }
    push(
      "signed-headers",
      a.signedHeaders,
      b.signedHeaders,
      "the set of signed headers differs: a header was dropped or added on the way",
    );
    push(
      "payload-hash",
      a.payloadHash,
      b.payloadHash,
      "the body changed after signing (re-encoding, compression, chunked transfer)",
    );
  }
  const x = server.stringToSign;
  const y = client.stringToSign;
  if (x && y) {
    const scope: string[] = [];
    if (x.scope.region !== y.scope.region) scope.push("wrong region in the scope");
    if (x.scope.service !== y.scope.service) scope.push("wrong service (signing name) in the scope");
    if (x.scope.date !== y.scope.date) scope.push("another date in the scope: the clock");
    if (x.scope.terminator !== y.scope.terminator)
      scope.push("a wrong scope terminator (must be aws4_request)");
    if (scope.length > 0) push("scope", x.scope.raw, y.scope.raw, scope.join("; "));
    if (
      x.timestamp !== y.timestamp ||
      x.algorithm !== y.algorithm ||
      (out.length === 0 && x.hash !== y.hash)
    ) {
      push(
        "string-to-sign",
        `${x.algorithm} ${x.timestamp} ${x.hash}`,
        `${y.algorithm} ${y.timestamp} ${y.hash}`,
        x.timestamp !== y.timestamp
          ? "the signing time differs: the clock, or a re-signed request"
          : "the canonical request hashes differ: compare the canonical requests",
      );
    }
  }
  return out;
}
