// The provider chains as data (one array per SDK, so precedence differences show in a diff) and the ladder walk.

import { jsStore, type ProfileStore, pyStore, val } from "./profiles.js";
import {
  type ChainContext,
  fromAssumeRolePy,
  fromConfigFilePy,
  fromContainer,
  fromEnvJs,
  fromEnvPy,
  fromImdsJs,
  fromImdsPy,
  fromIniJs,
  fromLegacyPy,
  fromLoginPy,
  fromProcessJs,
  fromProcessPy,
  fromSharedCredentialsPy,
  fromSsoArgsJs,
  fromSsoPy,
  fromWebIdentityEnvJs,
  fromWebIdentityPy,
  type Link,
  profileLookupPy,
} from "./sources.js";
import type { LinkOutcome, SdkId, SdkResolution, Setting, Snapshot } from "./types.js";

/** JS v3 `defaultProvider` (docs/aws-facts.md §2.1): env (skipped under a profile) -> ini -> process -> web identity env -> remote. */
export const JS_CHAIN: readonly Link[] = [
  { source: "env", run: fromEnvJs },
  { source: "sso-arguments", run: fromSsoArgsJs },
  { source: "shared-ini", run: fromIniJs },
  { source: "process", run: fromProcessJs },
  { source: "web-identity-env", run: fromWebIdentityEnvJs },
  { source: "container", run: fromContainer },
  { source: "imds", run: fromImdsJs },
];

/** botocore `create_credential_resolver` (docs/aws-facts.md §2.2): web identity comes BEFORE the credentials file. */
export const PYTHON_CHAIN: readonly Link[] = [
  { source: "profile-lookup", run: profileLookupPy },
  { source: "env", run: fromEnvPy },
  { source: "assume-role", run: fromAssumeRolePy },
  { source: "web-identity", run: fromWebIdentityPy },
  { source: "sso", run: fromSsoPy },
  { source: "shared-credentials-file", run: fromSharedCredentialsPy },
  { source: "login", run: fromLoginPy },
  { source: "process", run: fromProcessPy },
  { source: "config-file", run: fromConfigFilePy },
  { source: "legacy-boto", run: fromLegacyPy },
  { source: "container", run: fromContainer },
  { source: "imds", run: fromImdsPy },
];

/** AWS CLI v2 (docs/aws-facts.md §2.3): its vendored botocore, same ladder; differs in profile/region variables and STS. */
export const CLI_CHAIN: readonly Link[] = [
  { source: "profile-lookup", run: profileLookupPy },
  { source: "env", run: fromEnvPy },
  { source: "assume-role", run: fromAssumeRolePy },
  { source: "web-identity", run: fromWebIdentityPy },
  { source: "sso", run: fromSsoPy },
  { source: "shared-credentials-file", run: fromSharedCredentialsPy },
  { source: "login", run: fromLoginPy },
  { source: "process", run: fromProcessPy },
  { source: "config-file", run: fromConfigFilePy },
  { source: "legacy-boto", run: fromLegacyPy },
  { source: "container", run: fromContainer },
  { source: "imds", run: fromImdsPy },
];

const CHAINS: Record<SdkId, readonly Link[]> = { js: JS_CHAIN, python: PYTHON_CHAIN, cli: CLI_CHAIN };

const LABELS: Record<SdkId, string> = {
  js: "AWS SDK for JavaScript v3",
  python: "boto3 (botocore)",
  cli: "AWS CLI v2",
};

/** Profile environment variables in the order each SDK reads them (docs/aws-facts.md §2.5). */
export const PROFILE_VARS: Record<SdkId, readonly string[]> = {
  js: ["AWS_PROFILE"],
  python: ["AWS_DEFAULT_PROFILE", "AWS_PROFILE"],
  cli: ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"],
};

/** Region environment variables in the order each SDK reads them (docs/aws-facts.md §2.4). */
export const REGION_VARS: Record<SdkId, readonly string[]> = {
  js: ["AWS_REGION"],
  python: ["AWS_DEFAULT_REGION"],
  cli: ["AWS_REGION", "AWS_DEFAULT_REGION"],
};

/** Regions that `sts_regional_endpoints = legacy` sends to the global endpoint (docs/aws-facts.md §3.1). */
export const LEGACY_GLOBAL_STS_REGIONS = new Set([
  "ap-northeast-1",
  "ap-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "aws-global",
  "ca-central-1",
  "eu-central-1",
  "eu-north-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
]);

const SOURCE_LABELS: Record<string, string> = {
  env: "environment variables",
  "sso-arguments": "SSO arguments",
  "shared-ini": "shared config/credentials files",
  process: "credential_process",
  "web-identity-env": "web identity (environment)",
  "web-identity": "web identity",
  container: "container credentials endpoint",
  imds: "EC2 instance metadata (IMDS)",
  "profile-lookup": "profile lookup",
  "assume-role": "assume role",
  sso: "IAM Identity Center (SSO)",
  "shared-credentials-file": "shared credentials file",
  login: "aws login",
  "config-file": "config file keys",
  "legacy-boto": "legacy boto files",
};

/** A human label of a source id. */
export function sourceLabel(source: string): string {
  return SOURCE_LABELS[source] ?? source;
}

const isSet = (v: string | undefined): v is string => v !== undefined && v !== "";

/** An endpoint URL without user info, query or fragment (which could carry secrets). */
export function redactUrl(v: string): string {
  try {
    const u = new URL(v.trim());
    return `${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return "(not a URL)";
  }
}

/** The profile an SDK selects: the explicit flag, then its environment variables in order, then `default`. */
export function selectProfile(sdk: SdkId, snap: Snapshot): Setting {
  if (snap.explicitProfile) return { value: snap.explicitProfile, from: "--profile", where: "--profile" };
  for (const v of PROFILE_VARS[sdk]) {
    const value = snap.env[v];
    // JS skips an empty AWS_PROFILE (`||`); botocore takes a variable that is set, even empty (ProfileNotFound)
    if (value !== undefined && (sdk !== "js" || value !== "")) return { value, from: v, where: v };
  }
  return { value: "default", from: "default", where: "-" };
}

/** The region an SDK uses and where it came from (docs/aws-facts.md §2.1–§2.4). */
export function selectRegion(
  sdk: SdkId,
  snap: Snapshot,
  store: ProfileStore,
  profile: string,
): Setting | null {
  for (const v of REGION_VARS[sdk]) {
    const value = snap.env[v];
    if (isSet(value)) return { value, from: v, where: v };
  }
  const p = store.profiles.get(profile);
  const r = p?.region;
  if (r) return { value: r.value, from: r.file, where: r.where };
  return null;
}

/** Endpoint overrides for STS and for all services (docs/aws-facts.md §2.2 endpoints). */
function endpointOverrides(
  snap: Snapshot,
  store: ProfileStore,
  profile: string,
): { all: Setting[]; sts?: Setting } {
  const ignore = (snap.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "").toLowerCase() === "true";
  const all: Setting[] = [];
  for (const [k, v] of Object.entries(snap.env))
    if (isSet(v) && (k === "AWS_ENDPOINT_URL" || k.startsWith("AWS_ENDPOINT_URL_")))
      all.push({ value: redactUrl(v), from: k, where: k });
  const p = store.profiles.get(profile);
  const pe = p?.endpoint_url;
  if (pe) all.push({ value: redactUrl(pe.value), from: "endpoint_url", where: pe.where });
  const servicesName = val(p, "services");
  let stsSection: Setting | undefined;
  if (servicesName) {
    for (const s of snap.config.scan.sections) {
      if (s.header.replace(/\s+/g, " ") !== `services ${servicesName}`) continue;
      for (const e of s.entries)
        if (e.key.endsWith(".endpoint_url")) {
          const setting = {
            value: redactUrl(e.value),
            from: `services ${servicesName}: ${e.key}`,
            where: `${snap.config.display}:${e.line}`,
          };
          all.push(setting);
          if (e.key === "sts.endpoint_url") stsSection = setting;
        }
    }
  }
  if (ignore) return { all: [] };
  const sts =
    all.find((s) => s.from === "AWS_ENDPOINT_URL_STS") ??
    stsSection ??
    all.find((s) => s.from === "AWS_ENDPOINT_URL") ??
    all.find((s) => s.from === "endpoint_url");
  return { all, ...(sts ? { sts } : {}) };
}

function stsEndpointFor(region: string | undefined): string {
  if (!region) return "unknown (no region set)";
  if (region === "aws-global") return "https://sts.amazonaws.com";
  return `https://sts.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`;
}

/** STS endpoint mode per SDK defaults (docs/aws-facts.md §3.1). */
function stsMode(
  sdk: SdkId,
  snap: Snapshot,
  store: ProfileStore,
  profile: string,
  region: string | undefined,
  override: Setting | undefined,
): SdkResolution["sts"] {
  if (override) {
    const global = /^https?:\/\/sts\.amazonaws\.com\/?$/i.test(override.value.trim());
    return {
      mode: global ? "global" : "regional",
      endpoint: override.value,
      why: `endpoint override ${override.from} (${override.where})`,
    };
  }
  if (region === "aws-global")
    return {
      mode: "global",
      endpoint: stsEndpointFor(region),
      why: "region `aws-global` selects the global endpoint",
    };
  if (sdk === "js")
    return {
      mode: "regional",
      endpoint: stsEndpointFor(region),
      why: "JS v3 always uses the Regional endpoint; AWS_STS_REGIONAL_ENDPOINTS is not read",
    };
  if (sdk === "cli")
    return {
      mode: "regional",
      endpoint: stsEndpointFor(region),
      why: "AWS CLI v2 always uses the Regional endpoint; it has no sts_regional_endpoints setting",
    };
  const env = snap.env.AWS_STS_REGIONAL_ENDPOINTS;
  const cfg = store.profiles.get(profile)?.sts_regional_endpoints;
  const setting = isSet(env)
    ? { v: env, from: "AWS_STS_REGIONAL_ENDPOINTS" }
    : cfg
      ? { v: cfg.value, from: `sts_regional_endpoints (${cfg.where})` }
      : undefined;
  if (setting && setting.v.trim().toLowerCase() === "legacy") {
    if (region && LEGACY_GLOBAL_STS_REGIONS.has(region))
      return {
        mode: "global",
        endpoint: "https://sts.amazonaws.com",
        why: `${setting.from} = legacy sends ${region} to the global endpoint`,
      };
    return {
      mode: "regional",
      endpoint: stsEndpointFor(region),
      why: `${setting.from} = legacy, but ${region ?? "this region"} always uses its Regional endpoint`,
    };
  }
  return {
    mode: "regional",
    endpoint: stsEndpointFor(region),
    why: setting
      ? `${setting.from} = ${setting.v}`
      : "botocore >= 1.40.0 defaults to regional; older releases default to legacy",
  };
}

/** The error each SDK prints when nothing in its chain yields credentials (docs/aws-facts.md §1.21). */
const NO_CREDENTIALS: Record<SdkId, string> = {
  js: "CredentialsProviderError: Could not load credentials from any providers",
  python: "NoCredentialsError: Unable to locate credentials",
  cli: 'Unable to locate credentials. You can configure credentials by running "aws login".',
};

/** Walk every link of the chain, keeping each outcome; return what decided it and what would come next. */
export function walk(
  chain: readonly Link[],
  ctx: ChainContext,
): { outcomes: LinkOutcome[]; decided: number; next: number } {
  const outcomes: LinkOutcome[] = [];
  let decided = -1;
  let next = -1;
  const decides = (o: LinkOutcome) =>
    o.outcome === "won" ||
    o.outcome === "halted" ||
    (o.outcome === "not-checked" && (o.source === "container" || o.source === "imds"));
  for (const link of chain) {
    const o = { ...link.run(ctx), reached: decided < 0 };
    outcomes.push(o);
    if (decided < 0) {
      if (decides(o)) decided = outcomes.length - 1;
    } else if (next < 0 && (o.outcome === "won" || o.outcome === "not-checked")) {
      next = outcomes.length - 1;
    }
  }
  return { outcomes, decided, next };
}

/** Resolve one SDK's view of the snapshot. */
export function resolveSdk(
  sdk: SdkId,
  snap: Snapshot,
  stores: { js: ProfileStore; python: ProfileStore },
): SdkResolution {
  const store = sdk === "js" ? stores.js : stores.python;
  const profile = selectProfile(sdk, snap);
  const ctx: ChainContext = { sdk, snap, store, profile, explicit: !!snap.explicitProfile };
  const { outcomes, decided, next } = walk(CHAINS[sdk], ctx);
  const d = decided >= 0 ? outcomes[decided]! : null;
  const result: SdkResolution["result"] = !d
    ? "none"
    : d.outcome === "won"
      ? "credentials"
      : d.outcome === "halted"
        ? "error"
        : "network";
  const summary =
    result === "credentials"
      ? `${sourceLabel(d!.source)}: ${d!.reason}`
      : result === "error"
        ? `stops at ${sourceLabel(d!.source)}: ${d!.reason}`
        : result === "network"
          ? `falls through to ${sourceLabel(d!.source)}: ${d!.reason}`
          : `no credentials: ${NO_CREDENTIALS[sdk]}`;
  const region = selectRegion(sdk, snap, store, profile.value);
  const endpoints = endpointOverrides(snap, store, profile.value);
  return {
    sdk,
    label: LABELS[sdk],
    profile,
    configFile: snap.config.display,
    credentialsFile: snap.credentials.display,
    chain: outcomes,
    winner: d && d.outcome === "won" ? d : null,
    decidedBy: d,
    next: next >= 0 ? outcomes[next]! : null,
    result,
    summary,
    ...(result === "error" ? { error: d!.reason } : result === "none" ? { error: NO_CREDENTIALS[sdk] } : {}),
    profileChain: d?.profiles ?? [],
    region,
    sts: stsMode(sdk, snap, store, profile.value, region?.value, endpoints.sts),
    endpointOverrides: endpoints.all,
  };
}

/** Both profile views of a snapshot. */
export function buildStores(snap: Snapshot): { js: ProfileStore; python: ProfileStore } {
  return { js: jsStore(snap.config, snap.credentials), python: pyStore(snap.config, snap.credentials) };
}
