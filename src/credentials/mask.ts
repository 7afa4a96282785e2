// The one redaction point: every access key id, secret key and session token leaves authdoctor through here.

import type { MaskedKeyId } from "../core/failure.js";

/** Access key id shapes (catalog §2.6): a four-letter prefix and 16 more base32 characters. */
const KEY_ID_RE =
  /\b(AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)([A-Z2-7]{12})([A-Z0-9]{4})\b/g;
const SECRET_KEYS = new Set(["AKIA", "ASIA", "ABIA", "ACCA"]);

/** `AKIAIOSFODNN7EXAMPLE` -> `AKIA****MPLE`. Short or odd values keep at most their first four characters. */
export function maskKeyId(id: string): string {
  const v = id.trim();
  if (v.length >= 16) return `${v.slice(0, 4)}****${v.slice(-4)}`;
  if (v.length > 4) return `${v.slice(0, 4)}****`;
  return "****";
}

/** The masked form and prefix of a key id. */
export function describeKeyId(id: string): MaskedKeyId {
  const v = id.trim();
  return { masked: maskKeyId(v), prefix: v.slice(0, 4).toUpperCase() };
}

/** Mask a secret value entirely, keeping only its length as a hint. */
export function maskSecret(value: string): string {
  return `****(${value.length} chars)`;
}

// Named secrets in text: `aws_secret_access_key = X`, `"SecretAccessKey": "X"`, `AWS_SESSION_TOKEN=X`,
// `X-Amz-Security-Token: X`, `X-Amz-Signature=X`, `Signature=X` in an Authorization header.
const NAMED_SECRET_RE =
  /((?:aws_secret_access_key|aws_session_token|aws_security_token|secret_?access_?key|session_?token|secretkey|sessiontoken|x-amz-security-token|x-amz-signature|x-amz-credential|signature|password|client_secret|id_?token|access_?token|refresh_?token)["']?\s*[:=]\s*["']?)([^\s"',;&}<]{6,})/gi;
// Long base64 blobs such as STS session tokens (`IQoJb3JpZ2lu...`, `FwoGZXIvYXdz...`) and JWTs.
const TOKEN_BLOB_RE =
  /\b(?:IQoJ|FwoG|FQoG|AgoJ|IQo[A-Za-z0-9])[A-Za-z0-9+/=]{40,}|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}/g;
// A 40-character secret-key-shaped value standing alone.
const SECRET_SHAPE_RE = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g;

/**
 * Remove secrets from free text: named secret values, session tokens, JWTs and 40-character secret keys are
 * replaced; access key ids are masked to `AKIA****WXYZ`. Used on every error text and file excerpt we print.
 */
export function redactText(text: string): string {
  return text
    .replace(NAMED_SECRET_RE, (_m, name: string, value: string) => `${name}${maskSecret(value)}`)
    .replace(TOKEN_BLOB_RE, (m) => maskSecret(m))
    .replace(SECRET_SHAPE_RE, (m) =>
      /[a-z]/.test(m) && /[A-Z0-9]/.test(m) && !/^[a-f0-9]+$/.test(m) ? maskSecret(m) : m,
    )
    .replace(KEY_ID_RE, (m, prefix: string) => (SECRET_KEYS.has(prefix) ? maskKeyId(m) : m));
}

/** All access key ids (AKIA/ASIA/...) in a text, raw: callers must mask before printing. */
export function findAccessKeyIds(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(KEY_ID_RE)) if (SECRET_KEYS.has(m[1]!)) out.push(m[0]);
  return out;
}

/**
 * Remove secrets from a file written for others (a case bundle): like {@link redactText}, but every secret becomes
 * `placeholder` and access key ids stay whole (they are identifiers the diagnosis matches against CloudTrail, not
 * secrets). Values that already are the placeholder are left alone.
 */
export function redactSecretValues(text: string, placeholder = "REDACTED"): string {
  return (
    text
      .replace(NAMED_SECRET_RE, (m, name: string, value: string) =>
        value === placeholder ? m : `${name}${placeholder}`,
      )
      // a JWT whose signature already is the placeholder keeps its readable claims
      .replace(TOKEN_BLOB_RE, (m) => (m.endsWith(`.${placeholder}`) ? m : placeholder))
      .replace(SECRET_SHAPE_RE, (m) =>
        /[a-z]/.test(m) && /[A-Z0-9]/.test(m) && !/^[a-f0-9]+$/.test(m) ? placeholder : m,
      )
  );
}
