// Evidence source: the credential setup (this machine's, or only a bundle's copies) as each SDK resolves it.

import { readFile, stat } from "node:fs/promises";
import type { Failure } from "../../core/failure.js";
import { findAccessKeyIds, maskKeyId } from "../../core/redact.js";
import type { CredentialsReport, InspectInput, SdkId } from "../../credentials/types.js";
import type { CredentialScope } from "../inputs.js";
import { credentialSignals, stsEndpointSignals, withoutRemovedSecrets } from "../signals/credentials.js";
import { loadModule } from "./modules.js";
import { emptyOutcome, type SourceOutcome } from "./types.js";

interface CredentialsModule {
  inspectCredentials(input: InspectInput): CredentialsReport | Promise<CredentialsReport>;
}

/** The credential outcome also carries the raw key ids in use, for matching CloudTrail records (never printed). */
export interface CredentialOutcome extends SourceOutcome {
  keyIds?: string[];
}

const SECRET_VARS = new Set(["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"]);
/** How a removed secret is written in an env listing: `REDACTED`, `<removed>`, `***`, `xxxx`... */
const REMOVED_MARK = /^(?:<?(?:redacted|removed|hidden|secret)>?|\*{3,}|x{3,}|\.{3})$/i;

/** Inspect the credential setup in `scope` and turn its findings into signals. */
export async function credentialSource(
  scope: CredentialScope,
  opts: { profile?: string; sdk?: SdkId; failure: Failure | null; now?: Date },
): Promise<CredentialOutcome> {
  const out: CredentialOutcome = emptyOutcome();
  if (scope.empty) {
    out.checked.push({
      source: "credentials",
      status: "not-given",
      detail: "the bundle holds no aws/ files and no env.txt",
    });
    out.unknowns.push({
      what: "the credential setup of the failing machine",
      why: "the bundle holds no copy of its AWS config files and no environment listing",
      needs:
        "aws/config, aws/credentials and env.txt (`env | grep ^AWS_` with secret values removed) in the bundle",
    });
    return out;
  }
  const loaded = await loadModule<CredentialsModule>(() => import("../../credentials/index.js"));
  if (!loaded.ok) {
    out.checked.push({
      source: "credentials",
      status: "skipped",
      detail: `credential model ${loaded.reason}`,
    });
    out.unknowns.push({ what: "the credential setup", why: `the credential model is ${loaded.reason}` });
    return out;
  }
  const input: InspectInput = {
    env: scope.env,
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(scope.homeDir ? { homeDir: scope.homeDir } : {}),
    ...(scope.configFile ? { configFile: scope.configFile } : {}),
    ...(scope.credentialsFile ? { credentialsFile: scope.credentialsFile } : {}),
    ...(scope.ssoCacheDir ? { ssoCacheDir: scope.ssoCacheDir } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  };
  const report = await loaded.mod.inspectCredentials(input);
  const signals = credentialSignals(report, {
    ...(opts.sdk ? { sdk: opts.sdk } : {}),
    ...(opts.failure ? { failure: opts.failure } : {}),
  });
  // Secret values removed from a bundle's env listing (docs/bundle.md) cannot be judged by their shape.
  const removed = Object.entries(scope.env)
    .filter(([k, v]) => SECRET_VARS.has(k) && v !== undefined && REMOVED_MARK.test(v.trim()))
    .map(([k]) => k);
  const kept = withoutRemovedSecrets(signals, removed);
  if (removed.length > 0) {
    out.unknowns.push({
      what: `the values of ${removed.join(", ")}`,
      why: "they were removed from the environment listing, so their shape (length, characters) was not checked",
    });
  }
  out.signals.push(
    ...kept.map((s) => ({ ...s, source: s.source.startsWith("creds") ? s.source : `creds: ${s.source}` })),
  );
  out.signals.push(
    ...stsEndpointSignals(report, opts.sdk ? [opts.sdk] : ["js", "python", "cli"], opts.failure),
  );

  const sdks: SdkId[] = opts.sdk ? [opts.sdk] : ["js", "python", "cli"];
  const where = scope.origin === "bundle" ? "bundle copies" : "this machine";
  const lines = sdks.map((sdk) => `${sdk}: ${report.resolution[sdk]?.summary ?? "not resolved"}`);
  const problems = report.findings.filter((f) => f.severity !== "info").length;
  out.checked.push({
    source: "credentials",
    status: "used",
    detail: `${where}; ${lines.join("; ")}; ${problems} finding(s)`,
  });
  if (!opts.sdk) {
    out.unknowns.push({
      what: "which SDK made the failing call",
      why: "the credential chains of the JS SDK, boto3 and the CLI differ; all three were modelled",
      needs: "--sdk js|python|cli (or `sdk` in case.json)",
    });
  }
  out.keyIds = await keyIdsInUse(scope, report, sdks);
  return out;
}

/** Raw key ids of the winning sources (for CloudTrail matching): found in the env or files, matched by mask. */
async function keyIdsInUse(
  scope: CredentialScope,
  report: CredentialsReport,
  sdks: SdkId[],
): Promise<string[]> {
  const masked = new Set<string>();
  for (const sdk of sdks) {
    const id = report.resolution[sdk]?.winner?.identity?.accessKeyId;
    if (id && id !== "unknown") masked.add(id);
  }
  if (masked.size === 0) return [];
  const candidates = new Set<string>();
  const envKey = scope.env.AWS_ACCESS_KEY_ID?.trim();
  if (envKey) for (const k of findAccessKeyIds(envKey)) candidates.add(k);
  for (const path of [scope.credentialsFile, scope.configFile]) {
    if (!path) continue;
    try {
      // regular files only: a FIFO in a bundle's aws/ folder would block the read for ever
      const st = await stat(path);
      if (!st.isFile() || st.size > 4 * 1024 * 1024) continue;
      for (const k of findAccessKeyIds(await readFile(path, "utf8"))) candidates.add(k);
    } catch {
      // a missing file holds no key
    }
  }
  return [...candidates].filter((k) => masked.has(maskKeyId(k)));
}

/** Where notes can say the failure ran that is not this machine. */
const ELSEWHERE = new Set(["ci", "lambda", "ecs", "eks", "ec2", "container"]);

/**
 * This machine's credentials are evidence only when they can be the failing caller's. They are not when the
 * error names an access key id that none of them has, or the user's notes say the failure happened elsewhere
 * (CI, Lambda, ECS, EKS, EC2, a container) and not here. Then the outcome is replaced by a `skipped` line that
 * says why, and nothing from this machine is scored. A bundle's copies are the failing machine's: kept.
 */
export function callerMismatch(
  out: CredentialOutcome,
  scope: CredentialScope,
  parsed: { failure: Failure | null; facts: { name: string; value?: string; quote: string }[] },
): CredentialOutcome {
  if (scope.origin !== "machine") return out;
  let reason: string | undefined;
  const errorKey = parsed.failure?.accessKeyId?.masked;
  const local = (out.keyIds ?? []).map((k) => maskKeyId(k));
  if (
    errorKey &&
    /^(AKIA|ASIA)\*{4}[A-Z0-9]{4}$/.test(errorKey) &&
    local.length > 0 &&
    !local.includes(errorKey)
  )
    reason = `the error names key ${errorKey}, and this machine's credentials use ${local.join(", ")}`;
  const runsIn = parsed.facts.filter((f) => f.name === "runs-in");
  const away = runsIn.find((f) => f.value && ELSEWHERE.has(f.value));
  if (!reason && away && !runsIn.some((f) => f.value === "local"))
    reason = `your notes say the failure happened in ${away.value} ("${away.quote}"), not on this machine`;
  if (!reason) return out;
  return {
    checked: [
      {
        source: "credentials",
        status: "skipped",
        detail: `this machine's credentials cannot be the failing caller's: ${reason}; not scored`,
      },
    ],
    signals: [],
    unknowns: [
      {
        what: "the credential setup of the failing caller",
        why: reason,
        needs:
          "a bundle made where it failed (docs/bundle.md: aws/config, aws/credentials, env.txt), or run authdoctor there",
      },
    ],
    keyIds: [],
  };
}
