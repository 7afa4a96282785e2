// Step 3 of the engine: AWS's documented evaluation logic over a compiled PolicySet, one pass per layer.

import {
  actionMatches,
  type CompiledPolicy,
  type CompiledStatement,
  type GrantKind,
  type PolicySet,
  type PrincipalInfo,
} from "./compile.js";
import { TRUST_ACTIONS } from "./context.js";
import type { Ctx } from "./match.js";
import type { Decision, PolicyKind } from "./types.js";

/** A request ready for evaluation (see `prepareRequest` in request.ts). */
export interface PreparedRequest {
  principal: PrincipalInfo;
  action: string;
  actionLower: string;
  service: string;
  resource: string;
  resourceParts: string[] | undefined;
  /** Account owning the resource, when known. */
  resourceAccount?: string;
  ctx: Ctx;
  /** Skip SCPs: the management account or a service-linked role. */
  scpExempt: boolean;
  /** Skip RCPs: a resource of the management account, or a service-linked role calling. */
  rcpExempt?: boolean;
  /** The caller has a permissions boundary (set by `evaluate` from the policy set). */
  hasBoundary?: boolean;
  /** The request changes something AWS reserves (service-linked role, AWS managed policy): why, in words. */
  reserved?: string;
}

/**
 * Services whose resources RCPs apply to; for any other service an RCP has no effect.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#rcp-supported-services
 */
export const RCP_SERVICES = new Set([
  "s3",
  "sts",
  "kms",
  "sqs",
  "secretsmanager",
  "cognito-idp",
  "logs",
  "dynamodb",
  "ecr",
  "aoss",
]);

/**
 * A Deny with NotPrincipal always denies an IAM user or role that has a permissions boundary, whatever it lists.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export function notPrincipalBoundaryDeny(s: CompiledStatement, r: PreparedRequest): boolean {
  return (
    s.effect === "Deny" &&
    r.hasBoundary === true &&
    (r.principal.kind === "user" || r.principal.kind === "role" || r.principal.kind === "role-session")
  );
}

/** A trace event (OPA-style), only produced when a tracer is given. */
export interface TraceEvent {
  op: "enter" | "match" | "nomatch" | "note";
  layer: PolicyKind;
  statement?: CompiledStatement;
  detail?: string;
}

export interface EvaluateOptions {
  tracer?: (e: TraceEvent) => void;
}

/** Verdict of one layer. */
export interface LayerVerdict {
  type: PolicyKind;
  level?: number;
  result: "allow" | "deny" | "no-allow" | "not-applicable";
  policies: CompiledPolicy[];
  allows: CompiledStatement[];
  denies: CompiledStatement[];
  /** For resource layers: how the matching Allow named the caller. */
  grant?: GrantKind;
}

/** The decision with the layers that made it; explain.ts turns it into the public result. */
export interface RawEvaluation {
  decision: Decision;
  /** The deciding layer of a denial. */
  decidingLayer?: LayerVerdict;
  /** Matching Denies (explicit), or the Allows that granted it. */
  decidedBy: CompiledStatement[];
  layers: LayerVerdict[];
  /** A condition met a missing key somewhere (explain looks closer). */
  missingHit: boolean;
  /** Denied because the target is reserved to AWS (`PreparedRequest.reserved`). */
  reserved?: string;
  crossAccount: boolean;
  notes: string[];
}

interface Scan {
  allows: CompiledStatement[];
  denies: CompiledStatement[];
  grant?: GrantKind;
  missingHit: boolean;
}

const GRANT_RANK: Record<GrantKind, number> = {
  session: 6,
  user: 5,
  service: 5,
  federated: 5,
  role: 4,
  any: 3,
  account: 1,
};

/** Does statement `s` apply to the request? `missing` collects whether a condition met an absent key. */
export function statementApplies(
  s: CompiledStatement,
  r: PreparedRequest,
  usePrincipal: boolean,
  flag: { missing: boolean },
): GrantKind | boolean {
  if (!actionMatches(s, r.actionLower)) return false;
  if (!s.resourceAny || s.notResource) {
    let m = false;
    for (const rm of s.resources)
      if (rm.test(r.resource, r.resourceParts, r.ctx) === true) {
        m = true;
        break;
      }
    if (s.notResource) {
      // An unresolvable variable in NotResource: the statement does not apply.
      for (const rm of s.resources)
        if (rm.test(r.resource, r.resourceParts, r.ctx) === undefined) return false;
      m = !m;
    }
    if (!m) return false;
  }
  let grant: GrantKind | boolean = true;
  if (usePrincipal) {
    if (s.principal) {
      const g = s.principal.match(r.principal);
      if (!g) return false;
      grant = g;
    } else if (s.notPrincipal) {
      if (!notPrincipalBoundaryDeny(s, r) && s.notPrincipal.match(r.principal)) return false;
      grant = "any";
    } else if (s.policy.kind === "resource" || s.policy.kind === "trust") return false;
  }
  const conds = s.conditions;
  for (let i = 0; i < conds.length; i++) {
    const o = conds[i]!.code(r.ctx);
    if (o & 2) flag.missing = true;
    if (!(o & 1)) return false;
  }
  return grant;
}

const NONE: CompiledStatement[] = [];
const FLAG = { missing: false };

function scan(
  policies: CompiledPolicy[],
  r: PreparedRequest,
  usePrincipal: boolean,
  opts: EvaluateOptions,
): Scan {
  let allows = NONE;
  let denies = NONE;
  let grant: GrantKind | undefined;
  let missingHit = false;
  const flag = FLAG;
  for (const p of policies) {
    const list = p.forService(r.service);
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      flag.missing = false;
      const g = statementApplies(s, r, usePrincipal, flag);
      if (flag.missing) missingHit = true;
      if (opts.tracer) opts.tracer({ op: g ? "match" : "nomatch", layer: p.kind, statement: s });
      if (!g) continue;
      if (s.effect === "Deny") {
        if (denies === NONE) denies = [];
        denies.push(s);
      } else {
        if (allows === NONE) allows = [];
        allows.push(s);
        if (typeof g === "string" && (!grant || GRANT_RANK[g] > GRANT_RANK[grant])) grant = g;
      }
    }
  }
  return { allows, denies, grant, missingHit };
}

function verdict(type: PolicyKind, policies: CompiledPolicy[], sc: Scan, level?: number): LayerVerdict {
  return {
    type,
    level,
    result: sc.denies.length ? "deny" : sc.allows.length ? "allow" : "no-allow",
    policies,
    allows: sc.allows,
    denies: sc.denies,
    grant: sc.grant,
  };
}

/** Resource kinds whose own policy must grant access even within the account (KMS keys, role trust). */
function resourcePolicyRequired(r: PreparedRequest, set: PolicySet): boolean {
  if (TRUST_ACTIONS.has(r.actionLower)) return true;
  if (r.service === "kms" && set.resource && set.resource.length > 0) return true;
  return false;
}

/** Evaluate one prepared request against a compiled set. */
export function evaluate(r: PreparedRequest, set: PolicySet, opts: EvaluateOptions = {}): RawEvaluation {
  const layers: LayerVerdict[] = [];
  const notes: string[] = [];
  let missingHit = false;
  const p = r.principal;
  const isIamPrincipal = p.kind !== "service" && p.kind !== "federated" && p.kind !== "anonymous";
  if (r.reserved)
    return {
      decision: "ExplicitDeny",
      decidedBy: [],
      layers,
      missingHit: false,
      crossAccount: false,
      notes: [`denied whatever the policies say: ${r.reserved}`],
      reserved: r.reserved,
    };
  r.hasBoundary = isIamPrincipal && set.boundary !== undefined && set.boundary.length > 0;
  const push = (v: LayerVerdict, sc: Scan) => {
    layers.push(v);
    if (sc.missingHit) missingHit = true;
  };

  // SCPs: every level from the root down must allow; the management account and service-linked roles are exempt.
  const scpLevels: LayerVerdict[] = [];
  if (set.scps && set.scps.length > 0 && isIamPrincipal) {
    if (r.scpExempt)
      notes.push("SCPs skipped: the management account and service-linked roles are not affected");
    else
      set.scps.forEach((level, i) => {
        const sc = scan(level, r, false, opts);
        const v = verdict("scp", level, sc, i);
        push(v, sc);
        scpLevels.push(v);
      });
  }
  // RCPs: they restrict access to the resources of the services that support them, not to service principals,
  // service-linked roles or resources of the management account.
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
  const rcpLevels: LayerVerdict[] = [];
  if (set.rcps && set.rcps.length > 0 && p.kind !== "service") {
    if (!RCP_SERVICES.has(r.service))
      notes.push(`RCPs skipped: \`${r.service}\` is not a service that RCPs apply to`);
    else if (r.rcpExempt)
      notes.push(
        "RCPs skipped: they do not apply to resources of the management account or to service-linked roles",
      );
  }
  if (
    set.rcps &&
    set.rcps.length > 0 &&
    p.kind !== "service" &&
    RCP_SERVICES.has(r.service) &&
    !r.rcpExempt
  ) {
    set.rcps.forEach((level, i) => {
      const sc = scan(level, r, true, opts);
      const v = verdict("rcp", level, sc, i);
      push(v, sc);
      rcpLevels.push(v);
    });
  }
  const one = (type: PolicyKind, ps: CompiledPolicy[] | undefined, usePrincipal: boolean) => {
    if (!ps || ps.length === 0) return undefined;
    const sc = scan(ps, r, usePrincipal, opts);
    const v = verdict(type, ps, sc);
    push(v, sc);
    return v;
  };
  const vpce = one("vpce", set.vpce, true);
  const resource = one(set.resource?.[0]?.kind ?? "resource", set.resource, true);
  const identity = isIamPrincipal ? one("identity", set.identity, false) : undefined;
  const boundary = isIamPrincipal ? one("boundary", set.boundary, false) : undefined;
  const session = isIamPrincipal ? one("session", set.session, false) : undefined;

  const racct = r.resourceAccount;
  const crossAccount = racct !== undefined && p.account !== undefined && racct !== p.account;

  // 1. An explicit Deny anywhere wins.
  const denying = layers.filter((l) => l.denies.length > 0);
  if (denying.length > 0) {
    const decidedBy = denying.flatMap((l) => l.denies);
    return {
      decision: "ExplicitDeny",
      decidingLayer: denying[0],
      decidedBy,
      layers,
      missingHit,
      crossAccount,
      notes,
    };
  }
  const deny = (l: LayerVerdict | undefined, extra?: string): RawEvaluation => {
    if (extra) notes.push(extra);
    return {
      decision: "ImplicitDeny",
      decidingLayer: l,
      decidedBy: [],
      layers,
      missingHit,
      crossAccount,
      notes,
    };
  };
  // 2. Organizations: SCP levels, then RCP levels.
  for (const l of scpLevels) if (l.result !== "allow") return deny(l);
  // AWS attaches RCPFullAWSAccess to every root, OU and account and it cannot be detached, so a level with
  // policies allows unless one denies; a level given as an empty array has nothing attached (DESIGN contract).
  for (const l of rcpLevels) if (l.policies.length === 0) return deny(l);
  // 3. VPC endpoint policy.
  if (vpce && vpce.result !== "allow") return deny(vpce);

  const resAllow = resource?.result === "allow";
  const grant = resource?.grant;
  if (!isIamPrincipal) {
    // Services, identity providers and anonymous callers have only the resource (or trust) policy.
    if (resAllow) return allowed(resource.allows, layers, missingHit, crossAccount, notes);
    return deny(resource ?? { type: "resource", result: "no-allow", policies: [], allows: [], denies: [] });
  }
  // The root user of an account has every permission in it; only SCPs, RCPs and resource policies limit it.
  const rootUser = p.kind === "root";
  if (rootUser)
    notes.push("the account root user is allowed everything in its own account unless a policy denies it");
  const idAllow = rootUser || identity?.result === "allow";
  const boundaryOk = !boundary || boundary.result === "allow";
  const sessionOk = !session || session.result === "allow";
  const identityPath = idAllow && boundaryOk && sessionOk;
  const firstIdentityFailure = () =>
    !idAllow
      ? (identity ?? {
          type: "identity" as const,
          result: "no-allow" as const,
          policies: [],
          allows: [],
          denies: [],
        })
      : !boundaryOk
        ? boundary
        : session;

  const required = resourcePolicyRequired(r, set);
  if (crossAccount) {
    // Cross-account: the identity side and the resource policy must both allow.
    if (!resource)
      notes.push("cross-account request and no resource-based policy given: it cannot be allowed");
    if (resAllow && identityPath)
      return allowed(
        [...(identity?.allows ?? []), ...resource.allows],
        layers,
        missingHit,
        crossAccount,
        notes,
      );
    if (TRUST_ACTIONS.has(r.actionLower) && !resAllow)
      return deny(resource ?? { type: "trust", result: "no-allow", policies: [], allows: [], denies: [] });
    if (!identityPath) return deny(firstIdentityFailure());
    return deny(resource ?? { type: "resource", result: "no-allow", policies: [], allows: [], denies: [] });
  }
  // Same account. A resource policy naming the user or the session grants on its own; one naming the role is
  // still limited by an implicit deny in a boundary or session policy; one naming the account delegates to IAM.
  let resourcePath = false;
  if (resAllow && grant && grant !== "account") {
    if (grant === "user" || grant === "session" || grant === "service" || grant === "federated")
      resourcePath = true;
    else resourcePath = boundaryOk && sessionOk;
  }
  if (required) {
    if (!resAllow)
      return deny(
        resource ?? {
          type: r.service === "kms" ? "resource" : "trust",
          result: "no-allow",
          policies: [],
          allows: [],
          denies: [],
        },
      );
    if (resourcePath) return allowed(resource.allows, layers, missingHit, crossAccount, notes);
    if (identityPath)
      return allowed(
        [...(identity?.allows ?? []), ...resource.allows],
        layers,
        missingHit,
        crossAccount,
        notes,
      );
    return deny(firstIdentityFailure());
  }
  if (identityPath) return allowed(identity?.allows ?? [], layers, missingHit, crossAccount, notes);
  if (resourcePath) return allowed(resource!.allows, layers, missingHit, crossAccount, notes);
  // The resource policy names the role (or anyone): what stopped it is the boundary or the session policy.
  if (resAllow && grant !== "account" && (!boundaryOk || !sessionOk))
    return deny(!boundaryOk ? boundary : session);
  return deny(firstIdentityFailure());
}

function allowed(
  decidedBy: CompiledStatement[],
  layers: LayerVerdict[],
  missingHit: boolean,
  crossAccount: boolean,
  notes: string[],
): RawEvaluation {
  return { decision: "Allowed", decidedBy, layers, missingHit, crossAccount, notes };
}
