// What a CloudTrail record is for the analyses: a failure, a credential issuance (STS, Identity Center,
// Cognito), or a change that affects access (IAM, Organizations, KMS, S3, VPC endpoints, Cognito, regions).

import { accountOfArn } from "../core/arn.js";
import { maskKeyId } from "../core/redact.js";
import type { CloudTrailRecord } from "./types.js";

/** True when the record failed: an errorCode, or an errorMessage alone (ConsoleLogin failures, docs/aws-facts.md §6.1). */
export function isFailure(r: CloudTrailRecord): boolean {
  if (typeof r.errorCode === "string" && r.errorCode !== "") return true;
  if (r.errorMessage !== undefined && r.errorMessage !== null) return true;
  const re = r.responseElements as Record<string, unknown> | null | undefined;
  return r.eventName === "ConsoleLogin" && re?.ConsoleLogin === "Failure";
}

/** The error code of a failed record (`(no errorCode)` when only a message or response says so). */
export function errorCodeOf(r: CloudTrailRecord): string | undefined {
  if (typeof r.errorCode === "string" && r.errorCode !== "") return r.errorCode;
  return isFailure(r) ? "(no errorCode)" : undefined;
}

/** Access-denied codes (docs/aws-facts.md §1.12, §1.13). */
const DENIED_RE =
  /^(?:Client\.)?(?:AccessDenied(?:Exception)?|UnauthorizedOperation|UnauthorizedAccess|AuthorizationError|Forbidden|UnauthorizedException|VpceAccessDenied|AccessDeniedException)$/;

/** True for an authorization failure (AccessDenied, Client.UnauthorizedOperation, ...). */
export function isAccessDenied(r: CloudTrailRecord): boolean {
  return typeof r.errorCode === "string" && DENIED_RE.test(r.errorCode);
}

/** True for an authorization-failure error code. */
export function isDeniedCode(code: string): boolean {
  return DENIED_RE.test(code);
}

/** The authorization-failure error codes `isAccessDenied` recognises (for queries run elsewhere). */
export const DENIED_CODES: readonly string[] = [
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "UnauthorizedAccess",
  "AuthorizationError",
  "Forbidden",
  "UnauthorizedException",
  "VpceAccessDenied",
].flatMap((c) => [c, `Client.${c}`]);

/** What kind of failure an error code is: `trail summary` counts authorization failures apart from the rest. */
export type FailureKind = "authorization" | "authentication" | "throttling" | "not-found" | "other";

/** Codes of rejected credentials, tokens or signatures (the few CloudTrail logs: most are not recorded). */
const AUTHN_RE =
  /^(?:Client\.)?(?:InvalidClientTokenId|InvalidAccessKeyId|SignatureDoesNotMatch|ExpiredToken(?:Exception)?|TokenRefreshRequired|AuthFailure|UnrecognizedClientException|InvalidToken|IncompleteSignature|RequestExpired|InvalidSignatureException|MissingAuthenticationToken|NotAuthorizedException)$/;
/** Throttling codes (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html). */
const THROTTLE_RE =
  /^(?:Client\.)?(?:Throttling(?:Exception)?|ThrottledException|TooManyRequestsException|RequestLimitExceeded|RequestThrottled(?:Exception)?|SlowDown|ProvisionedThroughputExceededException|RateExceeded|LimitExceededException|TransactionInProgressException|BandwidthLimitExceeded|EC2ThrottledException|PriorRequestNotComplete|RequestThrottledException)$/;
/** Missing things: S3's NoSuchKey/NoSuchBucket, *NotFound*, ResourceNotFoundException, EntityNotFound... */
const NOT_FOUND_RE =
  /^(?:Client\.)?(?:NoSuch[A-Za-z]*|[A-Za-z.]*NotFound(?:Exception|Fault)?|[A-Za-z]*\.NotFound)$/;

/** The kind of failure an error code names (`other` for validation, conflicts, service errors...). */
export function failureKind(code: string): FailureKind {
  if (DENIED_RE.test(code)) return "authorization";
  if (AUTHN_RE.test(code)) return "authentication";
  if (THROTTLE_RE.test(code)) return "throttling";
  if (NOT_FOUND_RE.test(code)) return "not-found";
  return "other";
}

/** Short service name of an eventSource (`iam.amazonaws.com` -> `iam`). */
export function serviceOf(eventSource: string | undefined): string {
  if (!eventSource) return "";
  const i = eventSource.indexOf(".amazonaws.com");
  return i > 0 ? eventSource.slice(0, i) : eventSource;
}

/** Event time in ms (NaN when missing). */
export function timeOf(r: CloudTrailRecord): number {
  const t = r.eventTime;
  if (typeof t !== "string") return Number.NaN;
  if (t.length === 20) return Date.parse(t);
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d{1,3})?\d*(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  return m ? Date.parse(`${m[1]}T${m[2]}${m[3] ?? ""}${m[4] ?? "Z"}`) : Date.parse(t);
}

/** The principal a record was made by: ARN, else service, else identity type. */
export function principalOf(r: CloudTrailRecord): string {
  const u = r.userIdentity;
  if (!u) return "(none)";
  if (typeof u.arn === "string" && u.arn) return u.arn;
  if (typeof u.invokedBy === "string") return u.invokedBy;
  if (u.type === "WebIdentityUser" || u.type === "SAMLUser") {
    return `${u.type}:${u.identityProvider ?? ""}:${u.userName ?? u.principalId ?? ""}`;
  }
  return `(${u.type ?? "unknown"})`;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export type IssuanceKind =
  | "AssumeRole"
  | "AssumeRoleWithWebIdentity"
  | "AssumeRoleWithSAML"
  | "GetSessionToken"
  | "GetFederationToken"
  | "AssumeRoot"
  | "IdentityCenter"
  | "CognitoGetCredentials";

/** A credential issuance read from one record. */
export interface Issuance {
  kind: IssuanceKind;
  time: string;
  /** The issued access key id (raw: mask before output), when the response shows it. */
  keyId?: string;
  /** ARN of the session principal (`arn:aws:sts::A:assumed-role/R/S`, federated user...). */
  sessionArn?: string;
  /** The role assumed (`arn:aws:iam::A:role/R`). */
  roleArn?: string;
  roleSessionName?: string;
  durationSeconds?: number;
  expiration?: string;
  /** Who asked: principal string of the caller. */
  caller: string;
  callerType?: string;
  /** Key that signed the issuance call (raw), linking role chains. */
  callerKeyId?: string;
  callerAccount?: string;
  sourceIdentity?: string;
  /** Web identity / SAML details. */
  provider?: string;
  subject?: string;
  audience?: string;
  /** STS endpoint host the client used (tlsDetails.clientProvidedHostHeader). */
  endpoint?: string;
  region?: string;
  errorCode?: string;
  errorMessage?: string;
  /** Cross-account: the role lives in another account than the caller. */
  crossAccount: boolean;
  /** Identity Center permission-set role (`AWSReservedSSO_*`). */
  identityCenter: boolean;
  sharedEventID?: string;
  requestID?: string;
}

const STS_ISSUE = new Set([
  "AssumeRole",
  "AssumeRoleWithWebIdentity",
  "AssumeRoleWithSAML",
  "GetSessionToken",
  "GetFederationToken",
  "AssumeRoot",
]);

/** Whether a record of this source and name may issue credentials (what `issuanceOf` reads). */
export function isIssuanceEvent(eventSource: string | undefined, eventName: string | undefined): boolean {
  if (eventSource === "sts.amazonaws.com") return STS_ISSUE.has(eventName ?? "");
  if (eventSource === "sso.amazonaws.com") return eventName === "GetRoleCredentials";
  return eventSource === "cognito-identity.amazonaws.com" && eventName === "GetCredentialsForIdentity";
}

/** The issuance in a record, or null when the record issues no credentials. */
export function issuanceOf(r: CloudTrailRecord): Issuance | null {
  const name = r.eventName ?? "";
  const src = r.eventSource ?? "";
  if (!isIssuanceEvent(src, name)) return null;
  const kind: IssuanceKind =
    src === "sso.amazonaws.com"
      ? "IdentityCenter"
      : src === "cognito-identity.amazonaws.com"
        ? "CognitoGetCredentials"
        : (name as IssuanceKind);
  const req = obj(r.requestParameters) ?? {};
  const res = obj(r.responseElements) ?? {};
  const creds = obj(res.credentials) ?? obj(res.Credentials) ?? obj(obj(res.roleCredentials));
  const u = r.userIdentity ?? {};
  const roleArn = str(req.roleArn) ?? str(req.RoleArn);
  const assumed = obj(res.assumedRoleUser);
  const fed = obj(res.federatedUser);
  let sessionArn = str(assumed?.arn) ?? str(fed?.arn);
  let roleArnOut = roleArn;
  if (kind === "IdentityCenter") {
    const acct = str(req.accountId);
    const roleName = str(req.roleName);
    if (acct && roleName) roleArnOut = `arn:aws:iam::${acct}:role/${roleName}`;
  }
  if (!sessionArn && kind === "GetFederationToken" && str(req.name)) {
    const acct = str(u.accountId) ?? r.recipientAccountId;
    if (acct) sessionArn = `arn:aws:sts::${acct}:federated-user/${str(req.name)}`;
  }
  if (!sessionArn && kind === "GetSessionToken") sessionArn = str(u.arn);
  const callerAccount = str(u.accountId) ?? accountOfArn(str(u.arn));
  const roleAccount = accountOfArn(roleArnOut);
  const tls = r.tlsDetails ?? {};
  const iss: Issuance = {
    kind,
    time: r.eventTime ?? "",
    caller: principalOf(r),
    crossAccount: Boolean(callerAccount && roleAccount && callerAccount !== roleAccount),
    identityCenter: kind === "IdentityCenter" || /\/AWSReservedSSO_/.test(roleArnOut ?? ""),
  };
  const keyId = str(creds?.accessKeyId) ?? str(creds?.AccessKeyId);
  if (keyId) iss.keyId = keyId;
  if (sessionArn) iss.sessionArn = sessionArn;
  if (roleArnOut) iss.roleArn = roleArnOut;
  const rsn = str(req.roleSessionName);
  if (rsn) iss.roleSessionName = rsn;
  const dur = req.durationSeconds;
  if (typeof dur === "number") iss.durationSeconds = dur;
  else if (typeof dur === "string" && /^\d+$/.test(dur)) iss.durationSeconds = Number(dur);
  const exp = str(creds?.expiration);
  if (exp) iss.expiration = exp;
  if (typeof u.type === "string") iss.callerType = u.type;
  if (typeof u.accessKeyId === "string" && u.accessKeyId) iss.callerKeyId = u.accessKeyId;
  if (callerAccount) iss.callerAccount = callerAccount;
  const sid = str(req.sourceIdentity) ?? str(res.sourceIdentity) ?? str(u.sessionContext?.sourceIdentity);
  if (sid) iss.sourceIdentity = sid;
  const provider = str(res.provider) ?? str(u.identityProvider) ?? str(res.issuer);
  if (provider && (kind === "AssumeRoleWithWebIdentity" || kind === "AssumeRoleWithSAML"))
    iss.provider = provider;
  const subject = str(res.subjectFromWebIdentityToken) ?? str(res.subject) ?? str(u.userName);
  if (subject && (kind === "AssumeRoleWithWebIdentity" || kind === "AssumeRoleWithSAML"))
    iss.subject = subject;
  const aud = str(res.audience);
  if (aud) iss.audience = aud;
  if (kind === "CognitoGetCredentials") {
    // Enhanced (simplified) flow: Cognito calls STS itself; the identity is in the request (docs/aws-facts.md §5.3).
    iss.provider = "cognito-identity.amazonaws.com";
    const id = str(req.identityId) ?? str(res.identityId);
    if (id) iss.subject = id;
  }
  if (tls.clientProvidedHostHeader) iss.endpoint = tls.clientProvidedHostHeader;
  if (r.awsRegion) iss.region = r.awsRegion;
  if (r.errorCode) iss.errorCode = r.errorCode;
  if (typeof r.errorMessage === "string") iss.errorMessage = r.errorMessage;
  if (r.sharedEventID) iss.sharedEventID = r.sharedEventID;
  if (r.requestID) iss.requestID = r.requestID;
  return iss;
}

/** Categories of access-affecting changes. */
export type ChangeCategory =
  | "identity-policy"
  | "policy-attachment"
  | "managed-policy-version"
  | "permissions-boundary"
  | "group-membership"
  | "trust-policy"
  | "role-settings"
  | "access-key"
  | "mfa"
  | "login-profile"
  | "federation-provider"
  | "sts-preference"
  | "principal-lifecycle"
  | "scp"
  | "rcp"
  | "organization-policy"
  | "key-policy"
  | "kms-grant"
  | "key-state"
  | "resource-policy"
  | "bucket-policy"
  | "public-access-block"
  | "vpc-endpoint-policy"
  | "identity-pool"
  | "app-auth"
  | "identity-center"
  | "region";

const IAM_CHANGES: Record<string, ChangeCategory> = {
  PutUserPolicy: "identity-policy",
  PutRolePolicy: "identity-policy",
  PutGroupPolicy: "identity-policy",
  DeleteUserPolicy: "identity-policy",
  DeleteRolePolicy: "identity-policy",
  DeleteGroupPolicy: "identity-policy",
  AttachUserPolicy: "policy-attachment",
  AttachRolePolicy: "policy-attachment",
  AttachGroupPolicy: "policy-attachment",
  DetachUserPolicy: "policy-attachment",
  DetachRolePolicy: "policy-attachment",
  DetachGroupPolicy: "policy-attachment",
  CreatePolicyVersion: "managed-policy-version",
  SetDefaultPolicyVersion: "managed-policy-version",
  DeletePolicyVersion: "managed-policy-version",
  DeletePolicy: "managed-policy-version",
  PutUserPermissionsBoundary: "permissions-boundary",
  PutRolePermissionsBoundary: "permissions-boundary",
  DeleteUserPermissionsBoundary: "permissions-boundary",
  DeleteRolePermissionsBoundary: "permissions-boundary",
  AddUserToGroup: "group-membership",
  RemoveUserFromGroup: "group-membership",
  UpdateAssumeRolePolicy: "trust-policy",
  UpdateRole: "role-settings",
  UpdateRoleDescription: "role-settings",
  AddRoleToInstanceProfile: "role-settings",
  RemoveRoleFromInstanceProfile: "role-settings",
  CreateAccessKey: "access-key",
  UpdateAccessKey: "access-key",
  DeleteAccessKey: "access-key",
  EnableMFADevice: "mfa",
  DeactivateMFADevice: "mfa",
  DeleteVirtualMFADevice: "mfa",
  CreateLoginProfile: "login-profile",
  UpdateLoginProfile: "login-profile",
  DeleteLoginProfile: "login-profile",
  CreateOpenIDConnectProvider: "federation-provider",
  DeleteOpenIDConnectProvider: "federation-provider",
  UpdateOpenIDConnectProviderThumbprint: "federation-provider",
  AddClientIDToOpenIDConnectProvider: "federation-provider",
  RemoveClientIDFromOpenIDConnectProvider: "federation-provider",
  CreateSAMLProvider: "federation-provider",
  UpdateSAMLProvider: "federation-provider",
  DeleteSAMLProvider: "federation-provider",
  SetSecurityTokenServicePreferences: "sts-preference",
  DeleteUser: "principal-lifecycle",
  DeleteRole: "principal-lifecycle",
  CreateRole: "principal-lifecycle",
  CreateUser: "principal-lifecycle",
};

const OTHER_CHANGES: Record<string, Record<string, ChangeCategory>> = {
  "organizations.amazonaws.com": {
    CreatePolicy: "organization-policy",
    UpdatePolicy: "organization-policy",
    DeletePolicy: "organization-policy",
    AttachPolicy: "organization-policy",
    DetachPolicy: "organization-policy",
    EnablePolicyType: "organization-policy",
    DisablePolicyType: "organization-policy",
    MoveAccount: "organization-policy",
  },
  "kms.amazonaws.com": {
    PutKeyPolicy: "key-policy",
    CreateGrant: "kms-grant",
    RevokeGrant: "kms-grant",
    RetireGrant: "kms-grant",
    DisableKey: "key-state",
    EnableKey: "key-state",
    ScheduleKeyDeletion: "key-state",
  },
  "s3.amazonaws.com": {
    PutBucketPolicy: "bucket-policy",
    DeleteBucketPolicy: "bucket-policy",
    PutBucketAcl: "bucket-policy",
    PutBucketOwnershipControls: "bucket-policy",
    PutBucketPublicAccessBlock: "public-access-block",
    DeleteBucketPublicAccessBlock: "public-access-block",
    PutAccountPublicAccessBlock: "public-access-block",
  },
  "ec2.amazonaws.com": { ModifyVpcEndpoint: "vpc-endpoint-policy", CreateVpcEndpoint: "vpc-endpoint-policy" },
  "cognito-identity.amazonaws.com": {
    SetIdentityPoolRoles: "identity-pool",
    UpdateIdentityPool: "identity-pool",
  },
  "appsync.amazonaws.com": {
    UpdateGraphqlApi: "app-auth",
    UpdateApiKey: "app-auth",
    DeleteApiKey: "app-auth",
  },
  "sso.amazonaws.com": {
    PutInlinePolicyToPermissionSet: "identity-center",
    DeleteInlinePolicyFromPermissionSet: "identity-center",
    AttachManagedPolicyToPermissionSet: "identity-center",
    DetachManagedPolicyFromPermissionSet: "identity-center",
    PutPermissionsBoundaryToPermissionSet: "identity-center",
    ProvisionPermissionSet: "identity-center",
    CreateAccountAssignment: "identity-center",
    DeleteAccountAssignment: "identity-center",
  },
  "lambda.amazonaws.com": { AddPermission: "resource-policy", RemovePermission: "resource-policy" },
  "secretsmanager.amazonaws.com": {
    PutResourcePolicy: "resource-policy",
    DeleteResourcePolicy: "resource-policy",
  },
  "sqs.amazonaws.com": { SetQueueAttributes: "resource-policy", AddPermission: "resource-policy" },
  "sns.amazonaws.com": { SetTopicAttributes: "resource-policy", AddPermission: "resource-policy" },
  "ecr.amazonaws.com": { SetRepositoryPolicy: "resource-policy", DeleteRepositoryPolicy: "resource-policy" },
  "apigateway.amazonaws.com": { UpdateRestApi: "resource-policy" },
  "account.amazonaws.com": { EnableRegion: "region", DisableRegion: "region" },
};

/** Whether an event (source and name as logged) is one `changeOf` classifies, without reading the record. */
export function isChangeEvent(eventSource: string | undefined, eventName: string | undefined): boolean {
  const src = eventSource ?? "";
  const name = baseEventName(eventName ?? "");
  return (src === "iam.amazonaws.com" ? IAM_CHANGES[name] : OTHER_CHANGES[src]?.[name]) !== undefined;
}

/** Every (eventSource, eventName) pair `changeOf` classifies (Lambda's versioned names are matched by prefix). */
export function changeEvents(): { eventSource: string; eventNames: string[] }[] {
  return [
    { eventSource: "iam.amazonaws.com", eventNames: Object.keys(IAM_CHANGES) },
    ...Object.entries(OTHER_CHANGES).map(([eventSource, m]) => ({ eventSource, eventNames: Object.keys(m) })),
  ];
}

/** One access-affecting change. */
export interface Change {
  time: string;
  eventSource: string;
  eventName: string;
  category: ChangeCategory;
  /** What was changed, in plain words (`role/app-role`, `policy p-123 (SCP)`, `bucket my-bucket`...). */
  target: string;
  /** Names of what the change is about (user, role, group, policy names; masked access key ids), for matching. */
  subjects: string[];
  actor: string;
  succeeded: boolean;
  errorCode?: string;
  /** Extra facts (`status Inactive`, `v1Token`, policy type...). */
  detail?: string;
  /** Managed policy ARN the change names. */
  policyArn?: string;
  /** The policy document in the request, when it carries one (JSON text). */
  policyDocument?: string;
  region?: string;
}

/** Strip Lambda's old API-version suffix (`AddPermission20150331v2`, docs/aws-facts.md §6.4). */
export function baseEventName(name: string): string {
  return name.replace(/\d{8}(?:v\d+)?$/, "");
}

function nameOfArn(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const i = arn.lastIndexOf("/");
  return i >= 0 ? arn.slice(i + 1) : arn.split(":").pop();
}

/** The access-affecting change in a record, or null. */
export function changeOf(r: CloudTrailRecord): Change | null {
  const src = r.eventSource ?? "";
  const name = baseEventName(r.eventName ?? "");
  let category: ChangeCategory | undefined =
    src === "iam.amazonaws.com" ? IAM_CHANGES[name] : OTHER_CHANGES[src]?.[name];
  if (!category) return null;
  const req = obj(r.requestParameters) ?? {};
  const res = obj(r.responseElements) ?? {};
  const subjects: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === "string" && v) subjects.push(v);
  };
  add(req.userName);
  add(req.roleName);
  add(req.groupName);
  // key ids leave authdoctor masked (src/core/redact.ts); subjects are output
  if (typeof req.accessKeyId === "string") add(maskKeyId(req.accessKeyId));
  add(nameOfArn(str(req.policyArn)));
  add(str(req.policyName));
  add(str(req.keyId));
  add(str(req.bucketName));
  add(str(req.permissionSetArn));
  add(str(req.identityPoolId));
  add(str(req.vpcEndpointId));
  add(str(req.functionName));
  add(str(req.secretId));
  add(str(req.queueUrl));
  add(str(req.topicArn));
  add(str(req.resourceArn));
  add(str(req.policyId));
  add(str(req.targetId));
  add(str(req.regionName));
  const createdKey = obj(res.accessKey);
  const createdId = str(createdKey?.accessKeyId);
  if (createdId) add(maskKeyId(createdId));
  let detail: string | undefined;
  if (src === "organizations.amazonaws.com") {
    const summary = obj(obj(res.policy)?.policySummary);
    add(str(summary?.id));
    const type = str(req.type) ?? str(summary?.type);
    if (type === "SERVICE_CONTROL_POLICY") category = "scp";
    else if (type === "RESOURCE_CONTROL_POLICY") category = "rcp";
    if (type) detail = type;
  }
  if (name === "UpdateAccessKey") detail = `status ${str(req.status) ?? "?"}`;
  if (name === "CreatePolicyVersion") detail = `setAsDefault ${String(req.setAsDefault ?? false)}`;
  if (name === "SetDefaultPolicyVersion") detail = `versionId ${str(req.versionId) ?? "?"}`;
  if (name === "SetSecurityTokenServicePreferences") {
    detail = `globalEndpointTokenVersion ${str(req.globalEndpointTokenVersion) ?? "?"}`;
  }
  if (name === "UpdateRole" && req.maxSessionDuration !== undefined) {
    detail = `maxSessionDuration ${String(req.maxSessionDuration)}`;
  }
  const doc =
    str(req.policyDocument) ??
    str(req.content) ??
    str(req.policy) ??
    str(req.PolicyDocument) ??
    str(req.resourcePolicy) ??
    (obj(req.bucketPolicy) ? JSON.stringify(req.bucketPolicy) : undefined);
  const target =
    [
      req.userName && `user/${req.userName}`,
      req.roleName && `role/${req.roleName}`,
      req.groupName && `group/${req.groupName}`,
      req.policyArn && `policy ${req.policyArn}`,
      req.policyName && `inline policy ${req.policyName}`,
      req.policyId && `policy ${req.policyId}`,
      req.targetId && `target ${req.targetId}`,
      req.keyId && `key ${req.keyId}`,
      req.bucketName && `bucket ${req.bucketName}`,
      req.identityPoolId && `identity pool ${req.identityPoolId}`,
      req.vpcEndpointId && `endpoint ${req.vpcEndpointId}`,
      req.functionName && `function ${req.functionName}`,
      req.secretId && `secret ${req.secretId}`,
      req.regionName && `region ${req.regionName}`,
      req.accessKeyId && `key ${maskKeyId(String(req.accessKeyId))}`,
    ]
      .filter((x): x is string => typeof x === "string")
      .join(", ") || "(account)";
  const ch: Change = {
    time: r.eventTime ?? "",
    eventSource: src,
    eventName: r.eventName ?? "",
    category,
    target,
    subjects,
    actor: principalOf(r),
    succeeded: !isFailure(r),
  };
  if (r.errorCode) ch.errorCode = r.errorCode;
  if (detail) ch.detail = detail;
  if (doc) ch.policyDocument = doc;
  const policyArn = str(req.policyArn);
  if (policyArn) ch.policyArn = policyArn;
  if (r.awsRegion) ch.region = r.awsRegion;
  return ch;
}

/** The role name of an assumed-role ARN or role ARN, else undefined. */
export function roleNameOf(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const m = /:assumed-role\/([^/]+)\//.exec(arn) ?? /:role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? m[1] : undefined;
}

/**
 * The record without the parts no analysis reads unless it is a credential issuance, an access change or a
 * ConsoleLogin (request and response bodies, additional data, resources, TLS details): what a caller that keeps
 * many records in memory (diagnose's window) stores.
 */
export function essentialRecord(r: CloudTrailRecord): CloudTrailRecord {
  if (
    r.eventName === "ConsoleLogin" ||
    STS_ISSUE.has(r.eventName ?? "") ||
    issuanceOf(r) !== null ||
    isChangeEvent(r.eventSource, r.eventName)
  )
    return r;
  const {
    requestParameters: _q,
    responseElements: _s,
    additionalEventData: _a,
    resources: _r,
    tlsDetails: _t,
    ...rest
  } = r;
  return rest;
}
