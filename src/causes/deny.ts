// Shared reading of access-denied failures (docs/aws-facts.md §1.12, §1.13): which form of denial the text shows.

import type { Check } from "../core/diagnosis.js";
import { authorizationCheck, canCheck, decodeCheck, simulateCheck, trailCheck } from "./commands.js";
import { codeIs, type Facts, has } from "./facts.js";

/** The refusal names no policy type: bare `Access Denied` or the older `… is not authorized to perform: A on resource: R`. */
export function untypedDeny(f: Facts): boolean {
  return f.denied && !f.policyKind && !f.encoded && !presignedExpired(f);
}

/** S3 `AccessDenied` `Request has expired`: a pre-signed URL past X-Amz-Expires, not a policy (§1.20). */
export function presignedExpired(f: Facts): boolean {
  return f.denied && has(f, /request has expired/i);
}

/** S3's bare `Access Denied` (no principal, no action): cross-account/anonymous callers get only this (§1.13 S3 variant). */
export function bareDeny(f: Facts): boolean {
  // INVARIANT: S3's own wording, not just a code: a bare pasted `AccessDenied` code says nothing about S3.
  return untypedDeny(f) && !has(f, /not authorized to perform/i) && has(f, /\bAccess Denied\b/i);
}

/** S3 HEAD 403 without a body (§1.20). */
export function headForbidden(f: Facts): boolean {
  return (codeIs(f, "403", "forbidden") || has(f, /\(403\)[^\n]*Forbidden/i)) && !f.policyKind;
}

/** EC2-style `UnauthorizedOperation` with an encoded authorization message (§1.12). */
export function encodedDeny(f: Facts): boolean {
  return f.encoded;
}

/** The checks every IAM-evaluation cause shares, filled from the failure. */
export function iamChecks(f: Facts, extra: Check[] = []): Check[] {
  const authz = authorizationCheck(f);
  const decode = decodeCheck(f);
  return [
    ...(authz ? [authz] : []),
    ...(decode ? [decode] : []),
    ...extra,
    simulateCheck(f),
    canCheck(f),
    trailCheck(`the denied ${f.action ?? "call"} and its errorMessage`, f),
  ];
}
