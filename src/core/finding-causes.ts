// Which root cause each credential finding points to: one table, checked by the compiler to cover every code.
// Finding codes are public output (`authdoctor.credentials/v1`); cause ids are the taxonomy's (docs/json-contract.md).

import type { CauseId } from "./cause-ids.js";

/** Every code a credential finding can carry. */
export type CredentialFindingCode =
  | "config-section-without-profile-prefix"
  | "container-token-file-missing"
  | "container-uri-refused"
  | "credential-source-invalid"
  | "credentials-expired"
  | "credentials-section-with-profile-prefix"
  | "default-profile-var-ignored-by-js"
  | "endpoint-url-override"
  | "env-keys-half-set"
  | "env-keys-shadow-profile"
  | "falls-through-to-imds"
  | "file-missing"
  | "file-not-utf8"
  | "file-parse-error"
  | "file-stray-cr"
  | "file-unreadable"
  | "file-utf16"
  | "file-utf8-bom"
  | "inline-comment-in-value"
  | "key-id-cr"
  | "key-id-malformed"
  | "key-id-quoted"
  | "key-id-whitespace"
  | "key-id-wrong-prefix"
  | "metadata-disabled"
  | "mfa-serial-no-prompt"
  | "no-credentials"
  | "opt-in-region-global-sts"
  | "opt-in-region-static-temporary-keys"
  | "profile-not-found"
  | "profile-vars-disagree"
  | "profile-wrong-section-form"
  | "region-differs-by-sdk"
  | "region-invalid"
  | "region-missing"
  | "role-arn-malformed"
  | "role-arn-without-source"
  | "same-key-different-secrets"
  | "sdks-disagree"
  | "secret-cr"
  | "secret-looks-like-key-id"
  | "secret-malformed"
  | "secret-quoted"
  | "secret-whitespace"
  | "security-token-var-ignored-by-js"
  | "session-token-garbled"
  | "session-token-with-long-term-key"
  | "source-profile-and-credential-source"
  | "source-profile-loop"
  | "source-profile-missing"
  | "sso-session-missing"
  | "sso-token-expired"
  | "sso-token-missing"
  | "sso-token-unreadable"
  | "temporary-key-without-token"
  | "web-identity-half-set"
  | "web-identity-token-claims"
  | "web-identity-token-expired"
  | "web-identity-token-garbled"
  | "web-identity-token-missing"
  | "web-identity-token-unreadable";

/** Finding code -> cause id. */
export const CREDENTIAL_FINDING_CAUSE = {
  "config-section-without-profile-prefix": "CRED_WRONG_SOURCE",
  "container-token-file-missing": "CRED_MISSING",
  "container-uri-refused": "CRED_MISSING",
  "credential-source-invalid": "OTHER",
  "credentials-expired": "TOKEN_EXPIRED",
  "credentials-section-with-profile-prefix": "CRED_WRONG_SOURCE",
  "default-profile-var-ignored-by-js": "CRED_WRONG_SOURCE",
  "endpoint-url-override": "NETWORK_PATH",
  "env-keys-half-set": "CRED_MISSING",
  "env-keys-shadow-profile": "CRED_WRONG_SOURCE",
  "falls-through-to-imds": "CRED_MISSING",
  "file-missing": "CRED_WRONG_SOURCE",
  "file-not-utf8": "OTHER",
  "file-parse-error": "OTHER",
  "file-stray-cr": "KEY_SECRET_MISMATCH",
  "file-unreadable": "CRED_MISSING",
  "file-utf16": "CRED_MISSING",
  "file-utf8-bom": "CRED_MISSING",
  "inline-comment-in-value": "OTHER",
  "key-id-cr": "KEY_INVALID_ID",
  "key-id-malformed": "KEY_INVALID_ID",
  "key-id-quoted": "KEY_INVALID_ID",
  "key-id-whitespace": "KEY_INVALID_ID",
  "key-id-wrong-prefix": "KEY_INVALID_ID",
  "metadata-disabled": "CRED_MISSING",
  "mfa-serial-no-prompt": "MFA_REQUIRED",
  "no-credentials": "CRED_MISSING",
  "opt-in-region-global-sts": "STS_TOKEN_VERSION_REGION",
  "opt-in-region-static-temporary-keys": "STS_TOKEN_VERSION_REGION",
  "profile-not-found": "CRED_WRONG_SOURCE",
  "profile-vars-disagree": "CRED_WRONG_SOURCE",
  "profile-wrong-section-form": "CRED_WRONG_SOURCE",
  "region-differs-by-sdk": "REGION_MISMATCH",
  "region-invalid": "REGION_MISMATCH",
  "region-missing": "REGION_MISMATCH",
  "role-arn-malformed": "OTHER",
  "role-arn-without-source": "OTHER",
  "same-key-different-secrets": "KEY_SECRET_MISMATCH",
  "sdks-disagree": "CRED_WRONG_SOURCE",
  "secret-cr": "KEY_SECRET_MISMATCH",
  "secret-looks-like-key-id": "KEY_SECRET_MISMATCH",
  "secret-malformed": "KEY_SECRET_MISMATCH",
  "secret-quoted": "KEY_SECRET_MISMATCH",
  "secret-whitespace": "KEY_SECRET_MISMATCH",
  "security-token-var-ignored-by-js": "SESSION_TOKEN_MISSING",
  "session-token-garbled": "SESSION_TOKEN_STALE",
  "session-token-with-long-term-key": "SESSION_TOKEN_STALE",
  "source-profile-and-credential-source": "OTHER",
  "source-profile-loop": "OTHER",
  "source-profile-missing": "CRED_MISSING",
  "sso-session-missing": "SSO_CONFIG",
  "sso-token-expired": "TOKEN_EXPIRED",
  "sso-token-missing": "SSO_CONFIG",
  "sso-token-unreadable": "SSO_CONFIG",
  "temporary-key-without-token": "SESSION_TOKEN_MISSING",
  "web-identity-half-set": "CRED_MISSING",
  "web-identity-token-claims": "TRUST_POLICY",
  "web-identity-token-expired": "TOKEN_EXPIRED",
  "web-identity-token-garbled": "OTHER",
  "web-identity-token-missing": "CRED_MISSING",
  "web-identity-token-unreadable": "CRED_MISSING",
} as const satisfies Record<CredentialFindingCode, CauseId>;

/**
 * `inline-comment-in-value`: the cause depends on which setting carries the comment (a secret read with the comment
 * fails its signature, an access key id with it is an unknown id; anything else is the generic cause).
 */
export const INLINE_COMMENT_CAUSE = {
  secret: "KEY_SECRET_MISMATCH",
  "access-key-id": "KEY_INVALID_ID",
  other: "OTHER",
} as const satisfies Record<string, CauseId>;
