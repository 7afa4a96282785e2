// Evidence source: the failing request evaluated against the policies given (--authz, --policy, --scp, --rcp,
// --resource-policy) with the IAM engine; its signals, near misses and the policy diff.

import { accountOfArn } from "../../core/arn.js";
import type { Signal } from "../../core/diagnosis.js";
import type { Failure } from "../../core/failure.js";
import { count } from "../../core/plural.js";
import { causeOfPolicyType, POLICY_TYPE_KIND } from "../../core/policy-kind.js";
import type {
  AuthzSnapshot,
  CanRequest,
  ContextValue,
  EvaluationEnv,
  EvaluationResult,
  PolicyInput,
} from "../../iam/index.js";
import { evaluationSignals } from "../signals/iam.js";
import { type PolicyRead, readJsonFile, readPolicyFile } from "./files.js";
import { emptyOutcome, type RequestFacts, type SourceOutcome } from "./types.js";

export interface PolicyInputs {
  /** Policy files already read (by the explicit-input check): each file is read and parsed once. */
  policyFiles?: Map<string, PolicyRead>;
  authz?: string;
  scp: string[];
  rcp: string[];
  policies: string[];
  resourcePolicies: string[];
}

const SNAPSHOT_CMD = "aws iam get-account-authorization-details --output json > authz.json";
/** Services whose resources commonly carry a resource-based policy (docs/aws-facts.md §1.13, §1.19, §1.20). */
const RESOURCE_POLICY_SERVICES = new Set([
  "s3",
  "kms",
  "sqs",
  "sns",
  "secretsmanager",
  "lambda",
  "ecr",
  "execute-api",
  "logs",
  "events",
  "glacier",
  "backup",
]);

/** Evaluate the request against every policy input given. Never throws: problems become unknowns. */
export async function policySource(
  inputs: PolicyInputs,
  req: RequestFacts,
  failure?: Failure | null,
): Promise<SourceOutcome> {
  const out = emptyOutcome();
  const given =
    inputs.authz !== undefined ||
    inputs.policies.length > 0 ||
    inputs.scp.length > 0 ||
    inputs.rcp.length > 0 ||
    inputs.resourcePolicies.length > 0;
  if (!given) {
    out.checked.push({
      source: "policies",
      status: "not-given",
      detail: "no --authz, --policy, --scp or --rcp",
    });
    out.unknowns.push({
      what: "no authorization snapshot",
      why: "could not evaluate the policies",
      needs: `run \`${SNAPSHOT_CMD}\` and pass --authz authz.json (needs iam:GetAccountAuthorizationDetails)`,
    });
    return out;
  }
  if (!req.principal || !req.action) {
    const missing = [!req.principal ? "principal" : "", !req.action ? "action" : ""]
      .filter(Boolean)
      .join(" and ");
    out.checked.push({
      source: "policies",
      status: "skipped",
      detail: `the request's ${missing} is unknown`,
    });
    out.unknowns.push({
      what: `policies not evaluated: the ${missing} of the failing request is unknown`,
      why: "the error text does not name it",
      needs:
        `pass ${!req.principal ? "--principal ARN " : ""}${!req.action ? "--action svc:Action" : ""}`.trim(),
    });
    return out;
  }

  const iam = await import("../../iam/index.js");
  const env: EvaluationEnv = {};
  const used: string[] = [];
  const fail = (path: string, reason: string) => {
    out.unknowns.push({ what: `policy input \`${path}\` not used`, why: reason });
    out.checked.push({ source: `policies: ${path}`, status: "failed", detail: reason });
  };

  if (inputs.authz) {
    const r = await readJsonFile(inputs.authz);
    if (!r.ok) fail(inputs.authz, r.reason);
    else {
      const snap = iam.loadAuthzSnapshot(r.value, inputs.authz);
      env.authz = snap;
      used.push(`${inputs.authz} (${count(snap.users.size, "user")}, ${count(snap.roles.size, "role")})`);
      if (snap.errors.length > 0) {
        out.unknowns.push({
          what: `${snap.errors.length} problem(s) in \`${inputs.authz}\``,
          why: snap.errors[0]!.message,
        });
      }
      // The resource's owner account from the snapshot, when the request names none: an IAM user, role or
      // managed policy the snapshot holds belongs to the snapshot's account (get-account-authorization-details
      // lists IAM entities only, so an S3 bucket's owner never comes from it).
      const owner = req.resourceAccount ? undefined : ownerInSnapshot(snap, req.resource);
      if (owner) {
        req.resourceAccount = owner.account;
        out.offers = [
          ...(out.offers ?? []),
          {
            field: "resourceAccount",
            value: owner.account,
            origin: "authorization-details",
            label: `authorization details (${owner.entity})`,
          },
        ];
        out.checked.push({
          source: "policies: resource account",
          status: "used",
          detail: `${owner.entity} is in \`${inputs.authz}\`: the resource belongs to account ${owner.account}`,
        });
      }
      if (!iam.findPrincipal(snap, req.principal) && inputs.policies.length === 0) {
        out.unknowns.push({
          what: `the principal \`${req.principal}\` is not in \`${inputs.authz}\``,
          why: "its identity policies are unknown, so the evaluation cannot say what they allow",
          needs: `a snapshot of the account that owns it (\`${SNAPSHOT_CMD}\` with its credentials) or --policy FILE`,
        });
        out.checked.push({ source: "policies", status: "skipped", detail: "principal not in the snapshot" });
        return out;
      }
    }
  }
  const readMany = async (paths: string[]): Promise<PolicyInput[][]> => {
    const levels: PolicyInput[][] = [];
    for (const p of paths) {
      const r = await readPolicyFile(p, inputs.policyFiles);
      if (!r.ok) fail(p, r.reason);
      else {
        levels.push(r.value);
        used.push(p);
      }
    }
    return levels;
  };
  const identity = (await readMany(inputs.policies)).flat();
  if (identity.length > 0) env.identityPolicies = identity;
  const scps = await readMany(inputs.scp);
  if (scps.length > 0) env.scps = scps;
  const rcps = await readMany(inputs.rcp);
  if (rcps.length > 0) env.rcps = rcps;
  const resource = (await readMany(inputs.resourcePolicies)).flat();
  if (resource.length > 0) env.resourcePolicy = resource;
  if (req.time && !Number.isNaN(Date.parse(req.time))) env.now = new Date(req.time);

  const context: Record<string, ContextValue> = {};
  if (req.region) context["aws:RequestedRegion"] = req.region;
  const request: CanRequest = {
    principal: req.principal,
    action: req.action,
    resource: req.resource ?? "*",
    context,
  };
  if (req.resourceAccount) request.resourceAccount = req.resourceAccount;
  let result: EvaluationResult;
  try {
    result = iam.evaluateRequest(request, env);
  } catch (err) {
    const reason = (err as Error).message.split("\n")[0] ?? "evaluation failed";
    out.checked.push({ source: "policies", status: "failed", detail: reason });
    out.unknowns.push({ what: "policies not evaluated", why: reason });
    return out;
  }
  // AWS's own words win: when the error names the policy type that refused, that is the verdict; the evaluation
  // explains which statement of that type, and is set aside (said so) when it disagrees.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
  const awsType = failure?.policyType && failure.policyType !== "unknown" ? failure.policyType : undefined;
  const awsKind = awsType ? POLICY_TYPE_KIND[awsType] : undefined;
  const agrees =
    !awsKind ||
    (result.decision !== "Allowed" &&
      (result.deniedBy === awsKind ||
        (awsKind === "resource" && result.deniedBy === "trust") ||
        result.decidedBy.some((d) => d.policyType === awsKind)));
  if (agrees) {
    const signals: Signal[] = evaluationSignals(result, "policy evaluation");
    out.signals.push(...signals);
    if (result.fix?.diff) out.policyDiff = result.fix.diff;
    if (result.decision !== "Allowed" && result.cause) out.denialCause = result.cause;
    if (awsKind) {
      const named = result.decidedBy.filter((d) => d.policyType === awsKind);
      if (named.length)
        out.checked.push({
          source: "policies",
          status: "used",
          detail: `AWS names the ${awsType} policy: the matching statement there is ${named.map((d) => `${d.policy}${d.sid ? ` ${d.sid}` : ""} #${d.index}`).join(", ")}`,
        });
    }
  } else {
    const cause = causeOfPolicyType(awsType, failure?.denyKind);
    if (cause) out.denialCause = cause;
    out.unknowns.push({
      what: `the policies given do not reproduce the denial AWS reported`,
      why: `AWS says a ${awsType} policy refused the request; the evaluation of the policies given says ${result.decision}${result.deniedBy ? ` (${result.deniedBy} policy)` : ""}: AWS's words are the verdict, the policies given are incomplete or not the ones AWS used`,
      needs: `the ${awsType} policies in force at the time of the failure`,
    });
  }
  // Cross-account: the caller's account and the resource's account must both allow.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
  const callerAccount = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(req.principal)?.[1];
  const resourceAccount =
    req.resourceAccount ?? /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(request.resource ?? "")?.[1];
  if (callerAccount && resourceAccount && callerAccount !== resourceAccount) {
    out.checked.push({
      source: "policies",
      status: "used",
      detail: `cross-account request: the caller's account ${callerAccount} must allow it (identity policies, boundary, its SCPs) and the resource's account ${resourceAccount} must allow it too (the resource's policy naming the caller or its account, and that account's RCPs)`,
    });
    if (
      inputs.resourcePolicies.length === 0 &&
      !RESOURCE_POLICY_SERVICES.has(req.action.split(":")[0]!.toLowerCase())
    )
      out.unknowns.push({
        what: `the policy of the resource in account ${resourceAccount} was not given`,
        why: "across accounts the resource's own policy must allow the caller; without it the evaluation cannot allow",
        needs:
          "the resource's policy (bucket policy, key policy, queue policy...) passed with --resource-policy",
      });
  }
  const closest = result.nearMisses[0];
  const detail = [
    `${req.action} on ${request.resource}: ${result.decision}${result.cause ? ` (${result.cause})` : ""}`,
    closest
      ? `closest statement ${closest.policy}${closest.sid ? ` ${closest.sid}` : ""}: ${closest.failed.map((f) => f.detail).join("; ")}`
      : "",
    `from ${used.join(", ")}`,
  ]
    .filter(Boolean)
    .join("; ");
  out.checked.push({ source: "policies", status: "used", detail });
  for (const m of result.missingContext) {
    out.unknowns.push({
      what: `context key \`${m.key}\` unknown`,
      why: m.text,
      needs: `the value of ${m.key} at the failure`,
    });
  }
  if (!req.resource) {
    out.unknowns.push({
      what: "the resource of the failing request is unknown",
      why: "the evaluation used `*`",
      needs: "pass --resource ARN",
    });
  }
  if (inputs.scp.length === 0) {
    out.unknowns.push({
      what: "no service control policies given",
      why: "the evaluation assumes no SCP restricts the account",
      needs: `from the management account: \`aws organizations list-policies-for-target --target-id ${accountOfArn(req.principal) ?? "<account-id>"} --filter SERVICE_CONTROL_POLICY\` (and the same for its OUs and the root), each level passed with --scp`,
    });
  }
  const service = req.action.split(":")[0]?.toLowerCase() ?? "";
  if (inputs.resourcePolicies.length === 0 && RESOURCE_POLICY_SERVICES.has(service)) {
    out.unknowns.push({
      what: "no resource-based policy given",
      why: `${service} resources can carry their own policy, which was not evaluated`,
      needs: "the resource's policy (bucket policy, key policy...) passed with --resource-policy",
    });
  }
  return out;
}

/**
 * The account owning `resource` when the authorization snapshot holds it and the resource names no account of
 * its own: an IAM ARN without one, or the `user NAME` / `role NAME` words of some messages.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 */
export function ownerInSnapshot(
  snap: AuthzSnapshot,
  resource: string | undefined,
): { account: string; entity: string } | undefined {
  if (!resource || accountOfArn(resource)) return undefined;
  const m =
    /^arn:[\w-]+:iam::(?:aws)?:(user|role|group|policy)\/(?:.*\/)?([\w+=,.@-]{1,128})$/.exec(resource) ??
    /^(user|role) ([\w+=,.@-]{1,128})$/i.exec(resource.trim());
  if (!m) return undefined;
  const kind = m[1]!.toLowerCase();
  const name = m[2]!;
  const pool =
    kind === "user"
      ? [...snap.users.values()].map((p) => p.arn)
      : kind === "role"
        ? [...snap.roles.values()].map((p) => p.arn)
        : [...snap.managed.keys()];
  const arn = pool.find((a) => a.endsWith(`/${name}`) && a.split(":")[4] !== "aws");
  const account = arn ? accountOfArn(arn) : undefined;
  return account ? { account, entity: `${kind}/${name}` } : undefined;
}
