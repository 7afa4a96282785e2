// What the user knows: facts read from free-text notes (`--notes`, case.json `notes`) and set with `--fact`.
// The vocabulary is documented in docs/facts.md; the weight of each fact per cause is calibrated from the dev
// split of test/corpus (scripts/calibrate.mjs -> src/causes/priors.ts). Pure: no I/O.

import type { UserFact } from "../core/diagnosis.js";
import { InputError } from "../core/input-error.js";

/** One fact the user told us, with the words it came from. */
export type NoteFact = UserFact;

interface FactDef {
  name: string;
  value?: string;
  re: RegExp;
  /** The question whose answer is this fact (for the questions that separate close causes). */
  ask: string;
}

/** The documented vocabulary (docs/facts.md): name[=value], the wording that sets it, and its question. */
export const FACT_VOCABULARY: readonly FactDef[] = [
  // Where the failing call runs.
  {
    name: "runs-in",
    value: "lambda",
    re: /\blambda\b/i,
    ask: "Does the failing call run inside AWS Lambda?",
  },
  {
    name: "runs-in",
    value: "ecs",
    re: /\b(?:ECS|Fargate|task role|task definition)\b/i,
    ask: "Does it run in an ECS task or on Fargate?",
  },
  {
    name: "runs-in",
    value: "eks",
    re: /\b(?:EKS|kubernetes|k8s|kubectl|IRSA|pod identity|service account)\b/i,
    ask: "Does it run in an EKS pod (IRSA or Pod Identity)?",
  },
  {
    name: "runs-in",
    value: "ec2",
    re: /\bEC2\b|instance profile|instance role|on an instance/i,
    ask: "Does it run on an EC2 instance with an instance profile?",
  },
  {
    name: "runs-in",
    value: "ci",
    re: /\bCI\b|GitHub Actions|GitLab|Jenkins|CircleCI|Travis|Bitbucket Pipelines|CodeBuild|CodePipeline|pipeline|workflow/i,
    ask: "Does the failure happen in CI (GitHub Actions, GitLab, Jenkins, CodeBuild)?",
  },
  {
    name: "runs-in",
    value: "container",
    re: /\bdocker\b|container|devcontainer/i,
    ask: "Does the failing call run inside a container?",
  },
  {
    name: "runs-in",
    value: "local",
    re: /\blocal(?:ly| machine| laptop)?\b|my (?:laptop|machine|mac)|on (?:macOS|Windows|my computer)|\bWSL\b/i,
    ask: "Does it fail on your own machine?",
  },
  // The tool between the user and AWS.
  { name: "tool", value: "aws-vault", re: /aws-vault/i, ask: "Do you use aws-vault?" },
  { name: "tool", value: "awsume", re: /awsume/i, ask: "Do you use awsume?" },
  { name: "tool", value: "granted", re: /\bgranted\b|assume -/i, ask: "Do you use Granted?" },
  {
    name: "tool",
    value: "saml2aws",
    re: /saml2aws|gsts|\bSAML\b|Okta|ADFS/i,
    ask: "Do you sign in through SAML?",
  },
  {
    name: "tool",
    value: "sso",
    re: /\bSSO\b|Identity Center|sso_start_url|sso-session|aws sso login/i,
    ask: "Do you sign in with IAM Identity Center (SSO)?",
  },
  {
    name: "tool",
    value: "terraform",
    re: /terraform|terragrunt|OpenTofu/i,
    ask: "Is the call made by Terraform?",
  },
  {
    name: "tool",
    value: "cdk",
    re: /\bCDK\b|cdk deploy|cdk bootstrap/i,
    ask: "Is the call made by the CDK?",
  },
  {
    name: "tool",
    value: "serverless",
    re: /serverless|\bsls\b/i,
    ask: "Is the call made by Serverless Framework?",
  },
  { name: "tool", value: "amplify", re: /amplify/i, ask: "Is the app built with Amplify?" },
  {
    name: "tool",
    value: "cloudformation",
    re: /CloudFormation|\bSAM\b|stack/i,
    ask: "Does the call come from a CloudFormation/SAM stack?",
  },
  // What works and what changed.
  {
    name: "works-elsewhere",
    value: "region",
    re: /(?:works?|worked|working|fine|succeeds?) (?:in|for|with) (?:other|another|a different|every other|all other) regions?|other regions? (?:work|are fine)|only (?:in|fails in) (?:the )?[a-z]{2}-[a-z]+-\d|\b[a-z]{2}-[a-z]+-\d\b[^.;\n]{0,20}\bworks?\b|works? (?:in|for|with) [a-z]{2}-[a-z]+-\d|hard-?coding [a-z]{2}-[a-z]+-\d/i,
    ask: "Does the same call work in another region?",
  },
  {
    name: "works-elsewhere",
    value: "account",
    re: /(?:works?|worked|working|fine) (?:in|for|with) (?:other|another|a different|the \w+'s \w+) (?:accounts?|clusters?)|other accounts? (?:work|are fine)|same-account calls work|works in another (?:account|cluster)/i,
    ask: "Does the same call work in another account?",
  },
  {
    name: "works-elsewhere",
    value: "local",
    re: /works? (?:fine )?locally|works? on my (?:machine|laptop)|(?:locally|from my machine) it works|works from the (?:CLI|command line|console)|CLI works|works (?:with|in|from) the (?:AWS )?(?:CLI|console)|console (?:works|shows)/i,
    ask: "Does the same call work from another place (your machine, the CLI, the console)?",
  },
  {
    name: "works-elsewhere",
    value: "tool",
    re: /(?:AWS CLI|aws cli|the CLI|another (?:client|tool|SDK|script)|other tools?|(?:JavaScript|JS|Python|Java|Go|Ruby|PHP|\.NET|Node) SDK|boto3|s3cmd|(?:simple|own|Python) script|aws s3 ls|get-caller-identity|the console)[^.;\n]{0,60}\b(?:works?|succeeds?|is fine)\b|same (?:credentials|keys?|profile|access key)[^.;\n]{0,60}\bwork/i,
    ask: "Do the same credentials work with another tool (the AWS CLI, another SDK, a script)?",
  },
  {
    name: "some-calls-work",
    re: /other (?:calls|services|queries|commands|operations|requests|API calls|uploads) (?:still )?work|while (?:others|other \w+(?: \w+)?) (?:still )?work|others work|only [^.;\n]{1,40} fails|\b(?:creation|saving|sending|collection|listing|reads?|sign-?in|sign-up|authentication|upload|download|login|GET) (?:itself )?works?\b[^.;\n]{0,40}\bbut\b|works? but [^.;\n]{0,60}\bfails?\b|fails? (?:for|on) some\b|intermittent/i,
    ask: "Do other calls with the same credentials work (only this call or resource fails)?",
  },
  {
    name: "worked-before",
    re: /(?:used to|was) work(?:ing)?|worked (?:before|fine|until|yesterday|previously)|suddenly|stopped working|started (?:failing|to fail)|after (?:upgrading|updating)/i,
    ask: "Did the same call work before?",
  },
  {
    name: "after-upgrade",
    re: /after (?:upgrading|updating|bumping)|upgraded|new version|since version|regression/i,
    ask: "Did it start after upgrading a tool or SDK?",
  },
  {
    name: "rotated-keys",
    re: /rotat(?:ed|ing|e) (?:the |my )?(?:access )?keys?|new (?:access )?keys?|regenerat(?:ed|ing) (?:the )?keys?|created (?:a )?new (?:access )?key/i,
    ask: "Did you rotate or recreate the access keys?",
  },
  {
    name: "just-created",
    re: /just (?:created|made|added)|newly created|right after creating|freshly created|new(?:ly)? (?:created )?(?:role|user|bucket|account)/i,
    ask: "Was the role, user, key or resource created just before the failure?",
  },
  {
    name: "cross-account",
    re: /cross[- ]account|another account|other account|different account|second account|account [AB]\b|target account|member account/i,
    ask: "Is the resource or role in a different AWS account than the caller?",
  },
  {
    name: "organization",
    re: /\bSCP\b|service control polic|Organi[sz]ations?|Control Tower|landing zone|guardrail/i,
    ask: "Is the account in an AWS Organization with SCPs or Control Tower?",
  },
  {
    name: "mfa",
    re: /\bMFA\b|multi-?factor|one-time (?:code|password)|token code/i,
    ask: "Is MFA required for the role or user?",
  },
  {
    name: "temporary-credentials",
    re: /session token|temporary credentials|\bASIA|AWS_SESSION_TOKEN|STS credentials|assumed[- ]role credentials/i,
    ask: "Are the credentials temporary (an ASIA key with a session token)?",
  },
  {
    name: "env-vars",
    re: /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|environment variables?|env vars?|\.env\b/i,
    ask: "Are credentials set in environment variables?",
  },
  {
    name: "profile",
    re: /--profile|AWS_PROFILE|named profile|\[profile |profile named|(?:~\/)?\.aws\/(?:config|credentials)/i,
    ask: "Do you select a named profile (AWS_PROFILE, --profile)?",
  },
  {
    name: "assume-role",
    re: /assum(?:e|es|ed|ing) (?:a |the |an )?role|role_arn|source_profile|AssumeRole/i,
    ask: "Does the failing call use a role assumed from other credentials?",
  },
  {
    name: "web-identity",
    re: /OIDC|web identity|WebIdentity|id-token|federat/i,
    ask: "Does it use OIDC / web identity federation?",
  },
  {
    name: "cognito",
    re: /Cognito|identity pool|user pool/i,
    ask: "Does it use Cognito user or identity pools?",
  },
  {
    name: "opt-in-region",
    re: /\b(?:af-south-1|ap-east-1|ap-south-2|ap-southeast-[3-7]|ca-west-1|eu-south-[12]|eu-central-2|il-central-1|me-south-1|me-central-1|mx-central-1)\b|opt-in region|Hong Kong|Bahrain|Cape Town|Milan/i,
    ask: "Is the region an opt-in region (ap-east-1, me-south-1, af-south-1, eu-south-1...)?",
  },
  {
    name: "other-partition",
    re: /\bChina\b|cn-north|cn-northwest|GovCloud|us-gov/i,
    ask: "Is it the China or GovCloud partition?",
  },
  {
    name: "presigned",
    re: /pre-?signed|presign/i,
    ask: "Is the request a pre-signed URL?",
  },
  {
    name: "copied-keys",
    re: /cop(?:y|ied)(?: and |[- ])?past|pasted|copied the (?:secret|key)|special characters?|trailing (?:space|newline)|whitespace/i,
    ask: "Were the keys copied and pasted by hand?",
  },
  {
    name: "clock",
    re: /\bclock\b|\bNTP\b|time ?sync|system time|sleep|hibernat|resum(?:e|ed) from/i,
    ask: "Could the machine's clock be off (after sleep, in a VM or container)?",
  },
  {
    name: "network",
    re: /\bproxy\b|firewall|corporate network|\bVPN\b|VPC endpoint|PrivateLink|private subnet|no internet|hop limit|IMDSv2/i,
    ask: "Does the call go through a proxy, a firewall or a VPC endpoint?",
  },
  {
    name: "kms",
    re: /\bKMS\b|SSE-KMS|customer managed key|encrypted with|encryption key/i,
    ask: "Is the data encrypted with a KMS key?",
  },
  {
    name: "bucket-policy",
    re: /bucket policy|Block Public Access|Object Ownership|\bACLs?\b/i,
    ask: "Does the bucket have a bucket policy, ACLs or Block Public Access settings?",
  },
  {
    name: "admin",
    re: /AdministratorAccess|\badmin(?:istrator)? (?:access|rights|permissions|user|role)|full access|\*:\*|"Action": "\*"/i,
    ask: "Does the caller have administrator access?",
  },
];

/** The fact names, in vocabulary order, each once. */
export const FACT_NAMES: readonly string[] = [...new Set(FACT_VOCABULARY.map((f) => f.name))];

/** `name` or `name=value`, as the ranking table keys it. */
export function factKey(f: { name: string; value?: string }): string {
  return f.value ? `${f.name}=${f.value}` : f.name;
}

const QUOTE_CHARS = 60;

/** The facts stated in free-text notes, each with the words it came from (first mention). */
export function readNotes(notes: string | undefined): NoteFact[] {
  if (typeof notes !== "string" || notes.trim() === "") return [];
  const text = notes.length > 20_000 ? notes.slice(0, 20_000) : notes;
  const out: NoteFact[] = [];
  for (const def of FACT_VOCABULARY) {
    const m = def.re.exec(text);
    if (!m) continue;
    if (out.some((f) => factKey(f) === factKey(def))) continue;
    out.push({
      name: def.name,
      ...(def.value ? { value: def.value } : {}),
      quote: quoteAround(text, m.index, m[0].length),
    });
  }
  // "works on my laptop" says where it works, not where it fails: then the local mention is not `runs-in`.
  if (out.some((f) => f.name === "works-elsewhere" && f.value === "local"))
    return out.filter((f) => !(f.name === "runs-in" && f.value === "local"));
  return out;
}

function quoteAround(text: string, at: number, len: number): string {
  const start = Math.max(0, at - 20);
  const end = Math.min(text.length, at + len + 20);
  const s = text
    .slice(start, end)
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return `${start > 0 ? "…" : ""}${s.slice(0, QUOTE_CHARS + len)}${end < text.length ? "…" : ""}`;
}

/** A `--fact NAME[=VALUE]` value checked against the vocabulary; throws a one-line error when unknown. */
export function parseFactFlag(spec: string): NoteFact {
  const [rawName, ...rest] = spec.split("=");
  const name = (rawName ?? "").trim().toLowerCase();
  const value = rest.join("=").trim().toLowerCase() || undefined;
  const defs = FACT_VOCABULARY.filter((f) => f.name === name);
  if (defs.length === 0)
    throw new Error(`--fact ${spec}: unknown fact name (known: ${FACT_NAMES.join(", ")}; see docs/facts.md)`);
  const valued = defs.filter((d) => d.value !== undefined);
  if (valued.length > 0 && !value)
    throw new Error(`--fact ${spec}: ${name} needs a value (${valued.map((d) => d.value).join(", ")})`);
  if (valued.length > 0 && !valued.some((d) => d.value === value))
    throw new Error(
      `--fact ${spec}: unknown value for ${name} (known: ${valued.map((d) => d.value).join(", ")})`,
    );
  if (valued.length === 0 && value && !["yes", "true", "1"].includes(value))
    throw new Error(`--fact ${spec}: ${name} takes no value (give just the name, or ${name}=yes)`);
  return { name, ...(valued.length > 0 && value ? { value } : {}), quote: `--fact ${spec.trim()}` };
}

/** Every `--fact` value parsed; an unknown one is an InputError naming `--fact` (exit 2). */
export function factFlags(specs: readonly string[]): NoteFact[] {
  return specs.map((spec) => {
    try {
      return parseFactFlag(spec);
    } catch (err) {
      throw new InputError("--fact", (err as Error).message.replace(/^--fact /, ""));
    }
  });
}

/** The question that asks for a fact key (`tool=aws-vault`). */
export function questionFor(key: string): string | undefined {
  return FACT_VOCABULARY.find((f) => factKey(f) === key)?.ask;
}

/**
 * The structured lines of notes (pasted configuration rather than prose): an `AWS_…=` assignment, an `[profile …]`
 * or `[sso-session …]` header, a config key (`role_arn = …`, `sso_region = …`), an ARN or an access key id. They
 * join the error text as context (a key id's prefix, a region, a profile); prose reaches the ranking only as facts.
 */
export function structuredNoteLines(notes: string): string {
  return notes
    .split(/\r?\n/)
    .filter((l) => STRUCTURED_LINE.test(l))
    .join("\n");
}

const STRUCTURED_LINE =
  /^\s*(?:export |set |\$env:)?AWS_[A-Z_]+\s*=|^\s*\[(?:profile |sso-session |default\])|^\s*(?:aws_[a-z_]+|sso_[a-z_]+|region|role_arn|source_profile|credential_process|credential_source|mfa_serial|web_identity_token_file|sts_regional_endpoints)\s*=|arn:aws[\w-]*:[a-z0-9-]+:|\b(?:AKIA|ASIA)[A-Z0-9X]{16}\b/;
