// runLiveProbes: resolve credentials, run every relevant read-only probe concurrently, collect audit and unknowns.

import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { InputError, type Unknown } from "../core/index.js";
import { describeKeyId, redactText } from "../core/redact.js";
import type { LiveContext } from "./call.js";
import { probeAccountSummary, probeDecode, probeRegionStatus } from "./probes/account.js";
import { appsyncApiOf, identityPoolOf, probeAppSync, probeIdentityPool } from "./probes/apps.js";
import { measureSkew } from "./probes/clock.js";
import { probeCallerIdentity } from "./probes/identity.js";
import { probeAccessKeys } from "./probes/keys.js";
import { probePolicies, probeSimulation } from "./probes/policies.js";
import { probeAuthorizationDetails } from "./probes/toolbox.js";
import { probeTrail } from "./probes/trail.js";
import { notRun, principalOfArn } from "./probes/util.js";
import {
  type AuditEntry,
  type CallerIdentity,
  type CredentialInfo,
  type LiveOptions,
  type LiveReport,
  PROBE_NAMES,
  type Probed,
  type ProbeName,
} from "./types.js";

const DEFAULT_TIMEOUT_MS = 5000;

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(n)));
}

/** The probes to run: all, or the named ones (unknown names are a usage error). */
function selectProbes(names: string[] | undefined): Set<ProbeName> {
  if (!names || names.length === 0) return new Set(PROBE_NAMES);
  const out = new Set<ProbeName>();
  for (const raw of names.flatMap((n) => n.split(","))) {
    const name = raw.trim();
    if (!name) continue;
    if (!(PROBE_NAMES as readonly string[]).includes(name))
      throw new InputError("--probes", `unknown probe \`${name}\` (known: ${PROBE_NAMES.join(", ")})`);
    out.add(name as ProbeName);
  }
  return out;
}

/** The region the user's SDK would use: env, then the profile's `region` in the config file, then us-east-1. */
export async function resolveHomeRegion(
  profile: string | undefined,
  env: Record<string, string | undefined>,
): Promise<string> {
  const fromEnv = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (fromEnv) return fromEnv;
  try {
    const { loadSharedConfigFiles } = await import("@smithy/shared-ini-file-loader");
    const files = await loadSharedConfigFiles();
    const name = profile ?? env.AWS_PROFILE ?? "default";
    const region = files.configFile?.[name]?.region;
    if (region) return region;
  } catch {
    // no readable config file: fall through to the default
  }
  return "us-east-1";
}

/**
 * The user's credentials for a live command: the caller's own provider when given (tests), else the SDK's chain
 * with every request it sends gated by the allow-list and listed in `audit` (src/live/credentials.ts, loaded only
 * here, with `--live`).
 */
export async function gatedCredentials(
  opts: { credentials?: AwsCredentialIdentityProvider; profile?: string; ssoRefresh?: boolean },
  settings: {
    region: string;
    timeoutMs: number;
    audit: AuditEntry[];
    env: Record<string, string | undefined>;
  },
): Promise<AwsCredentialIdentityProvider> {
  if (opts.credentials) return opts.credentials;
  const { liveCredentialChain } = await import("./credentials.js");
  return liveCredentialChain({
    ...settings,
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.ssoRefresh ? { ssoRefresh: true } : {}),
  });
}

/** Resolve the credentials once, bounded; the provider handed to every client returns the same identity. */
export async function resolveCredentials(
  provider: AwsCredentialIdentityProvider,
  timeoutMs: number,
): Promise<{ ok: true; identity: AwsCredentialIdentity } | { ok: false; reason: string; code: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const identity = await Promise.race([
      provider(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              Object.assign(new Error(`no credentials within ${timeoutMs} ms`), { name: "TimeoutError" }),
            ),
          timeoutMs,
        );
      }),
    ]);
    return { ok: true, identity };
  } catch (err) {
    const e = err as { name?: string; message?: string };
    return {
      ok: false,
      code: e.name ?? "Error",
      reason: redactText(`${e.name ?? "Error"}: ${(e.message ?? String(err)).split("\n")[0]}`),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The endpoint the network probe checks: a URL in the failure text, the failing service's, or regional STS. */
function networkTarget(opts: LiveOptions, region: string): string {
  if (opts.endpointOverride) return opts.endpointOverride;
  const url = /https:\/\/[a-z0-9.-]+\.amazonaws\.com(?:\.cn)?/i.exec(opts.failure?.raw ?? "")?.[0];
  if (url) return url;
  const service = opts.failure?.service?.toLowerCase();
  if (service === "iam") return "https://iam.amazonaws.com";
  if (service && /^[a-z0-9-]+$/.test(service)) return `https://${service}.${region}.amazonaws.com`;
  return `https://sts.${region}.amazonaws.com`;
}

const LABELS: Record<string, string> = {
  credentials: "the credentials of the provider chain",
  "identity.regional": "sts:GetCallerIdentity on the regional endpoint",
  "identity.global": "sts:GetCallerIdentity on the global endpoint",
  "identity.failingRegion": "sts:GetCallerIdentity in the failing region",
  accountSummary: "the STS token version of the account (GlobalEndpointTokenVersion)",
  regionStatus: "the opt-in status of the failing region",
  decodedMessage: "the encoded authorization message",
  authorizationDetails: "AWS's own evaluation of the denied request (authorization details)",
  authorization: "the caller's policies",
  simulation: "the policy simulator cross-check",
  accessKeys: "the state of the access keys",
  cloudTrail: "CloudTrail events around the failure",
  cognito: "the identity pool's roles and role mappings",
  appsync: "the AppSync API's auth modes",
  clock: "the clock skew",
  network: "the network path to the endpoint",
};

/**
 * Ask AWS, read-only, with the user's own credentials, what the error text cannot say: who the credentials
 * are (three STS endpoints), the account's STS token version, the failing region's opt-in status, the decoded
 * authorization message, the caller's policies and a simulator cross-check, the key's state, CloudTrail around
 * the failure, Cognito and AppSync configuration, clock skew and the network path. Every probe is bounded and
 * never throws; a denied probe becomes an `unknowns` entry naming the permission it needs. Only call this when
 * the user asked for live mode (`--live`).
 */
export async function runLiveProbes(opts: LiveOptions = {}): Promise<LiveReport> {
  const wanted = selectProbes(opts.probes);
  const at = opts.time ? new Date(opts.time) : undefined;
  if (at && Number.isNaN(at.getTime()))
    throw new InputError("--time", `not an ISO 8601 time: \`${opts.time}\``);
  const env = opts.env ?? process.env;
  const timeoutMs = clamp(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, 20, 60_000);
  const maxAttempts = clamp(opts.maxAttempts ?? 2, 1, 3);
  const failure = opts.failure;
  const homeRegion = await resolveHomeRegion(opts.profile, env);
  const failingRegion = opts.region ?? failure?.region;
  const probeRegion = failingRegion ?? homeRegion;

  const audit: AuditEntry[] = [];
  // the SDK's providers, with every request they send gated by the allow-list and listed in the audit
  const chain = await gatedCredentials(opts, { region: homeRegion, timeoutMs, audit, env });
  const resolved = await resolveCredentials(chain, timeoutMs * 2);
  const identityCreds = resolved.ok ? resolved.identity : undefined;
  const ctx: LiveContext = {
    credentials: async () => identityCreds!,
    timeoutMs,
    maxAttempts,
    ...(opts.endpointOverride ? { endpointOverride: opts.endpointOverride } : {}),
    audit,
    exchanges: [],
    env,
    budgetEnd: Date.now() + clamp(opts.budgetMs ?? timeoutMs * 6, timeoutMs, 600_000),
  };
  const report: LiveReport = {
    schema: "authdoctor.live/v1",
    startedAt: new Date().toISOString(),
    ...(opts.profile ? { profile: opts.profile } : {}),
    homeRegion,
    ...(failingRegion ? { failingRegion } : {}),
    credentials: resolved.ok
      ? {
          ok: true,
          value: {
            accessKeyId: describeKeyId(resolved.identity.accessKeyId),
            temporary: Boolean(resolved.identity.sessionToken),
            ...(resolved.identity.expiration
              ? { expiration: resolved.identity.expiration.toISOString() }
              : {}),
          } satisfies CredentialInfo,
        }
      : {
          ok: false,
          outcome: resolved.code === "TimeoutError" ? "timeout" : "error",
          reason: `could not resolve credentials: ${resolved.reason}`,
          code: resolved.code,
        },
    identity: {},
    audit: ctx.audit,
    unknowns: [],
  };

  const noCreds = <T>(): Probed<T> => notRun("skipped", "no credentials resolved: AWS calls were not made");
  const tasks: Promise<unknown>[] = [];
  const run = <K extends keyof LiveReport>(key: K, work: () => Promise<LiveReport[K]>) => {
    tasks.push(
      work().then(
        (v) => {
          report[key] = v;
        },
        (err) => {
          // INVARIANT: probes do not throw; this guards against a bug turning into a crash.
          report[key] = notRun("error", `internal error: ${redactText(String(err))}`) as LiveReport[K];
        },
      ),
    );
  };

  if (wanted.has("network"))
    run("network", async () => {
      const { probeNetwork } = await import("./network.js");
      const n = await probeNetwork(networkTarget(opts, probeRegion), probeRegion, timeoutMs, env);
      ctx.audit.push(...n.audit);
      if (n.exchange) ctx.exchanges.push(n.exchange);
      return { ok: true, value: n.report };
    });

  if (resolved.ok) {
    const keyId = resolved.identity.accessKeyId;
    // The probes that need the principal get the regional call even when `identity` was not asked for.
    const needPrincipal = ["policies", "simulate", "keys"].some((p) => wanted.has(p as ProbeName));
    const allIdentity = wanted.has("identity");
    const identityP = Promise.all([
      allIdentity || needPrincipal ? probeCallerIdentity(ctx, "regional", homeRegion) : undefined,
      allIdentity ? probeCallerIdentity(ctx, "global", "us-east-1") : undefined,
      allIdentity && failingRegion && failingRegion !== homeRegion
        ? probeCallerIdentity(ctx, "failing-region", failingRegion)
        : undefined,
    ]);
    tasks.push(
      identityP.then(([r, g, f]) => {
        if (r) report.identity.regional = r;
        if (g) report.identity.global = g;
        if (f) report.identity.failingRegion = f;
      }),
    );
    // Who the caller is, from whichever STS call worked; the probes that need a principal wait for it.
    const callerP = identityP.then((ids): CallerIdentity | undefined => {
      for (const p of ids) if (p?.ok) return p.value;
      return undefined;
    });
    const principalP = callerP.then((c) => (c ? principalOfArn(c.arn) : undefined));

    if (wanted.has("account-summary")) run("accountSummary", () => probeAccountSummary(ctx, homeRegion));
    if (wanted.has("region"))
      run("regionStatus", async () =>
        failingRegion
          ? probeRegionStatus(ctx, failingRegion, homeRegion)
          : notRun("skipped", "no failing region known"),
      );
    const decodeP = wanted.has("decode")
      ? failure?.encodedMessage
        ? probeDecode(ctx, failure.encodedMessage, homeRegion)
        : Promise.resolve(notRun<never>("skipped", "the failure carries no encoded authorization message"))
      : Promise.resolve(undefined);
    tasks.push(
      decodeP.then((v) => {
        if (v) report.decodedMessage = v;
      }),
    );
    if (wanted.has("authorization-details"))
      run("authorizationDetails", async () =>
        failure?.authorization
          ? probeAuthorizationDetails(
              ctx,
              failure.authorization.id,
              failure.authorization.region ?? failingRegion ?? homeRegion,
            )
          : notRun("skipped", "the failure carries no authorization id"),
      );
    const policiesP = principalP.then(async (p) => {
      if (!wanted.has("policies")) return undefined;
      if (!p)
        return notRun<never>("skipped", "no IAM user or role behind the credentials (or identity unknown)");
      return probePolicies(ctx, homeRegion, p);
    });
    tasks.push(
      policiesP.then((v) => {
        if (v) report.authorization = v;
      }),
    );
    if (wanted.has("simulate"))
      run("simulation", async () => {
        const p = await principalP;
        const decoded = await decodeP;
        const act = failure?.action ?? (decoded?.ok ? decoded.value.context.action : undefined);
        if (!act) return notRun("skipped", "no failing action known");
        if (!p) return notRun("skipped", "no IAM user or role behind the credentials (or identity unknown)");
        const snap = await policiesP;
        const roleArn =
          p.kind === "role" && snap?.ok
            ? (snap.value.details.RoleDetailList.find((r) => r.RoleName === p.name)?.Arn as
                | string
                | undefined)
            : undefined;
        return probeSimulation(ctx, homeRegion, roleArn ?? p.arn, act, failure?.resource);
      });
    if (wanted.has("keys"))
      run("accessKeys", async () => {
        const p = await principalP;
        const failingUser = failure?.principal?.kind === "iam-user" ? failure.principal.name : undefined;
        const user = failingUser ?? (p?.kind === "user" ? p.name : undefined);
        if (!user) return notRun("skipped", "no IAM user behind the credentials: no long-term keys to list");
        return probeAccessKeys(ctx, homeRegion, user, keyId, failure?.accessKeyId?.masked);
      });
    if (wanted.has("cloudtrail"))
      run("cloudTrail", async () => {
        return probeTrail(ctx, probeRegion, homeRegion, keyId, at ?? new Date());
      });
    if (wanted.has("cognito"))
      run("cognito", async () => {
        const pool = opts.identityPoolId ?? identityPoolOf(failure);
        return pool ? probeIdentityPool(ctx, pool) : notRun("skipped", "no Cognito identity pool named");
      });
    if (wanted.has("appsync"))
      run("appsync", async () => {
        const api = opts.appsyncApiId
          ? { apiId: opts.appsyncApiId, region: probeRegion }
          : appsyncApiOf(failure);
        return api ? probeAppSync(ctx, api.apiId, api.region) : notRun("skipped", "no AppSync API named");
      });
  } else {
    for (const key of [
      "accountSummary",
      "regionStatus",
      "authorization",
      "accessKeys",
      "cloudTrail",
    ] as const)
      report[key] = noCreds();
  }

  // Tasks may add tasks (none do today); settle everything before reading the results.
  await Promise.allSettled(tasks);
  if (wanted.has("clock")) report.clock = measureSkew(ctx.exchanges);

  const account = [report.identity.regional, report.identity.global, report.identity.failingRegion].find(
    (p) => p?.ok,
  );
  if (account?.ok) for (const entry of ctx.audit) entry.account ??= account.value.account;
  report.unknowns = collectUnknowns(report);
  return report;
}

function collectUnknowns(report: LiveReport): Unknown[] {
  const out: Unknown[] = [];
  const add = (key: string, p: Probed<unknown> | undefined) => {
    if (!p || p.ok || p.outcome === "skipped") return;
    out.push({ what: LABELS[key] ?? key, why: p.reason, ...(p.needs ? { needs: p.needs } : {}) });
  };
  add("credentials", report.credentials);
  add("identity.regional", report.identity.regional);
  add("identity.global", report.identity.global);
  add("identity.failingRegion", report.identity.failingRegion);
  for (const key of [
    "accountSummary",
    "regionStatus",
    "decodedMessage",
    "authorizationDetails",
    "authorization",
    "simulation",
    "accessKeys",
    "cloudTrail",
    "cognito",
    "appsync",
    "clock",
  ] as const)
    add(key, report[key]);
  return out;
}
