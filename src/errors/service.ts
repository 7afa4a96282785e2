// Service names as SDKs print them (Java `AmazonS3`, Go `STS`, .NET `Amazon.SecurityToken`) -> SDK/IAM prefix.

/** Names that do not lower-case to their SDK / IAM prefix. Keys are lower-case with spaces and dashes removed. */
const ALIASES: Record<string, string> = {
  securitytokenservice: "sts",
  securitytoken: "sts",
  identitymanagement: "iam",
  identitymanagementservice: "iam",
  simplestorageservice: "s3",
  dynamodbv2: "dynamodb",
  keymanagementservice: "kms",
  simplesystemsmanagement: "ssm",
  simpleemailservice: "ses",
  simpleemailservicev2: "ses",
  simplenotificationservice: "sns",
  simplequeueservice: "sqs",
  cognitoidentity: "cognito-identity",
  cognitoidentityprovider: "cognito-idp",
  cognitoidentityserviceprovider: "cognito-idp",
  cognitoidp: "cognito-idp",
  cloudwatch: "cloudwatch",
  monitoring: "cloudwatch",
  cloudwatchlogs: "logs",
  logs: "logs",
  ssooidc: "sso-oidc",
  elasticloadbalancing: "elasticloadbalancing",
  elasticloadbalancingv2: "elasticloadbalancing",
  stepfunctions: "states",
  sfn: "states",
  apigateway: "apigateway",
  secretsmanager: "secretsmanager",
  ec2instanceconnect: "ec2-instance-connect",
  ecrpublic: "ecr-public",
  resourcegroupstaggingapi: "tag",
  organizations: "organizations",
  lambda: "lambda",
  // CloudFormation resource handlers name the service they call `AWSLambdaInternal`
  lambdainternal: "lambda",
  email: "ses",
};

/** Normalise a service name as printed by an SDK to the lower-case SDK/endpoint prefix (`AmazonS3` -> `s3`). */
export function normaliseService(name: string): string | undefined {
  let key = name
    .trim()
    .replace(/^(?:com\.amazonaws\.|software\.amazon\.awssdk\.services\.)/i, "")
    .replace(/^(?:Amazon|AWS)\s?/i, "")
    .replace(/(?:ServiceException|Exception|Client)$/, "");
  key = key.replace(/^(?:Amazon|AWS)/i, "");
  const flat = key.toLowerCase().replace(/[\s_-]+/g, "");
  if (flat.length === 0 || flat.length > 40 || !/^[a-z0-9]+$/.test(flat)) return undefined;
  return ALIASES[flat] ?? flat;
}

/** IAM action prefix for an SDK service name, when they differ (docs/aws-facts.md §6.4). */
const IAM_PREFIX: Record<string, string> = {
  "sso-oidc": "sso-oauth",
  "cognito-idp": "cognito-idp",
  "appsync-api": "appsync",
};

/** Operations whose IAM action is not `<prefix>:<operation>` (docs/aws-facts.md §6.4). */
const ACTION_OVERRIDES: Record<string, string> = {
  "s3:HeadObject": "s3:GetObject",
  "s3:ListObjects": "s3:ListBucket",
  "s3:ListObjectsV2": "s3:ListBucket",
  "s3:HeadBucket": "s3:ListBucket",
  "s3:CreateMultipartUpload": "s3:PutObject",
  "s3:UploadPart": "s3:PutObject",
  "s3:CompleteMultipartUpload": "s3:PutObject",
  "s3:CopyObject": "s3:PutObject",
  "s3:ListObjectVersions": "s3:ListBucketVersions",
  "s3:DeleteObjects": "s3:DeleteObject",
  "lambda:Invoke": "lambda:InvokeFunction",
  "lambda:InvokeAsync": "lambda:InvokeFunction",
  "lambda:InvokeWithResponseStream": "lambda:InvokeFunction",
  "appsync:GraphQL": "appsync:GraphQL",
};

/**
 * The IAM action an operation most likely needs: `<prefix>:<operation>`, with the few well-known exceptions of
 * docs/aws-facts.md §6.4 and Lambda's dated event names stripped. A derivation, not a fact: callers note it as such.
 */
export function actionFromOperation(service: string, operation: string): string {
  const prefix = IAM_PREFIX[service] ?? service;
  const op = prefix === "lambda" ? operation.replace(/\d{8}(?:v\d{1,2})?$/, "") : operation;
  const action = `${prefix}:${op}`;
  return ACTION_OVERRIDES[action] ?? action;
}

/** Well-known operations that name their service unambiguously (for CLI output, which does not say). */
const OPERATION_SERVICE: Record<string, string> = {
  GetCallerIdentity: "sts",
  AssumeRole: "sts",
  AssumeRoleWithWebIdentity: "sts",
  AssumeRoleWithSAML: "sts",
  GetSessionToken: "sts",
  GetFederationToken: "sts",
  DecodeAuthorizationMessage: "sts",
  GetAccessKeyInfo: "sts",
  ListBuckets: "s3",
  GetObject: "s3",
  PutObject: "s3",
  HeadObject: "s3",
  HeadBucket: "s3",
  ListObjects: "s3",
  ListObjectsV2: "s3",
  DeleteObject: "s3",
  GetBucketPolicy: "s3",
  PutBucketPolicy: "s3",
  CreateMultipartUpload: "s3",
  UploadPart: "s3",
  DescribeInstances: "ec2",
  RunInstances: "ec2",
  DescribeRegions: "ec2",
  DescribeVpcs: "ec2",
  DescribeSecurityGroups: "ec2",
  GetRoleCredentials: "sso",
  CreateToken: "sso-oidc",
  GetId: "cognito-identity",
  GetCredentialsForIdentity: "cognito-identity",
  GetOpenIdToken: "cognito-identity",
  DescribeTable: "dynamodb",
  GetItem: "dynamodb",
  PutItem: "dynamodb",
  Query: "dynamodb",
  Scan: "dynamodb",
  Invoke: "lambda",
  GetSecretValue: "secretsmanager",
  GetParameter: "ssm",
  GetParameters: "ssm",
  GetParametersByPath: "ssm",
  Decrypt: "kms",
  Encrypt: "kms",
  GenerateDataKey: "kms",
  ListUsers: "iam",
  ListRoles: "iam",
  GetUser: "iam",
  GetRole: "iam",
  CreateRole: "iam",
  PassRole: "iam",
  GetAccountAuthorizationDetails: "iam",
  GetAccountSummary: "iam",
  CreateUser: "iam",
  CreateAccessKey: "iam",
  ListAccessKeys: "iam",
  AttachRolePolicy: "iam",
  UploadServerCertificate: "iam",
  UploadSigningCertificate: "iam",
  SetSecurityTokenServicePreferences: "iam",
  GetRegionOptStatus: "account",
  SendMessage: "sqs",
  ReceiveMessage: "sqs",
  Publish: "sns",
  LookupEvents: "cloudtrail",
  GetLogEvents: "logs",
  PutLogEvents: "logs",
  RunTask: "ecs",
  RegisterTaskDefinition: "ecs",
  GetAuthorizationToken: "ecr",
  // calls that hand a role to a service (and so also need iam:PassRole)
  CreateFunction: "lambda",
  UpdateFunctionConfiguration: "lambda",
  CreateStack: "cloudformation",
  UpdateStack: "cloudformation",
  CreateChangeSet: "cloudformation",
  CreateStateMachine: "states",
  RunJobFlow: "elasticmapreduce",
  CreateTrainingJob: "sagemaker",
  AssociateIamInstanceProfile: "ec2",
  CreateDeliveryStream: "firehose",
};

/** The service a well-known operation belongs to, if unambiguous. */
export function serviceOfOperation(operation: string): string | undefined {
  return Object.hasOwn(OPERATION_SERVICE, operation) ? OPERATION_SERVICE[operation] : undefined;
}
