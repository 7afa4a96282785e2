// Value checks that need no service reference: condition values against their operator, policy variables IAM does
// not know, and placeholders left from sample policies. Used by `lint` and by `can` (as warnings on stderr).

import { parseCidr } from "./conditions.js";
import { splitOperator } from "./parse.js";
import type { Policy, Statement, Where } from "./types.js";

/** One finding of the value checks. */
export interface ValueFinding {
  /** `condition_value_invalid`, `unknown_policy_variable`, `placeholder`. */
  code: string;
  severity: "error" | "warning";
  message: string;
  where: Where;
  statement: number;
  suggestion?: string;
}

/**
 * The global condition keys usable as policy variables (`${aws:username}`); tag keys take a suffix.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
const AWS_KEYS = [
  "aws:CalledVia",
  "aws:CalledViaFirst",
  "aws:CalledViaLast",
  "aws:CurrentTime",
  "aws:EpochTime",
  "aws:FederatedProvider",
  "aws:MultiFactorAuthAge",
  "aws:MultiFactorAuthPresent",
  "aws:PrincipalAccount",
  "aws:PrincipalArn",
  "aws:PrincipalIsAWSService",
  "aws:PrincipalOrgID",
  "aws:PrincipalOrgPaths",
  "aws:PrincipalServiceName",
  "aws:PrincipalServiceNamesList",
  "aws:PrincipalType",
  "aws:Referer",
  "aws:RequestedRegion",
  "aws:ResourceAccount",
  "aws:ResourceOrgID",
  "aws:ResourceOrgPaths",
  "aws:SecureTransport",
  "aws:SourceAccount",
  "aws:SourceArn",
  "aws:SourceIdentity",
  "aws:SourceIp",
  "aws:SourceOrgID",
  "aws:SourceOrgPaths",
  "aws:SourceVpc",
  "aws:SourceVpcArn",
  "aws:SourceVpce",
  "aws:TagKeys",
  "aws:TokenIssueTime",
  "aws:UserAgent",
  "aws:userid",
  "aws:username",
  "aws:ViaAWSService",
  "aws:VpcSourceIp",
  "aws:Ec2InstanceSourceVpc",
  "aws:Ec2InstanceSourcePrivateIPv4",
  "aws:SourceIdentity",
  "aws:AssumedRoot",
  "aws:ChatbotSourceArn",
  "aws:IsMcpServiceAction",
];
const AWS_KEY_SET = new Map(AWS_KEYS.map((k) => [k.toLowerCase(), k]));
const AWS_TAG_PREFIXES = ["aws:principaltag/", "aws:resourcetag/", "aws:requesttag/"];

const PLACEHOLDERS: Array<[RegExp, string]> = [
  [/\$\{[A-Za-z][A-Za-z0-9_-]*\}/, "a `${Name}` placeholder (IAM variables look like `${aws:username}`)"],
  [/\[[A-Z][A-Z0-9_-]{2,}\]/, "a `[PLACEHOLDER]` left from a sample policy"],
  [/<[A-Za-z][A-Za-z0-9_ -]*>/, "a `<placeholder>` left from a sample policy"],
  [/\{\{[^}]*\}\}/, "a `{{template}}` value never filled in"],
  [/\b(YOUR|MY)[-_][A-Z0-9][A-Z0-9_-]*/, "a `YOUR_...` placeholder left from a sample policy"],
  [/DOC-EXAMPLE-|amzn-s3-demo-/i, "a bucket name from the AWS documentation examples"],
];

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** Why `${name}` is not a variable IAM resolves, or undefined when it is one (or a service key). */
function variableProblem(name: string): { message: string; suggestion?: string } | undefined {
  const inner = name.split(",")[0]!.trim(); // `${aws:username, 'default'}`
  if (inner === "*" || inner === "?" || inner === "$") return undefined;
  const low = inner.toLowerCase();
  if (!low.includes(":")) return undefined; // reported as a placeholder
  if (!low.startsWith("aws:")) return undefined; // a service or identity-provider key (s3:prefix, ...:sub)
  if (AWS_KEY_SET.has(low) || AWS_TAG_PREFIXES.some((p) => low.startsWith(p) && low.length > p.length))
    return undefined;
  let best: { k: string; d: number } | undefined;
  for (const k of AWS_KEYS) {
    const d = levenshtein(low, k.toLowerCase());
    if (!best || d < best.d) best = { k, d };
  }
  const suggestion = best && best.d <= 3 ? `\${${best.k}}` : undefined;
  return {
    message: `\`\${${inner}}\` is not a policy variable IAM knows: it never resolves, so the value never matches${suggestion ? ` (did you mean \`${suggestion}\`?)` : ""}`,
    suggestion,
  };
}

function isDate(v: string): boolean {
  if (/^-?\d+(\.\d+)?$/.test(v)) return Math.abs(Number(v)) < 8.64e12;
  return /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v));
}

/** Why `value` cannot work with the operator, or undefined. */
function valueProblem(base: string, value: string): string | undefined {
  if (value.includes("${")) return undefined;
  if (base.startsWith("date"))
    return isDate(value)
      ? undefined
      : "is not a date (use ISO 8601 such as 2026-01-15T12:00:00Z, or epoch seconds)";
  if (base.startsWith("numeric"))
    return value.trim() !== "" && Number.isFinite(Number(value)) ? undefined : "is not a number";
  if (base === "bool" || base === "null")
    return /^(true|false)$/i.test(value) ? undefined : "must be `true` or `false`";
  if (base === "ipaddress" || base === "notipaddress")
    return parseCidr(value) ? undefined : "is not an IP address or CIDR block (such as 203.0.113.0/24)";
  if (base.startsWith("arn") && value !== "*" && !value.startsWith("arn:"))
    return "is not an ARN (an `Arn...` operator compares ARNs)";
  return undefined;
}

function whereOf(st: Statement, element: string): Where {
  return st.elementWhere?.[element] ?? st.where ?? { line: 0, column: 0 };
}

/** Every value finding of a policy. */
export function valueChecks(policy: Policy): ValueFinding[] {
  const out: ValueFinding[] = [];
  const seen = new Set<string>();
  const add = (f: ValueFinding) => {
    const k = `${f.statement}|${f.code}|${f.message}`;
    if (seen.has(k) || out.length >= 200) return;
    seen.add(k);
    out.push(f);
  };
  for (const st of policy.statements) {
    const texts: Array<[string, string, Where]> = [];
    const acts = st.action ?? st.notAction ?? [];
    for (let i = 0; i < acts.length; i++)
      texts.push([
        st.action ? "Action" : "NotAction",
        acts[i]!,
        st.valueWhere?.action?.[i] ?? whereOf(st, "Action"),
      ]);
    const res = st.resource ?? st.notResource ?? [];
    for (let i = 0; i < res.length; i++)
      texts.push([
        st.resource ? "Resource" : "NotResource",
        res[i]!,
        st.valueWhere?.resource?.[i] ?? whereOf(st, "Resource"),
      ]);
    const pr = st.principal ?? st.notPrincipal;
    if (pr && pr !== "*")
      for (const vs of Object.values(pr))
        for (const v of vs) texts.push(["Principal", v, whereOf(st, "Principal")]);
    for (const c of st.condition) {
      const where = whereOf(st, "Condition");
      const { base } = splitOperator(c.operator);
      for (const v of c.values) {
        texts.push(["Condition", v, where]);
        const p = valueProblem(base, v);
        if (p)
          add({
            code: "condition_value_invalid",
            severity: "error",
            message: `statement ${st.index}: \`${c.operator}\` \`${c.key}\`: \`${v}\` ${p}: the condition never matches`,
            where,
            statement: st.index,
          });
      }
    }
    for (const [element, text, where] of texts) {
      for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
        const p = variableProblem(m[1]!);
        if (p)
          add({
            code: "unknown_policy_variable",
            severity: "warning",
            message: `statement ${st.index}: \`${element}\`: ${p.message}`,
            where,
            statement: st.index,
            suggestion: p.suggestion,
          });
      }
      for (const [rx, what] of PLACEHOLDERS) {
        const m = rx.exec(text);
        if (m)
          add({
            code: "placeholder",
            severity: "warning",
            message: `statement ${st.index}: \`${element}\` holds ${what}: \`${m[0]}\``,
            where,
            statement: st.index,
          });
      }
    }
  }
  return out;
}
