// The finishing pass: resolve overlapping hits, mine each message, fill service/region/action/key id, merge
// duplicates and redact every string that leaves the parser.

import type { Failure, MaskedKeyId } from "../core/failure.js";
import { redactText } from "../core/redact.js";
import { cliCommandContext } from "./formats/cli.js";
import { mineMessage } from "./message.js";
import { findHosts, findRegion, isRegion } from "./region.js";
import { actionFromOperation, serviceOfOperation } from "./service.js";
import { clip } from "./text.js";
import type { Draft, Hit } from "./types.js";

const WEAK_FORMATS = new Set<Failure["format"]>(["http-xml", "http-json", "plain"]);

/** Longest `raw` excerpt kept per failure. */
const MAX_RAW = 2000;
/** Most failures returned for one input. */
export const MAX_FAILURES = 50;

const MASKED_KEY_RE = /\b(AKIA|ASIA|ABIA|ACCA)\*{4}([A-Z0-9]{4})\b/g;

/** Resolve overlaps: the best-priority hit wins a span, the others fill its gaps. Result in text order. */
export function resolveHits(hits: Hit[]): Hit[] {
  const sorted = [...hits].sort((a, b) => a.priority - b.priority || a.start - b.start);
  // INVARIANT: `spans` holds the accepted ungrouped hits, sorted by start and pairwise disjoint, so one binary
  // search finds an overlap; grouped hits (records of one JSON document) share spans and are kept apart.
  const spans: Hit[] = [];
  const grouped: Hit[] = [];
  const out: Hit[] = [];
  for (const hit of sorted) {
    const inGroup = grouped.find((g) => hit.start < g.end && g.start < hit.end);
    if (hit.group !== undefined) {
      if ((inGroup === undefined || inGroup.group === hit.group) && overlapping(spans, hit) === undefined) {
        const copy = { ...hit, draft: { ...hit.draft, notes: [...hit.draft.notes] } };
        grouped.push(copy);
        out.push(copy);
      }
      continue;
    }
    if (inGroup) continue;
    const over = overlapping(spans, hit);
    if (over) {
      if (compatible(over.draft, hit.draft)) {
        fillGaps(over.draft, hit.draft);
        over.impliedCode ??= hit.impliedCode;
      }
      continue;
    }
    const copy = { ...hit, draft: { ...hit.draft, notes: [...hit.draft.notes] } };
    spans.splice(insertAt(spans, copy.start), 0, copy);
    out.push(copy);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Index of the first span starting at or after `start`. */
function insertAt(spans: Hit[], start: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.start < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function overlapping(spans: Hit[], hit: Hit): Hit | undefined {
  // The last span starting before hit.end is the only one that can reach into the hit.
  const i = insertAt(spans, hit.end) - 1;
  const s = i >= 0 ? spans[i] : undefined;
  if (s && s.end > hit.start) return s;
  // A zero-length hit or one sharing a start.
  const j = insertAt(spans, hit.start);
  const t = spans[j];
  return t && t.start < Math.max(hit.end, hit.start + 1) && hit.start < t.end ? t : undefined;
}

/** Cheap duplicate removal before the costly enrichment: same code, message, operation and principal. */
export function preDedupe(hits: Hit[], limit: number): Hit[] {
  const byKey = new Map<string, Hit>();
  for (const h of hits) {
    const d = h.draft;
    const key = [d.format, d.code, normMessage(d.message), d.operation, d.principal?.raw, d.service].join(
      "|",
    );
    const seen = byKey.get(key);
    if (seen) {
      seen.count = (seen.count ?? 1) + (h.count ?? 1);
      continue;
    }
    if (byKey.size >= limit) continue;
    byKey.set(key, h);
  }
  return [...byKey.values()];
}

function compatible(a: Draft, b: Draft): boolean {
  if (a.code && b.code && normCode(a.code) !== normCode(b.code)) return false;
  return true;
}

function normCode(code: string): string {
  return code.replace(/Exception$/, "").toLowerCase();
}

/** Copy the fields `from` has and `into` lacks; notes are merged. */
export function fillGaps(into: Draft, from: Draft): void {
  const target = into as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(from)) {
    if (k === "notes" || k === "format" || v === undefined) continue;
    if (target[k] === undefined) target[k] = v;
  }
  for (const n of from.notes) if (!into.notes.includes(n)) into.notes.push(n);
}

/** Key ids as masked in the redacted text -> their description from the original input. */
export type KeyIndex = Map<string, MaskedKeyId>;

function isAccessDenial(d: Draft): boolean {
  const s = `${d.code ?? ""} ${d.message ?? ""}`;
  return /AccessDenied|UnauthorizedOperation|not authorized to perform|Unauthorized\b/i.test(s);
}

/** Mine the message and the span for everything the reader did not set. */
export function enrich(text: string, hit: Hit, keys: KeyIndex): Failure {
  const d = hit.draft;
  const span = text.slice(hit.start, hit.end);
  // A record out of a larger document is described by its own excerpt, not the whole document.
  const own = hit.raw ?? span;
  const message = d.message ?? "";
  if (!d.code && hit.impliedCode) {
    d.code = hit.impliedCode;
    d.notes.push(`code \`${hit.impliedCode}\` inferred from the message text`);
  }
  const facts = mineMessage(message || own);
  for (const n of facts.notes) if (!d.notes.includes(n)) d.notes.push(n);
  d.action ??= facts.action;
  d.principal ??= facts.principal;
  d.resource ??= facts.resource;
  d.policyType ??= facts.policyType;
  d.denyKind ??= facts.denyKind;
  d.namedPolicy ??= facts.namedPolicy;
  d.viaScp ??= facts.viaScp;
  d.denyingPolicyArn ??= facts.denyingPolicyArn;
  d.encodedMessage ??= facts.encodedMessage;
  d.authorization ??= facts.authorization;
  if (facts.clock) d.clock = { ...facts.clock, ...d.clock };

  // Service: reader, then endpoint hosts (own span, then the text before it), credential scope, CLI command,
  // well-known operation, action prefix.
  const ownHosts = findHosts(own);
  const beforeHosts =
    ownHosts.length > 0 || hit.raw !== undefined
      ? []
      : findHosts(text.slice(Math.max(0, hit.start - 20000), hit.start));
  const host = ownHosts[0] ?? beforeHosts[beforeHosts.length - 1];
  const cli = d.format === "aws-cli" ? cliCommandContext(text, hit.start) : {};
  if (!d.service) {
    // the denied action names the call's service only when it is the call: a CreateFunction refused its
    // iam:PassRole is a Lambda call, not an IAM one
    const [actionService, actionName] = d.action ? d.action.split(":") : [];
    const fromAction =
      !d.operation || actionName?.toLowerCase() === d.operation.toLowerCase() ? actionService : undefined;
    d.service =
      host?.service ??
      facts.scopeService ??
      cli.service ??
      (d.operation ? serviceOfOperation(d.operation) : undefined) ??
      fromAction;
  }

  // Region: reader, endpoint host, message, CLI flag, ARNs.
  if (!d.region) {
    if (host?.region) {
      d.region = host.region;
      d.regionSource = "endpoint";
    } else if (facts.region) {
      d.region = facts.region;
      d.regionSource = facts.regionSource ?? "message";
    } else if (cli.region && isRegion(cli.region)) {
      d.region = cli.region;
      d.regionSource = "flag";
    } else {
      const arnRegion = regionOfArn(d.resource) ?? regionOfArn(message);
      if (arnRegion) {
        d.region = arnRegion;
        d.regionSource = "arn";
      } else if (d.principal?.kind === "cognito-identity") {
        const r = findRegion(d.principal.raw);
        if (r) {
          d.region = r;
          d.regionSource = "identity-id";
        }
      }
    }
  }
  if (host?.global && !d.region && (host.service === "sts" || host.service === "iam")) {
    d.notes.push(`the global endpoint \`${host.host}\` was used (signed for us-east-1)`);
  }

  if (!d.action && d.service && d.operation && /^[A-Za-z0-9]{1,128}$/.test(d.operation)) {
    d.action = actionFromOperation(d.service, d.operation);
    d.notes.push(`action \`${d.action}\` derived from the operation, not named in the message`);
  }

  if (!d.accessKeyId) {
    for (const m of own.matchAll(MASKED_KEY_RE)) {
      const k = keys.get(m[0]);
      d.accessKeyId = k ?? { masked: m[0], prefix: m[1]! };
      break;
    }
  }

  return sanitize(ordered({ ...d, raw: clip(hit.raw ?? span.trim(), MAX_RAW) }));
}

const FIELD_ORDER = [
  "format",
  "code",
  "message",
  "service",
  "operation",
  "action",
  "principal",
  "resource",
  "policyType",
  "denyKind",
  "namedPolicy",
  "viaScp",
  "denyingPolicyArn",
  "encodedMessage",
  "authorization",
  "region",
  "regionSource",
  "httpStatus",
  "requestId",
  "clock",
  "accessKeyId",
  "retries",
  "hint",
  "raw",
  "notes",
];

/** Same fields in a stable, readable order (JSON output follows it). */
function ordered(f: Failure): Failure {
  const src = f as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of FIELD_ORDER) if (src[k] !== undefined) out[k] = src[k];
  for (const [k, v] of Object.entries(src)) if (!(k in out) && v !== undefined) out[k] = v;
  return out as unknown as Failure;
}

/** Say in notes what could not be determined (after merging, so notes do not contradict fields). */
export function noteGaps(f: Failure): Failure {
  const add = (n: string) => {
    if (!f.notes.includes(n)) f.notes.push(n);
  };
  if (isAccessDenial(f)) {
    if (!f.action) add("the text names no IAM action");
    if (!f.principal) add("the text names no principal");
  }
  if (!f.service && !f.action) add("the text does not say which service answered");
  if (!f.region) add("no region in the text");
  return f;
}

function regionOfArn(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = /arn:aws[a-z-]{0,20}:[a-z0-9-]{1,40}:([a-z0-9-]{4,30}):/.exec(text);
  return m && isRegion(m[1]!) ? m[1] : undefined;
}

/** Run every string of a failure through redactText (values decoded from JSON may carry escaped secrets). */
function sanitize(f: Failure): Failure {
  const walk = (v: unknown): unknown => {
    // Strings cut from the redacted input already carry `****(N chars)` marks: redacting again would garble them.
    if (typeof v === "string") return v.includes("****(") ? v : redactText(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = k === "accessKeyId" ? x : walk(x);
      return o;
    }
    return v;
  };
  return walk(f) as Failure;
}

function normMessage(m: string | undefined): string {
  return (m ?? "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/[.\s]+$/, "")
    .slice(0, 400);
}

/**
 * Merge failures that are the same error seen twice (a traceback's repeated last line, an HTTP body and the
 * CLI line it produced): same code and message, or no code and the same message.
 */
export function dedupe(failures: Failure[], counts: Map<Failure, number> = new Map()): Failure[] {
  const out: Failure[] = [];
  const seen = new Map<Failure, number>();
  for (const f of failures) {
    const n = counts.get(f) ?? 1;
    const msg = normMessage(f.message);
    const same = out.find((o) => {
      const om = normMessage(o.message);
      const codesAgree = !o.code || !f.code || normCode(o.code) === normCode(f.code);
      if (!codesAgree) return false;
      if (msg.length === 0 && om.length === 0)
        return o.code !== undefined && o.code === f.code && o.operation === f.operation;
      if (msg.length === 0 || om.length === 0) return false;
      if (o.operation && f.operation && o.operation !== f.operation) return false;
      if (o.principal && f.principal && o.principal.raw !== f.principal.raw) return false;
      return (
        om === msg || (msg.length >= 20 && om.startsWith(msg)) || (om.length >= 20 && msg.startsWith(om))
      );
    });
    if (same) {
      // The tool's own output (CLI, SDK) names the failure better than the HTTP body or a bare line it printed.
      if (WEAK_FORMATS.has(same.format) && !WEAK_FORMATS.has(f.format)) {
        same.format = f.format;
        same.raw = f.raw;
      }
      const { raw: _raw, ...rest } = f;
      fillGaps(
        same as Draft,
        { ...rest, notes: f.notes.filter((n) => !n.startsWith("event time ")) } as Draft,
      );
      seen.set(same, (seen.get(same) ?? counts.get(same) ?? 1) + n);
      continue;
    }
    if (n > 1) seen.set(f, n);
    out.push(f);
  }
  for (const [f, n] of seen) if (n > 1) f.notes.push(`seen ${n} times in the input`);
  return out;
}
