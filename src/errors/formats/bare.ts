// A bare error code pasted alone (`AccessDenied`, `InvalidClientTokenId (403)`): a Failure with only the code, so
// the causes that code can mean are still ranked (docs/aws-facts.md §1.0 lists the codes).

import { draft, type Hit } from "../types.js";

/** Auth-related codes of docs/aws-facts.md §1.0-§1.24 that a user may paste with nothing around them. */
const CODES: ReadonlyMap<string, string> = new Map(
  [
    "AccessDenied",
    "AccessDeniedException",
    "AllAccessDisabled",
    "AuthFailure",
    "AuthorizationHeaderMalformed",
    "ExpiredToken",
    "ExpiredTokenException",
    "IDPCommunicationError",
    "IDPRejectedClaim",
    "IncompleteSignature",
    "IncompleteSignatureException",
    "InvalidAccessKeyId",
    "InvalidClientTokenId",
    "InvalidIdentityPoolConfigurationException",
    "InvalidIdentityToken",
    "InvalidSignatureException",
    "InvalidToken",
    "KeyPairMismatch",
    "MissingAuthenticationToken",
    "MissingAuthenticationTokenException",
    "NotAuthorizedException",
    "OptInRequired",
    "RequestExpired",
    "RequestTimeTooSkewed",
    "SignatureDoesNotMatch",
    "Unauthorized",
    "UnauthorizedException",
    "UnauthorizedOperation",
    "UnrecognizedClientException",
    "VpceAccessDenied",
  ].map((c) => [c.toLowerCase(), c]),
);

// The whole input: one code, maybe quoted, maybe `Client.`-prefixed, maybe followed by an HTTP status.
const BARE_RE = /^\s*["'`]?(?:Client\.|Server\.)?([A-Za-z]{5,60})["'`]?\s*(?:\(?(\d{3})\)?)?\s*[.:]?\s*$/;

/** Read an input that is nothing but a known error code. */
export function readBareCode(text: string): Hit[] {
  if (text.length > 120) return [];
  const m = BARE_RE.exec(text);
  const code = m ? CODES.get(m[1]!.toLowerCase()) : undefined;
  if (!m || !code) return [];
  const d = draft("plain", { code });
  if (m[2]) d.httpStatus = Number(m[2]);
  d.notes.push(
    "only the error code was given: the message, principal, action and resource would narrow it down",
  );
  return [{ start: 0, end: text.length, priority: 95, draft: d }];
}
