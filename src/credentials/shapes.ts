// Profile shapes as predicates, and the rung-by-rung resolution of one profile per SDK family (docs/aws-facts.md §2.1, §2.2).

import { runtimeIdentity, staticIdentity } from "./identity.js";
import type { Profile, ProfileStore } from "./profiles.js";
import { val } from "./profiles.js";
import type { MaskedIdentity, Snapshot } from "./types.js";

/** `aws_access_key_id` and `aws_secret_access_key` both present (JS: both strings; botocore: key present). */
export const isStaticProfile = (p: Profile | undefined): boolean =>
  p?.aws_access_key_id !== undefined && p?.aws_secret_access_key !== undefined;

/** JS `isAssumeRoleProfile`: `role_arn` plus exactly one of `source_profile` / `credential_source`. */
export const isJsAssumeRoleProfile = (p: Profile | undefined): boolean =>
  p?.role_arn !== undefined && (p.source_profile !== undefined) !== (p.credential_source !== undefined);

/** botocore `_has_assume_role_config_vars`: `role_arn` and no `web_identity_token_file`. */
export const isPyAssumeRoleProfile = (p: Profile | undefined): boolean =>
  p?.role_arn !== undefined && p.web_identity_token_file === undefined;

/** `web_identity_token_file` + `role_arn`. */
export const isWebIdentityProfile = (p: Profile | undefined): boolean =>
  p?.web_identity_token_file !== undefined && p?.role_arn !== undefined;

export const isProcessProfile = (p: Profile | undefined): boolean => p?.credential_process !== undefined;

/** JS `isSsoProfile`: any of the five SSO keys. */
export const isJsSsoProfile = (p: Profile | undefined): boolean =>
  ["sso_start_url", "sso_account_id", "sso_session", "sso_region", "sso_role_name"].some(
    (k) => p?.[k] !== undefined,
  );

/** botocore SSOProvider: role name or account id present. */
export const isPySsoProfile = (p: Profile | undefined): boolean =>
  p?.sso_role_name !== undefined || p?.sso_account_id !== undefined;

export const isLoginProfile = (p: Profile | undefined): boolean => p?.login_session !== undefined;

/** `credential_source` without `role_arn` (JS treats such a source profile as a plain credential source). */
const isCredentialSourceWithoutRoleArn = (p: Profile | undefined): boolean =>
  p?.role_arn === undefined && p?.credential_source !== undefined;

export const CREDENTIAL_SOURCES = ["EcsContainer", "Ec2InstanceMetadata", "Environment"];

/** Longest source_profile chain followed: a longer one (thousands of profiles) is reported, not walked (each
 * hop is a nested call and a copy of the path: the stack would overflow). */
export const MAX_SOURCE_HOPS = 256;

function tooLong(store: ProfileStore, name: string, path: string[], halts: boolean): ProfileResult {
  const p = store.profiles.get(name);
  return {
    ok: false,
    halts,
    reason: `source_profile chain longer than ${MAX_SOURCE_HOPS} profiles from \`${path[0]}\`: not followed`,
    where: p ? whereOf(store, name, p, "source_profile") : (store.sectionWhere.get(name) ?? "-"),
    profiles: path,
  };
}

/** The result of resolving one profile. `network`: the SDK would call AWS (STS, SSO) or a local endpoint. */
export type ProfileResult =
  | {
      ok: true;
      kind: string;
      reason: string;
      where: string;
      identity: MaskedIdentity;
      profiles: string[];
      /** Keys that sign the first AssumeRole call, when static. */
      sourceIdentity?: MaskedIdentity;
    }
  | { ok: false; halts: boolean; reason: string; where: string; profiles: string[] };

function whereOf(store: ProfileStore, name: string, p: Profile | undefined, key?: string): string {
  return (key && p?.[key]?.where) || store.sectionWhere.get(name) || "-";
}

/** Static keys of a profile as a result (JS and botocore agree on the fields; botocore also reads aws_security_token). */
function staticResult(store: ProfileStore, name: string, p: Profile, profiles: string[]): ProfileResult {
  const token =
    store.family === "python"
      ? (val(p, "aws_security_token") ?? val(p, "aws_session_token"))
      : val(p, "aws_session_token");
  const identity = staticIdentity({
    accessKeyId: val(p, "aws_access_key_id") ?? "",
    hasSessionToken: !!token,
    accountId: val(p, "aws_account_id"),
  });
  return {
    ok: true,
    kind: "static",
    reason: `static keys of profile \`${name}\``,
    where: whereOf(store, name, p, "aws_access_key_id"),
    identity,
    profiles,
  };
}

/** The env keys as a credential source (JS `fromEnv`; botocore EnvProvider for `credential_source = Environment`). */
export function envIdentity(
  env: Record<string, string | undefined>,
  family: "js" | "python",
): MaskedIdentity | undefined {
  const id = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  if (!id || !secret) return undefined;
  const token = family === "python" ? env.AWS_SECURITY_TOKEN || env.AWS_SESSION_TOKEN : env.AWS_SESSION_TOKEN;
  return staticIdentity({
    accessKeyId: id,
    hasSessionToken: !!token,
    accountId: env.AWS_ACCOUNT_ID,
    accountIdFrom: "AWS_ACCOUNT_ID",
    expires: env.AWS_CREDENTIAL_EXPIRATION,
  });
}

/** SSO profile checks shared by both families: session block, required keys, cached token. */
function ssoResult(
  snap: Snapshot,
  store: ProfileStore,
  name: string,
  p: Profile,
  profiles: string[],
): ProfileResult {
  const sessionName = val(p, "sso_session");
  const merged: Record<string, string | undefined> = {
    sso_start_url: val(p, "sso_start_url"),
    sso_region: val(p, "sso_region"),
    sso_account_id: val(p, "sso_account_id"),
    sso_role_name: val(p, "sso_role_name"),
  };
  const where = whereOf(store, name, p, sessionName ? "sso_session" : "sso_start_url");
  if (sessionName) {
    const session = store.ssoSessions.get(sessionName);
    if (!session)
      return {
        ok: false,
        halts: true,
        reason: `profile \`${name}\` names sso-session \`${sessionName}\` but the config file has no \`[sso-session ${sessionName}]\` section`,
        where,
        profiles,
      };
    merged.sso_start_url = val(session, "sso_start_url");
    merged.sso_region = val(session, "sso_region");
  }
  const missing = Object.entries(merged)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length > 0)
    return {
      ok: false,
      halts: true,
      reason: `SSO profile \`${name}\` is missing ${missing.map((k) => `\`${k}\``).join(", ")}`,
      where,
      profiles,
    };
  const cacheKey = sessionName ?? merged.sso_start_url!;
  const tok = snap.sso.get(cacheKey);
  if (tok?.status !== "ok")
    return {
      ok: false,
      halts: true,
      reason: `${tok?.status === "garbled" || tok?.status === "unreadable" ? "an unreadable" : "no"} cached SSO token for ${sessionName ? `sso-session \`${sessionName}\`` : `start URL \`${cacheKey}\``}: run \`aws sso login\``,
      where: tok?.display ?? where,
      profiles,
    };
  const expired = tok.expiresAt !== undefined && Date.parse(tok.expiresAt) <= snap.now.getTime();
  if (expired && !(sessionName && tok.hasRefreshToken))
    return {
      ok: false,
      halts: true,
      reason: `the cached SSO token expired at ${tok.expiresAt}: run \`aws sso login\``,
      where: tok.display,
      profiles,
    };
  return {
    ok: true,
    kind: "sso",
    reason: `SSO profile \`${name}\`: role \`${merged.sso_role_name}\` in account ${merged.sso_account_id}${expired ? " (token expired; the SDK will try to refresh it)" : ""}, fetched from the SSO portal at run time`,
    where,
    identity: runtimeIdentity({
      kind: "temporary",
      account: merged.sso_account_id,
      accountFrom: "sso_account_id",
    }),
    profiles,
  };
}

/** Web identity token file check: the file must exist and be readable when the SDK reads it. */
function webIdentityResult(
  snap: Snapshot,
  tokenFile: string,
  roleArn: string,
  where: string,
  profiles: string[],
  how: string,
): ProfileResult {
  const info = snap.tokenFiles.get(tokenFile);
  if (info && (info.status === "missing" || info.status === "unreadable"))
    return {
      ok: false,
      halts: true,
      reason: `web identity token file ${info.display} is ${info.status}`,
      where: info.display,
      profiles,
    };
  return {
    ok: true,
    kind: "web-identity",
    reason: `${how}: AssumeRoleWithWebIdentity into \`${roleArn}\` at run time`,
    where,
    identity: runtimeIdentity({ kind: "temporary", roleArn }),
    profiles,
  };
}

/** `credential_source` as the source of an assume-role hop. */
function credentialSourceResult(
  snap: Snapshot,
  source: string,
  name: string,
  where: string,
  profiles: string[],
  family: "js" | "python",
): ProfileResult {
  if (!CREDENTIAL_SOURCES.includes(source))
    return {
      ok: false,
      // JS: CredentialsProviderError (tryNextLink); botocore: InvalidConfigError
      halts: family === "python",
      reason: `unsupported \`credential_source = ${source}\` in profile \`${name}\` (expected EcsContainer, Ec2InstanceMetadata or Environment)`,
      where,
      profiles,
    };
  if (source === "Environment") {
    const id = envIdentity(snap.env, family);
    if (!id)
      return {
        ok: false,
        halts: family === "python",
        reason: `profile \`${name}\` takes its source keys from the environment, but AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not both set`,
        where,
        profiles,
      };
    return {
      ok: true,
      kind: "credential-source",
      reason: "environment keys",
      where: "AWS_ACCESS_KEY_ID",
      identity: id,
      profiles,
    };
  }
  return {
    ok: true,
    kind: "credential-source",
    reason: `${source} (${source === "EcsContainer" ? "container endpoint" : "instance metadata"}, not checked offline)`,
    where,
    identity: runtimeIdentity({ kind: "temporary" }),
    profiles,
  };
}

function assumeRoleOk(
  store: ProfileStore,
  name: string,
  p: Profile,
  src: ProfileResult & { ok: true },
  profiles: string[],
): ProfileResult {
  const roleArn = val(p, "role_arn")!;
  return {
    ok: true,
    kind: "assume-role",
    reason: `profile \`${name}\` assumes \`${roleArn}\` with ${src.reason}`,
    where: whereOf(store, name, p, "role_arn"),
    identity: runtimeIdentity({ kind: "temporary", roleArn }),
    profiles,
    ...(src.kind === "static" || src.kind === "credential-source"
      ? { sourceIdentity: src.identity }
      : src.sourceIdentity
        ? { sourceIdentity: src.sourceIdentity }
        : {}),
  };
}

/**
 * JS v3 `resolveProfileData` [JS-INI], rung by rung. `path` is the profiles entered so far, first hop first
 * (JS's `visitedProfiles` is `path` without its first entry); `recursive` is JS's `isAssumeRoleRecursiveCall`
 * (a source profile that has `credential_source` but no `role_arn`).
 */
export function resolveJsProfile(
  snap: Snapshot,
  store: ProfileStore,
  name: string,
  path: string[] = [name],
  recursive = false,
): ProfileResult {
  if (path.length > MAX_SOURCE_HOPS) return tooLong(store, name, path, false);
  const p = store.profiles.get(name);
  const visited = path.slice(1);
  // rung a: on a source_profile hop, static keys win, even over that profile's own role_arn
  if (visited.length > 0 && p && isStaticProfile(p)) return staticResult(store, name, p, path);
  // rung b: role_arn + exactly one of source_profile / credential_source -> AssumeRole; on the FIRST hop
  // this beats static keys in the same profile
  if (p && (recursive || isJsAssumeRoleProfile(p))) {
    const sp = val(p, "source_profile");
    const where = whereOf(store, name, p, sp ? "source_profile" : "credential_source");
    if (sp !== undefined && visited.includes(sp))
      return {
        ok: false,
        halts: false,
        reason: `source_profile loop: ${[...path, sp].join(" -> ")}`,
        where,
        profiles: [...path, sp],
      };
    let src: ProfileResult;
    if (sp !== undefined && !store.profiles.has(sp)) {
      src = {
        ok: false,
        halts: false,
        reason: `source_profile \`${sp}\` of profile \`${name}\` does not exist`,
        where,
        profiles: [...path, sp],
      };
    } else if (sp !== undefined) {
      src = resolveJsProfile(
        snap,
        store,
        sp,
        [...path, sp],
        isCredentialSourceWithoutRoleArn(store.profiles.get(sp)),
      );
    } else {
      src = credentialSourceResult(snap, val(p, "credential_source")!, name, where, path, "js");
    }
    // a credential_source without role_arn reached as a source: its credentials are used directly
    if (isCredentialSourceWithoutRoleArn(p)) return src;
    // mfa_serial is checked before the source credentials are awaited; no MFA callback in the default chain
    if (val(p, "mfa_serial"))
      return {
        ok: false,
        halts: true,
        reason: `profile \`${name}\` requires multi-factor authentication (\`mfa_serial\`), but no MFA code callback was provided`,
        where: whereOf(store, name, p, "mfa_serial"),
        profiles: src.profiles,
      };
    if (!src.ok) return src;
    return assumeRoleOk(store, name, p, src, src.profiles);
  }
  // rung c: static keys (first hop, when no assume-role shape)
  if (p && isStaticProfile(p)) return staticResult(store, name, p, path);
  // rung d: web_identity_token_file + role_arn (the token file is read now: a missing file stops the chain)
  if (p && isWebIdentityProfile(p))
    return webIdentityResult(
      snap,
      val(p, "web_identity_token_file")!,
      val(p, "role_arn")!,
      whereOf(store, name, p, "web_identity_token_file"),
      path,
      `profile \`${name}\``,
    );
  // rung e: credential_process (authdoctor never runs it)
  if (p && isProcessProfile(p))
    return {
      ok: true,
      kind: "process",
      reason: `\`credential_process\` of profile \`${name}\` (not run by authdoctor)`,
      where: whereOf(store, name, p, "credential_process"),
      identity: runtimeIdentity({ kind: "unknown" }),
      profiles: path,
    };
  // rung f: any SSO key -> SSO (errors here stop the chain: tryNextLink false)
  if (p && isJsSsoProfile(p)) return ssoResult(snap, store, name, p, path);
  // rung g: login_session -> `aws login` credentials
  if (p && isLoginProfile(p))
    return {
      ok: true,
      kind: "login",
      reason: `\`login_session\` of profile \`${name}\` (\`aws login\` cache, not checked)`,
      where: whereOf(store, name, p, "login_session"),
      identity: runtimeIdentity({ kind: "temporary" }),
      profiles: path,
    };
  // rung h: nothing usable (tryNextLink: the chain moves on)
  return {
    ok: false,
    halts: false,
    reason: p
      ? `profile \`${name}\` has no credentials (no keys, role, process, SSO or login settings)`
      : `profile \`${name}\` is not defined in the config or credentials file`,
    where: store.sectionWhere.get(name) ?? "-",
    profiles: path,
  };
}

/**
 * botocore's profile providers for one profile (disable_env_vars: source hops and explicit profiles), in
 * order [BOTO-CRED]: web identity, SSO, shared credentials file, login, credential_process, config file keys.
 * Returns undefined when none applies.
 */
export function resolvePyProfileProviders(
  snap: Snapshot,
  store: ProfileStore,
  name: string,
  profiles: string[],
  which: "all" | "web-identity" | "sso" | "shared-credentials-file" | "login" | "process" | "config-file",
  envAllowed: boolean,
): ProfileResult | undefined {
  const p = store.profiles.get(name);
  const want = (k: typeof which) => which === "all" || which === k;
  if (want("web-identity")) {
    const envFile = envAllowed ? snap.env.AWS_WEB_IDENTITY_TOKEN_FILE : undefined;
    const tokenFile = envFile || val(p, "web_identity_token_file");
    if (tokenFile) {
      const roleArn = (envAllowed ? snap.env.AWS_ROLE_ARN : undefined) || val(p, "role_arn");
      const where = envFile
        ? "AWS_WEB_IDENTITY_TOKEN_FILE"
        : whereOf(store, name, p, "web_identity_token_file");
      if (!roleArn)
        return {
          ok: false,
          halts: true,
          reason: "web identity is configured but no role ARN (`role_arn` or AWS_ROLE_ARN) is set",
          where,
          profiles,
        };
      return webIdentityResult(
        snap,
        tokenFile,
        roleArn,
        where,
        profiles,
        envFile ? "AWS_WEB_IDENTITY_TOKEN_FILE" : `profile \`${name}\``,
      );
    }
  }
  if (want("sso") && p && isPySsoProfile(p)) return ssoResult(snap, store, name, p, profiles);
  if (want("shared-credentials-file") && p?.aws_access_key_id?.file === "credentials") {
    if (p.aws_secret_access_key === undefined)
      return {
        ok: false,
        halts: true,
        reason: `partial credentials in profile \`${name}\`: \`aws_secret_access_key\` is missing`,
        where: p.aws_access_key_id.where,
        profiles,
      };
    return staticResult(store, name, p, profiles);
  }
  if (want("login") && p && isLoginProfile(p))
    return {
      ok: true,
      kind: "login",
      reason: `\`login_session\` of profile \`${name}\` (\`aws login\` cache, not checked)`,
      where: whereOf(store, name, p, "login_session"),
      identity: runtimeIdentity({ kind: "temporary" }),
      profiles,
    };
  if (want("process") && p && isProcessProfile(p))
    return {
      ok: true,
      kind: "process",
      reason: `\`credential_process\` of profile \`${name}\` (not run by authdoctor)`,
      where: whereOf(store, name, p, "credential_process"),
      identity: runtimeIdentity({ kind: "unknown" }),
      profiles,
    };
  if (want("config-file") && p?.aws_access_key_id !== undefined) {
    if (p.aws_secret_access_key === undefined)
      return {
        ok: false,
        halts: true,
        reason: `partial credentials in profile \`${name}\`: \`aws_secret_access_key\` is missing`,
        where: p.aws_access_key_id.where,
        profiles,
      };
    return staticResult(store, name, p, profiles);
  }
  return undefined;
}

/**
 * botocore AssumeRoleProvider for one profile [BOTO-CRED]. First hop: `role_arn` (without web identity) wins
 * over every other setting of the profile, static keys included. Source hops: a source profile with static
 * keys, or without `role_arn`, is resolved through its own profile providers (env disabled); otherwise its
 * role is assumed in turn. `path` is botocore's `_visited_profiles`.
 */
export function resolvePyAssumeRole(
  snap: Snapshot,
  store: ProfileStore,
  name: string,
  path: string[] = [name],
): ProfileResult | undefined {
  if (path.length > MAX_SOURCE_HOPS) return tooLong(store, name, path, true);
  const p = store.profiles.get(name);
  if (!p || !isPyAssumeRoleProfile(p)) return undefined;
  const sp = val(p, "source_profile");
  const cs = val(p, "credential_source");
  const roleWhere = whereOf(store, name, p, "role_arn");
  const fail = (reason: string, where: string, profiles = path): ProfileResult => ({
    ok: false,
    halts: true,
    reason,
    where,
    profiles,
  });
  if (sp !== undefined && cs !== undefined)
    return fail(`profile \`${name}\` contains both source_profile and credential_source`, roleWhere);
  if (sp === undefined && cs === undefined)
    return fail(
      `profile \`${name}\` has \`role_arn\` but neither source_profile nor credential_source`,
      roleWhere,
    );
  let src: ProfileResult;
  if (cs !== undefined) {
    src = credentialSourceResult(
      snap,
      cs,
      name,
      whereOf(store, name, p, "credential_source"),
      path,
      "python",
    );
  } else {
    const spWhere = whereOf(store, name, p, "source_profile");
    const sourceP = store.profiles.get(sp!);
    const next = [...path, sp!];
    if (!sourceP)
      return fail(
        `the source_profile \`${sp}\` referenced in profile \`${name}\` does not exist`,
        spWhere,
        next,
      );
    // a profile may name itself as source_profile only to use its own static keys
    if (path.includes(sp!) && !(sp === name && isStaticProfile(sourceP)))
      return fail(`infinite loop in credential configuration: ${next.join(" -> ")}`, spWhere, next);
    if (isStaticProfile(sourceP) || !isPyAssumeRoleProfile(sourceP) || sp === name) {
      src =
        resolvePyProfileProviders(snap, store, sp!, next, "all", false) ??
        fail(
          `the source profile \`${sp}\` must have credentials`,
          store.sectionWhere.get(sp!) ?? spWhere,
          next,
        );
    } else {
      src = resolvePyAssumeRole(snap, store, sp!, next)!;
    }
  }
  if (!src.ok) return { ...src, halts: true };
  return assumeRoleOk(store, name, p, src, src.profiles);
}
