// Error signatures (codes and exact phrases, docs/aws-facts.md) shared by several cause modules.

import { codeIs, type Facts, has } from "./facts.js";

/** `InvalidClientTokenId` / `UnrecognizedClientException`: "The security token included in the request is invalid" (§1.1, §1.2). */
export function tokenInvalid(f: Facts): boolean {
  return (
    codeIs(f, "invalidclienttokenid", "unrecognizedclient") ||
    has(f, /security token included in the request is invalid/i)
  );
}

/** EC2 `AuthFailure` (§1.10). */
export function authFailure(f: Facts): boolean {
  return codeIs(f, "authfailure") || has(f, /not able to validate the provided access credentials/i);
}

/** S3 `InvalidAccessKeyId` (§1.3). */
export function invalidAccessKeyId(f: Facts): boolean {
  return (
    codeIs(f, "invalidaccesskeyid") || has(f, /access key id you provided does not exist in our records/i)
  );
}

/** S3 `InvalidToken` (§1.3). */
export function invalidS3Token(f: Facts): boolean {
  return codeIs(f, "invalidtoken") || has(f, /provided token is malformed or otherwise invalid/i);
}

/** Any of the "AWS does not recognise these credentials" family. */
export function credentialRejected(f: Facts): boolean {
  return tokenInvalid(f) || authFailure(f) || invalidAccessKeyId(f) || invalidS3Token(f);
}

/** Signature mismatch (§1.4), not the clock messages of §1.9. */
export function signatureMismatch(f: Facts): boolean {
  if (clockMessage(f)) return false;
  return (
    codeIs(f, "signaturedoesnotmatch") ||
    has(f, /signature we calculated does not match the signature you provided/i)
  );
}

/** Expired credentials (§1.7). */
export function expiredToken(f: Facts): boolean {
  return (
    codeIs(f, "expiredtoken") ||
    has(f, /security token included in the request is expired|provided token has expired/i)
  );
}

/** The clock-skew messages of §1.9 (the request time is outside the service's window). */
export function clockMessage(f: Facts): boolean {
  return (
    codeIs(f, "requesttimetooskewed", "requestinthefuture") ||
    has(
      f,
      /signature expired:|signature not yet current|difference between the request time and the current time/i,
    )
  );
}

/** `RequestExpired` (§1.8). */
export function requestExpired(f: Facts): boolean {
  return codeIs(f, "requestexpired") || (!f.denied && has(f, /^\s*request has expired\.?\s*$/im));
}

/** The failed call is an STS AssumeRole* call or the denied action is one. */
export function assumeRoleCall(f: Facts): boolean {
  return f.actionKey.startsWith("sts:assumerole") || /^AssumeRole/.test(f.operation ?? "");
}

/** A Cognito unauthenticated (guest) role session (§1.16, §5.2). */
export function cognitoGuestPrincipal(f: Facts): boolean {
  return /assumed-role\/[^/\s]*unauth[^/\s]*\/CognitoIdentityCredentials/i.test(f.principalArn ?? f.text);
}

/** An AppSync / GraphQL failure (§1.17). */
export function appsyncFailure(f: Facts): boolean {
  return (
    f.service === "appsync" ||
    f.failure.format === "graphql" ||
    f.failure.format === "amplify" ||
    /appsync-api|"errorType"|errorType:|not authorized to access \S+ on type|GraphQLError|api-graphql/i.test(
      f.text,
    )
  );
}

/** API Gateway's `Missing Authentication Token` (§1.6). */
export function missingAuthToken(f: Facts): boolean {
  return codeIs(f, "missingauthenticationtoken") || has(f, /missing authentication token/i);
}

/** The Cognito identity service named the failure (§1.16). */
export function cognitoIdentity(f: Facts): boolean {
  return (
    f.service === "cognito-identity" ||
    /cognito-identity|identity ?pool|GetCredentialsForIdentity|GetId\b/i.test(f.text)
  );
}

/** No HTTP response at all: connection, DNS or TLS failure (§7). */
export function connectionFailure(f: Facts): boolean {
  return has(
    f,
    /could not connect to the endpoint url|connect timeout on endpoint url|read timeout on endpoint url|\bETIMEDOUT\b|\bECONNREFUSED\b|\bECONNRESET\b|\bENOTFOUND\b|\bEAI_AGAIN\b|getaddrinfo|socket hang up|dial tcp|i\/o timeout|no such host|connection refused|TimeoutError|self[- ]signed certificate|unable to get local issuer certificate|CERTIFICATE_VERIFY_FAILED|SSLError/i,
  );
}

/**
 * The caller is an AWS service principal (`sns.amazonaws.com`, `events.amazonaws.com`): a service has no identity
 * policy of its own, only a resource-based policy can let it in
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services).
 */
export function servicePrincipalCaller(f: Facts): boolean {
  return /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/.test(f.principalArn ?? "");
}

/** The account in the principal differs from the account in the resource ARN. */
export function crossAccount(f: Facts): boolean {
  return (
    f.principalAccount !== undefined &&
    f.resourceAccount !== undefined &&
    f.principalAccount !== f.resourceAccount
  );
}
