// Mines the AWS error message itself: principal, action, resource, policy type, deny kind and policy ARN
// (docs/aws-facts.md §1.13, Appendix A), encoded authorization message (§1.12), clock times (§1.9), region hints (§1.20, §1.24).

import { parsePrincipal } from "../core/arn.js";
import type { AuthorizationRef, ClockEvidence, NamedPolicy, PolicyType, Principal } from "../core/failure.js";
import { clockEvidence } from "./clock.js";
import { isRegion } from "./region.js";

/** What an AWS message says about the refused request. */
export interface MessageFacts {
  principal?: Principal;
  action?: string;
  resource?: string;
  policyType?: PolicyType;
  denyKind?: "explicit" | "implicit";
  /** The policy the wording names, as worded (see `Failure.namedPolicy`). */
  namedPolicy?: NamedPolicy;
  /** `… transitively through a service control policy`. */
  viaScp?: boolean;
  denyingPolicyArn?: string;
  encodedMessage?: { text: string; truncated: boolean };
  authorization?: AuthorizationRef;
  clock?: ClockEvidence;
  region?: string;
  regionSource?: string;
  /** Service named by a SigV4 credential scope echoed in the message. */
  scopeService?: string;
  notes: string[];
}

// The phrases of https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html, read with any
// whitespace between words (messages are often wrapped by terminals, logs and tools).
// `is not authorized to perform: s3:GetObject` (also without the colon: `Not authorized to perform sts:Assume...`,
// or quoted: `` perform `ses:SendEmail' ``).
const PERFORM_RE =
  /not\s+authorized\s+to\s+perform:?\s{0,3}[`'"]?([A-Za-z0-9][A-Za-z0-9-]{0,63}:[A-Za-z0-9*]{1,128})/i;
const NOT_AUTHORIZED_RE = /\s(?:is|are)\s+not\s+authorized\b/;
// `User: <principal> ` right before `is not authorized` (the principal may be quoted).
const USER_RE =
  /(?:User|Principal|Identity):\s{0,3}[`'"]?(\S{1,1500}?)[`'"]?\s+(?:is|are)\s+not\s+authorized/;
const POLICY_WORDS =
  "identity-based|resource[- ]based|sessions?|service\\s+control|resource\\s+control|VPC\\s+endpoint|(?:role\\s+)?trust";
const IMPLICIT_RE = new RegExp(`because\\s+no\\s+(${POLICY_WORDS})\\s+polic(?:y|ies)\\s+allows?`, "i");
const IMPLICIT_PB_RE = /because\s+no\s+permissions\s+boundary\s+allows?/i;
const EXPLICIT_RE = new RegExp(
  `with\\s+an\\s+explicit\\s+deny\\s+in\\s+(?:(?:a|an|the)\\s+)?(${POLICY_WORDS})\\s+policy`,
  "i",
);
const EXPLICIT_PB_RE = /with\s+an\s+explicit\s+deny\s+in\s+(?:(?:a|an|the)\s+)?permissions\s+boundary/i;
const EXPLICIT_BARE_RE = /with\s+an\s+explicit\s+deny\b/i;
const TRANSITIVE_RE = /transitively\s+through\s+a\s+service\s+control\s+policy/i;
const POLICY_ARN_RE =
  /^(?:\s+the\s+[\w:*-]{1,200}\s+action)?(?:\s+transitively\s+through\s+a\s+service\s+control\s+policy)?\s?:\s{0,3}(arn:aws[a-z-]{0,20}:[^\s"',;)`]{1,512})/;
// Terminal frames some tools draw at the start of wrapped lines (Terraform's `│ `).
const FRAME_RE = /\n[ \t]*[│┃][ \t]?/g;
const ENCODED_RE = /Encoded authorization failure message: ?([A-Za-z0-9_\-+/=]{1,20000})(\.{3}|…)?/;
// IAM Access Troubleshooter: the console link and the authorization id (pattern [0-9a-z]+ per the API reference,
// https://docs.aws.amazon.com/iam-toolbox/latest/APIReference/API_GetRequestAuthorizationDetails.html).
const AUTHZ_LINK_RE =
  /https:\/\/(?:([a-z]{2}(?:-[a-z]+){1,3}-\d{1,2})\.)?console\.(?:aws\.amazon\.com|amazonaws\.cn)\/iam\/home(?:\?region=([a-z]{2}(?:-[a-z]+){1,3}-\d{1,2}))?#\/authorization-details\/([0-9a-z]{1,256})/;
const AUTHZ_ID_RE = /authorization id:?\s{0,3}([0-9a-z]{6,256})\b/i;
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

/** The policy named by the words of the phrase (lower case, one space). */
const NAMED_POLICIES: Record<string, NamedPolicy> = {
  "identity-based": "identity-based",
  "resource-based": "resource-based",
  "resource based": "resource-based",
  session: "session",
  sessions: "session",
  "service control": "service-control",
  "resource control": "resource-control",
  "vpc endpoint": "vpc-endpoint",
  "role trust": "role-trust",
  trust: "role-trust",
};

/** The policy type of a named policy: a role trust policy is the role's resource-based policy (docs/aws-facts.md §1.14). */
function policyTypeOf(named: NamedPolicy): PolicyType {
  return named === "role-trust" ? "resource-based" : named;
}

/** Read the policy named by a matched phrase into `facts` (policy type, named policy, trust note). */
function namePolicy(facts: MessageFacts, words: string): void {
  const named = NAMED_POLICIES[words.toLowerCase().replace(/\s+/g, " ")];
  if (!named) {
    facts.policyType = "unknown";
    return;
  }
  facts.namedPolicy = named;
  facts.policyType = policyTypeOf(named);
  if (named === "role-trust") facts.notes.push("the message names the role trust policy");
}

// Where an unquoted resource ends: the next phrase of the message, a console link, the SDK's suffix, a line end.
const RESOURCE_END =
  /\s+because\s+no\s|\.?\s+Go\s+to\s+https:\/\/|\s+with\s+an\s+explicit\s+deny|\.?\s+Encoded\s+authorization|\s\(Service:|["`]|\n/;
const RESOURCE_START_RE = /^\s+on\s+(?:resource:?\s+|(?=["`']))/;

function readResource(rest: string): string | undefined {
  const start = RESOURCE_START_RE.exec(rest);
  if (!start) return undefined;
  const r = rest.slice(start[0].length, start[0].length + 2100);
  if (r.startsWith('"') || r.startsWith("'") || r.startsWith("`")) {
    // `"arn"`, `'arn'`, and the `` `arn' `` some tools print
    const q = r[0]!;
    let close = r.indexOf(q, 1);
    if (q === "`") {
      const apostrophe = r.indexOf("'", 1);
      if (apostrophe > 1 && (close < 0 || apostrophe < close)) close = apostrophe;
    }
    return close > 1 ? r.slice(1, close) : undefined;
  }
  const end = RESOURCE_END.exec(r)?.index ?? r.length;
  const value = r
    .slice(0, end)
    .trim()
    .replace(/[.,;]+$/, "");
  if (value.length === 0 || value.length > 2048) return undefined;
  if (/^the resource associated with/i.test(value)) return undefined;
  return value;
}

/** Read what an AWS error message states. Never throws; unrecognised text gives `{ notes: [] }`. */
export function mineMessage(message: string, limit = 20_000): MessageFacts {
  const facts: MessageFacts = { notes: [] };
  const msg = (message.length > limit ? message.slice(0, limit) : message).replace(FRAME_RE, "\n");

  const perform = PERFORM_RE.exec(msg);
  // The principal stands before `is not authorized` (`… to perform`, or `… to access this resource`).
  const refusal = perform ?? NOT_AUTHORIZED_RE.exec(msg);
  if (refusal) {
    const head = msg.slice(Math.max(0, refusal.index - 1600), refusal.index + 40);
    const user = USER_RE.exec(head);
    if (user) facts.principal = parsePrincipal(user[1]!);
  }
  if (perform) {
    facts.action = perform[1]!;
    const rest = msg.slice(perform.index + perform[0].length).replace(/^[`'"]/, "");
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
  if (TRANSITIVE_RE.test(msg)) facts.viaScp = true;
  if (explicit || explicitPb) {
    facts.denyKind = "explicit";
    if (explicit) {
      namePolicy(facts, explicit[1]!);
      phraseEnd = explicit.index + explicit[0].length;
    } else if (explicitPb) {
      facts.policyType = facts.namedPolicy = "permissions-boundary";
      phraseEnd = explicitPb.index + explicitPb[0].length;
    }
    if (facts.viaScp) {
      facts.notes.push(
        `the deny is in a ${facts.policyType === "vpc-endpoint" ? "VPC endpoint" : String(facts.policyType)} policy reached transitively through a service control policy`,
      );
      facts.policyType = "service-control";
    }
  } else if (implicit || implicitPb) {
    facts.denyKind = "implicit";
    if (implicit) {
      namePolicy(facts, implicit[1]!);
      phraseEnd = implicit.index + implicit[0].length;
    } else if (implicitPb) {
      facts.policyType = facts.namedPolicy = "permissions-boundary";
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

  const link = AUTHZ_LINK_RE.exec(msg);
  const id = AUTHZ_ID_RE.exec(msg);
  if (link || id) {
    const linkId = link?.[3];
    const authId = id?.[1]?.toLowerCase() ?? linkId!;
    const region = link?.[2] ?? link?.[1];
    facts.authorization = {
      id: authId,
      ...(link ? { url: link[0] } : {}),
      ...(region ? { region } : {}),
    };
    if (linkId && id && linkId !== authId)
      facts.notes.push(`the console link names authorization id \`${linkId}\`, the message \`${authId}\``);
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
