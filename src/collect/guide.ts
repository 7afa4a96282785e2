// Which commands gather the evidence for one case: the bundle files docs/bundle.md names, ranked by the causes
// the error text points to, each command filled from what the text (and the caller) knows.

import { EVIDENCE_DECIDES } from "../core/cause-groups.js";
import type { CauseId } from "../core/cause-ids.js";
import type { Diagnosis } from "../core/diagnosis.js";
import type { Failure } from "../core/failure.js";

export const COLLECT_GUIDE_SCHEMA = "authdoctor.collect-guide/v1" as const;

/** One thing to gather. */
export interface GuideStep {
  /** Where it goes in a bundle (docs/bundle.md), e.g. `authz.json`, `trail/`. */
  file: string;
  /** What it is and why it matters here, one line. */
  why: string;
  /** Shell commands that gather it, filled from the evidence (no placeholders left unfilled). */
  commands: string[];
  /** The permission the commands need, when they call AWS. */
  needs?: string;
  /** `required`: the diagnosis cannot go far without it; `recommended`: it settles the likely causes. */
  priority: "required" | "recommended" | "optional";
  /** Causes (taxonomy ids) this evidence decides. */
  decides: CauseId[];
}

/** What {@link collectGuide} returns (`authdoctor.collect-guide/v1`). */
export interface CollectGuide {
  schema: typeof COLLECT_GUIDE_SCHEMA;
  /** The failure the text holds, in short, or null when the text was not recognised (or not given). */
  failure: {
    code?: string;
    service?: string;
    action?: string;
    region?: string;
    principal?: string;
    resource?: string;
  } | null;
  /** The most likely causes from the text alone, best first (at most five). */
  likely: Array<{ id: CauseId; score: number }>;
  steps: GuideStep[];
}

/** What is known besides the error text. */
export interface GuideFacts {
  region?: string;
  time?: string;
  profile?: string;
  principal?: string;
  resource?: string;
  /** The bundle folder the commands write into (default `case`). */
  dir?: string;
}

/** Quote a value for a POSIX shell when it needs it. */
function sh(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

const {
  credentials: CREDENTIAL_CAUSES,
  identityPolicies: POLICY_CAUSES,
  authorizationDetails: AUTHZ_CAUSES,
  organizationPolicies: ORG_CAUSES,
  trail: TRAIL_CAUSES,
  region: REGION_CAUSES,
  resourcePolicy: RESOURCE_POLICY_CAUSES,
  resourcePolicyWanted: RESOURCE_POLICY_WANTED,
} = EVIDENCE_DECIDES;

/** The resource-policy read for a resource ARN whose service has one, or undefined. */
function resourcePolicyCommand(resource: string, dir: string, regionFlag: string): string | undefined {
  const m = /^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d*):(.+)$/.exec(resource);
  if (!m) return undefined;
  const [, service, , , rest] = m as unknown as [string, string, string, string, string];
  const out = (name: string) => sh(`${dir}/resource-policies/${name}`);
  if (service === "s3") {
    const bucket = rest.split("/")[0]!;
    if (!bucket) return undefined;
    return `aws s3api get-bucket-policy --bucket ${sh(bucket)} --query Policy --output text > ${out("bucket.json")}`;
  }
  if (service === "kms" && rest.startsWith("key/"))
    return `aws kms get-key-policy --key-id ${sh(resource)}${regionFlag} --query Policy --output text > ${out("key.json")}`;
  if (service === "sqs") {
    const [, , region, account] = m;
    const url = `https://sqs.${region}.amazonaws.com/${account}/${rest}`;
    return `aws sqs get-queue-attributes --queue-url ${sh(url)}${regionFlag} --attribute-names Policy --query Attributes.Policy --output text > ${out("queue.json")}`;
  }
  if (service === "sns")
    return `aws sns get-topic-attributes --topic-arn ${sh(resource)}${regionFlag} --query Attributes.Policy --output text > ${out("topic.json")}`;
  if (service === "secretsmanager")
    return `aws secretsmanager get-resource-policy --secret-id ${sh(resource)}${regionFlag} --query ResourcePolicy --output text > ${out("secret.json")}`;
  if (service === "lambda" && rest.startsWith("function:"))
    return `aws lambda get-policy --function-name ${sh(resource)}${regionFlag} --query Policy --output text > ${out("function.json")}`;
  if (service === "ecr" && rest.startsWith("repository/"))
    return `aws ecr get-repository-policy --repository-name ${sh(rest.slice("repository/".length))}${regionFlag} --query policyText --output text > ${out("repository.json")}`;
  return undefined;
}

/** ISO time without milliseconds, `ms` after `base`. */
function shift(base: number, ms: number): string {
  return new Date(base + ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The role name of an assumed-role session ARN, or undefined. */
function roleOf(principal: string | undefined): string | undefined {
  const m =
    /^arn:aws[a-z-]*:(?:sts::\d{12}:assumed-role|iam::\d{12}:role)\/(?:.*\/)?([^/]+?)(?:\/[^/]+)?$/.exec(
      principal ?? "",
    );
  if (!m) return undefined;
  if (principal!.includes(":assumed-role/")) return principal!.split(":assumed-role/")[1]!.split("/")[0];
  return m[1];
}

/**
 * Build the guide from an explained error (`explainText` output, or null without a text) and the facts the
 * caller knows. Pure: no file or network access.
 */
export function collectGuide(explained: Diagnosis | null, facts: GuideFacts = {}): CollectGuide {
  const f: Failure | null = explained?.failure ?? null;
  const region = facts.region ?? f?.region;
  const principal = facts.principal ?? f?.principal?.raw;
  const resource = facts.resource ?? f?.resource;
  const time = facts.time ? Date.parse(facts.time) : Number.NaN;
  const dir = facts.dir ?? "case";
  const profileFlag = facts.profile ? ` --profile ${sh(facts.profile)}` : "";
  const regionFlag = region ? ` --region ${sh(region)}` : "";
  const likely = (explained?.causes ?? []).slice(0, 5).map((c) => ({ id: c.id, score: c.score }));
  const top = new Set(likely.filter((c) => c.score >= 0.2).map((c) => c.id));
  const any = (ids: readonly CauseId[]) => ids.filter((id) => top.has(id));
  const prio = (ids: readonly CauseId[]): GuideStep["priority"] =>
    any(ids).length > 0 ? "recommended" : "optional";

  const steps: GuideStep[] = [];
  const collectArgs = [
    `authdoctor collect ${sh(dir)} --file error.txt`,
    facts.profile ? `--profile ${sh(facts.profile)}` : "",
    region ? `--region ${sh(region)}` : "",
    Number.isFinite(time) ? `--time ${shift(time, 0)}` : "",
  ].filter(Boolean);
  steps.push({
    file: "error.txt, env.txt, aws/, sso-cache/, case.json",
    why: "on the machine where the call failed: the error, the environment and the AWS config files with every secret replaced by REDACTED",
    commands: [collectArgs.join(" ")],
    priority: "required",
    decides: [...CREDENTIAL_CAUSES],
  });
  steps.push({
    file: "authz.json",
    why: "every identity policy, group, boundary and trust policy of the account: decides which statement allows or denies",
    commands: [`aws iam get-account-authorization-details${profileFlag} --output json > ${dir}/authz.json`],
    needs: "iam:GetAccountAuthorizationDetails",
    priority: any(POLICY_CAUSES).length > 0 ? "required" : "optional",
    decides: [...AUTHZ_CAUSES],
  });
  const role = roleOf(principal);
  if (role)
    steps.push({
      file: "policies/",
      why: `without the account snapshot: the policies of role \`${role}\` only`,
      commands: [
        `aws iam list-role-policies --role-name ${sh(role)}${profileFlag} --output json`,
        `aws iam list-attached-role-policies --role-name ${sh(role)}${profileFlag} --output json`,
      ],
      needs: "iam:ListRolePolicies, iam:ListAttachedRolePolicies, iam:GetRolePolicy, iam:GetPolicyVersion",
      priority: "optional",
      decides: [...POLICY_CAUSES],
    });
  const window = Number.isFinite(time)
    ? ` --start-time ${shift(time, -30 * 60_000)} --end-time ${shift(time, 10 * 60_000)}`
    : " --max-items 1000";
  const trailRegions = [...new Set([region ?? "us-east-1", "us-east-1"])];
  steps.push({
    file: "trail/",
    why: "CloudTrail around the failure, in the failing region and in us-east-1 (IAM and the global STS endpoint log there): who assumed what, which key, what changed just before",
    commands: [
      `mkdir -p ${sh(`${dir}/trail`)}`,
      ...trailRegions.map(
        (r) =>
          `aws cloudtrail lookup-events --region ${r}${window}${profileFlag} --output json > ${sh(`${dir}/trail/${r}.json`)}`,
      ),
    ],
    needs: "cloudtrail:LookupEvents",
    priority: prio(TRAIL_CAUSES),
    decides: [...TRAIL_CAUSES],
  });
  const accountId = f?.principal?.account;
  steps.push({
    file: "scp/, rcp/",
    why: "service and resource control policies of every level above the account (root first)",
    commands: [
      accountId
        ? `aws organizations list-policies-for-target --target-id ${accountId} --filter SERVICE_CONTROL_POLICY${profileFlag} --output json`
        : `aws organizations list-roots${profileFlag} --output json`,
    ],
    needs:
      "organizations:ListPoliciesForTarget, organizations:DescribePolicy (management or delegated administrator account)",
    priority: prio(ORG_CAUSES),
    decides: [...ORG_CAUSES],
  });
  const rp = resource ? resourcePolicyCommand(resource, dir, regionFlag) : undefined;
  if (rp)
    steps.push({
      file: "resource-policies/",
      why: "the resource's own policy (it can allow other accounts, or deny this caller)",
      commands: [`mkdir -p ${sh(`${dir}/resource-policies`)}`, rp],
      priority: prio(RESOURCE_POLICY_WANTED),
      decides: [...RESOURCE_POLICY_CAUSES],
    });
  if (region)
    steps.push({
      file: "case.json (region state)",
      why: `whether ${region} is enabled for the account, and which STS token version the global endpoint issues`,
      commands: [
        `aws account get-region-opt-status --region-name ${sh(region)}${profileFlag}`,
        `aws iam get-account-summary${profileFlag} --query SummaryMap.GlobalEndpointTokenVersion`,
      ],
      needs: "account:GetRegionOptStatus, iam:GetAccountSummary",
      priority: prio(REGION_CAUSES),
      decides: [...REGION_CAUSES],
    });
  // The checks of the likely causes, already filled by the cause modules (dedup, keep order).
  const seen = new Set(steps.flatMap((s) => s.commands));
  for (const c of (explained?.causes ?? []).slice(0, 3)) {
    const cmds = c.checks
      .map((k) => k.command)
      .filter((x): x is string => !!x && !x.includes("<") && !seen.has(x));
    if (cmds.length === 0) continue;
    for (const x of cmds) seen.add(x);
    steps.push({
      file: "notes",
      why: `checks for ${c.id}: ${c.title}`,
      commands: cmds,
      priority: c.score >= 0.5 ? "recommended" : "optional",
      decides: [c.id],
    });
  }
  const order = { required: 0, recommended: 1, optional: 2 } as const;
  steps.sort((a, b) => order[a.priority] - order[b.priority]);
  return {
    schema: COLLECT_GUIDE_SCHEMA,
    failure: f
      ? {
          ...(f.code ? { code: f.code } : {}),
          ...(f.service ? { service: f.service } : {}),
          ...(f.action ? { action: f.action } : {}),
          ...(region ? { region } : {}),
          ...(principal ? { principal } : {}),
          ...(resource ? { resource } : {}),
        }
      : null,
    likely,
    steps,
  };
}
