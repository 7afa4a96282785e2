// Normalised facts about one failure that cause modules score against; fills gaps the parser left from the text.

import { accountOfArn as arnAccount, regionOfArn } from "../core/arn.js";
import type { Evidence } from "../core/diagnosis.js";
import type { Failure, NamedPolicy, PolicyType, Principal } from "../core/failure.js";
import { isOptInRegion } from "../core/regions.js";
import { textClues } from "../errors/clues.js";
import type { MessageFacts } from "../errors/message.js";
import { FROM_REGION_FLAG, FROM_TEXT } from "./define.js";

/** The policy kinds AWS names in access-denied messages (docs/aws-facts.md §1.13), plus the role trust policy. */
export type PolicyKind = NamedPolicy;

/**
 * Evidence as explain builds it: `context` is the whole pasted input (redacted), so
 * lines around the error (an `export AWS_ACCESS_KEY_ID=ASIA…`, an endpoint URL, a note) count as evidence too.
 */
export interface TextEvidence extends Evidence {
  context?: string;
  /**
   * What the one denial-message parser (src/errors/message.ts) reads in the whole context: fills the fields the
   * failure's own message lacks (a wrapped message whose policy phrase sits on the next line, another failure's
   * principal next to a warning). Set with `context` by `withTextContext`.
   */
  contextFacts?: MessageFacts;
}

/**
 * What the cause modules read. The denial's fields (principal, action, resource, policy named, deny kind, via an
 * SCP, denying policy, encoded message) come from the Failure, which the one denial-message parser filled
 * (src/errors/message.ts); the text around it adds only the clues src/errors/clues.ts reads; `--region` wins.
 */
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

function namedPolicyOf(
  named: NamedPolicy | undefined,
  type: PolicyType | undefined,
): NamedPolicy | undefined {
  return named ?? (type && type !== "unknown" ? type : undefined);
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

  const clues = textClues(text);
  // The failure's own fields first; the context (parsed by the same parser) fills what its message lacks.
  const ctx = (evidence as TextEvidence).contextFacts;
  const principalRaw = failure.principal?.raw ?? ctx?.principal?.raw;
  const action = failure.action ?? ctx?.action;
  const resource = failure.resource ?? ctx?.resource;
  const principalAccount = failure.principal?.account ?? accountOfArn(principalRaw).account;
  const res = accountOfArn(resource);

  // The policy AWS's wording names, as worded (role trust, or the policy behind "transitively through an SCP").
  const policyKind: PolicyKind | undefined =
    namedPolicyOf(failure.namedPolicy, failure.policyType) ??
    namedPolicyOf(ctx?.namedPolicy, ctx?.policyType);
  const denyKind = failure.denyKind ?? ctx?.denyKind;
  const viaScp = failure.viaScp === true || ctx?.viaScp === true;
  const denyingPolicyArn = failure.denyingPolicyArn ?? ctx?.denyingPolicyArn;

  const keyPrefix = failure.accessKeyId?.prefix ?? clues.keyPrefix;
  let region: string | undefined;
  let regionSource: string | undefined;
  if (evidence.region) {
    region = evidence.region.trim();
    regionSource = FROM_REGION_FLAG;
  } else if (failure.region) {
    region = failure.region;
    regionSource = FROM_TEXT;
  } else if (clues.region) {
    region = clues.region;
    regionSource = FROM_TEXT;
  }
  const codeDenied = [
    "accessdenied",
    "unauthorizedoperation",
    "authorizationerror",
    "forbidden",
    "unauthorizedaccess",
  ].includes(codeKey);
  const denied = codeDenied || clues.denial;

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
    ...(denyingPolicyArn ? { denyingPolicyArn } : {}),
    viaScp,
    denied,
    ...(keyPrefix ? { keyPrefix } : {}),
    ...(region ? { region, regionSource } : {}),
    optInRegion: isOptInRegion(region),
    otherPartition: (region !== undefined && /^(cn|us-gov|us-iso)/.test(region)) || clues.otherPartition,
    ...(failure.httpStatus ? { httpStatus: failure.httpStatus } : {}),
    encoded: failure.encodedMessage !== undefined || clues.encodedMessage,
    encodedTruncated: failure.encodedMessage?.truncated ?? false,
    ...(failure.clock?.skewSeconds !== undefined ? { skewSeconds: failure.clock.skewSeconds } : {}),
  };
}
