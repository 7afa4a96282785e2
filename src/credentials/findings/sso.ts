// IAM Identity Center (SSO) profiles and their cached tokens.

import { type ProfileStore, val } from "../profiles.js";
import type { Snapshot } from "../types.js";
import type { FindingDraft } from "./common.js";

export function checkSso(snap: Snapshot, store: ProfileStore, inUse: Set<string>, out: FindingDraft[]): void {
  const seen = new Set<string>();
  for (const [name, p] of store.profiles) {
    const session = val(p, "sso_session");
    const startUrl = val(p, "sso_start_url");
    if (!session && !startUrl && !p.sso_account_id && !p.sso_role_name) continue;
    const sev = inUse.has(name) ? "error" : "info";
    if (session && !store.ssoSessions.has(session)) {
      out.push({
        code: "sso-session-missing",
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
        severity: sev,
        message: `no cached SSO token for ${label} (profile \`${name}\`): \`aws sso login\` has not been run for it`,
        where: tok?.display ?? "~/.aws/sso/cache",
        fix: `aws sso login --profile ${name}`,
      });
    else if (tok.status !== "ok")
      out.push({
        code: "sso-token-unreadable",
        severity: sev,
        message: `the cached SSO token for ${label} is ${tok.status === "garbled" ? "not valid token JSON" : "unreadable"}`,
        where: tok.display,
        fix: `aws sso login --profile ${name}`,
      });
    else if (tok.expiresAt && Date.parse(tok.expiresAt) <= snap.now.getTime())
      out.push({
        code: "sso-token-expired",
        severity: session && tok.hasRefreshToken ? (sev === "error" ? "warning" : "info") : sev,
        message: `the cached SSO token for ${label} expired at ${tok.expiresAt}${session && tok.hasRefreshToken ? " (the SDKs will try to refresh it online)" : ""}`,
        where: tok.display,
        fix: `aws sso login --profile ${name}`,
      });
  }
}
