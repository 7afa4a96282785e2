// Test helpers: temporary HOME folders with ~/.aws files, and inspection with an explicit environment.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { inspectCredentials } from "../../src/credentials/index.js";
import type { CredentialsReport, Finding, SdkId } from "../../src/credentials/types.js";

const made: string[] = [];

/** A fresh HOME with the given files (paths relative to it, e.g. `.aws/config`). */
export function tempHome(files: Record<string, string | Uint8Array> = {}): string {
  const home = mkdtempSync(join(tmpdir(), "authdoctor-creds-"));
  made.push(home);
  for (const [rel, body] of Object.entries(files)) {
    const p = join(home, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, body);
  }
  return home;
}

/** Remove every HOME made by tempHome (call in afterAll). */
export function cleanHomes(): void {
  for (const h of made.splice(0)) rmSync(h, { recursive: true, force: true });
}

/** Inspect a HOME with exactly `env` (plus HOME). */
export function inspect(
  home: string,
  env: Record<string, string | undefined> = {},
  opts: { profile?: string; now?: Date } = {},
): Promise<CredentialsReport> {
  return inspectCredentials({
    env: { HOME: home, ...env },
    homeDir: home,
    ...(opts.profile ? { profile: opts.profile } : {}),
    now: opts.now ?? new Date("2026-06-01T12:00:00Z"),
  });
}

/** The winning source per SDK (`env`, `shared-ini`...), or the result when none won. */
export function winners(r: CredentialsReport): Record<SdkId, string> {
  const w = (s: SdkId) => r.resolution[s].winner?.source ?? `(${r.resolution[s].result})`;
  return { js: w("js"), python: w("python"), cli: w("cli") };
}

/** Findings with this code. */
export function withCode(r: CredentialsReport, code: string): Finding[] {
  return r.findings.filter((f) => f.code === code);
}

// Shapes that pass the format checks (docs/aws-facts.md §2.6); the secret parts are canaries, never real keys.
export const KEY_A = "AKIASP2TPHJSQH3FJXYZ"; // account 171436882533
export const KEY_T = "ASIAY34FZKBOKMUTVV7A"; // account 609629065308
export const KEY_B = "AKIAZ7YWX6VUT5SRQPON";
export const SECRET_A = "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";
export const SECRET_B = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETBBBB";
export const TOKEN = "IQoJb3JpZ2luX2VjTOKENTOKENTOKENTOKENTOKENTOKENTOKEN1234567890";

/** An unsigned JWT with these claims (EKS-like issuer and STS audience unless given). */
export function jwt(claims: Record<string, unknown>): string {
  const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${b({ alg: "RS256" })}.${b({ iss: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC", aud: "sts.amazonaws.com", ...claims })}.c2lnbmF0dXJlc2lnbmF0dXJl`;
}
