// Normalised facts about one failure that cause modules score against; fills gaps the parser left from the text.

import { accountOfArn as arnAccount, regionOfArn } from "../core/arn.js";
import type { Evidence } from "../core/diagnosis.js";
import type { Failure, PolicyType, Principal } from "../core/failure.js";
import { isOptInRegion } from "../core/regions.js";
import { FROM_REGION_FLAG, FROM_TEXT } from "./define.js";

/** The policy kinds AWS names in access-denied messages (docs/aws-facts.md §1.13), plus the role trust policy. */
export type PolicyKind = Exclude<PolicyType, "unknown"> | "role-trust";

/**
 * Evidence as explain builds it: `context` is the whole pasted input (redacted), so
 * lines around the error (an `export AWS_ACCESS_KEY_ID=ASIA…`, an endpoint URL, a note) count as evidence too.
 */
export interface TextEvidence extends Evidence {
  context?: string;
}

/** What the cause modules read. Every field is derived from the Failure, its text and `--region`. */
export interface Facts {
  failure: Failure;
  /** Error code without a `namespace#` or `Client.` prefix. */
  code?: string;
  /** Lower-case code without an `Exception` suffix (`accessdenied`, `expiredtoken`); `""` when none. */
  codeKey: string;
  message: string;
  /** Code, message, hint and raw text joined, for phrase matching. */
  text: string;
  service?: string;
  operation?: string;
  /** IAM action `svc:Action` as written. */
  action?: string;
  /** Lower-case action. */
  actionKey: string;
  principal?: Principal;
  principalArn?: string;
  principalAccount?: string;
  resource?: string;
  resourceAccount?: string;
  resourceRegion?: string;
  policyKind?: PolicyKind;
  denyKind?: "explicit" | "implicit";
  denyingPolicyArn?: string;
  /** `… transitively through a service control policy`. */
  viaScp: boolean;
  /** The failure is an authorization refusal (AccessDenied / UnauthorizedOperation / `not authorized`). */
  denied: boolean;
  /** `AKIA`, `ASIA`... when a key id shows in the text. */
  keyPrefix?: string;
  region?: string;
  /** `--region` or `error text`. */
  regionSource?: string;
  /** The region is a known opt-in region (docs/aws-facts.md §3.3). */
  optInRegion: boolean;
  /** The region is outside the commercial partition (China, GovCloud). */
  otherPartition: boolean;
  httpStatus?: number;
  encoded: boolean;
  encodedTruncated: boolean;
  skewSeconds?: number;
}

const REGION_RE =
  /\b((?:us-gov|us-iso|us-isob|cn|us|eu|ap|sa|ca|me|af|il|mx)-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d{1,2})\b/;
const PRINCIPAL_RE =
  /\b(?:User|Principal):\s*(arn:[\w-]+:(?:iam|sts)::\d{12}:[^\s"',]+|anonymous)\s+is not authorized/i;
const ACTION_RE = /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/i;
const RESOURCE_RE = /\bon resource:?\s+"?([^"\s]+?)"?(?=\s|$|\))/i;
const IMPLICIT_RE = /because no ([A-Za-z -]+?) (?:policy |policies )?allows? the\b/i;
const EXPLICIT_RE =
  /with an explicit deny in (?:a|an|the) ([A-Za-z -]+?)(?: policy\b|(?=:|\.|\s*$|\s+transitively))/i;
const DENY_ARN_RE = /(?:allows the \S+ action|policy|boundary)\s*:\s*(arn:[\w-]+:[^\s"']+)/i;
const KEY_RE = /\b(AKIA|ASIA)(?=[A-Z0-9*]{4,})/;
const OTHER_ID_RE = /\b(ABIA|ACCA|AIDA|AROA|AGPA|AIPA)(?=[A-Z0-9*]{12,})/;

const memo = new WeakMap<Evidence, Facts>();

/** The facts of `evidence` (memoised per evidence object). */
export function factsOf(evidence: Evidence): Facts {
  const hit = memo.get(evidence);
  if (hit) return hit;
  const facts = buildFacts(evidence);
  memo.set(evidence, facts);
  return facts;
}

/** True when `re` matches the failure's code, message, hint or raw text. */
export function has(f: Facts, re: RegExp): boolean {
  return re.test(f.text);
}

/** True when the code (normalised) is one of `keys` (lower case, no `Exception` suffix). */
export function codeIs(f: Facts, ...keys: string[]): boolean {
  return keys.includes(f.codeKey);
}

/** `arn:aws:sts::1:assumed-role/R/S` -> `arn:aws:iam::1:role/R` (the ARN IAM simulates); others unchanged. */
export function policySourceArn(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const m = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}

function normaliseCode(code: string | undefined): string | undefined {
  if (!code) return undefined;
  let c = code.trim();
  const hash = c.lastIndexOf("#");
  if (hash >= 0) c = c.slice(hash + 1);
  c = c.replace(/^(?:Client|Server)\./, "").replace(/:.*$/, "");
  return c || undefined;
}

function policyKindOf(words: string): PolicyKind | undefined {
  const w = words.toLowerCase().trim();
  if (w.includes("role trust") || w === "trust") return "role-trust";
  if (w.includes("identity")) return "identity-based";
  if (w.includes("resource-based") || w.includes("resource based")) return "resource-based";
  if (w.includes("service control")) return "service-control";
  if (w.includes("resource control")) return "resource-control";
  if (w.includes("boundary")) return "permissions-boundary";
  if (w.includes("vpc endpoint")) return "vpc-endpoint";
  if (/\bsessions?\b/.test(w)) return "session";
  return undefined;
}

function accountOfArn(arn: string | undefined): { account?: string; region?: string } {
  const account = arnAccount(arn);
  const region = regionOfArn(arn);
  return account ? { account, ...(region ? { region } : {}) } : {};
}

function buildFacts(evidence: Evidence): Facts {
  const failure = evidence.failure;
  const code = normaliseCode(failure.code);
  const codeKey = (code ?? "").toLowerCase().replace(/exception$/, "");
  const message = failure.message ?? "";
  const context = (evidence as TextEvidence).context ?? "";
  const text = [
    code ?? "",
    message,
    failure.hint ?? "",
    failure.raw ?? "",
    context === failure.raw ? "" : context,
  ]
    .join("\n")
    .slice(0, 200_000);

  const principalRaw = failure.principal?.raw ?? PRINCIPAL_RE.exec(text)?.[1];
  const action = failure.action ?? ACTION_RE.exec(text)?.[1];
  const resource = failure.resource ?? RESOURCE_RE.exec(text)?.[1];
  const principalAccount = failure.principal?.account ?? accountOfArn(principalRaw).account;
  const res = accountOfArn(resource);

  // Policy type and deny kind: the parser's fields, else the §1.13 phrases.
  const explicitM = EXPLICIT_RE.exec(text);
  const implicitM = IMPLICIT_RE.exec(text);
  let policyKind: PolicyKind | undefined;
  let denyKind: "explicit" | "implicit" | undefined = failure.denyKind;
  if (explicitM) {
    policyKind = policyKindOf(explicitM[1]!);
    denyKind ??= "explicit";
  } else if (implicitM) {
    policyKind = policyKindOf(implicitM[1]!);
    denyKind ??= "implicit";
  }
  if (!policyKind && failure.policyType && failure.policyType !== "unknown") policyKind = failure.policyType;
  const viaScp = /transitively through a service control policy/i.test(text);

  const keyPrefix = failure.accessKeyId?.prefix ?? KEY_RE.exec(text)?.[1] ?? OTHER_ID_RE.exec(text)?.[1];
  let region: string | undefined;
  let regionSource: string | undefined;
  if (evidence.region) {
    region = evidence.region.trim();
    regionSource = FROM_REGION_FLAG;
  } else if (failure.region) {
    region = failure.region;
    regionSource = FROM_TEXT;
  } else {
    const m = REGION_RE.exec(text);
    if (m) {
      region = m[1];
      regionSource = FROM_TEXT;
    }
  }
  const codeDenied = [
    "accessdenied",
    "unauthorizedoperation",
    "authorizationerror",
    "forbidden",
    "unauthorizedaccess",
  ].includes(codeKey);
  const denied =
    codeDenied || /is not authorized to perform|not authorized to perform|\baccess denied\b/i.test(text);

  return {
    failure,
    ...(code ? { code } : {}),
    codeKey,
    message,
    text,
    ...(failure.service ? { service: failure.service.toLowerCase() } : {}),
    ...(failure.operation ? { operation: failure.operation } : {}),
    ...(action ? { action } : {}),
    actionKey: (action ?? "").toLowerCase(),
    ...(failure.principal ? { principal: failure.principal } : {}),
    ...(principalRaw ? { principalArn: principalRaw } : {}),
    ...(principalAccount ? { principalAccount } : {}),
    ...(resource ? { resource } : {}),
    ...(res.account ? { resourceAccount: res.account } : {}),
    ...(res.region ? { resourceRegion: res.region } : {}),
    ...(policyKind ? { policyKind } : {}),
    ...(denyKind ? { denyKind } : {}),
    ...(failure.denyingPolicyArn || DENY_ARN_RE.exec(text)?.[1]
      ? { denyingPolicyArn: failure.denyingPolicyArn ?? DENY_ARN_RE.exec(text)![1]! }
      : {}),
    viaScp,
    denied,
    ...(keyPrefix ? { keyPrefix } : {}),
    ...(region ? { region, regionSource } : {}),
    optInRegion: isOptInRegion(region),
    otherPartition:
      (region !== undefined && /^(cn|us-gov|us-iso)/.test(region)) ||
      /amazonaws\.com\.cn|arn:aws-(cn|us-gov)/.test(text),
    ...(failure.httpStatus ? { httpStatus: failure.httpStatus } : {}),
    encoded: failure.encodedMessage !== undefined || /encoded authorization failure message/i.test(text),
    encodedTruncated: failure.encodedMessage?.truncated ?? false,
    ...(failure.clock?.skewSeconds !== undefined ? { skewSeconds: failure.clock.skewSeconds } : {}),
  };
}
