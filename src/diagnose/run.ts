// The diagnose orchestrator: the pipeline (./pipeline.ts) with every evidence source the inputs allow, and the
// verdict. No formatting here (renderers in src/report read the Diagnosis).

import { homedir } from "node:os";
import { join } from "node:path";
import {
  type CheckedSource,
  DIAGNOSIS_SCHEMA,
  type Diagnosis,
  type Signal,
  type TimelineEntry,
  type Unknown,
} from "../core/diagnosis.js";
import type { Failure } from "../core/failure.js";
import { diagnosedRequest, offer, requestValues } from "../core/request.js";
import type { AuditEntry } from "../live/types.js";
import { changeBeforeDenial } from "./correlate.js";
import type { DiagnoseInput, Sdk } from "./inputs.js";
import {
  type EvidenceSource,
  gatherSources,
  otherFailuresUnknown,
  parseInput,
  rankOnce,
  textChecked,
  unrecognisedUnknown,
} from "./pipeline.js";
import { fillPlaceholders, placeholderValues } from "./placeholders.js";
import { credentialSource } from "./sources/credentials.js";
import { liveSource } from "./sources/live.js";
import { type NetworkOutcome, type NetworkSourceInput, networkSource } from "./sources/network.js";
import { policySource } from "./sources/policies.js";
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
    gather: ({ parsed }) =>
      credentialSource(input.credentials, {
        ...(profile ? { profile } : {}),
        ...(sdk ? { sdk } : {}),
        failure: parsed.failure,
        ...(opts.now ? { now: opts.now } : {}),
      }),
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
  // the trail before the policies: it may name the resource's owner account (S3 ARNs do not)
  return [[credentials], [trail, live, network], [policies]];
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

  // 1. The error text, parsed once, and the request with the origin of each field.
  const parsed = parseInput({
    ...(input.text !== undefined ? { text: input.text } : {}),
    given: input.request,
  });
  checked.push(textChecked(parsed, input.textOrigin));
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
  const signals: Signal[] = [];
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
  const causes = ranked.causes;
  const other = failure ? otherFailuresUnknown(parsed, "diagnose") : undefined;
  const allUnknowns = mergeUnknowns([
    ...unknowns,
    ...(input.text !== undefined && !failure ? [unrecognisedUnknown(input.text)] : []),
    ...ranked.unknowns,
    ...(other ? [other] : []),
  ]);

  const timeline = trail.timeline ? withDiagnosed(trail.timeline, facts, failure) : undefined;
  const policyDiff = policies.policyDiff;
  const values = placeholderValues({
    ...facts,
    failure,
    ...(facts.profile ? { profile: facts.profile } : {}),
  });
  const verdict = buildVerdict(causes, evidence, {
    ...(policyDiff ? { policyDiff } : {}),
    ...(network.evidenceFix ? { evidenceFix: network.evidenceFix } : {}),
    fill: (t) => fillPlaceholders(t, values),
  });

  const d: Diagnosis = {
    schema: DIAGNOSIS_SCHEMA,
    failure,
    failures: parsed.failures.length ? parsed.failures : failure ? [failure] : [],
    causes,
    unknowns: allUnknowns,
    ...(verdict ? { verdict } : {}),
    evidence,
    ...(timeline && timeline.length > 0 ? { timeline } : {}),
    ...(policyDiff ? { policyDiff } : {}),
    ...(network.network ? { network: network.network } : {}),
    checked,
    request: diagnosedRequest(parsed.request),
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

/** The diagnosed failure as a row of the timeline, in time order. */
function withDiagnosed(entries: TimelineEntry[], req: RequestFacts, f: Failure | null): TimelineEntry[] {
  if (!req.time) return entries;
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

function dedupe(signals: Signal[]): Signal[] {
  const seen = new Set<string>();
  return signals.filter((s) => {
    const k = `${s.cause}|${s.effect}|${s.text}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function mergeUnknowns(list: Unknown[]): Unknown[] {
  const seen = new Set<string>();
  return list.filter((u) => {
    if (seen.has(u.what)) return false;
    seen.add(u.what);
    return true;
  });
}
