// Check and fix commands shared by cause modules, filled from the failure's principal, action, resource and region.

import { parsePrincipal } from "../core/arn.js";
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

/**
 * The command that adds an inline identity policy to the failing principal, for the principal's kind: an IAM user
 * gets `put-user-policy`, a role or one of its sessions `put-role-policy` on the role (a session has no policy of its
 * own). https://docs.aws.amazon.com/cli/latest/reference/iam/put-user-policy.html and put-role-policy.html
 */
export function putIdentityPolicyCommand(f: Facts, policyName: string): string {
  const p = f.principalArn ? parsePrincipal(f.principalArn) : undefined;
  const tail = `--policy-name ${sh(policyName)} --policy-document file://policy.json`;
  if (p?.kind === "iam-user") return `aws iam put-user-policy --user-name ${or(p.name, "user-name")} ${tail}`;
  return `aws iam put-role-policy --role-name ${or(p?.kind === "role" || p?.kind === "role-session" ? p.name : undefined, "role-name")} ${tail}`;
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
    text: "evaluate the request offline against an authorization snapshot (`aws iam get-account-authorization-details`)",
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

/**
 * Decode the encoded authorization message the text carries, printed whole (it is one shell word, so a wrapped
 * report keeps it on one line). Undefined when the text only mentions one: a command without the message would
 * be a stand-in. https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html
 */
export function decodeCheck(f: Facts): Check | undefined {
  const enc = f.failure.encodedMessage?.text;
  if (!enc) return undefined;
  if (f.encodedTruncated)
    return {
      text: "the encoded message in the text is truncated: copy it whole from the original output, then pass it to `aws sts decode-authorization-message --encoded-message` (needs sts:DecodeAuthorizationMessage)",
    };
  return {
    text: "decode the authorization failure message: `explicitDeny`, `matchedStatements` and `context` name what denied (needs sts:DecodeAuthorizationMessage)",
    command: `aws sts decode-authorization-message --encoded-message ${sh(enc)} --query DecodedMessage --output text`,
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
  text: "1 means global-endpoint (v1) session tokens, which opt-in regions reject; run it with credentials of the account that called STS for the session (needs iam:GetAccountSummary)",
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

/**
 * Stand-ins a printed command must never carry: `<placeholder>`s the evidence could not fill, and the masks and
 * stand-ins people paste in place of real values (`XXXXXXXXXXXX`, `<redacted>`, `AKIA****WXYZ`, `ENCODED`).
 */
// case matters: `--encoded-message` is a real flag, `ENCODED` a stand-in
const STAND_IN_RE = /<[^<>\s]+>|\b(?:X{4,}|x{4,})\b|\*{4,}|\b(?:REDACTED|redacted|ENCODED)\b/;

/** True when `command` holds a value the evidence did not give (a placeholder or a pasted stand-in). */
export function hasStandIn(command: string): boolean {
  return STAND_IN_RE.test(command);
}

/** Where to find the value a placeholder stands for, by its name. */
const WHERE: Record<string, string> = {
  "principal-arn":
    "the caller's ARN (the `Arn` that `aws sts get-caller-identity` prints with the same credentials)",
  "role-name": "the role's name (the part after `role/` in its ARN)",
  role: "the role's name (the part after `role/` in its ARN)",
  "role-arn":
    "the role's ARN (`arn:aws:iam::ACCOUNT:role/NAME`, shown by the IAM console and `aws iam list-roles`)",
  "user-name": "the IAM user's name (the part after `user/` in the `Arn` of `aws sts get-caller-identity`)",
  "access-key-id":
    "the access key id the program uses (AWS_ACCESS_KEY_ID, or `aws configure get aws_access_key_id`)",
  profile: "the profile the failing command used (its --profile, or AWS_PROFILE)",
  region: "the region the call went to (the endpoint's region, --region or AWS_REGION)",
  "resource-arn": "the ARN of the resource the call acted on",
  "service:Action": "the IAM action of the failed call (`service:Operation`)",
  "account-id": "the 12-digit account id (`aws sts get-caller-identity --query Account`)",
  "path-to-AWSLogs":
    "the folder of the account's CloudTrail logs (…/AWSLogs/ACCOUNT/CloudTrail, synced from the trail's bucket)",
  "time-of-failure": "the time of the failure (the timestamp of the log line that shows it)",
  bucket: "the bucket's name",
  "api-id": "the API's id (the first label of its execute-api or appsync host name)",
  "identity-pool-id": "the identity pool id (`REGION:GUID`, in the app's configuration)",
  "instance-id": "the instance's id (`i-…`, from the EC2 console or `aws ec2 describe-instances`)",
  "boundary-arn":
    "the boundary policy's ARN (the role's or user's PermissionsBoundary in the IAM console or get-role/get-user)",
  "vpce-id": "the VPC endpoint's id (`vpce-…`, `aws ec2 describe-vpc-endpoints`)",
  "mfa-device-arn": "the MFA device's ARN (`aws iam list-mfa-devices`)",
  "resource-id": "the API Gateway resource's id (listed with the API's paths by apigateway get-resources)",
  METHOD: "the HTTP method",
  stage: "the stage's name",
  "server-certificate-name": "the name to give the certificate in IAM (the failed upload's, or a new one)",
  "123456": "the current code of the MFA device",
  "queue-url": "the queue's URL",
  "token-from-the-same-sts-response": "the SessionToken of the same STS response as the key id and secret",
};

/** What the value of a stand-in token is: its placeholder's description, else the token to replace. */
function describe(token: string): string {
  const name = /^<([^<>\s]+)>$/.exec(token)?.[1];
  if (name && WHERE[name]) return WHERE[name];
  return `the real value in place of \`${token}\``;
}

/**
 * A command that still holds a stand-in, said in prose: the command with `…` for each unknown value, then what each
 * one is and where to find it. `aws iam get-role --role-name <role-name> --query X` becomes
 * "run `aws iam get-role --role-name … --query X` where --role-name is the role's name (...)".
 */
export function commandInProse(command: string): string {
  const needs: string[] = [];
  const seen = new Set<string>();
  const note = (what: string) => {
    if (!seen.has(what)) {
      seen.add(what);
      needs.push(what);
    }
  };
  const words = command.split(/ +/);
  const kept: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if (
      w.startsWith("--") &&
      !w.includes("=") &&
      next !== undefined &&
      hasStandIn(next) &&
      !next.startsWith("--")
    ) {
      note(`${w} is ${describe(next)}`);
      kept.push(w, "…");
      i++;
      continue;
    }
    if (hasStandIn(w)) {
      // `--flag=<value>`, `NAME=<value>` (an environment variable, a context key)
      const flag = /^(--[a-z-]+|[A-Za-z_][\w:.-]*)=(.*)$/.exec(w);
      if (flag) {
        note(`${flag[1]} is ${describe(flag[2]!)}`);
        kept.push(`${flag[1]}=…`);
      } else {
        note(`… is ${describe(w)}`);
        kept.push("…");
      }
      continue;
    }
    kept.push(w);
  }
  return `run \`${kept.join(" ")}\` where ${needs.join("; ")}`;
}

/** A check whose command holds a stand-in keeps its purpose and says in prose what to run with which value. */
export function settleCheck(check: Check): Check {
  if (!check.command || !hasStandIn(check.command)) return check;
  return { text: `${check.text}: ${commandInProse(check.command)}` };
}

/** A fix whose commands hold stand-ins: those commands become steps in prose, the rest stay commands. */
export function settleFix<T extends { steps: string[]; commands: string[] }>(fix: T): T {
  const prose = fix.commands.filter(hasStandIn);
  if (prose.length === 0) return fix;
  return {
    ...fix,
    // what to run comes first: it stands where the command would have been printed
    steps: [...prose.map((c) => commandInProse(c)), ...fix.steps],
    commands: fix.commands.filter((c) => !hasStandIn(c)),
  };
}

/**
 * A ranked cause with its checks and fix filled by `fill` (values the evidence holds), then settled: what no
 * evidence fills is said in prose, never printed as a command with a stand-in.
 */
export function settledCause<C extends { checks: Check[]; fix: { steps: string[]; commands: string[] } }>(
  c: C,
  fill: (text: string) => string = (t) => t,
): C {
  return {
    ...c,
    checks: c.checks.map((k) =>
      settleCheck({ ...k, text: fill(k.text), ...(k.command ? { command: fill(k.command) } : {}) }),
    ),
    fix: settleFix({ ...c.fix, steps: c.fix.steps.map(fill), commands: c.fix.commands.map(fill) }),
  };
}
