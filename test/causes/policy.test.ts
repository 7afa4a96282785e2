// Cause modules about policy evaluation (identity, SCP, RCP, boundary, session, resource, endpoint, trust), hand-built failures.

import { CAUSES } from "../../src/causes/index.js";
import type { Failure } from "../../src/core/failure.js";
import { ev, testCause } from "./tester.js";

const ROLE = "arn:aws:sts::123456789012:assumed-role/app/i-1";
function deny(action: string, resource: string, tail: string, extra: Partial<Failure> = {}) {
  return ev({
    code: "AccessDenied",
    message: `User: ${ROLE} is not authorized to perform: ${action}${resource ? ` on resource: ${resource}` : ""}${tail}`,
    ...extra,
  });
}
const implicitIdentity = deny(
  "s3:GetObject",
  "arn:aws:s3:::b/k",
  " because no identity-based policy allows the s3:GetObject action",
);
const explicitIdentity = deny(
  "s3:DeleteBucket",
  "arn:aws:s3:::b",
  " with an explicit deny in an identity-based policy",
);
const invalidToken = ev({
  code: "InvalidClientTokenId",
  message: "The security token included in the request is invalid",
});
const encoded = ev({
  code: "UnauthorizedOperation",
  message: "You are not authorized to perform this operation. Encoded authorization failure message: abc123",
  encodedMessage: { text: "abc123", truncated: false },
});

testCause(CAUSES.IAM_ACTION_NOT_ALLOWED, {
  applies: [
    { name: "identity-based implicit deny", evidence: implicitIdentity, minScore: 0.7, why: /s3:GetObject/ },
    {
      name: "older format",
      evidence: deny("ecs:RunTask", "arn:aws:ecs:us-east-1:123456789012:task-definition/a:1", ""),
      minScore: 0.45,
    },
    {
      name: "typed policy fields from the parser",
      evidence: ev({
        code: "AccessDenied",
        action: "s3:PutObject",
        policyType: "identity-based",
        denyKind: "implicit",
        message: "denied",
      }),
      minScore: 0.7,
    },
    { name: "encoded EC2 message", evidence: encoded, minScore: 0.4 },
  ],
  doesNotApply: [{ name: "invalid token", evidence: invalidToken }],
});

testCause(CAUSES.IAM_RESOURCE_MISMATCH, {
  applies: [
    { name: "implicit deny with a resource", evidence: implicitIdentity, minScore: 0.4 },
    {
      name: "AppSync field",
      evidence: ev({
        format: "graphql",
        code: "Unauthorized",
        message: "Not Authorized to access getProject on type Query",
      }),
      minScore: 0.4,
    },
  ],
  doesNotApply: [
    {
      name: "explicit SCP deny",
      evidence: deny(
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        " with an explicit deny in a service control policy",
      ),
    },
  ],
});

testCause(CAUSES.IAM_CONDITION_FAILED, {
  applies: [
    { name: "implicit identity deny", evidence: implicitIdentity, minScore: 0.3 },
    {
      name: "condition key named",
      evidence: deny(
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        " with an explicit deny in an identity-based policy (aws:SourceIp)",
      ),
      minScore: 0.65,
      why: /aws:SourceIp/,
    },
  ],
  doesNotApply: [{ name: "invalid token", evidence: invalidToken }],
});

testCause(CAUSES.IAM_EXPLICIT_DENY, {
  applies: [
    { name: "explicit identity deny", evidence: explicitIdentity, minScore: 0.8 },
    {
      name: "explicit identity deny with policy ARN",
      evidence: deny(
        "s3:DeleteBucket",
        "arn:aws:s3:::b",
        " with an explicit deny in an identity-based policy: arn:aws:iam::123456789012:policy/guard",
      ),
      minScore: 0.85,
    },
  ],
  doesNotApply: [{ name: "implicit identity deny", evidence: implicitIdentity }],
});

testCause(CAUSES.SCP_DENY, {
  applies: [
    {
      name: "explicit SCP",
      evidence: deny(
        "iam:CreateUser",
        "arn:aws:iam::123456789012:user/b",
        " with an explicit deny in a service control policy",
      ),
      minScore: 0.85,
    },
    {
      name: "no SCP allows",
      evidence: deny(
        "ec2:RunInstances",
        "",
        " because no service control policy allows the ec2:RunInstances action",
      ),
      minScore: 0.85,
    },
    {
      name: "transitively",
      evidence: deny(
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        " with an explicit deny in a VPC endpoint policy transitively through a service control policy",
      ),
      minScore: 0.85,
    },
  ],
  doesNotApply: [
    { name: "explicit identity deny", evidence: explicitIdentity },
    { name: "invalid token", evidence: invalidToken },
  ],
});

testCause(CAUSES.RCP_DENY, {
  applies: [
    {
      name: "explicit RCP",
      evidence: deny(
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        " with an explicit deny in a resource control policy",
      ),
      minScore: 0.85,
    },
    {
      name: "RCP by policy ARN",
      evidence: deny(
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-1:123456789012:q",
        " with an explicit deny in a resource control policy: arn:aws:organizations::123456789012:policy/o-x/resource_control_policy/p-1",
      ),
      minScore: 0.85,
    },
  ],
  doesNotApply: [
    {
      name: "explicit SCP",
      evidence: deny("iam:CreateUser", "", " with an explicit deny in a service control policy"),
    },
  ],
});

testCause(CAUSES.PERMISSION_BOUNDARY, {
  applies: [
    {
      name: "no boundary allows",
      evidence: deny(
        "iam:CreateUser",
        "arn:aws:iam::123456789012:user/n",
        " because no permissions boundary allows the iam:CreateUser action",
      ),
      minScore: 0.85,
    },
    {
      name: "explicit in boundary",
      evidence: deny("s3:PutObject", "arn:aws:s3:::b/k", " with an explicit deny in a permissions boundary"),
      minScore: 0.85,
    },
  ],
  doesNotApply: [{ name: "implicit identity", evidence: implicitIdentity }],
});

testCause(CAUSES.SESSION_POLICY, {
  applies: [
    {
      name: "no session policy allows",
      evidence: deny(
        "s3:PutObject",
        "arn:aws:s3:::b/k",
        " because no session policy allows the s3:PutObject action",
      ),
      minScore: 0.85,
    },
    {
      name: "sessions policy (sic)",
      evidence: deny("s3:DeleteObject", "arn:aws:s3:::b/k", " with an explicit deny in a sessions policy"),
      minScore: 0.85,
    },
    {
      name: "Cognito guest scope-down",
      evidence: ev({
        code: "AccessDeniedException",
        message:
          "User: arn:aws:sts::123456789012:assumed-role/Cognito_PoolUnauth_Role/CognitoIdentityCredentials is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter/x",
      }),
      minScore: 0.3,
    },
  ],
  doesNotApply: [{ name: "implicit identity", evidence: implicitIdentity }],
});

testCause(CAUSES.RESOURCE_POLICY, {
  applies: [
    {
      name: "no resource-based policy allows",
      evidence: deny(
        "kms:Decrypt",
        "arn:aws:kms:us-east-1:123456789012:key/k",
        " because no resource-based policy allows the kms:Decrypt action",
      ),
      minScore: 0.85,
    },
    {
      name: "bare S3 Access Denied",
      evidence: ev({ code: "AccessDenied", message: "Access Denied", service: "s3" }),
      minScore: 0.3,
    },
    {
      name: "KMS ciphertext",
      evidence: ev({
        code: "AccessDeniedException",
        message:
          "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.",
      }),
      minScore: 0.45,
    },
  ],
  doesNotApply: [
    { name: "explicit identity", evidence: explicitIdentity },
    {
      name: "AssumeRole trust phrase",
      evidence: deny(
        "sts:AssumeRole",
        "arn:aws:iam::123456789012:role/r",
        " because no role trust policy allows the sts:AssumeRole action",
      ),
    },
  ],
});

testCause(CAUSES.VPC_ENDPOINT_POLICY, {
  applies: [
    {
      name: "no VPC endpoint policy allows",
      evidence: deny(
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        " because no VPC endpoint policy allows the s3:GetObject action",
      ),
      minScore: 0.85,
    },
    {
      name: "explicit in endpoint policy",
      evidence: deny(
        "dynamodb:GetItem",
        "arn:aws:dynamodb:us-east-1:123456789012:table/t",
        " with an explicit deny in a VPC endpoint policy",
      ),
      minScore: 0.85,
    },
  ],
  doesNotApply: [{ name: "implicit identity", evidence: implicitIdentity }],
});

testCause(CAUSES.PASSROLE_MISSING, {
  applies: [
    {
      name: "iam:PassRole denied",
      evidence: deny(
        "iam:PassRole",
        "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        " because no identity-based policy allows the iam:PassRole action",
      ),
      minScore: 0.9,
    },
    {
      name: "parser action field",
      evidence: ev({
        code: "AccessDeniedException",
        action: "iam:PassRole",
        resource: "arn:aws:iam::123456789012:role/x",
        message: "denied",
      }),
      minScore: 0.9,
    },
  ],
  doesNotApply: [{ name: "implicit identity", evidence: implicitIdentity }],
});

testCause(CAUSES.TRUST_POLICY, {
  applies: [
    {
      name: "AssumeRole old format",
      evidence: deny("sts:AssumeRole", "arn:aws:iam::987654321098:role/Deploy", ""),
      minScore: 0.55,
    },
    {
      name: "role trust phrase",
      evidence: deny(
        "sts:AssumeRole",
        "arn:aws:iam::987654321098:role/Deploy",
        " because no role trust policy allows the sts:AssumeRole action",
      ),
      minScore: 0.85,
    },
    {
      name: "web identity",
      evidence: ev({
        code: "AccessDenied",
        operation: "AssumeRoleWithWebIdentity",
        message: "Not authorized to perform sts:AssumeRoleWithWebIdentity",
      }),
      minScore: 0.8,
    },
    {
      name: "Cognito pool roles",
      evidence: ev({
        code: "InvalidIdentityPoolConfigurationException",
        message: "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
      }),
      minScore: 0.75,
    },
  ],
  doesNotApply: [{ name: "implicit identity on s3", evidence: implicitIdentity }],
});

testCause(CAUSES.ROLE_SESSION_LIMIT, {
  applies: [
    {
      name: "MaxSessionDuration",
      evidence: ev({
        code: "ValidationError",
        message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
      }),
      minScore: 0.9,
    },
    {
      name: "role chaining",
      evidence: ev({
        code: "ValidationError",
        message:
          "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
      }),
      minScore: 0.9,
    },
  ],
  doesNotApply: [
    { name: "AssumeRole denied", evidence: deny("sts:AssumeRole", "arn:aws:iam::1:role/r", "") },
  ],
});

testCause(CAUSES.MFA_REQUIRED, {
  applies: [
    {
      name: "JS v3 MFA callback",
      evidence: ev({
        message: "Profile admin requires multi-factor authentication, but no MFA code callback was provided.",
      }),
      minScore: 0.85,
    },
    {
      name: "botocore MFA refresh",
      evidence: ev({ message: "Cannot refresh credentials: MFA token required." }),
      minScore: 0.85,
    },
    { name: "explicit identity deny (guard)", evidence: explicitIdentity, minScore: 0.15 },
  ],
  doesNotApply: [{ name: "invalid token", evidence: invalidToken }],
});
