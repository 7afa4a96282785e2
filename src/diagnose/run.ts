// The diagnose orchestrator: the pipeline (./pipeline.ts) with every evidence source the inputs allow, and the
// verdict. No formatting here (renderers in src/report read the Diagnosis).

import { homedir } from "node:os";
import { join } from "node:path";
import { settledCause } from "../causes/commands.js";
import {
  type CheckedSource,
  DIAGNOSIS_SCHEMA,
  type Diagnosis,
  gradeOfSource,
  type Signal,
  type TimelineEntry,
  type Unknown,
  type Verdict,
} from "../core/diagnosis.js";
import type { Failure } from "../core/failure.js";
import { maskKeyId } from "../core/redact.js";
import { diagnosedRequest, offer, requestValues } from "../core/request.js";
import type { AuditEntry } from "../live/types.js";
import { changeBeforeDenial } from "./correlate.js";
import { mergeFacts } from "./explain.js";
import { inferAction, inferResource, type Offer } from "./infer.js";
import type { DiagnoseInput, Sdk } from "./inputs.js";
import { readNotes } from "./notes.js";
import {
  type EvidenceSource,
  gatherSources,
  otherFailuresUnknown,
  parseInput,
  rankOnce,
  textChecked,
  textSignals,
  unrecognisedUnknown,
} from "./pipeline.js";
import { fillPlaceholders, placeholderValues } from "./placeholders.js";
import { separatingQuestions } from "./questions.js";
import { authorizationSource } from "./sources/authorization.js";
import { callerMismatch, credentialSource } from "./sources/credentials.js";
import { liveSource } from "./sources/live.js";
import { type NetworkOutcome, type NetworkSourceInput, networkSource } from "./sources/network.js";
import { policySource } from "./sources/policies.js";
import { signatureSource } from "./sources/signature.js";
import { trailQuerySql, trailSource } from "./sources/trail.js";
import { emptyOutcome, type RequestFacts } from "./sources/types.js";
import { buildVerdict } from "./verdict.js";

/** Options beyond the inputs (tests pin the clock). */
export interface DiagnoseOptions {
  now?: Date;
  /** Called with the audit of live probes (what was called, where), when --live ran. */
  onAudit?: (audit: AuditEntry[]) => void;
  /** Progress lines of a trail query (--athena/--lake): the scan estimate and its audit. */
  onLog?: (line: string) => void;
  /** Extra options for the live probes (tests: a fake endpoint and fixed credentials); used only with --live. */
  liveOptions?: Record<string, unknown>;
}

/**
 * What `diagnose` accepts: a resolved input (resolveInputs), or just the parts a library caller has, such as
 * `{ text }`. Missing parts mean "not given"; credentials default to this machine's environment.
 */
export type DiagnoseRequestInput = Partial<DiagnoseInput>;

/** Fill the parts of an input a library caller left out. */
export function completeInput(input: DiagnoseRequestInput): DiagnoseInput {
  return {
    ...input,
    request: input.request ?? {},
    scp: input.scp ?? [],
    rcp: input.rcp ?? [],
    policies: input.policies ?? [],
    resourcePolicies: input.resourcePolicies ?? [],
    trail: input.trail ?? [],
    network: input.network ?? [],
    machine: input.machine ?? {},
    live: input.live === true,
    credentials: input.credentials ?? { origin: "machine", env: process.env },
    origins: input.origins ?? {},
    explicit: input.explicit ?? new Set(),
    problems: input.problems ?? [],
  };
}

/** The evidence sources of `diagnose`, in stages: the trail needs the key ids the credential chain found. */
function diagnoseSources(input: DiagnoseInput, opts: DiagnoseOptions): EvidenceSource[][] {
  const profile = input.request.profile?.value;
  const sdk = input.request.sdk?.value as Sdk | undefined;
  const credentials: EvidenceSource = {
    name: "credentials",
    gather: async ({ parsed }) => {
      const out = await credentialSource(input.credentials, {
        ...(profile ? { profile } : {}),
        ...(sdk ? { sdk } : {}),
        failure: parsed.failure,
        ...(opts.now ? { now: opts.now } : {}),
      });
      // Local credentials are evidence only when they can be the failing caller's (docs/facts.md).
      return callerMismatch(out, input.credentials, parsed);
    },
  };
  const policies: EvidenceSource = {
    name: "policies",
    gather: ({ request, parsed }) => policySource(input, request, parsed.failure),
  };
  const trail: EvidenceSource = {
    name: "trail",
    gather: async ({ parsed, request, earlier }) => {
      const out = await trailSource(input.trail, {
        request,
        failure: parsed.failure,
        keyIds: earlier.get("credentials")?.keyIds ?? [],
        explicit: input.explicit,
        ...(input.trailQuery ? { query: input.trailQuery, live: input.live } : {}),
        ...(opts.onLog ? { log: opts.onLog } : {}),
      });
      // the policies of the next stage evaluate with the owner account the failing record names
      const owner = out.inferredResourceAccount;
      if (owner) offer(parsed.request, "resourceAccount", owner.account, "trail", `trail (${owner.field})`);
      return out;
    },
  };
  const live: EvidenceSource = {
    name: "live",
    gather: ({ parsed, request }) =>
      liveSource(input.live, {
        request,
        failure: parsed.failure,
        credentials: input.credentials,
        ...(profile ? { profile } : {}),
        ...(opts.liveOptions ? { extra: opts.liveOptions } : {}),
      }),
  };
  const network: EvidenceSource = {
    name: "network",
    gather: ({ parsed, request }) => networkSource(networkInput(input, request, parsed.failure, opts)),
  };
  // Request inference between the trail and the policies: the action from the text's service, the resource from
  // the principal's own policies in the snapshot (src/diagnose/infer.ts).
  const request: EvidenceSource = {
    name: "request",
    gather: async ({ parsed, request: req }) => {
      const out = emptyOutcome();
      const offers: Offer[] = [];
      const action = req.action ? undefined : inferAction(parsed.failure);
      if (action) offers.push(action);
      if (!req.resource && input.authz) {
        const { readJsonFile } = await import("./sources/files.js");
        const snap = await readJsonFile(input.authz);
        const res = snap.ok
          ? inferResource(req.action ?? action?.value, req.principal, snap.value)
          : undefined;
        if (res) offers.push(res);
      }
      if (offers.length > 0) {
        out.offers = offers;
        out.checked.push({
          source: "request",
          status: "used",
          detail: offers.map((o) => `${o.field} ${o.value} (${o.label})`).join("; "),
        });
      }
      return out;
    },
  };
  const authorization: EvidenceSource = {
    name: "authorization",
    gather: (ctx) =>
      authorizationSource(
        {
          ...(input.authorizationDetails ? { details: input.authorizationDetails } : {}),
          policies: input.authorizationPolicies ?? [],
        },
        ctx,
      ),
  };
  const signature: EvidenceSource = {
    name: "signature",
    gather: (ctx) => signatureSource(input.clientRequest, ctx),
  };
  // AWS's own evaluation comes first: the request fields it names fill what the text left out for the others.
  // The trail before the policies: it may name the resource's owner account (S3 ARNs do not); request inference
  // runs after the trail, before the policies are evaluated.
  return [[credentials, authorization, signature], [trail, live, network], [request], [policies]];
}

/**
 * The SQL `diagnose` would run for its trail (--athena/--lake with --print-sql): the window from the request
 * (flags, case.json, then the error text). Offline; throws InputError for a bad table, store or option.
 */
export async function diagnoseTrailSql(given: DiagnoseRequestInput, now = Date.now()): Promise<string> {
  const input = completeInput(given);
  if (!input.trailQuery) throw new Error("internal: no --athena/--lake to print the SQL of");
  const parsed = parseInput({
    ...(input.text !== undefined ? { text: input.text } : {}),
    given: input.request,
  });
  return trailQuerySql(input.trailQuery, requestValues(parsed.request), now);
}

/**
 * Run one diagnosis: the pipeline (./pipeline.ts) with every evidence source. Never throws for bad evidence:
 * every problem becomes an Unknown.
 */
export async function diagnose(given: DiagnoseRequestInput, opts: DiagnoseOptions = {}): Promise<Diagnosis> {
  const input = completeInput(given);
  const checked: CheckedSource[] = [];
  const unknowns: Unknown[] = [];

  // 1. The error text, parsed once, the user's facts, and the request with the origin of each field.
  const userFacts = mergeFacts(input.facts ?? [], readNotes(input.notes));
  const parsed = parseInput({
    ...(input.text !== undefined ? { text: input.text } : {}),
    given: input.request,
    facts: userFacts,
  });
  checked.push(textChecked(parsed, input.textOrigin));
  if (input.notes !== undefined || (input.facts ?? []).length > 0) {
    const origin = [input.notesOrigin, (input.facts ?? []).length > 0 ? "--fact" : undefined]
      .filter(Boolean)
      .join(" and ");
    checked.push({
      source: "notes",
      status: userFacts.length > 0 ? "used" : "failed",
      detail:
        userFacts.length > 0
          ? `${origin}: ${userFacts.map((f) => (f.value ? `${f.name}=${f.value}` : f.name)).join(", ")}`
          : `${origin}: no fact of docs/facts.md recognised in the notes`,
    });
  }
  for (const p of input.problems) {
    unknowns.push({ what: `bundle file \`${p.path}\` not used`, why: p.reason });
    checked.push({ source: `bundle: ${p.path}`, status: "failed", detail: p.reason });
  }
  const failure = parsed.failure;

  // 2. Evidence sources, stage by stage; each one turns its own problems into unknowns.
  const outcomes = await gatherSources(parsed, diagnoseSources(input, opts));
  const empty = emptyOutcome();
  const policies = outcomes.get("policies") ?? empty;
  const trail = outcomes.get("trail") ?? empty;
  const live = outcomes.get("live") ?? empty;
  const network: NetworkOutcome = outcomes.get("network") ?? empty;
  offer(parsed.request, "time", trail.inferredTime, "trail", "trail (latest matching failure)");
  const facts = requestValues(parsed.request);
  const signals: Signal[] = [...textSignals(parsed)];
  for (const o of outcomes.values()) {
    checked.push(...o.checked);
    signals.push(...o.signals);
    unknowns.push(...o.unknowns);
  }
  if (live.audit && opts.onAudit) opts.onAudit(live.audit);
  if (network.audit && opts.onAudit) opts.onAudit(network.audit);
  for (const s of changeBeforeDenial(policies.denialCause, trail.timeline, facts.time)) {
    // The trail's own signals may already tie this change to the cause.
    if (!signals.some((x) => x.cause === s.cause && x.source === s.source)) signals.push(s);
  }

  // 3. Rank once, with every signal and the text as context.
  const evidence = dedupe(signals);
  const ranked = rankOnce(parsed, evidence);
  const other = failure ? otherFailuresUnknown(parsed, "diagnose") : undefined;
  const allUnknowns = mergeUnknowns(
    [
      ...unknowns,
      ...(input.text !== undefined && !failure ? [unrecognisedUnknown(input.text)] : []),
      ...ranked.unknowns,
      ...(other ? [other] : []),
    ],
    new Set(checked.filter((c) => c.status === "used").map((c) => c.source)),
  );

  const timeline = trail.timeline ? withDiagnosed(trail.timeline, facts, failure) : undefined;
  // The diff proven on the policies as they were at denial time beats one from current copies.
  const policyDiff = outcomes.get("authorization")?.policyDiff ?? policies.policyDiff;
  const keyInUse = outcomes.get("credentials")?.keyIds?.[0];
  const values = placeholderValues({
    ...facts,
    failure,
    ...(facts.profile ? { profile: facts.profile } : {}),
    ...(keyInUse ? { keyId: maskKeyId(keyInUse) } : {}),
  });
  // every printed command filled from the evidence; what it cannot fill is said in prose
  const causes = ranked.causes.map((c) => settledCause(c, (t) => fillPlaceholders(t, values)));
  const verdict = settled(
    buildVerdict(causes, evidence, {
      ...(policyDiff ? { policyDiff } : {}),
      ...(network.evidenceFix ? { evidenceFix: network.evidenceFix } : {}),
      fill: (t) => fillPlaceholders(t, values),
    }),
    checked,
  );

  const questions = separatingQuestions(causes, userFacts);
  const d: Diagnosis = {
    schema: DIAGNOSIS_SCHEMA,
    failure,
    failures: parsed.failures.length ? parsed.failures : failure ? [failure] : [],
    causes,
    unknowns: allUnknowns,
    ...(ranked.family ? { family: ranked.family } : {}),
    ...(userFacts.length > 0 ? { facts: userFacts } : {}),
    ...(questions.length > 0 ? { questions } : {}),
    ...(verdict ? { verdict } : {}),
    evidence,
    ...(timeline && timeline.length > 0 ? { timeline } : {}),
    ...(policyDiff ? { policyDiff } : {}),
    ...(network.network ? { network: network.network } : {}),
    checked,
    request: diagnosedRequest(parsed.request),
    ...(outcomes.get("signature")?.signature ? { signature: outcomes.get("signature")!.signature! } : {}),
  };
  return d;
}

/** What the network source reads: the network files, the failing machine, the program's environment and config. */
function networkInput(
  input: DiagnoseInput,
  request: RequestFacts,
  failure: Failure | null,
  opts: DiagnoseOptions,
): NetworkSourceInput {
  const env = input.credentials.env;
  // Tests point the live IMDS request at a local fake through the live options.
  const imdsEnv = (opts.liveOptions as { imdsEnv?: Record<string, string | undefined> } | undefined)?.imdsEnv;
  const configFile =
    input.credentials.configFile ?? env.AWS_CONFIG_FILE ?? join(env.HOME ?? homedir(), ".aws", "config");
  return {
    files: input.network,
    ...(input.origins.network ? { origin: input.origins.network } : {}),
    machine: input.machine,
    env,
    envOrigin: input.credentials.origin === "bundle" ? "env.txt" : "environment",
    configFile,
    ...(request.profile ? { profile: request.profile } : {}),
    ...(request.sdk ? { sdk: request.sdk } : {}),
    ...(input.text !== undefined ? { text: input.text } : {}),
    failure,
    request,
    live: input.live,
    ...(imdsEnv ? { imdsEnv } : {}),
  };
}

/**
 * A confirmed verdict's runners-up do not ask for an evaluation that was already run: when the policies given
 * were evaluated, "to separate" says so instead of proposing `authdoctor can --authz` or the IAM simulator.
 */
function settled(v: Verdict | undefined, checked: CheckedSource[]): Verdict | undefined {
  if (!v || v.strength !== "confirmed") return v;
  const evaluated = checked.some((c) => c.source === "policies" && c.status === "used");
  if (!evaluated) return v;
  return {
    ...v,
    runnersUp: v.runnersUp.map((r) =>
      /authdoctor can --authz|simulate-principal-policy/.test(r.separate) && !r.separate.startsWith("already")
        ? {
            ...r,
            separate: `already evaluated: the policies given were evaluated and they confirm ${v.cause}`,
          }
        : r,
    ),
  };
}

/** How far apart the error text's time and the trail's record of the same call can be. */
const SAME_CALL_MS = 5_000;

/**
 * The diagnosed failure as a row of the timeline, in time order. When the trail holds the failing call itself
 * (a refused record by the same principal within seconds), that record is marked instead of adding a second
 * row. Records of one event seen twice (a cross-account AssumeRole logged in both accounts) are shown once.
 */
function withDiagnosed(all: TimelineEntry[], req: RequestFacts, f: Failure | null): TimelineEntry[] {
  const entries = onePerEvent(all);
  if (!req.time) return entries;
  const at = Date.parse(req.time);
  const own = entries.findIndex(
    (t) =>
      t.error !== undefined &&
      Math.abs(Date.parse(t.time) - at) <= SAME_CALL_MS &&
      (!req.principal || t.actor === req.principal) &&
      (!f?.code || t.error === f.code),
  );
  if (own >= 0) return entries.map((t, i) => (i === own ? { ...t, kind: "diagnosed" } : t));
  const row: TimelineEntry = {
    time: new Date(req.time).toISOString().replace(/\.000Z$/, "Z"),
    event: req.action ?? f?.action ?? f?.operation ?? "the failing call",
    kind: "diagnosed",
    ...(req.principal ? { actor: req.principal } : {}),
    ...(req.region ? { region: req.region } : {}),
    ...(f?.code ? { error: f.code } : {}),
    detail: "the failure diagnosed (from the error text and case)",
  };
  const out = [...entries, row];
  out.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  return out;
}

/**
 * One row per event: rows at the same time with the same event and detail (the two accounts' records of a
 * cross-account AssumeRole) are one, keeping the row that names its actor by ARN.
 */
function onePerEvent(entries: TimelineEntry[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (const t of entries) {
    const twin = out.findIndex(
      (o) => o.time === t.time && o.event === t.event && o.detail === t.detail && o.error === t.error,
    );
    if (twin < 0) out.push(t);
    else if (!out[twin]!.actor?.startsWith("arn:") && t.actor?.startsWith("arn:")) out[twin] = t;
  }
  return out;
}

/** Signals once each, every one with its grade (docs/json-contract.md). */
function dedupe(signals: Signal[]): Signal[] {
  const seen = new Set<string>();
  return signals
    .filter((s) => {
      const k = `${s.cause}|${s.effect}|${s.text}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map((s) => (s.grade ? s : { ...s, grade: gradeOfSource(s.source) }));
}

/**
 * What could not be checked, each thing once: an item is left out when it asks for evidence that was given and
 * used (an evaluated authorization snapshot), or when an earlier item already asks for the same permission or
 * command (the key's status and whether the key exists both need iam:ListAccessKeys). The `--live` item is
 * general and never hides a specific one.
 */
export function mergeUnknowns(list: Unknown[], used: ReadonlySet<string> = new Set()): Unknown[] {
  const seen = new Set<string>();
  const asked = new Set<string>();
  return list.filter((u) => {
    if (seen.has(u.what)) return false;
    seen.add(u.what);
    const needs = u.needs ?? "";
    if (used.has("policies") && /get-account-authorization-details|--authz\b/.test(needs)) return false;
    if (needs.startsWith("--live")) return true;
    const keys = needKeys(needs);
    if (keys.some((k) => asked.has(k))) return false;
    for (const k of keys) asked.add(k);
    return true;
  });
}

/** The IAM permissions (`iam:ListAccessKeys`) and AWS CLI commands (`aws iam list-access-keys`) a need names. */
function needKeys(needs: string): string[] {
  const perms = needs.match(/\b[a-z0-9-]+:[A-Z][A-Za-z0-9]+\b/g) ?? [];
  const cmds = [...needs.matchAll(/\baws ([a-z0-9-]+) ([a-z0-9-]+)/g)].map(
    (m) => `${m[1]}:${m[2]!.replace(/-/g, "")}`,
  );
  return [...perms.map((p) => p.toLowerCase()), ...cmds];
}
