// Error parser: any pasted AWS error text (CLI, SDKs, Terraform, CloudFormation, HTTP bodies, GraphQL, CloudTrail)
// -> structured Failures. Cheap to import: no SDK, no zod, no big tables.

import type { Failure, MaskedKeyId } from "../core/failure.js";
import { describeKeyId, findAccessKeyIds, maskKeyId, redactText } from "../core/redact.js";
import { dedupe, enrich, type KeyIndex, MAX_FAILURES, noteGaps, preDedupe, resolveHits } from "./finish.js";
import { readBareCode } from "./formats/bare.js";
import { readCli } from "./formats/cli.js";
import { readClient } from "./formats/client.js";
import { readCloudTrailFields } from "./formats/cloudtrail.js";
import { readDotnet } from "./formats/dotnet.js";
import { readGo } from "./formats/go.js";
import { readGraphqlInspect } from "./formats/graphql.js";
import { maskEchoes, readPythonDict, readXml } from "./formats/http.js";
import { readJava } from "./formats/java.js";
import { readJs } from "./formats/js.js";
import { readJson } from "./formats/json.js";
import { readPlain } from "./formats/plain.js";
import type { FormatReader, Hit } from "./types.js";
import { applyWrappers, unboxTerraform } from "./wrappers.js";

/** Most hits kept from one reader (a log repeating one line thousands of times needs only a few). */
const MAX_HITS_PER_READER = 20000;

/** Input beyond this many characters is not read (noted on the failures). */
export const MAX_INPUT_CHARS = 2_000_000;

/** Readers with a cheap gate: a reader whose marker is absent is skipped (and its regexes never compiled). */
const READERS: [gate: RegExp | undefined, read: FormatReader][] = [
  [/[{[]/, readJson],
  [/<Error>/, readXml],
  [/['"]Error['"]: \{/, readPythonDict],
  [/\$metadata|\n[ \t]{2,12}at /, readJs],
  [/\(Service: ?/, readJava],
  [/operation error |status code: \d/, readGo],
  [/\bAmazon\./, readDotnet],
  [/An error occurred \(|A (?:client|server) error \(/, readCli],
  [/errorType|recoverySuggestion/, readGraphqlInspect],
  [undefined, readClient],
  [/"errorCode"/, readCloudTrailFields],
  [undefined, readPlain],
  [/^\s*[^\n]{5,120}\s*$/, readBareCode],
];

/**
 * Every distinct AWS error in a pasted text, in the order they appear. Never throws: unrecognised input gives
 * `[]`. The same error seen twice (a traceback whose last line repeats it, an HTTP body and the CLI line it
 * produced) is one Failure. Secrets are masked in every field; key ids only appear masked.
 */
export function parseFailures(text: string): Failure[] {
  try {
    return parse(text);
  } catch {
    return [];
  }
}

/**
 * The most informative failure in a text (service error over client-side noise, then the richest), or null when
 * nothing is recognised. Never throws.
 */
export function parseFailure(text: string): Failure | null {
  const all = parseFailures(text);
  let best: Failure | null = null;
  let bestScore = -1;
  for (const f of all) {
    const s = richness(f);
    if (s > bestScore) {
      best = f;
      bestScore = s;
    }
  }
  return best;
}

function richness(f: Failure): number {
  let s = 0;
  if (f.code) s += 4;
  if (f.message) s += 2;
  if (f.action) s += 2;
  if (f.principal) s += 1;
  if (f.httpStatus) s += 1;
  if (f.service) s += 1;
  if (f.operation) s += 1;
  if (f.policyType) s += 1;
  return s;
}

// Escapes that could hide a secret from redaction once a reader decodes them: JSON `\/` and `\u0041`, XML `&#65;`.
const ALNUM_ESCAPE_RE = /\\u00([2-7][0-9a-fA-F])|&#(\d{2,3});|&#x([2-7][0-9a-fA-F]);/g;

function decodeHarmless(text: string): string {
  return text.replace(/\\\//g, "/").replace(ALNUM_ESCAPE_RE, (m, u?: string, d?: string, x?: string) => {
    const code = u ? Number.parseInt(u, 16) : d ? Number(d) : Number.parseInt(x!, 16);
    const c = String.fromCharCode(code);
    return /[A-Za-z0-9+/=]/.test(c) ? c : m;
  });
}

function normalise(input: string): string {
  return decodeHarmless(
    input
      .replace(/^\uFEFF/, "")
      .replace(/\r\n?/g, "\n")
      // ANSI colour codes from terminals.
      .replace(/\x1b\[[0-9;]{0,20}[A-Za-z]/g, ""),
  );
}

// Key-id-shaped values outside base32 (anonymised logs, typos) that redactText leaves: mask them too.
const LOOSE_KEY_RE = /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g;

function maskLooseKeyIds(text: string, keys: KeyIndex): string {
  return text.replace(LOOSE_KEY_RE, (id) => {
    const masked = maskKeyId(id);
    keys.set(masked, describeKeyId(id));
    return masked;
  });
}

function parse(input: unknown): Failure[] {
  if (typeof input !== "string" || input.length === 0) return [];
  const cut = input.length > MAX_INPUT_CHARS;
  const original = unboxTerraform(normalise(cut ? input.slice(0, MAX_INPUT_CHARS) : input));
  const keys: KeyIndex = new Map<string, MaskedKeyId>();
  for (const id of findAccessKeyIds(original)) keys.set(maskKeyId(id), describeKeyId(id));
  // INVARIANT: readers only ever see redacted text, so no secret can reach a Failure field.
  const text = maskLooseKeyIds(maskEchoes(redactText(original)), keys);

  const hits: Hit[] = [];
  for (const [gate, read] of READERS) {
    if (gate && !gate.test(text)) continue;
    try {
      const got = read(text);
      for (let i = 0; i < got.length && i < MAX_HITS_PER_READER; i++) hits.push(got[i]!);
    } catch {
      // A reader that trips on odd input is skipped; the others still run.
    }
  }
  applyWrappers(text, hits);
  const failures: Failure[] = [];
  const counts = new Map<Failure, number>();
  for (const hit of preDedupe(resolveHits(hits), MAX_FAILURES * 4)) {
    try {
      const f = enrich(text, hit, keys);
      failures.push(f);
      if (hit.count !== undefined) counts.set(f, hit.count);
    } catch {
      // ignore this hit
    }
  }
  const out = dedupe(failures, counts).slice(0, MAX_FAILURES).map(noteGaps);
  if (cut)
    for (const f of out) f.notes.push(`only the first ${MAX_INPUT_CHARS} characters of the input were read`);
  return out;
}
