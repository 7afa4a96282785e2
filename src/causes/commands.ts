// Check and fix commands shared by cause modules, filled from the failure's principal, action, resource and region.

import type { Check } from "../core/diagnosis.js";
import { type Facts, policySourceArn } from "./facts.js";

/** Quote a value for a POSIX shell when it needs it. */
export function sh(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A value quoted for the shell, or `<placeholder>` when it is unknown. */
export function or(value: string | undefined, placeholder: string): string {
  return value ? sh(value) : `<${placeholder}>`;
}

/** Principal ARN as IAM's simulator wants it (a role session becomes its role). */
export function principalFor(f: Facts): string {
  const arn = policySourceArn(f.principalArn);
  return arn?.startsWith("arn:") ? sh(arn) : "<principal-arn>";
}

/** The principal ARN as given (a role session stays one), quoted. */
export function principalOf(f: Facts): string {
  return or(f.principalArn, "principal-arn");
}

export function actionOf(f: Facts): string {
  return or(f.action, "service:Action");
}

export function resourceOf(f: Facts): string {
  return or(f.resource, "resource-arn");
}

export function regionOf(f: Facts): string {
  return or(f.region, "region");
}

export const whoAmI: Check = {
  text: "see which principal and account the credentials in use belong to",
  command: "aws sts get-caller-identity",
};

export const credsCheck: Check = {
  text: "see which credential source each SDK picks on this machine and what it shadows",
  command: "authdoctor creds",
};

export const configureList: Check = {
  text: "see where the CLI took each credential value from (env, shared-credentials-file, iam-role...)",
  command: "aws configure list",
};

export function simulateCheck(f: Facts): Check {
  const resource = f.resource ? ` --resource-arns ${sh(f.resource)}` : "";
  return {
    text: "simulate the identity policies for this action and resource (needs iam:SimulatePrincipalPolicy)",
    command: `aws iam simulate-principal-policy --policy-source-arn ${principalFor(f)} --action-names ${actionOf(f)}${resource}`,
  };
}

export function canCheck(f: Facts, extra = ""): Check {
  const principal = f.principalArn?.startsWith("arn:") ? sh(f.principalArn) : "<principal-arn>";
  return {
    text: "evaluate the request offline against an authorization snapshot (aws iam get-account-authorization-details)",
    command: `authdoctor can --authz authz.json --principal ${principal} --action ${actionOf(f)} --resource ${resourceOf(f)}${extra}`,
  };
}

/**
 * AWS's own evaluation of the denied request, when the message carries an authorization id (IAM Access
 * Troubleshooter): https://docs.aws.amazon.com/iam-toolbox/latest/APIReference/API_GetRequestAuthorizationDetails.html
 */
export function authorizationCheck(f: Facts): Check | undefined {
  const a = f.failure.authorization;
  if (!a) return undefined;
  const region = a.region ?? f.failure.region ?? "us-east-1";
  return {
    text: `AWS's own evaluation of this request (kept at least 24 hours; needs iam:GetRequestAuthorizationDetails)${a.url ? `, also at ${a.url}` : ""}; save it and pass --authorization-details`,
    command: `aws iam-toolbox get-request-authorization-details --authorization-id ${sh(a.id)} --region ${sh(region)} > authorization-details.json`,
  };
}

export function decodeCheck(f: Facts): Check {
  const enc = f.failure.encodedMessage?.text;
  const value = enc && enc.length <= 300 && !f.encodedTruncated ? sh(enc) : '"$(cat encoded-message.txt)"';
  return {
    text: f.encodedTruncated
      ? "the encoded message in the text is truncated: copy it whole from the original output, then decode it (needs sts:DecodeAuthorizationMessage)"
      : "decode the authorization failure message: `explicitDeny`, `matchedStatements` and `context` name what denied (needs sts:DecodeAuthorizationMessage)",
    command: `aws sts decode-authorization-message --encoded-message ${value} --query DecodedMessage --output text`,
  };
}

/** `authdoctor trail timeline` around the failure, narrowed to the principal (or role) when the text names it. */
export function trailTimeline(f: Facts | undefined): string {
  const who = f?.principalArn?.startsWith("arn:") ? ` --principal ${sh(f.principalArn)}` : "";
  return `authdoctor trail timeline <path-to-AWSLogs> --around <time-of-failure>${who}`;
}

export function trailCheck(what: string, f?: Facts): Check {
  return { text: `find ${what} in CloudTrail around the failure time`, command: trailTimeline(f) };
}

export const tokenVersionCheck: Check = {
  text: "1 means global-endpoint (v1) session tokens, which opt-in regions reject (needs iam:GetAccountSummary)",
  command: "aws iam get-account-summary --query SummaryMap.GlobalEndpointTokenVersion",
};

export function regionOptCheck(f: Facts): Check {
  return {
    text: "ENABLED_BY_DEFAULT or ENABLED means the region is usable; DISABLED/ENABLING means it is not (yet)",
    command: `aws account get-region-opt-status --region-name ${regionOf(f)}`,
  };
}

/**
 * A minimal Allow statement for the failure's action on its resource, as added lines of a policy diff. `principal`
 * is for policies that need one (VPC endpoint, resource-based).
 */
export function allowSnippet(
  f: Facts,
  action = f.action,
  resource = f.resource,
  principal?: string,
): string | undefined {
  if (!action) return undefined;
  const res = resource?.startsWith("arn:") ? resource : "*";
  return [
    "+ {",
    '+   "Effect": "Allow",',
    ...(principal ? [`+   "Principal": ${principal},`] : []),
    `+   "Action": "${action}",`,
    `+   "Resource": "${res}"`,
    "+ }",
  ].join("\n");
}

/**
 * The command that reads a policy named by its ARN, for the kind of policy the ARN names: an IAM managed policy
 * (`arn:aws:iam::ACCOUNT:policy/...`) is read with iam get-policy-version at its default version; an
 * organizations policy (`arn:aws:organizations::MANAGEMENT:policy/o-.../service_control_policy/p-...`, SCP or RCP)
 * with organizations describe-policy on its id. Undefined for other ARNs.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html#awsorganizations-resources-for-iam-policies
 */
export function readPolicyCommand(arn: string): string | undefined {
  const org = /^arn:aws[\w-]*:organizations::\d{12}:policy\/o-[a-z0-9]+\/[a-z_]+\/(p-[a-z0-9_]+)$/.exec(arn);
  if (org) return `aws organizations describe-policy --policy-id ${org[1]}`;
  if (/^arn:aws[\w-]*:iam::(?:\d{12}|aws):policy\//.test(arn))
    return `aws iam get-policy-version --policy-arn ${sh(arn)} --version-id $(aws iam get-policy --policy-arn ${sh(arn)} --query Policy.DefaultVersionId --output text)`;
  return undefined;
}

/** The organizations policy id (`p-...`) in an SCP/RCP ARN, if the ARN is one. */
export function orgPolicyId(arn: string | undefined): string | undefined {
  return arn
    ? /:organizations::\d{12}:policy\/o-[a-z0-9]+\/[a-z_]+\/(p-[a-z0-9_]+)$/.exec(arn)?.[1]
    : undefined;
}
