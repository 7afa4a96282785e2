// Step 4 of the engine: a raw decision -> the authdoctor.evaluation/v1 object (cause, near misses, minimal fix).

import type { CauseId } from "../core/cause-ids.js";
import { IAM_OUTCOME_CAUSE } from "../core/iam-causes.js";
import { POLICY_KIND_CAUSE } from "../core/policy-kind.js";
import { actionMatches, type CompiledStatement, type PolicySet } from "./compile.js";
import type { CompiledCondition } from "./conditions.js";
import { TRUST_ACTIONS } from "./context.js";
import {
  type LayerVerdict,
  notPrincipalBoundaryDeny,
  type PreparedRequest,
  type RawEvaluation,
} from "./evaluate.js";
import { provenFix } from "./fix.js";
import { substitute } from "./match.js";
import {
  type ElementFailure,
  EVALUATION_SCHEMA,
  type EvaluationResult,
  type MissingContext,
  type NearMiss,
  type PolicyFix,
  type PolicyKind,
  type StatementRef,
} from "./types.js";

const MFA_KEYS = new Set(["aws:multifactorauthpresent", "aws:multifactorauthage"]);
const MAX_NEAR_MISSES = 3;

/** A reference to a compiled statement. */
export function refOf(s: CompiledStatement, why?: string): StatementRef {
  const ref: StatementRef = {
    policy: s.policy.policy.name,
    policyType: s.policy.kind,
    index: s.stmt.index,
    effect: s.effect,
  };
  if (s.stmt.sid !== undefined) ref.sid = s.stmt.sid;
  if (why) ref.why = why;
  return ref;
}

function opText(c: CompiledCondition): string {
  return c.entry.operator;
}

function valuesText(vs: string[]): string {
  return vs.length === 1 ? `\`${vs[0]}\`` : `[${vs.map((v) => `\`${v}\``).join(", ")}]`;
}

/** Every element of `s` that fails for `r` (empty when it applies). */
export function failuresOf(
  s: CompiledStatement,
  r: PreparedRequest,
  usePrincipal: boolean,
  light = false,
): ElementFailure[] {
  const out: ElementFailure[] = [];
  if (!actionMatches(s, r.actionLower)) {
    const list = s.stmt.action ?? s.stmt.notAction ?? [];
    out.push({
      element: s.notAction ? "NotAction" : "Action",
      detail: light
        ? ""
        : s.notAction
          ? `\`NotAction\` excludes \`${r.action}\``
          : `\`Action\` ${valuesText(list.slice(0, 6))}${list.length > 6 ? " ..." : ""} does not include \`${r.action}\``,
    });
  }
  if (!s.resourceAny || s.notResource) {
    const hits = s.resources.map((m) => m.test(r.resource, r.resourceParts, r.ctx));
    const any = hits.some((h) => h === true);
    if (s.notResource ? any || hits.some((h) => h === undefined) : !any) {
      if (s.notResource)
        out.push({ element: "NotResource", detail: `\`NotResource\` excludes \`${r.resource}\`` });
      else {
        // Report the pattern that fails latest in the ARN (the closest one).
        let best: { src: string; seg: string; rank: number } | undefined;
        const order = ["whole", "prefix", "partition", "service", "region", "account", "resource"];
        for (const m of s.resources) {
          const seg = m.failingSegment(r.resource, r.resourceParts, r.ctx) ?? "resource";
          const rank = order.indexOf(seg);
          if (!best || rank > best.rank) best = { src: m.source, seg, rank };
        }
        const unresolved = hits.some((h) => h === undefined);
        out.push({
          element: "Resource",
          segment: best?.seg,
          detail: light
            ? ""
            : best
              ? `\`Resource\` \`${best.src}\` does not match \`${r.resource}\`${best.seg !== "whole" ? ` (the ${best.seg} part differs)` : ""}${unresolved ? "; a policy variable could not be resolved" : ""}`
              : `no \`Resource\` matches \`${r.resource}\``,
          expected: s.stmt.resource,
          actual: [r.resource],
        });
      }
    }
  }
  if (usePrincipal) {
    if (s.principal && !s.principal.match(r.principal))
      out.push({
        element: "Principal",
        detail: `\`Principal\` does not name \`${r.principal.raw}\` or its account`,
      });
    else if (s.notPrincipal?.match(r.principal) && !notPrincipalBoundaryDeny(s, r))
      out.push({ element: "NotPrincipal", detail: `\`NotPrincipal\` names \`${r.principal.raw}\`` });
    else if (!s.principal && !s.notPrincipal && (s.policy.kind === "resource" || s.policy.kind === "trust"))
      out.push({ element: "Principal", detail: "the statement has no `Principal`" });
  }
  for (const c of s.conditions) {
    const o = c.test(r.ctx);
    if (o.ok) continue;
    const actual = r.ctx.get(c.keyLower) ?? null;
    out.push({
      element: "Condition",
      operator: c.entry.operator,
      key: c.entry.key,
      expected: c.entry.values,
      actual,
      detail: light
        ? ""
        : actual
          ? `\`${opText(c)}\` \`${c.entry.key}\` wants ${valuesText(c.entry.values)}, the request has ${valuesText(actual)}`
          : `\`${opText(c)}\` \`${c.entry.key}\` wants ${valuesText(c.entry.values)}, the request has no \`${c.entry.key}\``,
    });
  }
  return out;
}

function distanceOf(f: ElementFailure[]): number {
  let d = 0;
  for (const x of f) {
    if (x.element === "Action" || x.element === "NotAction") d += 100;
    else if (x.element === "Principal" || x.element === "NotPrincipal") d += 30;
    else if (x.element === "Resource" || x.element === "NotResource")
      d += x.segment === "resource" ? 10 : x.segment === "region" || x.segment === "account" ? 15 : 20;
    else d += 5;
  }
  return d;
}

function usesPrincipal(kind: PolicyKind): boolean {
  return kind === "resource" || kind === "trust" || kind === "rcp" || kind === "vpce";
}

/** The Allow statements of a layer closest to allowing, closest first (`light`: without the wording). */
export function nearMissesOf(layer: LayerVerdict, r: PreparedRequest, light = false): NearMiss[] {
  const out: NearMiss[] = [];
  const up = usesPrincipal(layer.type);
  // Rank every Allow without wording (cheap), then word the closest few.
  const ranked: Array<{ s: CompiledStatement; distance: number }> = [];
  for (const p of layer.policies)
    for (const s of p.forService(r.service)) {
      if (s.effect !== "Allow") continue;
      const failed = failuresOf(s, r, up, true);
      if (failed.length === 0) continue;
      const distance = distanceOf(failed);
      // A statement for another service entirely is no near miss.
      if (distance >= 100 && !sameService(s, r.service)) continue;
      ranked.push({ s, distance });
    }
  // A stable sort keeps policy order among equals.
  ranked.sort((a, b) => a.distance - b.distance);
  for (const { s, distance } of ranked.slice(0, MAX_NEAR_MISSES))
    out.push({ ...refOf(s), failed: light ? failuresOf(s, r, up, true) : failuresOf(s, r, up), distance });
  return out;
}

function sameService(s: CompiledStatement, service: string): boolean {
  const list = s.stmt.action ?? [];
  return list.some((a) => a.toLowerCase().startsWith(`${service}:`));
}

const LAYER_CAUSE: Record<PolicyKind, CauseId> = POLICY_KIND_CAUSE;

function isMfaStatement(s: CompiledStatement): boolean {
  return s.conditions.some((c) => MFA_KEYS.has(c.keyLower));
}

/** The identity cause from the closest near miss. */
export function identityCause(r: PreparedRequest, best: NearMiss | undefined): CauseId {
  if (r.actionLower === "iam:passrole") return IAM_OUTCOME_CAUSE.passrole;
  if (!best || best.failed.some((f) => f.element === "Action" || f.element === "NotAction"))
    return IAM_OUTCOME_CAUSE.action;
  if (best.failed.some((f) => f.element === "Resource" || f.element === "NotResource"))
    return IAM_OUTCOME_CAUSE.resource;
  if (best.failed.some((f) => f.element === "Condition" && f.key && MFA_KEYS.has(f.key.toLowerCase())))
    return IAM_OUTCOME_CAUSE.mfa;
  return IAM_OUTCOME_CAUSE.condition;
}

/** Why a Deny statement matched, in one line. */
function denyWhy(s: CompiledStatement, r: PreparedRequest): string {
  const parts: string[] = [];
  const acts = s.stmt.action ?? s.stmt.notAction ?? [];
  parts.push(
    s.notAction
      ? `\`NotAction\` ${valuesText(acts.slice(0, 4))} does not exclude \`${r.action}\``
      : `\`Action\` ${valuesText(acts.slice(0, 4))} covers \`${r.action}\``,
  );
  if (s.notPrincipal && notPrincipalBoundaryDeny(s, r))
    parts.push(
      "`NotPrincipal` with `Deny` denies every IAM user or role that has a permissions boundary, whatever it lists",
    );
  const res = s.stmt.resource ?? s.stmt.notResource;
  if (res)
    parts.push(
      `${s.notResource ? "`NotResource`" : "`Resource`"} ${valuesText(res.slice(0, 3))} covers \`${r.resource}\``,
    );
  for (const c of s.conditions) {
    const v = r.ctx.get(c.keyLower);
    parts.push(
      `\`${c.entry.operator}\` \`${c.entry.key}\` ${valuesText(c.entry.values)} holds (request: ${v ? valuesText(v) : "key absent"})`,
    );
  }
  return parts.join("; ");
}

function conditionText(f: ElementFailure): string {
  const op = (f.operator ?? "").replace(/IfExists$/i, "");
  const vals = f.expected ?? [];
  const v = vals.length === 1 ? vals[0] : `one of ${vals.join(", ")}`;
  if (
    /^(StringEquals|StringEqualsIgnoreCase|Bool|ArnEquals|NumericEquals|DateEquals|BinaryEquals)$/i.test(op)
  )
    return `${f.key} = ${v}`;
  if (/^(StringLike|ArnLike)$/i.test(op)) return `${f.key} like ${v}`;
  if (/^IpAddress$/i.test(op)) return `${f.key} in ${v}`;
  if (/^Null$/i.test(op)) return vals[0] === "true" ? `${f.key} is absent` : `${f.key} is present`;
  return `${f.key} ${f.operator} ${v}`;
}

export { lineDiff } from "./fix.js";

/**
 * The result object. Decision, cause and notes are computed at once; the deciding statements, near misses, fix,
 * missing context and layers on first read. `toJSON` gives the plain `authdoctor.evaluation/v1` object.
 */
class Result implements EvaluationResult {
  readonly schema = EVALUATION_SCHEMA;
  request: EvaluationResult["request"];
  decision: EvaluationResult["decision"];
  cause?: EvaluationResult["cause"];
  deniedBy?: EvaluationResult["deniedBy"];
  notes: string[];
  #decidedBy?: StatementRef[];
  #nearMisses?: NearMiss[];
  #fix?: PolicyFix | null;
  #missing?: MissingContext[];
  #layers?: EvaluationResult["layers"];
  constructor(
    private readonly raw: RawEvaluation,
    private readonly r: PreparedRequest,
    private readonly set: PolicySet | undefined,
  ) {
    this.request = { principal: r.principal.raw, action: r.action, resource: r.resource };
    this.decision = raw.decision;
    this.notes = raw.notes;
  }
  get decidedBy(): StatementRef[] {
    const { raw, r } = this;
    this.#decidedBy ??=
      raw.decision === "ExplicitDeny"
        ? raw.decidedBy.map((s) => refOf(s, denyWhy(s, r)))
        : raw.decidedBy.map((s) => refOf(s));
    return this.#decidedBy;
  }
  set decidedBy(v: StatementRef[]) {
    this.#decidedBy = v;
  }
  get nearMisses(): NearMiss[] {
    this.#nearMisses ??= this.raw.decision === "ImplicitDeny" ? blockingNearMisses(this.raw, this.r) : [];
    return this.#nearMisses;
  }
  set nearMisses(v: NearMiss[]) {
    this.#nearMisses = v;
  }
  get fix(): PolicyFix | null {
    if (this.#fix === undefined) {
      const { raw, r } = this;
      const set = this.set ?? setOfLayers(raw);
      this.#fix = provenFix(raw, r, set, (layer, req) =>
        layer === raw.decidingLayer && req === r ? this.nearMissesFor(layer) : nearMissesOf(layer, req),
      );
    }
    return this.#fix;
  }
  set fix(v: PolicyFix | null) {
    this.#fix = v;
  }
  /** The near misses of one layer (those already computed for `nearMisses` when it is there). */
  private nearMissesFor(layer: LayerVerdict): NearMiss[] {
    const mine = this.nearMisses.filter((n) => n.policyType === layer.type);
    return mine.length ? mine : nearMissesOf(layer, this.r);
  }
  get missingContext(): MissingContext[] {
    if (!this.#missing) {
      const { raw, r } = this;
      this.#missing =
        raw.decision === "Allowed"
          ? raw.missingHit
            ? missingForDenies(raw, r)
            : []
          : raw.decision === "ExplicitDeny"
            ? []
            : missingForAllows(this.nearMisses);
    }
    return this.#missing;
  }
  set missingContext(v: MissingContext[]) {
    this.#missing = v;
  }
  get layers(): EvaluationResult["layers"] {
    this.#layers ??= this.raw.layers.map((l) =>
      l.level !== undefined
        ? { type: l.type, level: l.level, result: l.result }
        : { type: l.type, result: l.result },
    );
    return this.#layers;
  }
  set layers(v: EvaluationResult["layers"]) {
    this.#layers = v;
  }
  /** The plain object, in the documented key order. */
  toJSON(): Omit<EvaluationResult, "toJSON"> {
    const o: Record<string, unknown> = {
      schema: this.schema,
      request: this.request,
      decision: this.decision,
    };
    if (this.cause !== undefined) o.cause = this.cause;
    if (this.deniedBy !== undefined) o.deniedBy = this.deniedBy;
    o.decidedBy = this.decidedBy;
    o.nearMisses = this.nearMisses;
    o.fix = this.fix;
    o.missingContext = this.missingContext;
    o.layers = this.layers;
    o.notes = this.notes;
    return o as unknown as EvaluationResult;
  }
}

const SEGMENT_ORDER = ["whole", "prefix", "partition", "service", "region", "account", "resource"];

/**
 * The identity cause without building near misses: the same distance and order as `nearMissesOf`, no allocation.
 * INVARIANT: agrees with `identityCause(r, nearMissesOf(layer, r)[0])` (tested).
 */
export function classifyIdentity(layer: LayerVerdict, r: PreparedRequest): CauseId {
  if (r.actionLower === "iam:passrole") return IAM_OUTCOME_CAUSE.passrole;
  let best = Number.POSITIVE_INFINITY;
  let bestKind = 0; // 1 action, 2 resource, 3 mfa condition, 4 condition
  for (const p of layer.policies) {
    const list = p.forService(r.service);
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      if (s.effect !== "Allow") continue;
      let d = 0;
      let actionFail = false;
      let resourceFail = false;
      let mfaFail = false;
      if (!actionMatches(s, r.actionLower)) {
        d += 100;
        actionFail = true;
      }
      if (!s.resourceAny || s.notResource) {
        let any = false;
        let unresolved = false;
        for (const m of s.resources) {
          const h = m.test(r.resource, r.resourceParts, r.ctx);
          if (h === true) any = true;
          else if (h === undefined) unresolved = true;
        }
        if (s.notResource ? any || unresolved : !any) {
          resourceFail = true;
          if (s.notResource) d += 20;
          else {
            let rank = -1;
            for (const m of s.resources)
              rank = Math.max(
                rank,
                SEGMENT_ORDER.indexOf(m.failingSegment(r.resource, r.resourceParts, r.ctx) ?? "resource"),
              );
            const seg = SEGMENT_ORDER[rank] ?? "resource";
            d += seg === "resource" ? 10 : seg === "region" || seg === "account" ? 15 : 20;
          }
        }
      }
      let condFails = 0;
      for (const c of s.conditions)
        if (!(c.code(r.ctx) & 1)) {
          condFails++;
          if (MFA_KEYS.has(c.keyLower)) mfaFail = true;
        }
      d += 5 * condFails;
      if (d === 0) continue;
      if (d >= 100 && !sameService(s, r.service)) continue;
      if (d < best) {
        best = d;
        bestKind = actionFail ? 1 : resourceFail ? 2 : mfaFail ? 3 : 4;
      }
    }
  }
  if (bestKind === 0 || bestKind === 1) return IAM_OUTCOME_CAUSE.action;
  if (bestKind === 2) return IAM_OUTCOME_CAUSE.resource;
  return bestKind === 3 ? IAM_OUTCOME_CAUSE.mfa : IAM_OUTCOME_CAUSE.condition;
}

/** Build the public result (explanations computed on first read; see `Result`). */
export function explain(raw: RawEvaluation, r: PreparedRequest, set?: PolicySet): EvaluationResult {
  const result = new Result(raw, r, set);
  const layer = raw.decidingLayer;
  if (raw.reserved) result.cause = IAM_OUTCOME_CAUSE.reserved;
  else if (raw.decision === "ExplicitDeny") {
    const first = raw.decidedBy[0]!;
    let cause = LAYER_CAUSE[first.policy.kind];
    if (first.policy.kind === "identity")
      cause = isMfaStatement(first) ? IAM_OUTCOME_CAUSE.mfa : IAM_OUTCOME_CAUSE["explicit-deny"];
    if (first.policy.kind === "resource" && TRUST_ACTIONS.has(r.actionLower)) cause = IAM_OUTCOME_CAUSE.trust;
    result.cause = cause;
    result.deniedBy = layer!.type;
  } else if (raw.decision === "ImplicitDeny") {
    let cause = LAYER_CAUSE[layer!.type];
    if (layer!.type === "identity") cause = classifyIdentity(layer!, r);
    else if (layer!.type === "resource" && TRUST_ACTIONS.has(r.actionLower)) cause = IAM_OUTCOME_CAUSE.trust;
    result.cause = cause;
    result.deniedBy = layer!.type;
    if (layer!.level !== undefined)
      result.notes.push(
        layer!.policies.length === 0
          ? `${layer!.type.toUpperCase()} level ${layer!.level} (0 = root) has no policy attached: it allows nothing`
          : `no ${layer!.type.toUpperCase()} at level ${layer!.level} (0 = root) allows this request`,
      );
    if (layer!.type === "identity" && layer!.policies.length === 0)
      result.notes.push("no identity-based policy was given for this principal");
  }
  return result;
}

/** The policy set a raw evaluation saw, rebuilt from its layers (when the caller did not keep it). */
function setOfLayers(raw: RawEvaluation): PolicySet {
  const set: PolicySet = { identity: [] };
  for (const l of raw.layers) {
    if (l.type === "scp") {
      set.scps ??= [];
      set.scps[l.level ?? 0] = l.policies;
    } else if (l.type === "rcp") {
      set.rcps ??= [];
      set.rcps[l.level ?? 0] = l.policies;
    } else if (l.type === "resource" || l.type === "trust") set.resource = l.policies;
    else set[l.type] = l.policies;
  }
  return set;
}

/**
 * Near misses of every layer that keeps the request from being allowed, deciding layer first: an identity policy
 * and a boundary may both lack the Allow, or a resource policy and a KMS key policy.
 */
function blockingNearMisses(raw: RawEvaluation, r: PreparedRequest): NearMiss[] {
  const deciding = raw.decidingLayer;
  if (!deciding) return [];
  const out = nearMissesOf(deciding, r);
  const root = r.principal.kind === "root";
  for (const l of raw.layers) {
    if (l === deciding || l.result !== "no-allow") continue;
    if (l.type === "identity" && root) continue;
    // A resource policy that names nobody is only a block across accounts or for keys and trust policies.
    if (
      (l.type === "resource" || l.type === "trust") &&
      !raw.crossAccount &&
      r.service !== "kms" &&
      l.type !== "trust"
    )
      continue;
    out.push(...nearMissesOf(l, r));
  }
  return out;
}

/** A near miss that fails only on keys nobody supplied: say what would allow it. */
function missingForAllows(nms: NearMiss[]): MissingContext[] {
  const out: MissingContext[] = [];
  for (const nm of nms) {
    const conds = nm.failed.filter((f) => f.element === "Condition");
    if (conds.length === 0 || conds.length !== nm.failed.length || !conds.every((f) => f.actual === null))
      continue;
    for (const f of conds)
      out.push({
        key: f.key!,
        text: `allowed only if ${conditionText(f)}`,
        statement: {
          policy: nm.policy,
          policyType: nm.policyType,
          index: nm.index,
          effect: nm.effect,
          ...(nm.sid ? { sid: nm.sid } : {}),
        },
      });
    break;
  }
  return out;
}

/** For an Allowed decision: Deny statements that would match if a missing key were present. */
function missingForDenies(raw: RawEvaluation, r: PreparedRequest): MissingContext[] {
  const out: MissingContext[] = [];
  for (const l of raw.layers)
    for (const p of l.policies)
      for (const s of p.forService(r.service)) {
        if (s.effect !== "Deny" || s.conditions.length === 0 || !actionMatches(s, r.actionLower)) continue;
        // Only a Deny whose failing conditions all meet absent keys is of interest: check that cheaply first.
        let absentOnly = true;
        for (const c of s.conditions)
          if (!(c.code(r.ctx) & 1) && r.ctx.get(c.keyLower) !== undefined) {
            absentOnly = false;
            break;
          }
        if (!absentOnly) continue;
        const f = failuresOf(s, r, usesPrincipal(l.type));
        if (f.length === 0 || !f.every((x) => x.element === "Condition" && x.actual === null)) continue;
        for (const x of f)
          out.push({ key: x.key!, text: `denied if ${conditionText(x)}`, statement: refOf(s) });
      }
  return out;
}

/** Substitute variables for display (used by the CLI). */
export function display(value: string, r: PreparedRequest): string {
  return substitute(value, true, r.ctx) ?? value;
}
