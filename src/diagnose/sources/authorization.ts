// Evidence source: AWS's own evaluation of the denied request, saved from
// `aws iam-toolbox get-request-authorization-details` (--authorization-details, bundle authorization-details.json)
// and the policies as they were at denial time from `get-request-authorization-policy`
// (bundle authorization-policies/*.json). The evaluation is `verified`; the engine run on those policies for the
// near miss and the fix is `simulated`.
// https://docs.aws.amazon.com/iam-toolbox/latest/APIReference/API_GetRequestAuthorizationDetails.html

import { basename } from "node:path";
import type { Signal } from "../../core/diagnosis.js";
import { InputError } from "../../core/input-error.js";
import { offer } from "../../core/request.js";
import type {
  AuthorizationDetails,
  AuthorizationFinding,
  AuthzPolicy,
  ContextValue,
  EvaluationEnv,
  PolicyInput,
} from "../../iam/index.js";
import { decodeText, readBytes, readFailure } from "../../io/read.js";
import type { SourceContext } from "../pipeline.js";
import { authorizationSignals } from "../signals/authorization.js";
import { evaluationSignals } from "../signals/iam.js";
import { emptyOutcome, type SourceOutcome } from "./types.js";

export interface AuthorizationInputs {
  /** Path of a saved get-request-authorization-details output. */
  details?: string;
  /** Paths of saved get-request-authorization-policy outputs. */
  policies: string[];
}

const SOURCE = "authorization details";

async function readText(path: string): Promise<string> {
  try {
    return decodeText(await readBytes(path));
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(path, `cannot read: ${readFailure(err)}`);
  }
}

/** Read AWS's evaluation and turn it into verified signals; never throws (problems become unknowns). */
export async function authorizationSource(
  inputs: AuthorizationInputs,
  ctx: SourceContext,
): Promise<SourceOutcome> {
  const out = emptyOutcome();
  const ref = ctx.parsed.failure?.authorization;
  if (!inputs.details) {
    out.checked.push({
      source: SOURCE,
      status: "not-given",
      detail: ref ? `the message carries authorization id ${ref.id}` : "no --authorization-details",
    });
    if (ref) {
      out.unknowns.push({
        what: "AWS's own evaluation of this request was not read",
        why: `the message carries authorization id ${ref.id} (details are kept at least 24 hours)`,
        needs: `\`aws iam-toolbox get-request-authorization-details --authorization-id ${ref.id} --region ${ref.region ?? ctx.parsed.failure?.region ?? "us-east-1"} > authorization-details.json\` (needs iam:GetRequestAuthorizationDetails), then --authorization-details authorization-details.json`,
      });
    }
    return out;
  }
  const iam = await import("../../iam/index.js");
  let details: AuthorizationDetails;
  try {
    details = iam.parseAuthorizationDetails(await readText(inputs.details), inputs.details);
  } catch (err) {
    const reason = err instanceof InputError ? err.message : String(err);
    out.checked.push({ source: `${SOURCE}: ${inputs.details}`, status: "failed", detail: reason });
    out.unknowns.push({ what: `authorization details \`${inputs.details}\` not used`, why: reason });
    return out;
  }
  const finding = iam.analyseAuthorization(details);
  const src = `${SOURCE}: ${basename(inputs.details)}`;
  out.signals.push(...authorizationSignals(finding, src));

  // What AWS recorded fills the request fields nothing else gave.
  const req = ctx.parsed.request;
  offer(req, "principal", finding.principal, "authorization-details", "authorization details");
  offer(
    req,
    "action",
    finding.primary?.action || undefined,
    "authorization-details",
    "authorization details",
  );
  offer(
    req,
    "resource",
    finding.primary?.resource || undefined,
    "authorization-details",
    "authorization details",
  );
  if (details.nextToken)
    out.unknowns.push({
      what: "the authorization details are one page of several",
      why: "evaluations after the first page were not read",
      needs: "save the output without --no-paginate (the CLI merges the pages)",
    });
  out.checked.push({ source: SOURCE, status: "used", detail: describe(finding, details, inputs.details) });

  if (inputs.policies.length > 0 && finding.denied) await simulate(inputs.policies, details, finding, out);
  else if (finding.denied)
    out.unknowns.push({
      what: "the policies as they were at denial time were not given",

      why: "the near miss and the proven fix need the documents",
      needs: `for each policy uri: \`aws iam-toolbox get-request-authorization-policy --authorization-id ${ref?.id ?? "<authorization-id>"} --policy-uri <uri> > authorization-policies/NAME.json\` (needs iam:GetRequestAuthorizationPolicy)`,
    });
  return out;
}

function describe(f: AuthorizationFinding, d: AuthorizationDetails, path: string): string {
  const e = f.denied;
  if (!e) return `${path}: ${d.evaluations.length} evaluation(s), all ALLOW`;
  const by =
    f.denyingPolicies.length > 0
      ? ` by ${f.denyingPolicies.map((p) => `${p.policy.type ?? "policy"} ${p.policy.uri} (${p.sids.join(", ")})`).join("; ")}`
      : f.missingAllow.length > 0
        ? ` (no allow in: ${f.missingAllow.join(", ")})`
        : "";
  return `${path}: ${e.action}${e.resource ? ` on ${e.resource}` : ""} ${e.effect}${by}${f.secondary ? ` (inside ${f.primary?.action})` : ""}`;
}

/** File name for a policy uri: its last path segment, with anything but letters, digits, `.`, `_`, `-` as `_`. */
export function policyFileName(uri: string): string {
  const last = uri.split(/[/:]/).filter(Boolean).pop() ?? uri;
  return last.replace(/[^A-Za-z0-9._-]/g, "_");
}

async function simulate(
  paths: string[],
  details: AuthorizationDetails,
  finding: AuthorizationFinding,
  out: SourceOutcome,
): Promise<void> {
  const iam = await import("../../iam/index.js");
  const env: EvaluationEnv = {};
  const byKind = new Map<string, PolicyInput[]>();
  const scps: PolicyInput[][] = [];
  const rcps: PolicyInput[][] = [];
  const used: string[] = [];
  for (const path of paths) {
    let doc: { document: Record<string, unknown>; uri?: string };
    try {
      doc = iam.parseAuthorizationPolicy(await readText(path), path);
    } catch (err) {
      const reason = err instanceof InputError ? err.message : String(err);
      out.checked.push({ source: `${SOURCE}: ${path}`, status: "failed", detail: reason });
      out.unknowns.push({ what: `denial-time policy \`${path}\` not used`, why: reason });
      continue;
    }
    const stem = basename(path).replace(/\.json$/i, "");
    const policy: AuthzPolicy | undefined =
      details.policies.find((p) => p.uri === doc.uri) ??
      details.policies.find((p) => policyFileName(p.uri) === stem);
    if (!policy?.type) {
      out.unknowns.push({
        what: `denial-time policy \`${path}\` not used`,
        why: "no policy of the authorization details has its uri or file name",
        needs: "name the file after the policy uri's last segment, or keep `policyUri` in it",
      });
      continue;
    }
    const kind = iam.AWS_POLICY_TYPE_KIND[policy.type];
    const input = { ...doc.document, ...(doc.document.Id ? {} : { Id: policy.uri }) };
    if (kind === "scp") scps.push([input]);
    else if (kind === "rcp") rcps.push([input]);
    else byKind.set(kind, [...(byKind.get(kind) ?? []), input]);
    used.push(`${basename(path)} (${policy.type})`);
  }
  if (used.length === 0) return;
  const identity = byKind.get("identity");
  if (identity) env.identityPolicies = identity;
  const boundary = byKind.get("boundary");
  if (boundary) env.boundary = boundary;
  const resource = byKind.get("resource");
  if (resource) env.resourcePolicy = resource;
  const session = byKind.get("session");
  if (session) env.sessionPolicy = session;
  const vpce = byKind.get("vpce");
  if (vpce) env.vpcEndpointPolicy = vpce;
  if (scps.length > 0) env.scps = scps;
  if (rcps.length > 0) env.rcps = rcps;
  const e = finding.denied!;
  const context: Record<string, ContextValue> = {};
  for (const [k, v] of Object.entries({ ...details.requestContext, ...e.context })) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") context[k] = v;
    else if (Array.isArray(v) && v.every((x) => ["string", "number", "boolean"].includes(typeof x)))
      context[k] = v as Array<string | number | boolean>;
  }
  const principal = finding.principal;
  if (!principal) {
    out.unknowns.push({
      what: "denial-time policies not evaluated",
      why: "the request context names no aws:PrincipalArn",
    });
    return;
  }
  try {
    const result = iam.evaluateRequest(
      { principal, action: e.action, resource: e.resource || "*", context },
      env,
    );
    const sims: Signal[] = evaluationSignals(result, "engine on denial-time policies").map((s) => ({
      ...s,
      grade: "simulated",
    }));
    out.signals.push(...sims);
    if (result.fix?.diff) out.policyDiff = result.fix.diff;
    out.checked.push({
      source: `${SOURCE}: policies`,
      status: "used",
      detail: `${e.action} against ${used.join(", ")}: ${result.decision}${result.cause ? ` (${result.cause})` : ""}`,
    });
  } catch (err) {
    const reason = (err as Error).message.split("\n")[0] ?? "evaluation failed";
    out.checked.push({ source: `${SOURCE}: policies`, status: "failed", detail: reason });
    out.unknowns.push({ what: "denial-time policies not evaluated", why: reason });
  }
}
