// The one pipeline behind `explain` and `diagnose` (docs/pipeline.md):
//   text --parse once--> failures --+ given fields --> Request (each field with its origin)
//   --> evidence sources, in stages --> signals --> rank once (with the text as context) --> causes + unknowns.
// `explain` runs it with no sources; `diagnose` with credentials, policies, trail and live. No I/O here: sources
// do their own reading and hand back plain outcomes.

import { factsOf, type TextEvidence } from "../causes/facts.js";
import { CAUSES } from "../causes/index.js";
import { credentialRejected, expiredToken, signatureMismatch } from "../causes/signatures.js";
import { parsePrincipal } from "../core/arn.js";
import { type DecodedAuthorization, findDecodedMessage } from "../core/decoded-message.js";
import type { CheckedSource, Evidence, RankedCause, Signal, Unknown, UserFact } from "../core/diagnosis.js";
import type { Failure } from "../core/failure.js";
import { redactText } from "../core/redact.js";
import { offer, type Request, type RequestValues, requestValues } from "../core/request.js";
import { type FamilyId, signFailure } from "../errors/family.js";
import { parseFailures } from "../errors/index.js";
import { mineMessage } from "../errors/message.js";
import { serverSigningStrings } from "../errors/sigv4.js";
import { structuredNoteLines } from "./notes.js";
import { familyOfEvidence, rankCauses, type ScoringError } from "./rank.js";
import { decodedSignals } from "./signals/decoded.js";
import { serverScopeSignals } from "./signals/signature.js";
import type { SourceOutcome } from "./sources/types.js";

/** What the pipeline starts from. */
export interface PipelineInput {
  /** The error text as pasted (may hold several failures and context lines). */
  text?: string;
  /** Where the text came from (`arguments`, a path, `stdin`, `bundle error.txt`). */
  textOrigin?: string;
  /** Request fields given outside the text (flags, case.json, notes). They win over the text. */
  given?: Request;
  /** What the user told us (`--notes`, `--fact`, case.json `notes`), read by src/diagnose/notes.ts. */
  facts?: UserFact[];
  /** The notes as written: read as context next to the error text (an `export AWS_…` line, an endpoint). */
  notes?: string;
}

/** The input after the single parse: the failures found, the one diagnosed, and the request. */
export interface ParsedInput {
  text?: string;
  failures: Failure[];
  /** The diagnosed failure with the given fields applied, or null when there is nothing to diagnose. */
  failure: Failure | null;
  request: Request;
  facts: UserFact[];
  notes?: string;
  /** A decoded authorization message pasted with the text (`aws sts decode-authorization-message` output). */
  decoded?: DecodedAuthorization;
}

/** What a source sees: the parsed input, the request values, and the outcomes of earlier stages. */
export interface SourceContext {
  parsed: ParsedInput;
  request: RequestValues;
  /** Outcomes of the sources of earlier stages, by source name. */
  earlier: ReadonlyMap<string, SourceOutcome>;
}

/**
 * One evidence source: reads its own input and turns it into signals, checked lines and unknowns. New kinds of
 * evidence (user notes, authorization details, network captures) plug in here.
 */
export interface EvidenceSource {
  name: string;
  gather(ctx: SourceContext): Promise<SourceOutcome>;
}

/** Parse the text once and resolve the request: given fields first, then what the text says. */
export function parseInput(input: PipelineInput): ParsedInput {
  const text = typeof input.text === "string" ? input.text : undefined;
  const failures = text !== undefined ? parseFailures(text) : [];
  const decoded = text !== undefined ? findDecodedMessage(text) : undefined;
  if (decoded && failures.length === 0) failures.push(failureOfDecoded(decoded));
  // Unfamiliar wording (other SDKs, tool wrappers, partial pastes) with a sign of an auth failure still gets ranked.
  if (failures.length === 0 && text !== undefined) {
    const signed = signFailure(text);
    if (signed) failures.push(signed);
  }
  const given = input.given ?? {};
  const failure = applyGiven(failures[0] ?? null, given);
  if (failure && failures[0]) failures[0] = failure;
  const request: Request = { ...given };
  if (failure) {
    offer(request, "principal", failure.principal?.raw, "error-text");
    offer(request, "action", failure.action, "error-text");
    offer(request, "resource", failure.resource, "error-text");
    offer(
      request,
      "region",
      failure.region,
      "error-text",
      failure.regionSource ? `error text (${failure.regionSource})` : "error text",
    );
    offer(request, "time", failure.clock?.requestTime, "error-text");
    offer(request, "account", failure.principal?.account, "error-text");
  }
  if (decoded) {
    const label = "decoded authorization message";
    offer(request, "principal", decoded.context.principalArn, "error-text", label);
    offer(request, "action", decoded.context.action, "error-text", label);
    offer(request, "resource", decoded.context.resource, "error-text", label);
  }
  return {
    ...(text !== undefined ? { text } : {}),
    failures,
    failure,
    request,
    facts: input.facts ?? [],
    ...(input.notes ? { notes: input.notes } : {}),
    ...(decoded ? { decoded } : {}),
  };
}

/** The denial a pasted decoded authorization message describes, when the text holds no error of its own. */
function failureOfDecoded(d: DecodedAuthorization): Failure {
  const c = d.context;
  return {
    format: "plain",
    raw: "",
    code: "AccessDenied",
    ...(c.action ? { action: c.action, service: c.action.split(":")[0]!.toLowerCase() } : {}),
    ...(c.principalArn ? { principal: parsePrincipal(c.principalArn) } : {}),
    ...(c.resource ? { resource: c.resource } : {}),
    ...(d.explicitDeny !== undefined ? { denyKind: d.explicitDeny ? "explicit" : "implicit" } : {}),
    notes: ["read from a decoded authorization message (aws sts decode-authorization-message)"],
  };
}

/** Signals the text itself carries beyond the error: a pasted decoded authorization message (verified). */
export function textSignals(parsed: ParsedInput): Signal[] {
  const out = parsed.decoded
    ? decodedSignals(parsed.decoded, parsed.failure, "decoded message (pasted)")
    : [];
  if (parsed.failure?.code === "SignatureDoesNotMatch" && parsed.text !== undefined) {
    const server = serverSigningStrings(parsed.text);
    const endpoint = parsed.failure.regionSource === "endpoint" ? parsed.failure.region : undefined;
    if (server) out.push(...serverScopeSignals(server, endpoint, "signature: server's StringToSign"));
  }
  return out;
}

/**
 * The diagnosed failure with the given fields applied: principal, action and resource given outside the text win
 * over it; a given region fills the region the text does not name (the text's own region stays in the failure,
 * the request and the ranking carry the given one).
 */
function applyGiven(parsed: Failure | null, given: Request): Failure | null {
  const { principal, action, resource, region } = given;
  if (!parsed && !principal && !action && !resource && !region) return null;
  if (parsed && !principal && !action && !resource && (!region || parsed.region)) return parsed;
  const f: Failure = parsed
    ? { ...parsed, notes: [...parsed.notes] }
    : {
        format: "plain",
        raw: "",
        notes: ["no AWS error recognised in the input: the request comes from flags or case.json only"],
      };
  if (principal) f.principal = parsePrincipal(principal.value);
  if (action) {
    f.action = action.value;
    const [svc, op] = action.value.split(":");
    if (!f.service && svc) f.service = svc.toLowerCase();
    if (!f.operation && op) f.operation = op;
  }
  if (resource) f.resource = resource.value;
  if (region && !f.region) {
    f.region = region.value;
    f.regionSource = region.origin === "case.json" ? "case.json" : "flag";
  }
  return f;
}

/** Run the sources stage by stage (sources of one stage concurrently); a source that throws becomes an unknown. */
export async function gatherSources(
  parsed: ParsedInput,
  stages: EvidenceSource[][],
): Promise<Map<string, SourceOutcome>> {
  const done = new Map<string, SourceOutcome>();
  for (const stage of stages) {
    const outcomes = await Promise.all(
      stage.map((s) => guarded(s, { parsed, request: requestValues(parsed.request), earlier: done })),
    );
    for (const [i, s] of stage.entries()) {
      done.set(s.name, outcomes[i]!);
      applyOffers(parsed, outcomes[i]!.offers ?? []);
    }
  }
  return done;
}

/**
 * Inferred request fields (src/diagnose/infer.ts) fill what nothing stronger gave, in the request and in the
 * diagnosed failure, so later stages evaluate the inferred request and the causes score it.
 */
function applyOffers(parsed: ParsedInput, offers: SourceOutcome["offers"] & object): void {
  for (const o of offers) {
    if (!offer(parsed.request, o.field, o.value, o.origin, o.label) || !parsed.failure) continue;
    const f = parsed.failure;
    if (o.field === "principal" && !f.principal) f.principal = parsePrincipal(o.value);
    if (o.field === "action" && !f.action) f.action = o.value;
    if (o.field === "resource" && !f.resource) f.resource = o.value;
  }
}

async function guarded(source: EvidenceSource, ctx: SourceContext): Promise<SourceOutcome> {
  try {
    return await source.gather(ctx);
  } catch (err) {
    const reason = ((err as Error)?.message ?? String(err)).split("\n")[0]!;
    return {
      checked: [{ source: source.name, status: "failed", detail: reason }],
      signals: [],
      unknowns: [{ what: `${source.name} evidence`, why: `could not be gathered: ${reason}` }],
    };
  }
}

/** The ranking, done once: the failure, every signal, the request's region, and the text as context. */
export function rankOnce(
  parsed: ParsedInput,
  signals: Signal[],
): { causes: RankedCause[]; unknowns: Unknown[]; family?: FamilyId } {
  if (!parsed.failure) return { causes: [], unknowns: [] };
  const region = parsed.request.region;
  const extra = textSignals(parsed).filter(
    (s) => !signals.some((x) => x.text === s.text && x.cause === s.cause),
  );
  const base: Evidence = {
    failure: parsed.failure,
    signals: [...signals, ...extra],
    ...(parsed.facts.length > 0 ? { facts: parsed.facts } : {}),
    // A region given outside the text wins in the evidence; the text's own region is read from the failure.
    ...(region && region.origin !== "error-text" ? { region: region.value.trim() } : {}),
  };
  // The notes join the text as context only through their structured lines (an `export AWS_…` line, a profile
  // section, an ARN or key id): prose reaches the ranking as facts (src/diagnose/notes.ts), never as if AWS had
  // said it. The family is the error text's own.
  const noteLines = parsed.notes ? structuredNoteLines(parsed.notes) : "";
  const textFamily = familyOfEvidence(parsed.text !== undefined ? withTextContext(base, parsed.text) : base);
  const context = [parsed.text, noteLines].filter((x) => x !== undefined && x !== "").join("\n");
  const withContext = parsed.text !== undefined || noteLines ? withTextContext(base, context) : base;
  const evidence: Evidence = textFamily ? { ...withContext, family: textFamily } : withContext;
  const family = familyOfEvidence(evidence);
  return { ...diagnoseFailure(evidence), ...(family ? { family } : {}) };
}

/** The `checked` line of the error text. */
export function textChecked(parsed: ParsedInput, textOrigin: string | undefined): CheckedSource {
  if (parsed.text === undefined)
    return { source: "error text", status: "not-given", detail: "no error text" };
  const origin = textOrigin ?? "arguments";
  const parsedFailure = parsed.failures[0];
  return parsedFailure
    ? {
        source: "error text",
        status: "used",
        detail: `${origin}: ${parsedFailure.code ?? parsedFailure.format}${parsed.failures.length > 1 ? ` (+${parsed.failures.length - 1} more)` : ""}`,
      }
    : { source: "error text", status: "failed", detail: `${origin}: not recognised as an AWS error` };
}

/** What explain says about text it could not read: that it shows no sign of an AWS auth failure, and how to get one. */
export function unrecognisedUnknown(text: string | undefined): Unknown {
  return {
    what: "the input",
    why:
      typeof text === "string" && text.trim() !== ""
        ? "the text shows no sign of an AWS authentication or authorization failure (no AWS error code, refusal phrase, credential, token or signature wording)"
        : "no text was given",
    needs:
      "the real error as the SDK or CLI printed it: rerun with `aws ... --debug` (AWS CLI), " +
      "`boto3.set_stream_logger('')` (Python), a `logger: console` client option (JavaScript v3), " +
      "`ClientLogMode` aws.LogRetries|aws.LogResponse (Go v2), or the tool's own debug flag " +
      "(`TF_LOG=DEBUG`, `cdk --debug`, `sls --verbose`, `aws-vault --debug`)",
  };
}

/** The unknown for failures beyond the first. */
export function otherFailuresUnknown(parsed: ParsedInput, command: string): Unknown | undefined {
  const n = parsed.failures.length - 1;
  return n > 0
    ? {
        what: `the other ${n} failure(s) in the input`,
        why: "only the first one was diagnosed",
        needs: `run \`authdoctor ${command}\` on each of them separately`,
      }
    : undefined;
}

/** Causes whose own unknowns are listed: the top few that are still plausible. */
const UNKNOWN_TOP = 3;
const UNKNOWN_MIN_SCORE = 0.2;
/** How much of the input is read as context (head and tail when longer: errors sit at either end of logs). */
const CONTEXT_CHARS = 100_000;

/**
 * Rank the causes of one failure and say what the evidence cannot decide. Pure; never throws for a Failure the
 * parser produced (a cause that throws is reported as an unknown).
 */
export function diagnoseFailure(evidence: Evidence): { causes: RankedCause[]; unknowns: Unknown[] } {
  const errors: ScoringError[] = [];
  const causes = rankCauses(evidence, { errors });
  const unknowns: Unknown[] = [];
  const add = (u: Unknown) => {
    if (!unknowns.some((x) => x.what === u.what)) unknowns.push(u);
  };
  const f = factsOf(evidence);

  if (f.encoded)
    add({
      what: "what the encoded authorization message says",
      why: f.encodedTruncated
        ? "the message in the text is truncated and it can only be decoded by AWS"
        : "it can only be decoded by AWS",
      needs:
        f.encodedTruncated || !f.failure.encodedMessage
          ? "sts:DecodeAuthorizationMessage on the whole message, copied from the original output"
          : "sts:DecodeAuthorizationMessage (the decode check prints the command with the message)",
    });
  if (f.denied && !f.principalArn)
    add({
      what: "which principal made the call",
      why: "the error text does not name it",
      needs:
        "`aws sts get-caller-identity` with the same credentials, or `--principal` for `authdoctor diagnose`",
    });
  if (credentialRejected(f) || signatureMismatch(f) || expiredToken(f))
    add({
      what: "a CloudTrail record of this failure",
      // docs/aws-facts.md §6.2
      why: "CloudTrail does not log requests that fail authentication",
      needs: "S3 server access logs, or the client's own debug log",
    });

  for (const c of causes.slice(0, UNKNOWN_TOP)) {
    if (c.score < UNKNOWN_MIN_SCORE) continue;
    try {
      for (const u of CAUSES[c.id].unknowns?.(evidence) ?? []) add(u);
    } catch {
      // a cause's unknowns are advisory; a failing one is skipped
    }
  }
  for (const e of errors)
    add({
      what: `cause ${e.id}`,
      why: `it could not be scored: ${e.message}`,
      needs: "a bug report with the input",
    });
  return { causes, unknowns };
}

/**
 * `evidence` plus the pasted text as context, so lines around the error (an `export AWS_ACCESS_KEY_ID=ASIA…`, an
 * endpoint URL, a note) count as evidence too. `diagnose` should pass its error text through this as well.
 */
export function withTextContext(evidence: Evidence, text: string): Evidence {
  // INVARIANT: the context is redacted before any cause reads it; causes never print it whole.
  const context = redactText(
    text.length <= CONTEXT_CHARS
      ? text
      : `${text.slice(0, CONTEXT_CHARS / 2)}\n...\n${text.slice(text.length - CONTEXT_CHARS / 2)}`,
  );
  const out: TextEvidence = { ...evidence, context, contextFacts: mineMessage(context, CONTEXT_CHARS + 8) };
  return out;
}
