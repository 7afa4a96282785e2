// The one allow-list of read-only AWS operations, enforced by a middleware on every client live mode creates.

/**
 * Every AWS operation live mode may call, as `service:Operation` (IAM action names). Only reads: nothing here
 * creates, changes or deletes anything. `sts:GetCallerIdentity` and `sts:DecodeAuthorizationMessage` need no
 * resource; the IAM reads describe the caller's own principal (catalog §3.2, §1.12, §3.3, §5).
 */
export const READ_ONLY_OPERATIONS = [
  "sts:GetCallerIdentity",
  "sts:DecodeAuthorizationMessage",
  "iam:GetAccountSummary",
  "iam:GetAccountAuthorizationDetails",
  "iam:GetUser",
  "iam:GetRole",
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
  "iam:ListAttachedRolePolicies",
  "iam:ListRolePolicies",
  "iam:GetRolePolicy",
  "iam:ListAttachedUserPolicies",
  "iam:ListUserPolicies",
  "iam:GetUserPolicy",
  "iam:ListGroupsForUser",
  "iam:ListAttachedGroupPolicies",
  "iam:ListGroupPolicies",
  "iam:GetGroupPolicy",
  "iam:ListAccessKeys",
  "iam:GetAccessKeyLastUsed",
  "iam:SimulatePrincipalPolicy",
  "account:GetRegionOptStatus",
  "ec2:DescribeRegions",
  "cloudtrail:LookupEvents",
  "cognito-identity:DescribeIdentityPool",
  "cognito-identity:GetIdentityPoolRoles",
  "appsync:GetGraphqlApi",
  // IAM Access Troubleshooter reads (service iam-toolbox, signed by src/live/probes/toolbox.ts).
  "iam:GetRequestAuthorizationDetails",
  "iam:GetRequestAuthorizationPolicy",
] as const;

/**
 * Calls the SDK's credential providers make to turn the user's configuration into credentials (a role profile, a
 * web identity token file, an SSO profile). They are allowed only on the clients the credential chain creates
 * (src/live/credentials.ts) and each is listed in the audit as a credential-provider call. `sso-oidc:CreateToken`
 * (SSO token refresh) is not here: live mode uses the cached SSO token read-only and never refreshes it.
 * https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
 */
export const CREDENTIAL_PROVIDER_OPERATIONS = [
  "sts:AssumeRole",
  "sts:AssumeRoleWithWebIdentity",
  "sso:GetRoleCredentials",
] as const;

const CREDENTIAL_ALLOWED: ReadonlySet<string> = new Set(CREDENTIAL_PROVIDER_OPERATIONS);

/** True when `operation` is a call a credential provider may make (on credential-provider clients only). */
export function isCredentialProviderOperation(operation: string): boolean {
  return CREDENTIAL_ALLOWED.has(operation);
}

/** A `service:Operation` live mode may call. */
export type ReadOnlyOperation = (typeof READ_ONLY_OPERATIONS)[number];

const ALLOWED: ReadonlySet<string> = new Set(READ_ONLY_OPERATIONS);

/** True when `operation` (`service:Operation`) is on the read-only allow-list. */
export function isReadOnlyOperation(operation: string): operation is ReadOnlyOperation {
  return ALLOWED.has(operation);
}

/** Thrown by the allow-list middleware: the command never reaches serialisation, signing or the network. */
export class LiveRefusedError extends Error {
  override readonly name = "LiveRefusedError";
  constructor(readonly operation: string) {
    super(`refused \`${operation}\`: not on the read-only allow-list of live mode`);
  }
}

/** The fields of a smithy handler context the allow-list reads. */
interface CommandContext {
  commandName?: unknown;
  __smithy_context?: { operation?: unknown };
}

/** `service:Operation` of the command a smithy context describes, or `service:?` when it names none. */
export function operationOf(service: string, context: CommandContext): string {
  const fromName =
    typeof context.commandName === "string" ? context.commandName.replace(/Command$/, "") : undefined;
  const fromSmithy = context.__smithy_context?.operation;
  const op = fromName || (typeof fromSmithy === "string" ? fromSmithy : "");
  return `${service}:${op || "?"}`;
}

/** Name under which the middleware sits in each client's stack. */
export const ALLOW_LIST_MIDDLEWARE = "authdoctorReadOnlyAllowList";

/** Structural view of a smithy client's middleware stack (keeps this module free of SDK imports). */
export interface MiddlewareStackLike {
  add(
    // biome-ignore lint/suspicious/noExplicitAny: smithy's middleware signature is generic over input/output
    middleware: (next: any, context: any) => (args: any) => Promise<any>,
    options: { step: "initialize"; priority: "high"; name: string; override?: boolean },
  ): void;
}

/**
 * Add the allow-list to a client of `service` (IAM prefix: `sts`, `iam`, `cognito-identity`...). The middleware
 * runs at the `initialize` step, before serialisation, the endpoint, credentials and signing: a command not on
 * the list throws {@link LiveRefusedError} and no request is built. Unknown commands are refused (fail closed).
 */
export function addAllowList(
  stack: MiddlewareStackLike,
  service: string,
  kind: "probe" | "credential-provider" = "probe",
): void {
  stack.add(
    (next, context: CommandContext) => async (args) => {
      const operation = operationOf(service, context);
      const allowed =
        kind === "credential-provider"
          ? isCredentialProviderOperation(operation)
          : isReadOnlyOperation(operation);
      if (!allowed) throw new LiveRefusedError(operation);
      return next(args);
    },
    { step: "initialize", priority: "high", name: ALLOW_LIST_MIDDLEWARE, override: true },
  );
}
