// inspectCredentials: snapshot -> three chain walks -> findings, with every string scrubbed of known secrets.

import { maskKeyId, maskSecret, redactText } from "../core/redact.js";
import { buildStores, resolveSdk } from "./chains.js";
import { collectFindings } from "./findings/index.js";
import { takeSnapshot } from "./snapshot.js";
import { CREDENTIALS_SCHEMA, type CredentialsReport, type InspectInput, type Snapshot } from "./types.js";

/**
 * Inspect the local credential setup: how each SDK's provider chain resolves (every link's outcome, what wins
 * and what would win next, profiles followed, masked key id, decoded account, region, STS endpoint mode) and
 * the findings. Reads only local files (never the network); bad files become findings, never exceptions.
 * No secret key or session token appears anywhere in the result.
 */
export async function inspectCredentials(input: InspectInput): Promise<CredentialsReport> {
  const snap = await takeSnapshot(input);
  const stores = buildStores(snap);
  const resolution = {
    js: resolveSdk("js", snap, stores),
    python: resolveSdk("python", snap, stores),
    cli: resolveSdk("cli", snap, stores),
  };
  const findings = collectFindings(snap, resolution, stores);
  const report: CredentialsReport = { schema: CREDENTIALS_SCHEMA, resolution, findings };
  return scrub(report, knownSecrets(snap));
}

const SECRET_KEYS = new Set([
  "aws_secret_access_key",
  "aws_session_token",
  "aws_security_token",
  "credential_process",
  "sso_access_token",
]);
const SECRET_ENV = [
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
];

/** Every secret value the snapshot holds, and every raw key id (to be masked), longest first. */
function knownSecrets(snap: Snapshot): { secrets: string[]; keyIds: string[] } {
  const secrets = new Set<string>();
  const keyIds = new Set<string>();
  const addSecret = (v: string | undefined) => {
    if (!v) return;
    for (const part of [v, v.trim(), ...v.split(/[\s"',;{}]+/)]) if (part.length >= 8) secrets.add(part);
  };
  for (const k of SECRET_ENV) addSecret(snap.env[k]);
  if (snap.env.AWS_ACCESS_KEY_ID) keyIds.add(snap.env.AWS_ACCESS_KEY_ID.trim());
  for (const f of [snap.config, snap.credentials])
    for (const s of f.scan.sections) {
      for (const e of [...s.entries, ...s.pyEntries]) {
        const key = e.key.toLowerCase();
        if (SECRET_KEYS.has(key)) addSecret(e.value);
        if (key === "aws_access_key_id" && e.value.trim().length >= 8) keyIds.add(e.value.trim());
      }
    }
  const byLength = (a: string, b: string) => b.length - a.length;
  return { secrets: [...secrets].sort(byLength), keyIds: [...keyIds].sort(byLength) };
}

/** Last line of defence: remove known secrets and raw key ids from every string, then run redactText. */
function scrub<T>(value: T, known: { secrets: string[]; keyIds: string[] }): T {
  const clean = (s: string): string => {
    let out = s;
    for (const secret of known.secrets)
      if (out.includes(secret)) out = out.split(secret).join(maskSecret(secret));
    for (const id of known.keyIds) if (out.includes(id)) out = out.split(id).join(maskKeyId(id));
    return redactText(out);
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return clean(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
