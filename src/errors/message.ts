// Mines the AWS error message itself: principal, action, resource, policy type, deny kind and policy ARN
// (docs/aws-facts.md §1.13, Appendix A), encoded authorization message (§1.12), clock times (§1.9), region hints (§1.20, §1.24).

import { parsePrincipal } from "../core/arn.js";
import type { ClockEvidence, PolicyType, Principal } from "../core/failure.js";
import { clockEvidence } from "./clock.js";
import { isRegion } from "./region.js";

/** What an AWS message says about the refused request. */
export interface MessageFacts {
  principal?: Principal;
  action?: string;
  resource?: string;
  policyType?: PolicyType;
  denyKind?: "explicit" | "implicit";
  denyingPolicyArn?: string;
  encodedMessage?: { text: string; truncated: boolean };
  clock?: ClockEvidence;
  region?: string;
  regionSource?: string;
  /** The message names the role trust policy (policyType is then `resource-based`: the role's resource policy). */
  namesTrustPolicy?: boolean;
  /** Service named by a SigV4 credential scope echoed in the message. */
  scopeService?: string;
  notes: string[];
}

// `is not authorized to perform: s3:GetObject` (also without the colon: `Not authorized to perform sts:Assume...`).
const PERFORM_RE = /not authorized to perform:? ?([A-Za-z0-9][A-Za-z0-9-]{0,63}:[A-Za-z0-9*]{1,128})/i;
// `User: <principal> ` right before `is not authorized`.
const USER_RE = /(?:User|Principal|Identity): ?(\S{1,1500}) (?:is|are) not authorized/;
const IMPLICIT_RE =
  /because no (identity-based|resource-based|session|service control|resource control|VPC endpoint|role trust) polic(?:y|ies) allows?/i;
const IMPLICIT_PB_RE = /because no permissions boundary allows?/i;
const EXPLICIT_RE =
  /with an explicit deny in (?:a |an |the )?(identity-based|resource-based|sessions?|service control|resource control|VPC endpoint|role trust) policy/i;
const EXPLICIT_PB_RE = /with an explicit deny in (?:a |an |the )?permissions boundary/i;
const EXPLICIT_BARE_RE = /with an explicit deny\b/i;
const TRANSITIVE_RE = /transitively through a service control policy/i;
const POLICY_ARN_RE =
  /^(?: the [\w:*-]{1,200} action)?(?: transitively through a service control policy)?: ?(arn:aws[a-z-]{0,20}:[^\s"',;)]{1,512})/;
const ENCODED_RE = /Encoded authorization failure message: ?([A-Za-z0-9_\-+/=]{1,20000})(\.{3}|…)?/;
const SIG_CLOCK_RE =
  /Signature (expired|not yet current): (\d{8}T\d{6}Z) is (?:now earlier|still later) than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) ([-+]) (\d{1,4}) min\.?\)/;
const WRONG_REGION_RE = /the region '([^'\s]{1,40})' is wrong; expecting '([^'\s]{1,40})'/;
const SCOPE_REGION_RE = /Credential should be scoped to a valid Region, not '([^'\s]{1,40})'/;
const CRED_SCOPE_RE =
  /Credential= ?[A-Za-z0-9*]{4,32}\/(\d{8})\/([a-z0-9-]{1,30})\/([a-z0-9-]{1,40})\/aws4_request/;
const POOL_RE = /IdentityPool '([a-z]{2}(?:-gov)?-[a-z]+-\d{1,2}):[0-9a-f-]{36}' not found/;
const REGION_EQ_RE = /region="([^"\s]{1,40})"/;
const APPSYNC_FIELD_RE = /Not Authorized to access (\w{1,200}) on type (\w{1,200})/;
// A real encoded message is hundreds of characters; shorter ones have been cut by a tool or a log (docs/aws-facts.md §1.12).
const MIN_ENCODED_LENGTH = 200;

const POLICY_TYPES: Record<string, PolicyType> = {
  "identity-based": "identity-based",
  "resource-based": "resource-based",
  session: "session",
  sessions: "session",
  "service control": "service-control",
  "resource control": "resource-control",
  "vpc endpoint": "vpc-endpoint",
  // A role trust policy is the role's resource-based policy (docs/aws-facts.md §1.14).
  "role trust": "resource-based",
};

const RESOURCE_END = [
  " because no ",
  " with an explicit deny",
  ". Encoded authorization",
  " Encoded authorization",
  " (Service:",
  '" (RequestToken',
  "\n",
];

function readResource(rest: string): string | undefined {
  let r: string;
  if (rest.startsWith(" on resource: ")) r = rest.slice(14);
  else if (rest.startsWith(' on "')) r = rest.slice(4);
  else return undefined;
  r = r.slice(0, 2100);
  if (r.startsWith('"') || r.startsWith("'")) {
    const q = r[0]!;
    const close = r.indexOf(q, 1);
    return close > 1 ? r.slice(1, close) : undefined;
  }
  let end = r.length;
  for (const stop of RESOURCE_END) {
    const i = r.indexOf(stop);
    if (i >= 0 && i < end) end = i;
  }
  const value = r
    .slice(0, end)
    .trim()
    .replace(/[.,;]+$/, "");
  if (value.length === 0 || value.length > 2048) return undefined;
  if (/^the resource associated with/i.test(value)) return undefined;
  return value;
}

/** Read what an AWS error message states. Never throws; unrecognised text gives `{ notes: [] }`. */
export function mineMessage(message: string): MessageFacts {
  const facts: MessageFacts = { notes: [] };
  const msg = message.length > 20000 ? message.slice(0, 20000) : message;

  const perform = PERFORM_RE.exec(msg);
  if (perform) {
    facts.action = perform[1]!;
    const head = msg.slice(Math.max(0, perform.index - 1600), perform.index + 20);
    const user = USER_RE.exec(head);
    if (user) facts.principal = parsePrincipal(user[1]!);
    const rest = msg.slice(perform.index + perform[0].length);
    const resource = readResource(rest);
    if (resource) facts.resource = resource;
  }

  const appsync = APPSYNC_FIELD_RE.exec(msg);
  if (appsync) {
    facts.resource ??= `types/${appsync[2]}/fields/${appsync[1]}`;
    if (!facts.action) {
      facts.action = "appsync:GraphQL";
      facts.notes.push(
        "action `appsync:GraphQL` follows from the AppSync field message, it is not named in it",
      );
    }
  }

  let phraseEnd = -1;
  const implicit = IMPLICIT_RE.exec(msg);
  const implicitPb = IMPLICIT_PB_RE.exec(msg);
  const explicit = EXPLICIT_RE.exec(msg);
  const explicitPb = EXPLICIT_PB_RE.exec(msg);
  if (explicit || explicitPb) {
    facts.denyKind = "explicit";
    if (explicit) {
      facts.policyType = POLICY_TYPES[explicit[1]!.toLowerCase()] ?? "unknown";
      phraseEnd = explicit.index + explicit[0].length;
      if (/role trust/i.test(explicit[1]!)) {
        facts.namesTrustPolicy = true;
        facts.notes.push("the message names the role trust policy");
      }
    } else if (explicitPb) {
      facts.policyType = "permissions-boundary";
      phraseEnd = explicitPb.index + explicitPb[0].length;
    }
    if (TRANSITIVE_RE.test(msg)) {
      facts.notes.push(
        `the deny is in a ${facts.policyType === "vpc-endpoint" ? "VPC endpoint" : String(facts.policyType)} policy reached transitively through a service control policy`,
      );
      facts.policyType = "service-control";
    }
  } else if (implicit || implicitPb) {
    facts.denyKind = "implicit";
    if (implicit) {
      facts.policyType = POLICY_TYPES[implicit[1]!.toLowerCase()] ?? "unknown";
      phraseEnd = implicit.index + implicit[0].length;
      if (/role trust/i.test(implicit[1]!)) {
        facts.namesTrustPolicy = true;
        facts.notes.push("the message names the role trust policy");
      }
    } else if (implicitPb) {
      facts.policyType = "permissions-boundary";
      phraseEnd = implicitPb.index + implicitPb[0].length;
    }
  } else if (EXPLICIT_BARE_RE.test(msg)) {
    facts.denyKind = "explicit";
    facts.notes.push("the message says the deny is explicit but not which policy type denies");
  } else if (perform) {
    facts.notes.push("the message does not name the policy type that denied the request");
  }
  if (phraseEnd >= 0) {
    const arn = POLICY_ARN_RE.exec(msg.slice(phraseEnd, phraseEnd + 800));
    if (arn) facts.denyingPolicyArn = arn[1]!.replace(/[.]+$/, "");
  }

  const encoded = ENCODED_RE.exec(msg);
  if (encoded) {
    const text = encoded[1]!;
    const truncated = encoded[2] !== undefined || text.length < MIN_ENCODED_LENGTH;
    facts.encodedMessage = { text, truncated };
    if (truncated) {
      facts.notes.push(
        `the encoded authorization message looks cut (${text.length} characters): decode the full text from the original output`,
      );
    }
  }

  const clock = SIG_CLOCK_RE.exec(msg);
  if (clock) {
    const minutes = Number(clock[6]);
    facts.clock = clockEvidence(clock[2], clock[4], minutes * 60);
  }

  if (!clock && /Request has expired|Signature expired(?!:)/.test(msg)) {
    facts.notes.push(
      "the message carries no timestamps: compare the local clock with the `Date` header of any AWS response",
    );
  }

  const wrongRegion = WRONG_REGION_RE.exec(msg);
  if (wrongRegion) {
    facts.region = wrongRegion[1]!;
    facts.regionSource = "message";
    facts.notes.push(
      `the request was signed for \`${wrongRegion[1]}\` but the service expects \`${wrongRegion[2]}\``,
    );
  }
  const scopeRegion = SCOPE_REGION_RE.exec(msg);
  if (scopeRegion && !facts.region) {
    facts.region = scopeRegion[1]!;
    facts.regionSource = "message";
  }
  const scope = CRED_SCOPE_RE.exec(msg);
  if (scope) {
    if (!facts.region && isRegion(scope[2]!)) {
      facts.region = scope[2]!;
      facts.regionSource = "credential-scope";
    }
    facts.scopeService = scope[3]!;
  }
  const pool = POOL_RE.exec(msg);
  if (pool && !facts.region) {
    facts.region = pool[1]!;
    facts.regionSource = "identity-pool-id";
  }
  const regionEq = REGION_EQ_RE.exec(msg);
  if (regionEq && !facts.region) {
    facts.region = regionEq[1]!;
    facts.regionSource = "message";
  }
  return facts;
}
