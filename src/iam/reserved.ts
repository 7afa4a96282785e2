// Things AWS keeps to itself: whatever the customer's policies say, these requests are refused.

/**
 * Changes to a role that customers cannot make on a service-linked role (path `/aws-service-role/`): the service
 * owns its permissions and trust policy, and deletes it through iam:DeleteServiceLinkedRole.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html
 */
const ROLE_CHANGES = new Set([
  "iam:attachrolepolicy",
  "iam:detachrolepolicy",
  "iam:putrolepolicy",
  "iam:deleterolepolicy",
  "iam:updateassumerolepolicy",
  "iam:deleterole",
  "iam:updaterole",
  "iam:putrolepermissionsboundary",
  "iam:deleterolepermissionsboundary",
]);

/**
 * Roles under `/aws-reserved/` (IAM Identity Center's `AWSReservedSSO_...` roles) are managed by the service that made
 * them; their description cannot be changed either.
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html
 */
const RESERVED_ROLE_CHANGES = new Set([...ROLE_CHANGES, "iam:updateroledescription"]);

/**
 * AWS managed policies (`arn:aws:iam::aws:policy/...`) are created and updated by AWS only.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies
 */
const MANAGED_POLICY_CHANGES = new Set([
  "iam:createpolicyversion",
  "iam:deletepolicy",
  "iam:deletepolicyversion",
  "iam:setdefaultpolicyversion",
  "iam:tagpolicy",
  "iam:untagpolicy",
]);

/** The reserved thing a request tries to change, in plain words, or undefined. `rolePath` from a snapshot. */
export function reservedTarget(actionLower: string, resource: string, rolePath?: string): string | undefined {
  if (!actionLower.startsWith("iam:")) return undefined;
  if (MANAGED_POLICY_CHANGES.has(actionLower) && /^arn:[^:]+:iam::aws:policy\//.test(resource))
    return `\`${resource}\` is an AWS managed policy: only AWS can change or delete it (copy it into a customer managed policy instead)`;
  if (!RESERVED_ROLE_CHANGES.has(actionLower)) return undefined;
  const m = /^arn:[^:]+:iam::[^:]*:role(\/.*)$/.exec(resource);
  if (!m) return undefined;
  const path = rolePath ?? m[1]!.slice(0, m[1]!.lastIndexOf("/") + 1);
  if (path.startsWith("/aws-service-role/") && ROLE_CHANGES.has(actionLower))
    return `\`${resource}\` is a service-linked role: its service owns its policies and trust (delete it with iam:DeleteServiceLinkedRole)`;
  if (path.startsWith("/aws-reserved/"))
    return `\`${resource}\` is under \`/aws-reserved/\`: the AWS service that created it manages it (for IAM Identity Center roles, change the permission set)`;
  return undefined;
}
