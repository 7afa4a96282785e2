// Offline facts about access key ids and secrets (docs/aws-facts.md §2.6): shape checks and the account id encoded in new key ids.

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Prefixes of unique ids (docs/aws-facts.md §2.6) and what they are. */
export const ID_PREFIXES: Record<string, string> = {
  ABIA: "STS service bearer token",
  ACCA: "context-specific credential",
  AGPA: "user group id",
  AIDA: "IAM user id",
  AIPA: "EC2 instance profile id",
  AKIA: "long-term access key",
  ANPA: "managed policy id",
  ANVA: "managed policy version id",
  APKA: "public key id",
  AROA: "role id",
  ASCA: "certificate id",
  ASIA: "temporary (STS) access key",
};

/** The kind of an access key id, from its prefix. */
export function keyKind(id: string): "long-term" | "temporary" | "unknown" {
  const p = id.slice(0, 4);
  if (p === "AKIA") return "long-term";
  if (p === "ASIA") return "temporary";
  return "unknown";
}

/**
 * Account id encoded in an access key id (docs/aws-facts.md §2.6): only for ids whose 5th character is `Q` or later in the
 * base32 alphabet (keys created since about 2019). Returns undefined when the id does not encode it.
 */
export function accountFromKeyId(id: string): string | undefined {
  if (!/^(AKIA|ASIA)[A-Z2-7]{16}$/.test(id)) return undefined;
  const rest = id.slice(4);
  if (B32.indexOf(rest[0]!) < B32.indexOf("Q")) return undefined;
  // base32-decode enough characters for 6 bytes (10 chars = 50 bits >= 48)
  let bits = 0n;
  for (const ch of rest.slice(0, 10)) bits = (bits << 5n) | BigInt(B32.indexOf(ch));
  const first6 = bits >> 2n; // 50 bits -> top 48 bits
  const account = (first6 & 0x7fffffffff80n) >> 7n;
  // 40 bits can exceed 12 digits: such an id was not issued by AWS
  if (account > 999_999_999_999n) return undefined;
  return account.toString().padStart(12, "0");
}

/** A problem with the shape of a key id or secret, found without any network call. */
export interface ShapeProblem {
  code:
    | "key-id-whitespace"
    | "key-id-quoted"
    | "key-id-cr"
    | "key-id-malformed"
    | "key-id-wrong-prefix"
    | "secret-whitespace"
    | "secret-quoted"
    | "secret-cr"
    | "secret-malformed"
    | "secret-looks-like-key-id";
  /** Plain words, no value. */
  detail: string;
}

/** Shape checks of an access key id (docs/aws-facts.md §2.6: 20 characters, prefix + base32). */
export function checkKeyId(raw: string): ShapeProblem[] {
  const out: ShapeProblem[] = [];
  if (raw.includes("\r"))
    out.push({ code: "key-id-cr", detail: "contains a carriage return (CR) character" });
  else if (raw !== raw.trim())
    out.push({ code: "key-id-whitespace", detail: "has leading or trailing whitespace" });
  const v = raw.trim();
  if (/^["'].*["']$/.test(v) || /^["']|["']$/.test(v)) {
    out.push({ code: "key-id-quoted", detail: "is wrapped in quotes, which become part of the value" });
    return out;
  }
  const prefix = v.slice(0, 4);
  if (/^A[A-Z]{3}$/.test(prefix) && prefix in ID_PREFIXES && prefix !== "AKIA" && prefix !== "ASIA") {
    out.push({
      code: "key-id-wrong-prefix",
      detail: `starts with \`${prefix}\`, which is a ${ID_PREFIXES[prefix]}, not an access key id`,
    });
    return out;
  }
  if (!/^(AKIA|ASIA)[A-Z2-7]{16}$/.test(v)) {
    const why: string[] = [];
    if (v.length !== 20) why.push(`${v.length} characters instead of 20`);
    if (!/^(AKIA|ASIA)/.test(v)) why.push("does not start with `AKIA` or `ASIA`");
    if (/[a-z]/.test(v)) why.push("has lower-case letters");
    if (/[0189]/.test(v.slice(4))) why.push("has digits 0, 1, 8 or 9, which key ids never contain");
    if (/[^A-Za-z0-9]/.test(v)) why.push("has characters other than letters and digits");
    if (why.length === 0) why.push("is not a valid access key id");
    out.push({ code: "key-id-malformed", detail: why.join(", ") });
  }
  return out;
}

/**
 * A value replaced by a redaction placeholder (bundles carry `env` listings with secrets removed):
 * `<redacted>`, `***`, `REDACTED`, or authdoctor's own `****(40 chars)`, whose length is returned when given.
 */
export function redactedPlaceholder(v: string): { length?: number } | undefined {
  const t = v.trim();
  const own = /^\*{4}\((\d+) chars\)$/.exec(t);
  if (own) return { length: Number(own[1]) };
  if (/^(?:<redacted>|\[redacted\]|redacted|\*{3,}|x{3,}|<hidden>|hidden)$/i.test(t)) return {};
  return undefined;
}

/** Shape checks of a secret access key (docs/aws-facts.md §2.6: 40 characters of `[A-Za-z0-9/+]`, by convention). */
export function checkSecret(raw: string): ShapeProblem[] {
  const out: ShapeProblem[] = [];
  const placeholder = redactedPlaceholder(raw);
  if (placeholder) {
    if (placeholder.length !== undefined && placeholder.length !== 40)
      out.push({ code: "secret-malformed", detail: `${placeholder.length} characters instead of 40` });
    return out;
  }
  if (raw.includes("\r"))
    out.push({ code: "secret-cr", detail: "contains a carriage return (CR) character" });
  else if (raw !== raw.trim())
    out.push({ code: "secret-whitespace", detail: "has leading or trailing whitespace" });
  const v = raw.trim();
  if (/^["']|["']$/.test(v)) {
    out.push({ code: "secret-quoted", detail: "is wrapped in quotes, which become part of the value" });
    return out;
  }
  if (/^(AKIA|ASIA)[A-Z0-9]{12,20}$/.test(v)) {
    out.push({
      code: "secret-looks-like-key-id",
      detail: "looks like an access key id: the key id and the secret may be swapped",
    });
    return out;
  }
  if (!/^[A-Za-z0-9/+]{40}$/.test(v)) {
    const why: string[] = [];
    if (v.length !== 40) why.push(`${v.length} characters instead of 40`);
    if (/[^A-Za-z0-9/+]/.test(v)) why.push("has characters other than letters, digits, `/` and `+`");
    out.push({
      code: "secret-malformed",
      detail: why.join(", ") || "is not shaped like a secret access key",
    });
  }
  return out;
}
