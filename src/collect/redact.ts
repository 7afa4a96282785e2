// Copies of this machine's AWS setup with every secret value replaced by `REDACTED`: the environment listing,
// the shared config/credentials files, SSO cache files and a web identity token. Pure text transforms.

/** What replaces a secret value. The credential model reads it as "set, but hidden" (src/credentials/keys.ts). */
export const REDACTED = "REDACTED";

/** A transformed text and how many values were replaced. */
export interface Redacted {
  text: string;
  replaced: number;
}

/** Environment variables a bundle keeps: the AWS ones, proxies, and HOME (docs/bundle.md). */
export function keepEnvVar(name: string): boolean {
  return /^AWS_/.test(name) || /^(https?|no|all)_proxy$/i.test(name) || name === "HOME";
}

/** Whether a variable (or ini key) holds a secret value; names of files and URLs holding them do not. */
export function isSecretName(name: string): boolean {
  if (/_(FILE|PATH|URI|URL|ARN|ENDPOINT)$/i.test(name)) return false;
  return /SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL_PROCESS/i.test(name);
}

/** A proxy URL with the password of its user part replaced. */
function redactUrlPassword(value: string): { value: string; replaced: boolean } {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):([^@/\s]*)@/i.exec(value);
  if (!m) return { value, replaced: false };
  return { value: `${m[1]}:${REDACTED}@${value.slice(m[0].length)}`, replaced: true };
}

/** `env.txt`: `KEY=VALUE` lines of the kept variables, sorted, secrets replaced, newlines in values escaped. */
export function envListing(env: Record<string, string | undefined>): Redacted {
  let replaced = 0;
  const lines: string[] = [];
  for (const name of Object.keys(env).sort()) {
    const raw = env[name];
    if (raw === undefined || !keepEnvVar(name)) continue;
    let value = raw.replace(/\r?\n/g, "\\n");
    if (isSecretName(name) && value !== "") {
      value = REDACTED;
      replaced++;
    } else {
      const u = redactUrlPassword(value);
      value = u.value;
      if (u.replaced) replaced++;
    }
    lines.push(`${name}=${value}`);
  }
  return { text: lines.length > 0 ? `${lines.join("\n")}\n` : "", replaced };
}

/**
 * A shared config or credentials file with the value of every secret key (`aws_secret_access_key`,
 * `aws_session_token`, `credential_process`...) replaced; everything else, comments and line numbers included,
 * stays as it was, so positions in findings still point at the right line.
 */
export function redactIni(text: string): Redacted {
  let replaced = 0;
  const out = text.split(/(\r?\n)/).map((part) => {
    const m = /^(\s*)([A-Za-z0-9_.-]+)(\s*=\s*)(.*?)(\s*)$/.exec(part);
    if (!m) return part;
    const [, indent, key, eq, value, trail] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (value === "") return part;
    if (isSecretName(key)) {
      replaced++;
      return `${indent}${key}${eq}${REDACTED}${trail}`;
    }
    const u = redactUrlPassword(value);
    if (u.replaced) {
      replaced++;
      return `${indent}${key}${eq}${u.value}${trail}`;
    }
    return part;
  });
  return { text: out.join(""), replaced };
}

/** SSO cache fields that are no secret and that the credential model reads. */
const SSO_KEEP = new Set(["startUrl", "region", "expiresAt", "registrationExpiresAt", "scopes"]);

/**
 * An SSO cache file (`~/.aws/sso/cache/*.json`) as metadata: start URL, region and expiry times; token and
 * client secret fields keep their name with `REDACTED` as value (so "a token was cached" is still known), any
 * other field is left out. Undefined when the text is not a JSON object.
 */
export function redactSsoCache(text: string): Redacted | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) return undefined;
  const out: Record<string, unknown> = {};
  let replaced = 0;
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (SSO_KEEP.has(k)) out[k] = v;
    else if (/token|secret/i.test(k) && typeof v === "string") {
      out[k] = REDACTED;
      replaced++;
    } else replaced++;
  }
  return { text: `${JSON.stringify(out, null, 2)}\n`, replaced };
}

/** A JWT with its signature replaced: the claims (issuer, audience, expiry) stay readable, the token is unusable. */
export function redactJwt(text: string): Redacted | undefined {
  const parts = text.trim().split(".");
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) return undefined;
  return { text: `${parts[0]}.${parts[1]}.${REDACTED}\n`, replaced: 1 };
}
