// Static key sets (environment, profile sections): shape, expiry and duplicate checks.

import { createRequire } from "node:module";
import { maskKeyId } from "../../core/redact.js";
import { checkKeyId, checkSecret, keyKind, redactedPlaceholder, type ShapeProblem } from "../keys.js";
import type { FileSnapshot, SdkId } from "../types.js";
import { type FindingDraft, isSet } from "./common.js";

const EXPIRY_KEYS = [
  "aws_expiration",
  "expiration",
  "x_security_token_expires",
  "aws_session_expiration",
  "aws_credential_expiration",
];

/** A set of static keys found somewhere (env, a profile section). Raw values: never printed. */
export interface KeySet {
  label: string;
  keyId?: { value: string; where: string };
  secret?: { value: string; where: string };
  token?: { value: string; where: string };
  expiry?: { value: string; where: string };
  /** SDKs that read it this way (file values differ between JS and botocore by inline comments). */
  sdks?: SdkId[];
}

export function keySetsFromEnv(env: Record<string, string | undefined>): KeySet[] {
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

export function keySetsFromFile(f: FileSnapshot): KeySet[] {
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

export function checkKeySet(ks: KeySet, now: Date, out: FindingDraft[]): void {
  if (ks.keyId)
    for (const p of checkKeyId(ks.keyId.value))
      out.push({
        code: p.code,
        severity: "error",
        message: `access key id in ${ks.label} ${p.detail}`,
        where: ks.keyId.where,
        fix: KEY_PROBLEM_FIX[p.code],
      });
  if (ks.secret)
    for (const p of checkSecret(ks.secret.value))
      out.push({
        code: p.code,
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
        severity: "error",
        message: `${ks.label} has a session token next to the long-term key ${maskKeyId(id)}: AWS rejects the pair`,
        where: ks.token.where,
        fix: `remove the leftover session token (${ks.token.where}): long-term AKIA keys take no token`,
      });
    if (kind === "temporary" && !ks.token)
      out.push({
        code: "temporary-key-without-token",
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

export function checkDuplicateKeys(sets: KeySet[], out: FindingDraft[]): void {
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
        severity: "warning",
        message: `key ${maskKeyId(id)} appears ${e.wheres.length} times with ${e.hashes.size} different secrets: at most one of them is right (a rotated secret left behind?)`,
        where: e.wheres.join(", "),
        fix: "keep the current secret in one place and delete the stale copies",
      });
}
