// Step 4 of the engine: a raw decision -> the authdoctor.evaluation/v1 object (cause, near misses, minimal fix).

import type { CauseId } from "../core/cause-ids.js";
import { actionMatches, type CompiledStatement } from "./compile.js";
import type { CompiledCondition } from "./conditions.js";
import { TRUST_ACTIONS } from "./context.js";
import type { LayerVerdict, PreparedRequest, RawEvaluation } from "./evaluate.js";
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
): ElementFailure[] {
  const out: ElementFailure[] = [];
  if (!actionMatches(s, r.actionLower)) {
    const list = s.stmt.action ?? s.stmt.notAction ?? [];
    out.push({
      element: s.notAction ? "NotAction" : "Action",
      detail: s.notAction
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
          detail: best
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
    else if (s.notPrincipal?.match(r.principal))
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
      detail: actual
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

/** The Allow statements of a layer closest to allowing, closest first. */
export function nearMissesOf(layer: LayerVerdict, r: PreparedRequest): NearMiss[] {
  const out: NearMiss[] = [];
  const up = usesPrincipal(layer.type);
  for (const p of layer.policies)
    for (const s of p.statements) {
      if (s.effect !== "Allow") continue;
      const failed = failuresOf(s, r, up);
      if (failed.length === 0) continue;
      const distance = distanceOf(failed);
      // A statement for another service entirely is no near miss.
      if (distance >= 100 && !sameService(s, r.service)) continue;
      out.push({ ...refOf(s), failed, distance });
    }
  out.sort((a, b) => a.distance - b.distance);
  return out.slice(0, MAX_NEAR_MISSES);
}

function sameService(s: CompiledStatement, service: string): boolean {
  const list = s.stmt.action ?? [];
  return list.some((a) => a.toLowerCase().startsWith(`${service}:`));
}

const LAYER_CAUSE: Record<PolicyKind, CauseId> = {
  identity: "IAM_ACTION_NOT_ALLOWED",
  resource: "RESOURCE_POLICY",
  trust: "TRUST_POLICY",
  boundary: "PERMISSION_BOUNDARY",
  session: "SESSION_POLICY",
  scp: "SCP_DENY",
  rcp: "RCP_DENY",
  vpce: "VPC_ENDPOINT_POLICY",
};

function isMfaStatement(s: CompiledStatement): boolean {
  return s.conditions.some((c) => MFA_KEYS.has(c.keyLower));
}

function identityCause(r: PreparedRequest, best: NearMiss | undefined): CauseId {
  if (r.actionLower === "iam:passrole") return "PASSROLE_MISSING";
  if (!best || best.failed.some((f) => f.element === "Action" || f.element === "NotAction"))
    return "IAM_ACTION_NOT_ALLOWED";
  if (best.failed.some((f) => f.element === "Resource" || f.element === "NotResource"))
    return "IAM_RESOURCE_MISMATCH";
  if (best.failed.some((f) => f.element === "Condition" && f.key && MFA_KEYS.has(f.key.toLowerCase())))
    return "MFA_REQUIRED";
  return "IAM_CONDITION_FAILED";
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

/** Line diff of two texts (LCS), with `-`/`+`/` ` prefixes. */
export function lineDiff(before: string, after: string, header: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  const n = a.length;
  const m = b.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const out = [`--- ${header}`, `+++ ${header} (proposed)`];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (i < n && (j >= m || dp[i + 1]![j]! >= dp[i]![j + 1]!)) out.push(`- ${a[i++]}`);
    else out.push(`+ ${b[j++]}`);
  }
  return out.join("\n");
}

function statementJson(s: CompiledStatement): Record<string, unknown> {
  const doc = s.policy.policy.document as { Statement?: unknown } | undefined;
  const st = doc?.Statement;
  const raw = Array.isArray(st) ? st[s.stmt.index] : s.stmt.index === 0 ? st : undefined;
  if (raw && typeof raw === "object") return structuredClone(raw as Record<string, unknown>);
  const o: Record<string, unknown> = {};
  if (s.stmt.sid) o.Sid = s.stmt.sid;
  o.Effect = s.effect;
  if (s.stmt.action) o.Action = s.stmt.action;
  if (s.stmt.notAction) o.NotAction = s.stmt.notAction;
  if (s.stmt.resource) o.Resource = s.stmt.resource;
  if (s.stmt.notResource) o.NotResource = s.stmt.notResource;
  return o;
}

function addTo(o: Record<string, unknown>, key: string, value: string): void {
  const cur = o[key];
  if (cur === undefined) o[key] = value;
  else if (Array.isArray(cur)) o[key] = [...cur, value];
  else o[key] = [cur, value];
}

function findStatement(layer: LayerVerdict, nm: NearMiss): CompiledStatement | undefined {
  for (const p of layer.policies)
    if (p.policy.name === nm.policy) for (const s of p.statements) if (s.stmt.index === nm.index) return s;
  return undefined;
}

function minimalFix(layer: LayerVerdict, nm: NearMiss | undefined, r: PreparedRequest): PolicyFix {
  const kindName = layer.type === "identity" ? "an identity-based policy" : `the ${layer.type} policy`;
  const s = nm ? findStatement(layer, nm) : undefined;
  if (s && nm) {
    const before = statementJson(s);
    const after = structuredClone(before);
    const steps: string[] = [];
    for (const f of nm.failed) {
      if (f.element === "Action") {
        addTo(after, "Action", r.action);
        steps.push(`add \`${r.action}\` to \`Action\``);
      } else if (f.element === "Resource") {
        addTo(after, "Resource", r.resource);
        steps.push(`add \`${r.resource}\` to \`Resource\``);
      } else if (f.element === "Principal") {
        const parn = r.principal.kind === "role-session" ? r.principal.roleArn : r.principal.raw;
        const kind =
          r.principal.kind === "service" ? "Service" : r.principal.kind === "federated" ? "Federated" : "AWS";
        const pr = (after.Principal && typeof after.Principal === "object" ? after.Principal : {}) as Record<
          string,
          unknown
        >;
        addTo(pr, kind, parn ?? r.principal.raw);
        after.Principal = pr;
        steps.push(`name \`${parn}\` in \`Principal\``);
      } else if (f.element === "Condition" && f.operator && f.key) {
        const cond = (after.Condition ?? {}) as Record<string, Record<string, unknown>>;
        const block = cond[f.operator];
        if (f.actual && f.actual.length > 0 && block && typeof block === "object") {
          const keyName = Object.keys(block).find((k) => k.toLowerCase() === f.key!.toLowerCase()) ?? f.key;
          addTo(block, keyName, f.actual[0]!);
          steps.push(`accept \`${f.actual[0]}\` for \`${f.key}\``);
        } else steps.push(`send the request with ${conditionText(f)}`);
      } else steps.push(f.detail);
    }
    const label = `${nm.policy} statement ${nm.sid ? `\`${nm.sid}\` ` : ""}#${nm.index}`;
    const diff = lineDiff(JSON.stringify(before, null, 2), JSON.stringify(after, null, 2), label);
    return {
      summary: `in ${label}: ${steps.join("; ")}`,
      policy: nm.policy,
      policyType: layer.type,
      diff: JSON.stringify(before) === JSON.stringify(after) ? undefined : diff,
    };
  }
  const stmt: Record<string, unknown> = { Effect: "Allow" };
  if (usesPrincipal(layer.type)) {
    const parn = r.principal.kind === "role-session" ? r.principal.roleArn : r.principal.raw;
    const kind =
      r.principal.kind === "service" ? "Service" : r.principal.kind === "federated" ? "Federated" : "AWS";
    stmt.Principal = { [kind]: parn };
  }
  stmt.Action = r.action;
  if (layer.type !== "trust") stmt.Resource = r.resource;
  const target =
    layer.policies[0]?.policy.name ??
    (layer.type === "identity" ? "the caller's policy" : `a ${layer.type} policy`);
  const text = JSON.stringify(stmt, null, 2);
  return {
    summary: `add a statement allowing \`${r.action}\` on \`${r.resource}\` to ${kindName}${layer.policies.length ? ` (\`${target}\`)` : ""}`,
    policy: layer.policies[0]?.policy.name,
    policyType: layer.type,
    diff: [
      `--- ${target}`,
      `+++ ${target} (proposed: new statement)`,
      ...text.split("\n").map((l) => `+ ${l}`),
    ].join("\n"),
  };
}

function explicitFix(s: CompiledStatement, r: PreparedRequest): PolicyFix {
  const label = `${s.policy.policy.name} statement ${s.stmt.sid ? `\`${s.stmt.sid}\` ` : ""}#${s.stmt.index}`;
  const mfa = s.conditions.find((c) => MFA_KEYS.has(c.keyLower));
  if (mfa)
    return {
      summary: `sign in with MFA (get a session with \`aws sts get-session-token --serial-number ... --token-code ...\`): ${label} denies requests without it`,
      policy: s.policy.policy.name,
      policyType: s.policy.kind,
    };
  const before = statementJson(s);
  const acts = s.stmt.action;
  if (acts?.some((a) => a.toLowerCase() === r.actionLower) && acts.length > 1) {
    const after = structuredClone(before);
    after.Action = acts.filter((a) => a.toLowerCase() !== r.actionLower);
    return {
      summary: `remove \`${r.action}\` from the Deny in ${label} (if the deny is not intended for this request)`,
      policy: s.policy.policy.name,
      policyType: s.policy.kind,
      diff: lineDiff(JSON.stringify(before, null, 2), JSON.stringify(after, null, 2), label),
    };
  }
  return {
    summary: `the Deny in ${label} matches this request: narrow it (Resource or Condition) or change the request to fall outside it`,
    policy: s.policy.policy.name,
    policyType: s.policy.kind,
  };
}

/** Build the public result. */
export function explain(raw: RawEvaluation, r: PreparedRequest): EvaluationResult {
  const result: EvaluationResult = {
    schema: EVALUATION_SCHEMA,
    request: { principal: r.principal.raw, action: r.action, resource: r.resource },
    decision: raw.decision,
    cause: undefined,
    deniedBy: undefined,
    decidedBy: [],
    nearMisses: [],
    fix: null,
    missingContext: [],
    layers: raw.layers.map((l) =>
      l.level !== undefined
        ? { type: l.type, level: l.level, result: l.result }
        : { type: l.type, result: l.result },
    ),
    notes: [...raw.notes],
  };
  if (raw.decision === "Allowed") {
    result.decidedBy = raw.decidedBy.map((s) => refOf(s));
    if (raw.missingHit) result.missingContext = missingForDenies(raw, r);
    return result;
  }
  const layer = raw.decidingLayer!;
  result.deniedBy = layer.type;
  if (raw.decision === "ExplicitDeny") {
    result.decidedBy = raw.decidedBy.map((s) => refOf(s, denyWhy(s, r)));
    const first = raw.decidedBy[0]!;
    let cause = LAYER_CAUSE[first.policy.kind];
    if (first.policy.kind === "identity")
      cause = isMfaStatement(first) ? "MFA_REQUIRED" : "IAM_EXPLICIT_DENY";
    if (first.policy.kind === "resource" && TRUST_ACTIONS.has(r.actionLower)) cause = "TRUST_POLICY";
    result.cause = cause;
    result.fix = explicitFix(first, r);
    return result;
  }
  const nms = nearMissesOf(layer, r);
  result.nearMisses = nms;
  const best = nms[0];
  let cause = LAYER_CAUSE[layer.type];
  if (layer.type === "identity") cause = identityCause(r, best);
  else if (layer.type === "resource" && TRUST_ACTIONS.has(r.actionLower)) cause = "TRUST_POLICY";
  result.cause = cause;
  if (layer.level !== undefined)
    result.notes.push(
      `${layer.type.toUpperCase()} level ${layer.level} (0 = root) allows nothing for this request`,
    );
  if (layer.type === "identity" && layer.policies.length === 0)
    result.notes.push("no identity-based policy was given for this principal");
  result.fix = minimalFix(layer, best, r);
  // A near miss that fails only on keys nobody supplied: say what would allow it.
  for (const nm of nms) {
    const conds = nm.failed.filter((f) => f.element === "Condition");
    if (conds.length === 0 || conds.length !== nm.failed.length || !conds.every((f) => f.actual === null))
      continue;
    for (const f of conds)
      result.missingContext.push({
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
  return result;
}

/** For an Allowed decision: Deny statements that would match if a missing key were present. */
function missingForDenies(raw: RawEvaluation, r: PreparedRequest): MissingContext[] {
  const out: MissingContext[] = [];
  for (const l of raw.layers)
    for (const p of l.policies)
      for (const s of p.forService(r.service)) {
        if (s.effect !== "Deny") continue;
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
