// AWS's own evaluation of a denied request: the output of `aws iam-toolbox get-request-authorization-details`
// (and the policies of `get-request-authorization-policy`), read into plain data. Shapes from the API reference:
// https://docs.aws.amazon.com/iam-toolbox/latest/APIReference/API_GetRequestAuthorizationDetails.html
// https://docs.aws.amazon.com/iam-toolbox/latest/APIReference/API_Evaluation.html
// https://docs.aws.amazon.com/iam-toolbox/latest/APIReference/API_PolicyInfo.html

import { InputError } from "../core/input-error.js";
import type { PolicyKind } from "../core/policy-kind.js";

export type AuthzEffect = "ALLOW" | "EXPLICIT_DENY" | "IMPLICIT_DENY";

/** The policy types of PolicyInfo.type, as the evaluator's policy kinds. */
export const AWS_POLICY_TYPE_KIND = {
  IDENTITY_BASED_POLICY: "identity",
  PERMISSIONS_BOUNDARY: "boundary",
  RESOURCE_BASED_POLICY: "resource",
  RESOURCE_CONTROL_POLICY: "rcp",
  SERVICE_CONTROL_POLICY: "scp",
  SESSION_POLICY: "session",
  VPC_ENDPOINT_POLICY: "vpce",
} as const satisfies Record<string, PolicyKind>;
export type AwsPolicyType = keyof typeof AWS_POLICY_TYPE_KIND;

export interface AuthzPolicy {
  uri: string;
  type?: AwsPolicyType;
  inline?: boolean;
  attachedTo: string[];
}

export interface AuthzMatchedPolicy {
  uri: string;
  statements: Array<{ sid?: string; effect?: "ALLOW" | "DENY" }>;
}

export interface AuthzEvaluation {
  action: string;
  resource: string;
  context: Record<string, unknown>;
  effect?: AuthzEffect;
  matched: AuthzMatchedPolicy[];
}

export interface AuthorizationDetails {
  requestContext: Record<string, unknown>;
  evaluations: AuthzEvaluation[];
  policies: AuthzPolicy[];
  /** More evaluations exist (the output was one page). */
  nextToken?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const EFFECTS = new Set(["ALLOW", "EXPLICIT_DENY", "IMPLICIT_DENY"]);

/**
 * Read a saved `get-request-authorization-details` output (JSON; several pages as a JSON array or JSON Lines are
 * merged). Throws InputError naming `name` when it is not that shape.
 */
export function parseAuthorizationDetails(text: string, name: string): AuthorizationDetails {
  const pages: unknown[] = [];
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  try {
    const v = JSON.parse(trimmed) as unknown;
    pages.push(...(Array.isArray(v) ? v : [v]));
  } catch (err) {
    const lines = trimmed.split(/\r?\n/).filter((l) => l.trim());
    if (lines.length < 2) throw new InputError(name, `not JSON: ${(err as Error).message.split("\n")[0]}`);
    lines.forEach((l, i) => {
      try {
        pages.push(JSON.parse(l));
      } catch (e) {
        throw new InputError(name, `not JSON: ${(e as Error).message.split("\n")[0]}`, `line ${i + 1}`);
      }
    });
  }
  const out: AuthorizationDetails = { requestContext: {}, evaluations: [], policies: [] };
  const seen = new Set<string>();
  for (const page of pages) {
    if (!isObject(page) || (!Array.isArray(page.evaluations) && !Array.isArray(page.policies)))
      throw new InputError(
        name,
        "not a get-request-authorization-details output (no `evaluations` or `policies`)",
      );
    if (isObject(page.requestContext)) Object.assign(out.requestContext, page.requestContext);
    for (const e of Array.isArray(page.evaluations) ? page.evaluations : []) {
      if (!isObject(e)) continue;
      const effect = str(e.evaluatedEffect);
      out.evaluations.push({
        action: str(e.action) ?? "",
        resource: str(e.resource) ?? "",
        context: isObject(e.context) ? e.context : {},
        ...(effect && EFFECTS.has(effect) ? { effect: effect as AuthzEffect } : {}),
        matched: (Array.isArray(e.matchedPolicies) ? e.matchedPolicies : []).filter(isObject).map((m) => ({
          uri: str(m.uri) ?? "",
          statements: (Array.isArray(m.matchedStatements) ? m.matchedStatements : [])
            .filter(isObject)
            .map((s) => {
              const eff = str(s.evaluatedEffect);
              return {
                ...(str(s.sid) ? { sid: str(s.sid) } : {}),
                ...(eff === "ALLOW" || eff === "DENY" ? { effect: eff } : {}),
              };
            }),
        })),
      });
    }
    for (const p of Array.isArray(page.policies) ? page.policies : []) {
      if (!isObject(p) || !str(p.uri) || seen.has(str(p.uri)!)) continue;
      seen.add(str(p.uri)!);
      const type = str(p.type);
      out.policies.push({
        uri: str(p.uri)!,
        ...(type && type in AWS_POLICY_TYPE_KIND ? { type: type as AwsPolicyType } : {}),
        ...(typeof p.inline === "boolean" ? { inline: p.inline } : {}),
        attachedTo: (Array.isArray(p.attachedTo) ? p.attachedTo : [])
          .map((a) => (isObject(a) ? str(a.arn) : undefined))
          .filter((a): a is string => a !== undefined),
      });
    }
    out.nextToken = str(page.nextToken);
  }
  if (!out.nextToken) delete out.nextToken;
  return out;
}

/** The policy document of a saved `get-request-authorization-policy` output, and the URI it names if any. */
export function parseAuthorizationPolicy(
  text: string,
  name: string,
): { document: Record<string, unknown>; uri?: string } {
  let v: unknown;
  try {
    v = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new InputError(name, `not JSON: ${(err as Error).message.split("\n")[0]}`);
  }
  if (!isObject(v)) throw new InputError(name, "not a policy (expected a JSON object)");
  const uri = str(v.policyUri) ?? str(v.uri);
  // The document as the output carries it (a document type, or a JSON string), else the object itself.
  for (const key of ["policyDocument", "policy", "document", "PolicyDocument"]) {
    const d = v[key];
    if (isObject(d)) return { document: d, ...(uri ? { uri } : {}) };
    if (typeof d === "string") {
      try {
        const parsed = JSON.parse(d) as unknown;
        if (isObject(parsed)) return { document: parsed, ...(uri ? { uri } : {}) };
      } catch {
        throw new InputError(name, `\`${key}\` is not a JSON policy document`);
      }
    }
  }
  if ("Statement" in v) return { document: v, ...(uri ? { uri } : {}) };
  throw new InputError(name, "not a get-request-authorization-policy output (no policy document)");
}

/** What AWS's evaluation says about the denial. */
export interface AuthorizationFinding {
  /** The evaluation that denied: the first explicit deny, else the first implicit deny. */
  denied?: AuthzEvaluation;
  /** True when the denying evaluation is not the first one (an action evaluated inside the call). */
  secondary: boolean;
  /** The first evaluation: the call itself. */
  primary?: AuthzEvaluation;
  /** Explicit deny: the policies and statements that denied. Implicit: the kinds that gave no allow. */
  denyingPolicies: Array<{ policy: AuthzPolicy; sids: string[] }>;
  /** Implicit deny: the policy kinds evaluated that had no matching allow. */
  missingAllow: PolicyKind[];
  /** Principal ARN from the request context (`aws:PrincipalArn`), when present. */
  principal?: string;
}

function kindOf(p: AuthzPolicy | undefined): PolicyKind | undefined {
  return p?.type ? AWS_POLICY_TYPE_KIND[p.type] : undefined;
}

/** Which evaluation denied, in which policy and statement; or, for an implicit deny, which kind gave no allow. */
export function analyseAuthorization(d: AuthorizationDetails): AuthorizationFinding {
  const byUri = new Map(d.policies.map((p) => [p.uri, p]));
  const primary = d.evaluations[0];
  const denied =
    d.evaluations.find((e) => e.effect === "EXPLICIT_DENY") ??
    d.evaluations.find((e) => e.effect === "IMPLICIT_DENY");
  const principal = str(d.requestContext["aws:PrincipalArn"]) ?? str(primary?.context["aws:PrincipalArn"]);
  const out: AuthorizationFinding = {
    secondary: denied !== undefined && denied !== primary,
    denyingPolicies: [],
    missingAllow: [],
    ...(primary ? { primary } : {}),
    ...(denied ? { denied } : {}),
    ...(principal ? { principal } : {}),
  };
  if (!denied) return out;
  const policyOf = (uri: string): AuthzPolicy => byUri.get(uri) ?? { uri, attachedTo: [] };
  if (denied.effect === "EXPLICIT_DENY") {
    for (const m of denied.matched) {
      const sids = m.statements.filter((s) => s.effect === "DENY").map((s) => s.sid ?? "(no Sid)");
      if (sids.length > 0) out.denyingPolicies.push({ policy: policyOf(m.uri), sids });
    }
    return out;
  }
  // Implicit: every kind that must allow (identity or resource for the principal's own account; each boundary,
  // session policy, SCP, RCP and VPC endpoint policy present) and did not.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
  const allowed = new Set<PolicyKind>();
  for (const m of denied.matched) {
    if (m.statements.some((s) => s.effect === "ALLOW")) {
      const k = kindOf(policyOf(m.uri));
      if (k) allowed.add(k);
    }
  }
  const present = new Set(d.policies.map(kindOf).filter((k): k is PolicyKind => k !== undefined));
  if (!allowed.has("identity") && !allowed.has("resource"))
    out.missingAllow.push(present.has("identity") || !present.has("resource") ? "identity" : "resource");
  for (const k of ["boundary", "session", "scp", "rcp", "vpce"] as const) {
    if (present.has(k) && !allowed.has(k)) out.missingAllow.push(k);
  }
  return out;
}
