// The diagnose orchestrator: parse the failure, gather every evidence source the inputs allow, re-rank, and
// build the verdict. No formatting here (renderers in src/report read the Diagnosis).

import {
  type CheckedSource,
  DIAGNOSIS_SCHEMA,
  type DiagnosedRequest,
  type Diagnosis,
  type Evidence,
  type Signal,
  type TimelineEntry,
  type Unknown,
} from "../core/diagnosis.js";
import type { Failure } from "../core/failure.js";
import { parsePrincipal } from "../errors/principal.js";
import type { AuditEntry } from "../live/types.js";
import { changeBeforeDenial } from "./correlate.js";
import { diagnoseFailure, explainText } from "./explain.js";
import { type DiagnoseFlags, type DiagnoseInput, resolveInputs } from "./inputs.js";
import { fillPlaceholders, placeholderValues } from "./placeholders.js";
import { credentialSource } from "./sources/credentials.js";
import { liveSource } from "./sources/live.js";
import { policySource } from "./sources/policies.js";
import { trailSource } from "./sources/trail.js";
import { emptyOutcome, type RequestFacts, type SourceOutcome } from "./sources/types.js";
import { buildVerdict } from "./verdict.js";

/** Options beyond the inputs (tests pin the clock). */
export interface DiagnoseOptions {
  now?: Date;
  /** Called with the audit of live probes (what was called, where), when --live ran. */
  onAudit?: (audit: AuditEntry[]) => void;
  /** Extra options for the live probes (tests: a fake endpoint and fixed credentials); used only with --live. */
  liveOptions?: Record<string, unknown>;
}

/**
 * Run one diagnosis. Never throws for bad evidence: every problem becomes an Unknown. `input` is what
 * `resolveInputs` makes (flags over a bundle), or plain flags such as `{ text }`, resolved here without a bundle.
 */
export async function diagnose(
  given: DiagnoseInput | DiagnoseFlags,
  opts: DiagnoseOptions = {},
): Promise<Diagnosis> {
  const input = "explicit" in given && "credentials" in given ? given : resolveInputs(given, undefined);
  const checked: CheckedSource[] = [];
  const unknowns: Unknown[] = [];

  // 1. The error text: the failure and the text-only ranking.
  const base = input.text !== undefined ? explainText(input.text, regionOpt(input.region)) : undefined;
  if (input.text === undefined) {
    checked.push({ source: "error text", status: "not-given", detail: "no error text" });
  } else {
    checked.push({
      source: "error text",
      status: base?.failure ? "used" : "failed",
      detail: base?.failure
        ? `${input.textOrigin ?? "arguments"}: ${base.failure.code ?? base.failure.format}${base.failures.length > 1 ? ` (+${base.failures.length - 1} more)` : ""}`
        : `${input.textOrigin ?? "arguments"}: not recognised as an AWS error`,
    });
  }
  for (const p of input.problems) {
    unknowns.push({ what: `bundle file \`${p.path}\` not used`, why: p.reason });
    checked.push({ source: `bundle: ${p.path}`, status: "failed", detail: p.reason });
  }

  const failure = effectiveFailure(base?.failure ?? null, input);
  const request = requestOf(failure, input);
  const facts: RequestFacts = {
    ...(request.principal ? { principal: request.principal } : {}),
    ...(request.action ? { action: request.action } : {}),
    ...(request.resource ? { resource: request.resource } : {}),
    ...(request.region ? { region: request.region } : {}),
    ...(request.time ? { time: request.time } : {}),
  };

  // 2. Evidence sources, concurrently; each one turns its own problems into unknowns.
  const guard = async (name: string, run: () => Promise<SourceOutcome>): Promise<SourceOutcome> => {
    try {
      return await run();
    } catch (err) {
      const o = emptyOutcome();
      const reason = ((err as Error)?.message ?? String(err)).split("\n")[0]!;
      o.checked.push({ source: name, status: "failed", detail: reason });
      o.unknowns.push({ what: `${name} evidence`, why: `could not be gathered: ${reason}` });
      return o;
    }
  };
  const creds = await guard("credentials", () =>
    credentialSource(input.credentials, {
      ...(input.profile ? { profile: input.profile } : {}),
      ...(input.sdk ? { sdk: input.sdk } : {}),
      failure,
      ...(opts.now ? { now: opts.now } : {}),
    }),
  );
  const [policies, trail, live] = await Promise.all([
    guard("policies", () => policySource(input, facts)),
    guard("trail", () =>
      trailSource(input.trail, {
        request: facts,
        failure,
        keyIds: creds.keyIds ?? [],
        explicit: input.explicit,
      }),
    ),
    guard("live", () =>
      liveSource(input.live, {
        request: facts,
        failure,
        credentials: input.credentials,
        ...(input.profile ? { profile: input.profile } : {}),
        ...(opts.liveOptions ? { extra: opts.liveOptions } : {}),
      }),
    ),
  ]);
  if (!facts.time && trail.inferredTime) {
    facts.time = trail.inferredTime;
    request.time = trail.inferredTime;
    request.origins.time = "trail (latest matching failure)";
  }
  const outcomes = [creds, policies, trail, live];
  const signals: Signal[] = [];
  for (const o of outcomes) {
    checked.push(...o.checked);
    signals.push(...o.signals);
    unknowns.push(...o.unknowns);
  }
  if (live.audit && opts.onAudit) opts.onAudit(live.audit);
  for (const s of changeBeforeDenial(policies.denialCause, trail.timeline, facts.time)) {
    // The trail's own signals may already tie this change to the cause.
    if (!signals.some((x) => x.cause === s.cause && x.source === s.source)) signals.push(s);
  }

  // 3. Re-rank with every signal.
  let causes = base?.causes ?? [];
  let rankUnknowns = base?.unknowns ?? [];
  if (failure) {
    const evidence: Evidence = {
      failure,
      signals: dedupe(signals),
      ...(input.region ? { region: input.region } : {}),
    };
    const ranked = diagnoseFailure(evidence);
    causes = ranked.causes;
    rankUnknowns = ranked.unknowns;
  }
  const allUnknowns = mergeUnknowns([...unknowns, ...rankUnknowns]);

  const timeline = trail.timeline ? withDiagnosed(trail.timeline, facts, failure) : undefined;
  const policyDiff = policies.policyDiff;
  const values = placeholderValues({
    ...facts,
    failure,
    ...(input.profile ? { profile: input.profile } : {}),
  });
  const verdict = buildVerdict(causes, dedupe(signals), {
    ...(policyDiff ? { policyDiff } : {}),
    fill: (t) => fillPlaceholders(t, values),
  });

  const d: Diagnosis = {
    schema: DIAGNOSIS_SCHEMA,
    failure,
    failures: base?.failures.length ? base.failures : failure ? [failure] : [],
    causes,
    unknowns: allUnknowns,
    ...(verdict ? { verdict } : {}),
    evidence: dedupe(signals),
    ...(timeline && timeline.length > 0 ? { timeline } : {}),
    ...(policyDiff ? { policyDiff } : {}),
    checked,
    request,
  };
  return d;
}

function regionOpt(region: string | undefined): { region?: string } {
  return region ? { region } : {};
}

/** The parsed failure with the flags and case file filled in (they win over the text). */
export function effectiveFailure(parsed: Failure | null, input: DiagnoseInput): Failure | null {
  const given = input.principal || input.action || input.resource || input.region;
  if (!parsed && !given) return null;
  const f: Failure = parsed
    ? { ...parsed, notes: [...parsed.notes] }
    : {
        format: "plain",
        raw: "",
        notes: ["no AWS error recognised in the input: the request comes from flags or case.json only"],
      };
  if (input.principal) f.principal = parsePrincipal(input.principal);
  if (input.action) {
    f.action = input.action;
    const [svc, op] = input.action.split(":");
    if (!f.service && svc) f.service = svc.toLowerCase();
    if (!f.operation && op) f.operation = op;
  }
  if (input.resource) f.resource = input.resource;
  if (input.region) {
    f.region = input.region;
    f.regionSource = input.origins.region === "case.json" ? "case.json" : "flag";
  }
  return f;
}

function requestOf(f: Failure | null, input: DiagnoseInput): DiagnosedRequest {
  const origins: Record<string, string> = {};
  const r: DiagnosedRequest = { origins };
  const set = (
    key: "principal" | "action" | "resource" | "region" | "time",
    value: string | undefined,
    from: string,
  ) => {
    if (value) {
      r[key] = value;
      origins[key] = from;
    }
  };
  set("principal", f?.principal?.raw, input.origins.principal ?? "error text");
  set("action", f?.action, input.origins.action ?? "error text");
  set("resource", f?.resource, input.origins.resource ?? "error text");
  set(
    "region",
    f?.region,
    input.origins.region ?? (f?.regionSource ? `error text (${f.regionSource})` : "error text"),
  );
  set("time", input.time ?? f?.clock?.requestTime, input.origins.time ?? "error text");
  return r;
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
