// Evidence source: read-only AWS probes, only with --live (the module and the AWS SDK load only then).

import type { Unknown } from "../../core/diagnosis.js";
import type { Failure } from "../../core/failure.js";
import type { AuditEntry, LiveReport } from "../../live/types.js";
import type { CredentialScope } from "../inputs.js";
import { liveSignals } from "../signals/live.js";
import { loadModule } from "./modules.js";
import { emptyOutcome, type RequestFacts, type SourceOutcome } from "./types.js";

/** The part of the live report the orchestrator reads itself. */
interface LiveReportLike {
  unknowns?: Unknown[];
  audit?: AuditEntry[];
}

interface LiveModule {
  runLiveProbes(opts: Record<string, unknown>): Promise<LiveReportLike>;
}

/** Run the live probes when `enabled`; otherwise say what they would have settled. */
export async function liveSource(
  enabled: boolean,
  ctx: {
    request: RequestFacts;
    failure: Failure | null;
    credentials: CredentialScope;
    profile?: string;
    /** Passed through to the probes (tests: endpoint override, credentials). */
    extra?: Record<string, unknown>;
  },
): Promise<SourceOutcome> {
  const out = emptyOutcome();
  if (!enabled) {
    out.checked.push({
      source: "live",
      status: "not-given",
      detail: "--live not given: no AWS call was made",
    });
    out.unknowns.push({
      what: "what AWS itself says (token version, region opt-in, key state, caller identity)",
      why: "live probes were not run",
      needs:
        "--live, with credentials allowed to call the read-only probes (iam:GetAccountSummary, account:GetRegionOptStatus, iam:ListAccessKeys, cloudtrail:LookupEvents...)",
    });
    return out;
  }
  const loaded = await loadModule<LiveModule>(() => import("../../live/index.js"));
  if (!loaded.ok) {
    out.checked.push({ source: "live", status: "failed", detail: `live probes ${loaded.reason}` });
    out.unknowns.push({ what: "live probes", why: `the live module is ${loaded.reason}` });
    return out;
  }
  const report = await loaded.mod.runLiveProbes({
    ...(ctx.profile ? { profile: ctx.profile } : {}),
    ...(ctx.request.region ? { region: ctx.request.region } : {}),
    ...(ctx.failure ? { failure: ctx.failure } : {}),
    ...(ctx.request.time ? { time: ctx.request.time } : {}),
    ...ctx.extra,
  });
  const signals = liveSignals(report as LiveReport, ctx.failure ?? undefined);
  out.signals.push(...signals);
  out.audit = report.audit ?? [];
  // A probe that was itself denied is evidence of what could not be checked, never a crash.
  for (const u of report.unknowns ?? []) out.unknowns.push({ ...u, what: `live: ${u.what}` });
  const calls = report.audit?.length ?? 0;
  out.checked.push({
    source: "live",
    status: "used",
    detail: `read-only probes with ${ctx.profile ? `profile \`${ctx.profile}\`` : "this machine's default credentials"} (${calls} call(s))${ctx.credentials.origin === "bundle" ? "; note: the bundle's own credentials are never used" : ""}`,
  });
  return out;
}
