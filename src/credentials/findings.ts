// Checks over the snapshot and the three resolutions: each problem becomes one Finding (no secret in any text).

import { createRequire } from "node:module";
import { maskKeyId } from "../core/redact.js";
import { OPT_IN_REGIONS } from "../core/regions.js";
import { redactUrl, sourceLabel } from "./chains.js";
import { jsConfigProfileName, jsCredentialsProfileName, pyConfigSection } from "./ini.js";
import { checkKeyId, checkSecret, keyKind, redactedPlaceholder, type ShapeProblem } from "./keys.js";
import type { Profile, ProfileStore } from "./profiles.js";
import { val } from "./profiles.js";
import { CREDENTIAL_SOURCES, MAX_SOURCE_HOPS } from "./shapes.js";
import { containerUrlAccepted } from "./sources.js";
import type { FileSnapshot, Finding, SdkId, SdkResolution, Snapshot } from "./types.js";

const REGION_RE = /^(?:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}|aws-global)$/;
const ROLE_ARN_RE = /^arn:aws(?:-cn|-us-gov|-iso(?:-[a-z])?)?:iam::\d{12}:role\/[\w+=,.@\-/]{1,512}$/;
const EXPIRY_KEYS = [
  "aws_expiration",
  "expiration",
  "x_security_token_expires",
  "aws_session_expiration",
  "aws_credential_expiration",
];

const NAMES: Record<SdkId, string> = { js: "JS v3", python: "boto3", cli: "AWS CLI v2" };
const sdkList = (s: SdkId[]) => s.map((x) => NAMES[x]).join(", ");
const isSet = (v: string | undefined): v is string => v !== undefined && v !== "";

/** A set of static keys found somewhere (env, a profile section). Raw values: never printed. */
interface KeySet {
  label: string;
  keyId?: { value: string; where: string };
  secret?: { value: string; where: string };
  token?: { value: string; where: string };
  expiry?: { value: string; where: string };
  /** SDKs that read it this way (file values differ between JS and botocore by inline comments). */
  sdks?: SdkId[];
}

function keySetsFromEnv(env: Record<string, string | undefined>): KeySet[] {
  if (!isSet(env.AWS_ACCESS_KEY_ID) && !isSet(env.AWS_SECRET_ACCESS_KEY)) return [];
  const tokenVar = isSet(env.AWS_SESSION_TOKEN)
    ? "AWS_SESSION_TOKEN"
    : isSet(env.AWS_SECURITY_TOKEN)
      ? "AWS_SECURITY_TOKEN"
      : undefined;
  return [
    {
      label: "the environment",
      ...(isSet(env.AWS_ACCESS_KEY_ID)
        ? { keyId: { value: env.AWS_ACCESS_KEY_ID, where: "AWS_ACCESS_KEY_ID" } }
        : {}),
      ...(isSet(env.AWS_SECRET_ACCESS_KEY)
        ? { secret: { value: env.AWS_SECRET_ACCESS_KEY, where: "AWS_SECRET_ACCESS_KEY" } }
        : {}),
      ...(tokenVar ? { token: { value: env[tokenVar]!, where: tokenVar } } : {}),
      ...(isSet(env.AWS_CREDENTIAL_EXPIRATION)
        ? { expiry: { value: env.AWS_CREDENTIAL_EXPIRATION, where: "AWS_CREDENTIAL_EXPIRATION" } }
        : {}),
    },
  ];
}

function keySetsFromFile(f: FileSnapshot): KeySet[] {
  const out: KeySet[] = [];
  for (const s of f.scan.sections) {
    const get = (k: string) => {
      const e = [...s.pyEntries].reverse().find((x) => x.key === k);
      return e ? { value: e.value, where: `${f.display}:${e.line}` } : undefined;
    };
    const keyId = get("aws_access_key_id");
    const secret = get("aws_secret_access_key");
    if (!keyId && !secret) continue;
    const token = get("aws_session_token") ?? get("aws_security_token");
    const expiry = EXPIRY_KEYS.map(get).find((x) => x);
    out.push({
      label: `[${s.header}] in ${f.display}`,
      ...(keyId ? { keyId } : {}),
      ...(secret ? { secret } : {}),
      ...(token ? { token } : {}),
      ...(expiry ? { expiry } : {}),
    });
  }
  return out;
}

const KEY_PROBLEM_FIX: Record<ShapeProblem["code"], string> = {
  "key-id-whitespace": "remove the spaces around the value",
  "key-id-quoted": "remove the quotes: ini files and environment values take the text literally",
  "key-id-cr":
    "remove the carriage return (the file or script was saved with Windows line endings: convert it with `dos2unix`)",
  "key-id-malformed": "copy the access key id again from the IAM console or `aws iam list-access-keys`",
  "key-id-wrong-prefix": "use the access key id (AKIA... or ASIA...), not a user, role or policy id",
  "secret-whitespace": "remove the spaces around the value",
  "secret-quoted": "remove the quotes: ini files and environment values take the text literally",
  "secret-cr": "remove the carriage return (convert the file or script with `dos2unix`)",
  "secret-malformed":
    "copy the secret access key again (it is shown only once: create a new key if it is lost)",
  "secret-looks-like-key-id":
    "swap the two values: `aws_access_key_id` holds AKIA.../ASIA..., the secret is 40 characters",
};

function expiryTime(v: string): number | undefined {
  const t = /^\d{9,11}$/.test(v.trim()) ? Number(v.trim()) * 1000 : Date.parse(v.trim());
  return Number.isFinite(t) ? t : undefined;
}

function checkKeySet(ks: KeySet, now: Date, out: Finding[]): void {
  if (ks.keyId)
    for (const p of checkKeyId(ks.keyId.value))
      out.push({
        code: p.code,
        cause: "KEY_INVALID_ID",
        severity: "error",
        message: `access key id in ${ks.label} ${p.detail}`,
        where: ks.keyId.where,
        fix: KEY_PROBLEM_FIX[p.code],
      });
  if (ks.secret)
    for (const p of checkSecret(ks.secret.value))
      out.push({
        code: p.code,
        cause: "KEY_SECRET_MISMATCH",
        severity: "error",
        message: `secret access key in ${ks.label} ${p.detail}`,
        where: ks.secret.where,
        fix: KEY_PROBLEM_FIX[p.code],
      });
  if (ks.token && !redactedPlaceholder(ks.token.value)) {
    const t = ks.token.value;
    if (t.includes("\r") || t !== t.trim() || /^["']|["']$/.test(t.trim()))
      out.push({
        code: "session-token-garbled",
        cause: "SESSION_TOKEN_STALE",
        severity: "error",
        message: `session token in ${ks.label} has ${t.includes("\r") ? "a carriage return" : t !== t.trim() ? "leading or trailing whitespace" : "quotes around it"}`,
        where: ks.token.where,
        fix: "remove the stray characters (or fetch fresh temporary credentials)",
      });
  }
  const id = ks.keyId?.value.trim();
  if (id && ks.secret) {
    const kind = keyKind(id);
    if (kind === "long-term" && ks.token)
      out.push({
        code: "session-token-with-long-term-key",
        cause: "SESSION_TOKEN_STALE",
        severity: "error",
        message: `${ks.label} has a session token next to the long-term key ${maskKeyId(id)}: AWS rejects the pair`,
        where: ks.token.where,
        fix: `remove the leftover session token (${ks.token.where}): long-term AKIA keys take no token`,
      });
    if (kind === "temporary" && !ks.token)
      out.push({
        code: "temporary-key-without-token",
        cause: "SESSION_TOKEN_MISSING",
        severity: "error",
        message: `${ks.label} has the temporary key ${maskKeyId(id)} but no session token`,
        where: ks.keyId!.where,
        fix: `add the session token that came with the key (${ks.keyId!.where.startsWith("AWS_") ? "AWS_SESSION_TOKEN" : "aws_session_token"}), or fetch new temporary credentials`,
      });
  }
  if (ks.expiry) {
    const t = expiryTime(ks.expiry.value);
    if (t !== undefined && t <= now.getTime())
      out.push({
        code: "credentials-expired",
        cause: "TOKEN_EXPIRED",
        severity: "error",
        message: `temporary credentials in ${ks.label} expired at ${new Date(t).toISOString()}`,
        where: ks.expiry.where,
        fix: "fetch new temporary credentials (re-run the tool that wrote them, e.g. `aws sts assume-role`, `aws sso login`, `aws-vault`)",
      });
  }
}

const requireLazy = createRequire(import.meta.url);

/** sha256 of a secret, to compare secrets without keeping them side by side (node:crypto loaded on demand). */
function secretHash(v: string): string {
  const { createHash } = requireLazy("node:crypto") as typeof import("node:crypto");
  return createHash("sha256").update(v.trim()).digest("hex");
}

function checkDuplicateKeys(sets: KeySet[], out: Finding[]): void {
  const byId = new Map<string, { hashes: Set<string>; wheres: string[] }>();
  for (const ks of sets) {
    if (!ks.keyId || !ks.secret || redactedPlaceholder(ks.secret.value)) continue;
    const id = ks.keyId.value.trim();
    const e = byId.get(id) ?? { hashes: new Set(), wheres: [] };
    e.hashes.add(secretHash(ks.secret.value));
    e.wheres.push(ks.keyId.where);
    byId.set(id, e);
  }
  for (const [id, e] of byId)
    if (e.hashes.size > 1)
      out.push({
        code: "same-key-different-secrets",
        cause: "KEY_SECRET_MISMATCH",
        severity: "warning",
        message: `key ${maskKeyId(id)} appears ${e.wheres.length} times with ${e.hashes.size} different secrets: at most one of them is right (a rotated secret left behind?)`,
        where: e.wheres.join(", "),
        fix: "keep the current secret in one place and delete the stale copies",
      });
}

function checkInlineComments(f: FileSnapshot, out: Finding[]): void {
  for (const s of f.scan.sections)
    for (const e of s.pyEntries) {
      if (!/\s[#;]/.test(e.value)) continue;
      if (!/^aws_|^region$|^role_arn$|^source_profile$|^sso_/.test(e.key)) continue;
      out.push({
        code: "inline-comment-in-value",
        cause: e.key.startsWith("aws_secret")
          ? "KEY_SECRET_MISMATCH"
          : e.key.startsWith("aws_access")
            ? "KEY_INVALID_ID"
            : "OTHER",
        severity: "warning",
        message: `\`${e.key}\` has a comment after its value: JS v3 drops it, but boto3 and the AWS CLI keep it as part of the value`,
        where: `${f.display}:${e.line}`,
        fix: "move the comment to its own line",
        sdks: ["python", "cli"],
      });
    }
}

function checkFiles(snap: Snapshot, out: Finding[]): void {
  for (const f of [snap.config, snap.credentials]) {
    const kind = f === snap.config ? "config" : "credentials";
    if (f.status === "missing" && f.chosenBy !== "default")
      out.push({
        code: "file-missing",
        cause: "CRED_WRONG_SOURCE",
        severity: "warning",
        message: `the ${kind} file ${f.display} ${f.chosenBy === "input" ? "given explicitly" : `named by ${f.chosenBy}`} does not exist`,
        where: f.chosenBy,
        fix: f.chosenBy === "input" ? "check the path" : `point ${f.chosenBy} at the right file, or unset it`,
      });
    if (f.status === "unreadable")
      out.push({
        code: "file-unreadable",
        cause: "CRED_MISSING",
        severity: "error",
        message: `the ${kind} file ${f.display} cannot be read: ${f.error}`,
        where: f.display,
        fix: "fix the file's permissions (`chmod 600`) or owner",
      });
    if (f.status !== "ok") continue;
    if (f.encoding === "utf-16le" || f.encoding === "utf-16be")
      out.push({
        code: "file-utf16",
        cause: "CRED_MISSING",
        severity: "error",
        message: `the ${kind} file ${f.display} is saved as UTF-16: no SDK can read it (JS v3 sees no profiles, boto3 and the AWS CLI fail to parse it)`,
        where: f.display,
        fix: "save the file as UTF-8 (PowerShell: `Set-Content -Encoding utf8`, or re-create it with `aws configure`)",
      });
    else if (f.encoding === "latin1")
      out.push({
        code: "file-not-utf8",
        cause: "OTHER",
        severity: "error",
        message: `the ${kind} file ${f.display} is not valid UTF-8: boto3 and the AWS CLI fail to parse it`,
        where: f.display,
        fix: "save the file as UTF-8",
        sdks: ["python", "cli"],
      });
    else if (f.encoding === "utf-8-bom")
      out.push({
        code: "file-utf8-bom",
        cause: "CRED_MISSING",
        severity: "error",
        message: `the ${kind} file ${f.display} starts with a UTF-8 byte order mark: boto3 and the AWS CLI fail to parse it (JS v3 reads it)`,
        where: `${f.display}:1`,
        fix: "save the file as UTF-8 without BOM (Notepad: `UTF-8`, not `UTF-8 with BOM`)",
        sdks: ["python", "cli"],
      });
    else if (f.pythonError)
      out.push({
        code: "file-parse-error",
        cause: "OTHER",
        severity: "error",
        message: `boto3 and the AWS CLI refuse the ${kind} file ${f.display}: ${f.pythonError} (JS v3 reads it leniently)`,
        where: `${f.display}:${/^line (\d+)/.exec(f.pythonError)?.[1] ?? "1"}`,
        fix: "fix that line: every line must be `[section]`, `key = value`, a comment or empty, each section and key once",
        sdks: ["python", "cli"],
      });
    if (f.scan.strayCrLines.length > 0)
      out.push({
        code: "file-stray-cr",
        cause: "KEY_SECRET_MISMATCH",
        severity: "warning",
        message: `the ${kind} file ${f.display} has carriage returns inside lines: JS v3 keeps them in the values, boto3 and the AWS CLI split the lines there`,
        where: `${f.display}:${f.scan.strayCrLines[0]}`,
        fix: "convert the file with `dos2unix`",
      });
    if (
      Object.keys(f.js).length === 0 &&
      f.scan.sections.some((s) => s.header === "__proto__" || s.header === "profile __proto__")
    )
      out.push({
        code: "file-parse-error",
        cause: "OTHER",
        severity: "error",
        message: `JS v3 refuses the ${kind} file ${f.display}: it has a section named \`__proto__\``,
        where: f.display,
        fix: "rename that section",
        sdks: ["js"],
      });
  }
  // section-form mistakes anywhere in the files (docs/aws-facts.md §2.4)
  for (const s of snap.config.scan.sections) {
    if (
      jsConfigProfileName(s.header) ||
      pyConfigSection(s.header) ||
      /^(sso-session|services|plugins|preview)\b/.test(s.header)
    )
      continue;
    out.push({
      code: "config-section-without-profile-prefix",
      cause: "CRED_WRONG_SOURCE",
      severity: "warning",
      message: `\`[${s.header}]\` in the config file is ignored by every SDK: profiles there are written \`[profile ${s.header}]\``,
      where: `${snap.config.display}:${s.line}`,
      fix: `rename the section to \`[profile ${s.header}]\``,
    });
  }
  for (const s of snap.credentials.scan.sections) {
    if (!/^profile\s/.test(s.header)) continue;
    const name = s.header.replace(/^profile\s+/, "");
    out.push({
      code: "credentials-section-with-profile-prefix",
      cause: "CRED_WRONG_SOURCE",
      severity: "warning",
      message: `\`[${s.header}]\` in the credentials file does not define profile \`${name}\` (JS v3 stores it as \`${jsCredentialsProfileName(s.header)}\`, boto3 as \`${s.header}\`)`,
      where: `${snap.credentials.display}:${s.line}`,
      fix: `rename the section to \`[${name}]\`: the credentials file has no \`profile\` prefix`,
    });
  }
}

/** Where a profile is defined in the wrong form, if it is. */
function wrongFormWhere(snap: Snapshot, name: string): string | undefined {
  const c = snap.config.scan.sections.find((s) => s.header === name && name !== "default");
  if (c) return `${snap.config.display}:${c.line}`;
  const k = snap.credentials.scan.sections.find(
    (s) => s.header.replace(/^profile\s+/, "") === name && s.header !== name,
  );
  if (k) return `${snap.credentials.display}:${k.line}`;
  return undefined;
}

function checkSelectedProfiles(
  snap: Snapshot,
  res: Record<SdkId, SdkResolution>,
  stores: Record<"js" | "python", ProfileStore>,
  out: Finding[],
): void {
  const missing = new Map<string, { sdks: SdkId[]; where: string }>();
  for (const sdk of ["js", "python", "cli"] as const) {
    const r = res[sdk];
    const store = sdk === "js" ? stores.js : stores.python;
    if (r.profile.from === "default" || store.fileError) continue;
    if (store.profiles.has(r.profile.value)) continue;
    const e = missing.get(r.profile.value) ?? { sdks: [], where: r.profile.where };
    e.sdks.push(sdk);
    missing.set(r.profile.value, e);
  }
  for (const [name, e] of missing) {
    const wrong = wrongFormWhere(snap, name);
    const effect = `${e.sdks.filter((s) => s !== "js").length > 0 ? "boto3/AWS CLI: `The config profile (" + name + ") could not be found`" : ""}${e.sdks.includes("js") ? `${e.sdks.length > 1 ? "; " : ""}JS v3 skips the profile and falls through the chain` : ""}`;
    out.push(
      wrong
        ? {
            code: "profile-wrong-section-form",
            cause: "CRED_WRONG_SOURCE",
            severity: "error",
            message: `profile \`${name}\` (from ${e.where}) is written in the wrong section form at ${wrong}: ${effect}`,
            where: wrong,
            fix: `write it \`[profile ${name}]\` in the config file and \`[${name}]\` in the credentials file`,
            sdks: e.sdks,
          }
        : {
            code: "profile-not-found",
            cause: "CRED_WRONG_SOURCE",
            severity: "error",
            message:
              name === ""
                ? `${e.where} is set but empty: ${effect}`
                : `profile \`${name}\` (from ${e.where}) is not defined in ${snap.config.display} or ${snap.credentials.display}: ${effect}`,
            where: e.where,
            fix: `check the name (profiles: ${[...stores.python.profiles.keys()].slice(0, 8).join(", ") || "none"}), AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, or run \`aws configure --profile ${name}\``,
            sdks: e.sdks,
          },
    );
  }
}

/** Profiles any SDK reaches from its selected profile through source_profile. */
function profilesInUse(res: Record<SdkId, SdkResolution>): Set<string> {
  const s = new Set<string>();
  for (const r of Object.values(res)) {
    s.add(r.profile.value);
    for (const o of r.chain) for (const p of o.profiles ?? []) s.add(p);
  }
  return s;
}

function checkRoleProfiles(store: ProfileStore, inUse: Set<string>, out: Finding[]): void {
  for (const [name, p] of store.profiles) {
    const sev = inUse.has(name) ? "error" : "warning";
    const roleArn = p.role_arn;
    if (roleArn && !ROLE_ARN_RE.test(roleArn.value.trim()))
      out.push({
        code: "role-arn-malformed",
        cause: "OTHER",
        severity: sev,
        message: `\`role_arn\` of profile \`${name}\` is not a role ARN (expected \`arn:aws:iam::123456789012:role/NAME\`)`,
        where: roleArn.where,
        fix: "copy the role ARN from the IAM console (Roles -> the role -> ARN)",
      });
    const sp = val(p, "source_profile");
    const cs = val(p, "credential_source");
    if (roleArn && sp !== undefined && cs !== undefined)
      out.push({
        code: "source-profile-and-credential-source",
        cause: "OTHER",
        severity: sev,
        message: `profile \`${name}\` sets both \`source_profile\` and \`credential_source\`: boto3 and the AWS CLI refuse it, JS v3 ignores its role`,
        where: p.credential_source!.where,
        fix: "keep exactly one of `source_profile` and `credential_source`",
      });
    if (cs !== undefined && !CREDENTIAL_SOURCES.includes(cs))
      out.push({
        code: "credential-source-invalid",
        cause: "OTHER",
        severity: sev,
        message: `\`credential_source = ${cs}\` in profile \`${name}\` is not one of EcsContainer, Ec2InstanceMetadata, Environment`,
        where: p.credential_source!.where,
        fix: "use EcsContainer, Ec2InstanceMetadata or Environment (case-sensitive)",
      });
    if (sp !== undefined && !store.profiles.has(sp))
      out.push({
        code: "source-profile-missing",
        cause: "CRED_MISSING",
        severity: sev,
        message: `profile \`${name}\` takes its keys from source_profile \`${sp}\`, which does not exist`,
        where: p.source_profile!.where,
        fix: `define \`[${sp}]\` with keys in the credentials file, or fix the name`,
      });
    if (sp !== undefined && roleArn) {
      // follow source_profile links; a loop without static keys to stop it never resolves (docs/aws-facts.md §1.21)
      const path = [name];
      const onPath = new Set(path);
      let cur: Profile | undefined = p;
      let curName = name;
      // a chain longer than the resolvers follow is theirs to report (shapes.ts MAX_SOURCE_HOPS)
      while (cur && path.length <= MAX_SOURCE_HOPS) {
        const next = val(cur, "source_profile");
        if (next === undefined || !store.profiles.has(next)) break;
        const nextP = store.profiles.get(next)!;
        const stops = nextP.aws_access_key_id !== undefined && nextP.aws_secret_access_key !== undefined;
        if (stops && (next !== curName || path.length === 1)) break;
        if (onPath.has(next)) {
          out.push({
            code: "source-profile-loop",
            cause: "OTHER",
            severity: sev,
            message: `source_profile loop: ${[...path, next].join(" -> ")}`,
            where: p.source_profile!.where,
            fix: "end the chain at a profile with keys (or credential_source)",
          });
          break;
        }
        if (val(nextP, "role_arn") === undefined) break;
        path.push(next);
        onPath.add(next);
        curName = next;
        cur = nextP;
      }
    }
    if (roleArn && sp === undefined && cs === undefined && p.web_identity_token_file === undefined)
      out.push({
        code: "role-arn-without-source",
        cause: "OTHER",
        severity: sev,
        message: `profile \`${name}\` has \`role_arn\` but no \`source_profile\` or \`credential_source\`: no SDK knows which keys assume the role`,
        where: roleArn.where,
        fix: "add `source_profile = <profile with keys>` (or `credential_source`)",
      });
    if (roleArn && p.mfa_serial && inUse.has(name))
      out.push({
        code: "mfa-serial-no-prompt",
        cause: "MFA_REQUIRED",
        severity: "warning",
        message: `profile \`${name}\` needs an MFA code (\`mfa_serial\`): the AWS CLI and boto3 prompt for it, the JS v3 default chain cannot and stops`,
        where: p.mfa_serial.where,
        fix: "in JS pass `mfaCodeProvider` to `fromIni`, or use credentials from `aws sts get-session-token`",
        sdks: ["js"],
      });
  }
}

function checkSso(snap: Snapshot, store: ProfileStore, inUse: Set<string>, out: Finding[]): void {
  const seen = new Set<string>();
  for (const [name, p] of store.profiles) {
    const session = val(p, "sso_session");
    const startUrl = val(p, "sso_start_url");
    if (!session && !startUrl && !p.sso_account_id && !p.sso_role_name) continue;
    const sev = inUse.has(name) ? "error" : "info";
    if (session && !store.ssoSessions.has(session)) {
      out.push({
        code: "sso-session-missing",
        cause: "SSO_CONFIG",
        severity: sev,
        message: `profile \`${name}\` names sso-session \`${session}\`, but the config file has no \`[sso-session ${session}]\` section`,
        where: p.sso_session!.where,
        fix: `add \`[sso-session ${session}]\` with sso_start_url and sso_region to the config file (\`aws configure sso\`)`,
      });
      continue;
    }
    const key = session ?? startUrl;
    if (!key || seen.has(key)) continue;
    seen.add(key);
    const tok = snap.sso.get(key);
    const label = session ? `sso-session \`${session}\`` : `start URL \`${key}\``;
    if (!tok || tok.status === "missing")
      out.push({
        code: "sso-token-missing",
        cause: "SSO_CONFIG",
        severity: sev,
        message: `no cached SSO token for ${label} (profile \`${name}\`): \`aws sso login\` has not been run for it`,
        where: tok?.display ?? "~/.aws/sso/cache",
        fix: `aws sso login --profile ${name}`,
      });
    else if (tok.status !== "ok")
      out.push({
        code: "sso-token-unreadable",
        cause: "SSO_CONFIG",
        severity: sev,
        message: `the cached SSO token for ${label} is ${tok.status === "garbled" ? "not valid token JSON" : "unreadable"}`,
        where: tok.display,
        fix: `aws sso login --profile ${name}`,
      });
    else if (tok.expiresAt && Date.parse(tok.expiresAt) <= snap.now.getTime())
      out.push({
        code: "sso-token-expired",
        cause: "TOKEN_EXPIRED",
        severity: session && tok.hasRefreshToken ? (sev === "error" ? "warning" : "info") : sev,
        message: `the cached SSO token for ${label} expired at ${tok.expiresAt}${session && tok.hasRefreshToken ? " (the SDKs will try to refresh it online)" : ""}`,
        where: tok.display,
        fix: `aws sso login --profile ${name}`,
      });
  }
}

function checkWebIdentity(snap: Snapshot, res: Record<SdkId, SdkResolution>, out: Finding[]): void {
  const { env } = snap;
  if (isSet(env.AWS_WEB_IDENTITY_TOKEN_FILE) !== isSet(env.AWS_ROLE_ARN))
    out.push({
      code: "web-identity-half-set",
      cause: "CRED_MISSING",
      severity: "warning",
      message: `${isSet(env.AWS_ROLE_ARN) ? "AWS_ROLE_ARN" : "AWS_WEB_IDENTITY_TOKEN_FILE"} is set without ${isSet(env.AWS_ROLE_ARN) ? "AWS_WEB_IDENTITY_TOKEN_FILE" : "AWS_ROLE_ARN"}: web identity needs both`,
      where: isSet(env.AWS_ROLE_ARN) ? "AWS_ROLE_ARN" : "AWS_WEB_IDENTITY_TOKEN_FILE",
      fix: "set both (EKS IRSA sets them in the pod) or neither",
    });
  if (isSet(env.AWS_ROLE_ARN) && !ROLE_ARN_RE.test(env.AWS_ROLE_ARN.trim()))
    out.push({
      code: "role-arn-malformed",
      cause: "OTHER",
      severity: "error",
      message: "AWS_ROLE_ARN is not a role ARN (expected `arn:aws:iam::123456789012:role/NAME`)",
      where: "AWS_ROLE_ARN",
      fix: "set AWS_ROLE_ARN to the role's ARN",
    });
  const used = new Set<string>();
  for (const r of Object.values(res))
    for (const o of r.chain)
      if (o.source.startsWith("web-identity") && o.reached && o.outcome !== "skipped") used.add(o.source);
  for (const [raw, info] of snap.tokenFiles) {
    const where = raw === env.AWS_WEB_IDENTITY_TOKEN_FILE ? "AWS_WEB_IDENTITY_TOKEN_FILE" : info.display;
    if (info.status === "missing" || info.status === "unreadable")
      out.push({
        code: info.status === "missing" ? "web-identity-token-missing" : "web-identity-token-unreadable",
        cause: "CRED_MISSING",
        severity: "error",
        message: `web identity token file ${info.display} ${info.status === "missing" ? "does not exist" : `cannot be read: ${info.error}`}${raw.startsWith("~") ? " (the SDKs do not expand `~` in this path)" : ""}`,
        where,
        fix: "check the path (EKS: the projected service-account token volume is mounted at /var/run/secrets/eks.amazonaws.com/serviceaccount/token)",
      });
    else if (info.status === "garbled")
      out.push({
        code: "web-identity-token-garbled",
        cause: "OTHER",
        severity: "error",
        message: `web identity token file ${info.display} ${info.error}`,
        where,
        fix: "write the OIDC token (a JWT) to the file, nothing else",
      });
    else {
      if (info.exp !== undefined && info.exp * 1000 <= snap.now.getTime())
        out.push({
          code: "web-identity-token-expired",
          cause: "TOKEN_EXPIRED",
          severity: "error",
          message: `the web identity token in ${info.display} expired at ${new Date(info.exp * 1000).toISOString()} (\`exp\` claim, not verified)`,
          where,
          fix: "let the token be refreshed (kubelet rotates projected tokens; CI systems issue a new one per job)",
        });
      out.push({
        code: "web-identity-token-claims",
        cause: "TRUST_POLICY",
        severity: "info",
        message: `web identity token in ${info.display}: issuer \`${info.iss ?? "?"}\`, audience \`${info.aud ?? "?"}\`: the role's trust policy must name this OIDC provider and audience`,
        where,
        fix: "compare with the role's trust policy (`aws iam get-role --role-name NAME`): Federated principal, `:aud` and `:sub` conditions",
      });
    }
  }
  void used;
}

function checkRegions(res: Record<SdkId, SdkResolution>, out: Finding[]): void {
  const seen = new Set<string>();
  for (const r of Object.values(res)) {
    const reg = r.region;
    if (!reg || seen.has(reg.where)) continue;
    seen.add(reg.where);
    if (!REGION_RE.test(reg.value))
      out.push({
        code: "region-invalid",
        cause: "REGION_MISMATCH",
        severity: "error",
        message: `region \`${reg.value.trim()}\` (${reg.where}) is not a valid Region name${/[a-z]$/.test(reg.value.trim()) && /\d[a-z]$/.test(reg.value.trim()) ? " (an Availability Zone?)" : ""}`,
        where: reg.where,
        fix: "use a Region code such as `us-east-1` (lower case, no spaces, no Availability Zone letter)",
      });
  }
  const bySdk = (["js", "python", "cli"] as const).map((s) => [s, res[s].region?.value ?? "(none)"] as const);
  if (new Set(bySdk.map(([, v]) => v)).size > 1)
    out.push({
      code: "region-differs-by-sdk",
      cause: "REGION_MISMATCH",
      severity: "warning",
      message: `the SDKs use different Regions: ${bySdk.map(([s, v]) => `${NAMES[s]} ${v}`).join(", ")} (JS reads AWS_REGION, boto3 AWS_DEFAULT_REGION, the CLI both)`,
      where: [...new Set((["js", "python", "cli"] as const).map((s) => res[s].region?.where ?? "-"))].join(
        ", ",
      ),
      fix: "set AWS_REGION and AWS_DEFAULT_REGION to the same value (or only `region` in the profile)",
    });
  const noRegion = (["js", "python", "cli"] as const).filter((s) => !res[s].region);
  if (noRegion.length > 0)
    out.push({
      code: "region-missing",
      cause: "REGION_MISMATCH",
      severity: "info",
      message: `no Region for ${sdkList(noRegion)}${noRegion.includes("js") ? " (JS v3 would ask IMDS, then fail with `Region is missing`)" : ""}${noRegion.some((s) => s !== "js") ? " (boto3/CLI: `You must specify a region.`)" : ""}`,
      where: "-",
      fix: "set `region` in the profile, or AWS_REGION and AWS_DEFAULT_REGION",
      sdks: noRegion,
    });
  for (const sdk of ["js", "python", "cli"] as const) {
    const r = res[sdk];
    const region = r.region?.value.trim();
    if (!region || !OPT_IN_REGIONS.has(region)) continue;
    if (r.sts.mode === "global")
      out.push({
        code: "opt-in-region-global-sts",
        cause: "STS_TOKEN_VERSION_REGION",
        severity: "warning",
        message: `${NAMES[sdk]} uses the opt-in Region ${region} but gets STS credentials from the global endpoint (${r.sts.why}): v1 global tokens are rejected in opt-in Regions`,
        where: r.sts.why.match(/\(([^)]+)\)/)?.[1] ?? r.region!.where,
        fix: "use the Regional STS endpoint (remove the override / `sts_regional_endpoints = regional`), or `aws iam set-security-token-service-preferences --global-endpoint-token-version v2Token`",
        sdks: [sdk],
      });
    else if (r.winner?.identity?.kind === "temporary" && r.winner.identity.accessKeyId !== "unknown")
      out.push({
        code: "opt-in-region-static-temporary-keys",
        cause: "STS_TOKEN_VERSION_REGION",
        severity: "info",
        message: `${NAMES[sdk]} signs for the opt-in Region ${region} with stored temporary keys ${r.winner.identity.accessKeyId}: if they came from the global STS endpoint as v1 tokens, AWS rejects them there`,
        where: r.winner.where,
        fix: "get the credentials from the Regional STS endpoint, or check `aws iam get-account-summary` (GlobalEndpointTokenVersion)",
        sdks: [sdk],
      });
  }
}

function checkEnvironment(snap: Snapshot, res: Record<SdkId, SdkResolution>, out: Finding[]): void {
  const { env } = snap;
  const keys = isSet(env.AWS_ACCESS_KEY_ID) && isSet(env.AWS_SECRET_ACCESS_KEY);
  const profVar = isSet(env.AWS_PROFILE)
    ? "AWS_PROFILE"
    : isSet(env.AWS_DEFAULT_PROFILE)
      ? "AWS_DEFAULT_PROFILE"
      : undefined;
  if (keys && profVar && !snap.explicitProfile) {
    const jsIgnores = isSet(env.AWS_PROFILE);
    out.push({
      code: "env-keys-shadow-profile",
      cause: "CRED_WRONG_SOURCE",
      severity: "warning",
      message: `AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are set together with ${profVar}=\`${env[profVar]}\`: boto3 and the AWS CLI use the environment keys (${maskKeyId(env.AWS_ACCESS_KEY_ID!)}) and ignore the profile${jsIgnores ? "; JS v3 does the opposite (uses the profile, ignores the keys)" : "; JS v3 also uses the keys"}`,
      where: `${profVar}, AWS_ACCESS_KEY_ID`,
      fix:
        "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN (to use the profile) or unset " +
        profVar,
      sdks: jsIgnores ? ["python", "cli", "js"] : ["python", "cli"],
    });
  }
  if (isSet(env.AWS_PROFILE) && isSet(env.AWS_DEFAULT_PROFILE) && env.AWS_PROFILE !== env.AWS_DEFAULT_PROFILE)
    out.push({
      code: "profile-vars-disagree",
      cause: "CRED_WRONG_SOURCE",
      severity: "warning",
      message: `AWS_PROFILE=\`${env.AWS_PROFILE}\` and AWS_DEFAULT_PROFILE=\`${env.AWS_DEFAULT_PROFILE}\` differ: boto3 uses AWS_DEFAULT_PROFILE, the AWS CLI and JS v3 use AWS_PROFILE`,
      where: "AWS_PROFILE, AWS_DEFAULT_PROFILE",
      fix: "unset AWS_DEFAULT_PROFILE and keep only AWS_PROFILE",
    });
  else if (!isSet(env.AWS_PROFILE) && isSet(env.AWS_DEFAULT_PROFILE) && !snap.explicitProfile)
    out.push({
      code: "default-profile-var-ignored-by-js",
      cause: "CRED_WRONG_SOURCE",
      severity: "warning",
      message: `AWS_DEFAULT_PROFILE=\`${env.AWS_DEFAULT_PROFILE}\` is read by boto3 and the AWS CLI but ignored by JS v3 (which uses \`default\`)`,
      where: "AWS_DEFAULT_PROFILE",
      fix: "set AWS_PROFILE instead",
      sdks: ["js"],
    });
  if (isSet(env.AWS_ACCESS_KEY_ID) !== isSet(env.AWS_SECRET_ACCESS_KEY))
    out.push({
      code: "env-keys-half-set",
      cause: "CRED_MISSING",
      severity: "error",
      message: `only ${isSet(env.AWS_ACCESS_KEY_ID) ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"} is set: ${isSet(env.AWS_ACCESS_KEY_ID) ? "boto3 and the AWS CLI stop with `Partial credentials found in env`, " : ""}JS v3 skips the pair silently`,
      where: isSet(env.AWS_ACCESS_KEY_ID) ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
      fix: "set both variables, or unset both",
    });
  if (isSet(env.AWS_SECURITY_TOKEN) && !isSet(env.AWS_SESSION_TOKEN) && isSet(env.AWS_ACCESS_KEY_ID))
    out.push({
      code: "security-token-var-ignored-by-js",
      cause: "SESSION_TOKEN_MISSING",
      severity: "warning",
      message:
        "the session token is only in AWS_SECURITY_TOKEN: boto3 and the AWS CLI read it, JS v3 does not",
      where: "AWS_SECURITY_TOKEN",
      fix: "set AWS_SESSION_TOKEN (the current name) instead",
      sdks: ["js"],
    });
  const overrides = new Map<string, string>();
  for (const r of Object.values(res))
    for (const o of r.endpointOverrides) overrides.set(o.where, `${o.from}=${redactUrl(o.value)}`);
  for (const [where, what] of overrides)
    out.push({
      code: "endpoint-url-override",
      cause: "NETWORK_PATH",
      severity: "warning",
      message: `endpoint override ${what}: requests go there instead of AWS (a leftover LocalStack or proxy setting gives odd auth errors)${(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "").toLowerCase() === "true" ? " (ignored: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true)" : ""}`,
      where,
      fix: "unset it unless you mean to use that endpoint",
    });
  const d = env.AWS_EC2_METADATA_DISABLED;
  if (isSet(d)) {
    const js = d !== "false";
    const py = d.toLowerCase() === "true";
    out.push({
      code: "metadata-disabled",
      cause: "CRED_MISSING",
      severity: "info",
      message: `AWS_EC2_METADATA_DISABLED=${d}: instance metadata credentials are off for ${[js ? "JS v3" : "", py ? "boto3, AWS CLI" : ""].filter(Boolean).join(", ") || "no SDK"}${js !== py ? " (JS treats any value but `false` as set, botocore only `true`)" : ""}: on EC2 the instance role is not used`,
      where: "AWS_EC2_METADATA_DISABLED",
      fix: "unset it on EC2 if the instance role should be used",
    });
  }
  const full = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  if (isSet(full) && !containerUrlAccepted(full).ok)
    out.push({
      code: "container-uri-refused",
      cause: "CRED_MISSING",
      severity: "error",
      message:
        "AWS_CONTAINER_CREDENTIALS_FULL_URI is not HTTPS, loopback, the ECS host or the EKS Pod Identity host: the SDKs refuse it",
      where: "AWS_CONTAINER_CREDENTIALS_FULL_URI",
      fix: "use http://169.254.170.23/v1/credentials (EKS Pod Identity), the ECS relative URI, or an HTTPS URL",
    });
  if (snap.containerTokenFile && snap.containerTokenFile.status !== "ok")
    out.push({
      code: "container-token-file-missing",
      cause: "CRED_MISSING",
      severity: "error",
      message: `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${snap.containerTokenFile.display} is ${snap.containerTokenFile.status}`,
      where: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
      fix: "check the EKS Pod Identity agent token mount",
    });
}

function checkOutcomes(res: Record<SdkId, SdkResolution>, snap: Snapshot, out: Finding[]): void {
  const none = (["js", "python", "cli"] as const).filter((s) => res[s].result === "none");
  if (none.length > 0) {
    const looked = (sdk: SdkId) =>
      res[sdk].chain
        .filter(
          (o) => o.source !== "sso-arguments" && o.source !== "profile-lookup" && o.source !== "legacy-boto",
        )
        .map((o) => `${sourceLabel(o.source)}${o.outcome === "unusable" ? ` (${o.reason})` : ""}`)
        .join(", ");
    out.push({
      code: "no-credentials",
      cause: "CRED_MISSING",
      severity: "error",
      message: `no credentials for ${sdkList(none)} (profile \`${res[none[0]!].profile.value}\`): ${none.map((s) => `${NAMES[s]} looked at ${looked(s)}`).join("; ")}`,
      where: `${snap.config.display}, ${snap.credentials.display}, environment`,
      fix: "run `aws configure` (keys), `aws configure sso` (IAM Identity Center) or set AWS_PROFILE to a profile that has credentials",
      sdks: none,
    });
  }
  const net = (["js", "python", "cli"] as const).filter(
    (s) => res[s].result === "network" && res[s].decidedBy?.source === "imds",
  );
  if (net.length > 0)
    out.push({
      code: "falls-through-to-imds",
      cause: "CRED_MISSING",
      severity: "warning",
      message: `${sdkList(net)} find nothing locally and would ask EC2 instance metadata: off EC2 this ends in \`${net.includes("js") ? "Could not load credentials from any providers" : "Unable to locate credentials"}\` after a timeout`,
      where: "-",
      fix: "on EC2 check the instance profile and the IMDS hop limit; elsewhere configure credentials",
      sdks: net,
    });
  // which SDKs use which source: disagreement is the CRED_WRONG_SOURCE pattern (docs/aws-facts.md §2.4)
  const src = (s: SdkId) => {
    const w = res[s].winner;
    if (!w) return res[s].result;
    const id = w.identity;
    return `${id?.accessKeyId}|${id?.roleArn ?? ""}|${id?.account ?? ""}|${id?.kind}|${(w.profiles ?? []).join(">")}`;
  };
  const jsS = src("js");
  const pyS = src("python");
  const cliS = src("cli");
  if (jsS !== pyS || pyS !== cliS) {
    const desc = (s: SdkId) => {
      const w = res[s].winner;
      return w
        ? `${sourceLabel(w.source)}${w.identity && w.identity.accessKeyId !== "unknown" ? ` ${w.identity.accessKeyId}` : ""}${w.profiles?.length ? ` (profile ${w.profiles.join(" -> ")})` : ""}`
        : res[s].result === "error"
          ? "an error"
          : res[s].result === "network"
            ? "the network"
            : "nothing";
    };
    out.push({
      code: "sdks-disagree",
      cause: "CRED_WRONG_SOURCE",
      severity: "warning",
      message: `the SDKs resolve different credentials: JS v3 ${desc("js")}; boto3 ${desc("python")}; AWS CLI v2 ${desc("cli")}`,
      where: [...new Set((["js", "python", "cli"] as const).map((s) => res[s].decidedBy?.where ?? "-"))].join(
        ", ",
      ),
      fix: "leave one credential source configured (unset the environment keys or the web identity variables you do not mean to use)",
    });
  }
}

/** Every finding for a snapshot and its resolutions, sorted by severity (errors first). */
export function collectFindings(
  snap: Snapshot,
  res: Record<SdkId, SdkResolution>,
  stores: Record<"js" | "python", ProfileStore>,
): Finding[] {
  const out: Finding[] = [];
  checkFiles(snap, out);
  const sets = [
    ...keySetsFromEnv(snap.env),
    ...keySetsFromFile(snap.credentials),
    ...keySetsFromFile(snap.config),
  ];
  for (const ks of sets) checkKeySet(ks, snap.now, out);
  checkDuplicateKeys(sets, out);
  checkInlineComments(snap.credentials, out);
  checkInlineComments(snap.config, out);
  checkSelectedProfiles(snap, res, stores, out);
  const inUse = profilesInUse(res);
  checkRoleProfiles(stores.python.fileError ? stores.js : stores.python, inUse, out);
  checkSso(snap, stores.python.fileError ? stores.js : stores.python, inUse, out);
  checkWebIdentity(snap, res, out);
  checkRegions(res, out);
  checkEnvironment(snap, res, out);
  checkOutcomes(res, snap, out);
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const seen = new Set<string>();
  return out
    .filter((f) => {
      const k = `${f.code}|${f.where}|${f.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => rank[a.severity] - rank[b.severity]);
}
