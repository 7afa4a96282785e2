// Turns a CredentialsReport into Signals for `diagnose`: which causes the local setup confirms, supports or refutes.

import type { CauseId } from "../../core/cause-ids.js";
import type { Signal } from "../../core/diagnosis.js";
import type { Failure } from "../../core/failure.js";
import { OPT_IN_REGIONS } from "../../core/regions.js";
import type { CredentialsReport, Finding, SdkId } from "../../credentials/types.js";

/** Failure families, by error code and message (docs/aws-facts.md §1.0). */
function families(failure: Failure | undefined): Set<string> {
  const out = new Set<string>();
  if (!failure) return out;
  const text = `${failure.code ?? ""} ${failure.message ?? ""} ${failure.raw ?? ""}`;
  if (
    /InvalidClientTokenId|AuthFailure|UnrecognizedClient|InvalidAccessKeyId|InvalidToken|security token included in the request is invalid/i.test(
      text,
    )
  )
    out.add("token-invalid");
  if (/InvalidClientTokenId|InvalidAccessKeyId|UnrecognizedClient|AuthFailure/i.test(text))
    out.add("key-invalid");
  if (/SignatureDoesNotMatch|InvalidSignatureException|signature we calculated does not match/i.test(text))
    out.add("signature");
  if (
    /ExpiredToken|token (included in the request )?(is|has) expired|Token is expired|session .* has expired/i.test(
      text,
    )
  )
    out.add("expired");
  if (
    /Unable to locate credentials|Could not load credentials|NoCredentials|CredentialsProviderError|Partial credentials/i.test(
      text,
    )
  )
    out.add("no-credentials");
  if (/could not be found|ProfileNotFound/i.test(text)) out.add("profile-not-found");
  if (/AccessDenied|UnauthorizedOperation|not authorized|Forbidden/i.test(text)) out.add("denied");
  if (/sso|Identity Center/i.test(text)) out.add("sso");
  if (/MultiFactor|MFA/i.test(text)) out.add("mfa");
  return out;
}

const FINDING_FAMILY: Partial<Record<CauseId, string>> = {
  SESSION_TOKEN_MISSING: "token-invalid",
  SESSION_TOKEN_STALE: "token-invalid",
  KEY_INVALID_ID: "key-invalid",
  KEY_SECRET_MISMATCH: "signature",
  TOKEN_EXPIRED: "expired",
  CRED_MISSING: "no-credentials",
  SSO_CONFIG: "sso",
  MFA_REQUIRED: "mfa",
};

function applies(f: Finding, sdks: SdkId[]): boolean {
  return !f.sdks || f.sdks.some((s) => sdks.includes(s));
}

/**
 * Signals from a credentials report for `diagnose`. A finding confirms its cause when the failure's error
 * family matches it (an ASIA key without token and `InvalidClientTokenId`), and supports it otherwise;
 * facts of the resolution weaken or refute causes they rule out (credentials found -> not CRED_MISSING).
 */
export function credentialSignals(
  report: CredentialsReport,
  opts: { sdk?: SdkId; failure?: Failure } = {},
): Signal[] {
  const sdks: SdkId[] = opts.sdk ? [opts.sdk] : ["js", "python", "cli"];
  const fam = families(opts.failure);
  const out: Signal[] = [];
  const add = (cause: CauseId, effect: Signal["effect"], text: string, where: string) =>
    out.push({ cause, effect, text, source: `creds: ${where}` });

  for (const f of report.findings) {
    if (
      f.severity === "info" &&
      f.code !== "opt-in-region-static-temporary-keys" &&
      f.code !== "metadata-disabled"
    )
      continue;
    if (!applies(f, sdks)) continue;
    const family = FINDING_FAMILY[f.cause];
    let effect: Signal["effect"] = "supports";
    if (family && fam.has(family) && f.severity === "error") effect = "confirms";
    if (
      f.cause === "CRED_WRONG_SOURCE" &&
      fam.has("profile-not-found") &&
      /profile-not-found|wrong-section-form/.test(f.code)
    )
      effect = "confirms";
    if (f.cause === "STS_TOKEN_VERSION_REGION") {
      const region = opts.failure?.region;
      if (region && !OPT_IN_REGIONS.has(region)) effect = "weakens";
    }
    add(f.cause, effect, f.message, f.where);
  }

  for (const sdk of sdks) {
    const r = report.resolution[sdk];
    if (!r) continue;
    const label = `${r.label}`;
    if (r.result === "credentials" && fam.has("no-credentials"))
      add(
        "CRED_MISSING",
        "weakens",
        `${label} finds credentials here (${r.summary}): the failing process saw a different setup`,
        r.decidedBy?.where ?? "-",
      );
    if (r.result === "none" && fam.has("no-credentials"))
      add("CRED_MISSING", "confirms", `${label} finds no credentials anywhere in its chain`, "-");
    const id = r.winner?.identity;
    if (id && id.accessKeyId !== "unknown") {
      if (id.kind === "long-term" && !id.hasSessionToken) {
        if (fam.has("token-invalid"))
          add(
            "SESSION_TOKEN_MISSING",
            "refutes",
            `${label} signs with the long-term key ${id.accessKeyId}, which needs no session token`,
            r.winner!.where,
          );
        if (fam.has("expired"))
          add(
            "TOKEN_EXPIRED",
            "weakens",
            `${label} signs with the long-term key ${id.accessKeyId}, which does not expire`,
            r.winner!.where,
          );
      }
      if (id.kind === "temporary" && id.hasSessionToken && fam.has("token-invalid"))
        add(
          "SESSION_TOKEN_MISSING",
          "weakens",
          `${label} sends a session token with ${id.accessKeyId}`,
          r.winner!.where,
        );
      const failKey = opts.failure?.accessKeyId?.masked;
      if (failKey && failKey !== id.accessKeyId)
        add(
          "CRED_WRONG_SOURCE",
          "supports",
          `the failing request used ${failKey}, but ${label} resolves ${id.accessKeyId} here`,
          r.winner!.where,
        );
      if (failKey && failKey === id.accessKeyId)
        add(
          "CRED_WRONG_SOURCE",
          "weakens",
          `the failing request used ${failKey}, the key ${label} resolves here`,
          r.winner!.where,
        );
      const errAccount = opts.failure?.principal?.account;
      if (id.account && errAccount && id.account !== errAccount)
        add(
          "CRED_WRONG_SOURCE",
          "supports",
          `the error names account ${errAccount}, but the key ${label} resolves belongs to ${id.account}`,
          r.winner!.where,
        );
      const resAccount = /^arn:[\w-]+:[\w-]*:[\w-]*:(\d{12}):/.exec(opts.failure?.resource ?? "")?.[1];
      if (id.account && resAccount && id.account !== resAccount && fam.has("denied"))
        add(
          "ACCOUNT_MISMATCH",
          "supports",
          `the resource is in account ${resAccount}, the credentials of ${label} in ${id.account}`,
          r.winner!.where,
        );
    }
    const region = opts.failure?.region;
    if (
      region &&
      OPT_IN_REGIONS.has(region) &&
      fam.has("token-invalid") &&
      r.sts.mode === "regional" &&
      !r.endpointOverrides.length &&
      r.winner?.identity?.accessKeyId === "unknown"
    )
      add(
        "STS_TOKEN_VERSION_REGION",
        "weakens",
        `${label} gets its temporary credentials from the Regional STS endpoint (${r.sts.endpoint}), whose tokens are valid in every Region`,
        r.decidedBy?.where ?? "-",
      );
  }
  return out;
}

/**
 * docs/aws-facts.md §3.1/§3.2: an SDK that sends STS calls to the global endpoint gets v1 tokens (unless the account
 * prefers v2); with temporary credentials failing in a region, that supports the token-version cause.
 */
export function stsEndpointSignals(
  report: CredentialsReport,
  sdks: SdkId[],
  failure: Failure | null,
): Signal[] {
  if (!failure?.region) return [];
  for (const sdk of sdks) {
    const r = report.resolution[sdk];
    if (r?.sts.mode !== "global" || r.winner?.identity?.prefix !== "ASIA") continue;
    return [
      {
        cause: "STS_TOKEN_VERSION_REGION",
        effect: "supports",
        text: `${r.label} on this setup sends STS calls to the global endpoint ${r.sts.endpoint} (${r.sts.why}): sessions it obtains carry v1 tokens unless the account prefers v2`,
        source: `creds: ${r.label} STS endpoint`,
      },
    ];
  }
  return [];
}

/**
 * The signals that still stand when the secret values of `removed` (env variable names) were taken out of a
 * bundle's env listing (docs/bundle.md): a judgement of such a value's shape is dropped; that the token is
 * missing still stands.
 */
export function withoutRemovedSecrets(signals: Signal[], removed: string[]): Signal[] {
  return signals.filter(
    (s) => !removed.some((k) => s.source.includes(k) && s.cause !== "SESSION_TOKEN_MISSING"),
  );
}
