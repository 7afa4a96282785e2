// One small function per credential source: (context) -> LinkOutcome, for JS v3 and botocore/CLI v2 (docs/aws-facts.md §2).

import type { ProfileStore } from "./profiles.js";
import type { ProfileResult } from "./shapes.js";
import { envIdentity, resolveJsProfile, resolvePyAssumeRole, resolvePyProfileProviders } from "./shapes.js";
import type { LinkOutcome, SdkId, Setting, Snapshot } from "./types.js";

/** What every link reads. */
export interface ChainContext {
  sdk: SdkId;
  snap: Snapshot;
  store: ProfileStore;
  /** The profile this SDK selects and why. */
  profile: Setting;
  /** Selected by `--profile` (an explicit session/client profile), not by the environment. */
  explicit: boolean;
}

/** A link of a chain: its source id and the function evaluating it. */
export interface Link {
  source: string;
  run: (ctx: ChainContext) => LinkOutcome;
}

const isSet = (v: string | undefined): v is string => v !== undefined && v !== "";

function fromResult(source: string, r: ProfileResult): LinkOutcome {
  if (r.ok)
    return {
      source,
      outcome: "won",
      reason: r.reason,
      where: r.where,
      identity: r.identity,
      profiles: r.profiles,
      ...(r.sourceIdentity ? { sourceIdentity: r.sourceIdentity } : {}),
    };
  return {
    source,
    outcome: r.halts ? "halted" : "unusable",
    reason: r.reason,
    where: r.where,
    profiles: r.profiles,
  };
}

// ---- JS v3 (`fromNodeProviderChain` = `defaultProvider`, docs/aws-facts.md §2.1) ----

/** JS link 1: env keys; skipped when a profile is selected (`--profile` or AWS_PROFILE). Half pairs are skipped. */
export function fromEnvJs(ctx: ChainContext): LinkOutcome {
  const { env } = ctx.snap;
  const source = "env";
  const keysSet = isSet(env.AWS_ACCESS_KEY_ID) && isSet(env.AWS_SECRET_ACCESS_KEY);
  if (ctx.explicit || isSet(env.AWS_PROFILE)) {
    const by = ctx.explicit ? "--profile" : "AWS_PROFILE";
    return {
      source,
      outcome: "skipped",
      reason: keysSet
        ? `${by} is set, so JS v3 ignores AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (it prints a "Multiple credential sources detected" warning)`
        : `${by} is set, so JS v3 skips the environment link`,
      where: by,
    };
  }
  const id = envIdentity(env, "js");
  if (id)
    return {
      source,
      outcome: "won",
      reason: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set",
      where: "AWS_ACCESS_KEY_ID",
      identity: id,
    };
  if (isSet(env.AWS_ACCESS_KEY_ID) || isSet(env.AWS_SECRET_ACCESS_KEY))
    return {
      source,
      outcome: "unusable",
      reason: `only ${isSet(env.AWS_ACCESS_KEY_ID) ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"} is set: JS v3 skips a half-set pair silently`,
      where: isSet(env.AWS_ACCESS_KEY_ID) ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
    };
  return {
    source,
    outcome: "skipped",
    reason: "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set",
    where: "-",
  };
}

/** JS link 2: explicit SSO arguments to `fromNodeProviderChain()`: never present for a default client. */
export function fromSsoArgsJs(_ctx: ChainContext): LinkOutcome {
  return {
    source: "sso-arguments",
    outcome: "skipped",
    reason: "no SSO arguments passed to the chain (SSO profiles are handled by the shared-ini link)",
    where: "-",
  };
}

/** JS link 3: the shared ini files (`fromIni`), profile = --profile, else AWS_PROFILE, else `default`. */
export function fromIniJs(ctx: ChainContext): LinkOutcome {
  return fromResult("shared-ini", resolveJsProfile(ctx.snap, ctx.store, ctx.profile.value));
}

/** JS link 4: `credential_process` of the selected profile (`fromProcess`). */
export function fromProcessJs(ctx: ChainContext): LinkOutcome {
  const p = ctx.store.profiles.get(ctx.profile.value);
  const cp = p?.credential_process;
  if (!cp)
    return {
      source: "process",
      outcome: "skipped",
      reason: `profile \`${ctx.profile.value}\` has no credential_process`,
      where: "-",
    };
  return {
    source: "process",
    outcome: "won",
    reason: `\`credential_process\` of profile \`${ctx.profile.value}\` (not run by authdoctor)`,
    where: cp.where,
    identity: { accessKeyId: "unknown", kind: "unknown", hasSessionToken: false },
    profiles: [ctx.profile.value],
  };
}

/** Web identity from AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (JS link 5, after the ini files). */
export function fromWebIdentityEnvJs(ctx: ChainContext): LinkOutcome {
  const { env } = ctx.snap;
  const source = "web-identity-env";
  const file = env.AWS_WEB_IDENTITY_TOKEN_FILE;
  const role = env.AWS_ROLE_ARN;
  if (!isSet(file) || !isSet(role)) {
    const one = isSet(file) ? "AWS_WEB_IDENTITY_TOKEN_FILE" : isSet(role) ? "AWS_ROLE_ARN" : undefined;
    return one
      ? {
          source,
          outcome: "unusable",
          reason: `only ${one} is set; web identity needs both AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN`,
          where: one,
        }
      : {
          source,
          outcome: "skipped",
          reason: "AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN are not set",
          where: "-",
        };
  }
  const info = ctx.snap.tokenFiles.get(file);
  if (info && (info.status === "missing" || info.status === "unreadable"))
    // the file is read with readFileSync: its error is not a provider error, so the chain stops
    return {
      source,
      outcome: "halted",
      reason: `web identity token file ${info.display} is ${info.status}`,
      where: "AWS_WEB_IDENTITY_TOKEN_FILE",
    };
  return {
    source,
    outcome: "won",
    reason: `AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN: AssumeRoleWithWebIdentity into \`${role}\` at run time`,
    where: "AWS_WEB_IDENTITY_TOKEN_FILE",
    identity: { accessKeyId: "unknown", kind: "temporary", hasSessionToken: true, roleArn: role },
  };
}

const ECS_HOST = "169.254.170.2";
const EKS_HOSTS = ["169.254.170.23", "[fd00:ec2::23]"];

/** Whether a container credentials URL is one the SDKs accept (docs/aws-facts.md §2.1: HTTPS, loopback, ECS or EKS host). */
export function containerUrlAccepted(full: string): { ok: boolean; kind: string } {
  let url: URL;
  try {
    url = new URL(full);
  } catch {
    return { ok: false, kind: "not a URL" };
  }
  if (url.hostname === ECS_HOST) return { ok: true, kind: "ECS" };
  if (EKS_HOSTS.includes(url.hostname)) return { ok: true, kind: "EKS Pod Identity" };
  if (url.protocol === "https:") return { ok: true, kind: "HTTPS endpoint" };
  if (url.hostname === "localhost" || url.hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(url.hostname))
    return { ok: true, kind: "loopback" };
  return { ok: false, kind: "not HTTPS, loopback, ECS or EKS" };
}

/** Container credentials (ECS task role / EKS Pod Identity): decided by the environment, checked only online. */
export function fromContainer(ctx: ChainContext): LinkOutcome {
  const { env } = ctx.snap;
  const source = "container";
  const rel = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  const full = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  if (!isSet(rel) && !isSet(full))
    return {
      source,
      outcome: "skipped",
      reason: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/_FULL_URI are not set",
      where: "-",
    };
  if (isSet(rel))
    return {
      source,
      outcome: "not-checked",
      reason: `ECS container endpoint http://${ECS_HOST}${rel} (network, not checked)`,
      where: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    };
  const check = containerUrlAccepted(full!);
  if (!check.ok)
    return {
      source,
      // JS: a provider error, the chain moves on; botocore raises ValueError (Unsupported host)
      outcome: ctx.sdk === "js" ? "unusable" : "halted",
      reason: `AWS_CONTAINER_CREDENTIALS_FULL_URI is refused by the SDKs (${check.kind})`,
      where: "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    };
  return {
    source,
    outcome: "not-checked",
    reason: `${check.kind} container endpoint from AWS_CONTAINER_CREDENTIALS_FULL_URI (network, not checked)`,
    where: "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  };
}

/** JS: IMDS unless container variables are set; AWS_EC2_METADATA_DISABLED disables it for any value but `false`. */
export function fromImdsJs(ctx: ChainContext): LinkOutcome {
  const { env } = ctx.snap;
  const source = "imds";
  if (isSet(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) || isSet(env.AWS_CONTAINER_CREDENTIALS_FULL_URI))
    return {
      source,
      outcome: "skipped",
      reason: "not tried when container credential variables are set",
      where: "-",
    };
  const d = env.AWS_EC2_METADATA_DISABLED;
  if (isSet(d) && d !== "false")
    return {
      source,
      outcome: "unusable",
      reason: "EC2 Instance Metadata Service access disabled (AWS_EC2_METADATA_DISABLED)",
      where: "AWS_EC2_METADATA_DISABLED",
    };
  return {
    source,
    outcome: "not-checked",
    reason: "instance metadata at 169.254.169.254: not reachable offline (the chain falls through to it)",
    where: "-",
  };
}

// ---- botocore / boto3 and AWS CLI v2 (docs/aws-facts.md §2.2, §2.3) ----

/** botocore first: the named profile must exist and both files must parse, else nothing else runs. */
export function profileLookupPy(ctx: ChainContext): LinkOutcome {
  const source = "profile-lookup";
  const err = ctx.store.fileError;
  if (err)
    return {
      source,
      outcome: "halted",
      reason: `Unable to parse config file: ${err.file.display}: ${err.message}`,
      where: err.file.display,
    };
  const named = ctx.profile.from !== "default";
  if (named && !ctx.store.profiles.has(ctx.profile.value))
    return {
      source,
      outcome: "halted",
      reason: `The config profile (${ctx.profile.value}) could not be found`,
      where: ctx.profile.where,
    };
  return {
    source,
    outcome: "skipped",
    reason: ctx.store.profiles.has(ctx.profile.value)
      ? `profile \`${ctx.profile.value}\` found`
      : "no profile named: the `default` profile is optional",
    where: ctx.store.sectionWhere.get(ctx.profile.value) ?? "-",
  };
}

/** botocore EnvProvider: removed only by an explicit profile; a key without secret raises PartialCredentialsError. */
export function fromEnvPy(ctx: ChainContext): LinkOutcome {
  const { env } = ctx.snap;
  const source = "env";
  if (ctx.explicit)
    return {
      source,
      outcome: "skipped",
      reason: "removed from the chain: a profile was given explicitly (--profile)",
      where: "--profile",
    };
  if (!isSet(env.AWS_ACCESS_KEY_ID))
    return isSet(env.AWS_SECRET_ACCESS_KEY)
      ? {
          source,
          outcome: "unusable",
          reason: "AWS_SECRET_ACCESS_KEY is set without AWS_ACCESS_KEY_ID: ignored",
          where: "AWS_SECRET_ACCESS_KEY",
        }
      : { source, outcome: "skipped", reason: "AWS_ACCESS_KEY_ID is not set", where: "-" };
  if (!isSet(env.AWS_SECRET_ACCESS_KEY))
    return {
      source,
      outcome: "halted",
      reason: "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY",
      where: "AWS_ACCESS_KEY_ID",
    };
  const by =
    isSet(env.AWS_PROFILE) || isSet(env.AWS_DEFAULT_PROFILE)
      ? " (AWS_PROFILE/AWS_DEFAULT_PROFILE do not disable them)"
      : "";
  return {
    source,
    outcome: "won",
    reason: `AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set${by}`,
    where: "AWS_ACCESS_KEY_ID",
    identity: envIdentity(env, "python")!,
  };
}

/** botocore AssumeRoleProvider for the selected profile. */
export function fromAssumeRolePy(ctx: ChainContext): LinkOutcome {
  const r = resolvePyAssumeRole(ctx.snap, ctx.store, ctx.profile.value);
  if (!r)
    return {
      source: "assume-role",
      outcome: "skipped",
      reason: `profile \`${ctx.profile.value}\` has no role_arn (or is web identity)`,
      where: "-",
    };
  return fromResult("assume-role", r);
}

function pyProfileLink(
  source: string,
  which: Parameters<typeof resolvePyProfileProviders>[4],
  none: string,
): (ctx: ChainContext) => LinkOutcome {
  return (ctx) => {
    const r = resolvePyProfileProviders(
      ctx.snap,
      ctx.store,
      ctx.profile.value,
      [ctx.profile.value],
      which,
      !ctx.explicit,
    );
    return r ? fromResult(source, r) : { source, outcome: "skipped", reason: none, where: "-" };
  };
}

/** botocore AssumeRoleWithWebIdentityProvider: env vars (unless --profile) or profile settings. */
export const fromWebIdentityPy = pyProfileLink(
  "web-identity",
  "web-identity",
  "no web identity token file configured",
);
/** botocore SSOProvider. */
export const fromSsoPy = pyProfileLink("sso", "sso", "profile has no SSO settings");
/** botocore SharedCredentialProvider (`~/.aws/credentials`). */
export const fromSharedCredentialsPy = pyProfileLink(
  "shared-credentials-file",
  "shared-credentials-file",
  "no keys for the profile in the credentials file",
);
/** botocore LoginProvider (`aws login`). */
export const fromLoginPy = pyProfileLink("login", "login", "profile has no login_session");
/** botocore ProcessProvider. */
export const fromProcessPy = pyProfileLink("process", "process", "profile has no credential_process");
/** botocore ConfigProvider: static keys written in the config file. */
export const fromConfigFilePy = pyProfileLink(
  "config-file",
  "config-file",
  "no keys for the profile in the config file",
);

/** botocore OriginalEC2Provider / BotoProvider: legacy files authdoctor does not read. */
export function fromLegacyPy(ctx: ChainContext): LinkOutcome {
  const { env } = ctx.snap;
  const v = isSet(env.AWS_CREDENTIAL_FILE)
    ? "AWS_CREDENTIAL_FILE"
    : isSet(env.BOTO_CONFIG)
      ? "BOTO_CONFIG"
      : undefined;
  if (v)
    return {
      source: "legacy-boto",
      outcome: "not-checked",
      reason: `${v} is set: legacy credential file not read by authdoctor`,
      where: v,
    };
  return {
    source: "legacy-boto",
    outcome: "skipped",
    reason: "no AWS_CREDENTIAL_FILE/BOTO_CONFIG (~/.boto and /etc/boto.cfg are not read by authdoctor)",
    where: "-",
  };
}

/** botocore InstanceMetadataProvider: AWS_EC2_METADATA_DISABLED=true (only `true`) disables it. */
export function fromImdsPy(ctx: ChainContext): LinkOutcome {
  const d = ctx.snap.env.AWS_EC2_METADATA_DISABLED;
  if (isSet(d) && d.toLowerCase() === "true")
    return {
      source: "imds",
      outcome: "unusable",
      reason: "disabled by AWS_EC2_METADATA_DISABLED=true",
      where: "AWS_EC2_METADATA_DISABLED",
    };
  return {
    source: "imds",
    outcome: "not-checked",
    reason:
      "instance metadata at 169.254.169.254: not reachable offline (the chain falls through to it; 1 s timeout, 1 attempt)",
    where: "-",
  };
}
