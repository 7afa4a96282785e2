// Deterministic mixed workload for the IAM benchmark: scenarios (principal + policies) and requests.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written `${...}` in plain strings
// Real AWS managed policies come from ../shared/data; the rest is synthetic but shaped like real accounts.

import { readFileSync } from "node:fs";
import path from "node:path";

const ACCOUNT = "111122223333";
const OTHER = "444455556666";
const ORG = "o-abc123";

/** Small seeded PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const doc = (...Statement) => ({ Version: "2012-10-17", Statement });

function managed(dataDir, name) {
  const d = JSON.parse(
    readFileSync(path.join(dataDir, "policies/iam-dataset/managedpolicies", `${name}.json`), "utf8"),
  );
  return d.document;
}

/** Build the policy pieces. */
export function policies(dataDir) {
  const m = (n) => ({ name: n, policy: managed(dataDir, n) });
  const appPolicy = {
    name: "AppInline",
    policy: doc(
      {
        Sid: "Data",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject"],
        Resource: "arn:aws:s3:::data-bucket/*",
        Condition: { IpAddress: { "aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"] } },
      },
      { Sid: "List", Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::data-bucket" },
      {
        Sid: "Home",
        Effect: "Allow",
        Action: "s3:*Object",
        Resource: "arn:aws:s3:::home-bucket/home/${aws:username}/*",
      },
      {
        Sid: "Tables",
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
        Resource: `arn:aws:dynamodb:*:${ACCOUNT}:table/Orders*`,
        Condition: { StringEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } },
      },
      {
        Sid: "Queue",
        Effect: "Allow",
        Action: "sqs:SendMessage",
        Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:queue-*`,
      },
      {
        Sid: "Pass",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: `arn:aws:iam::${ACCOUNT}:role/app-*`,
      },
      {
        Sid: "Invoke",
        Effect: "Allow",
        Action: "lambda:InvokeFunction",
        Resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:api-*`,
      },
      {
        Sid: "NoTerminateWithoutMfa",
        Effect: "Deny",
        Action: ["ec2:TerminateInstances", "ec2:StopInstances"],
        Resource: "*",
        Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
      },
      {
        Sid: "BusinessHours",
        Effect: "Allow",
        Action: "ec2:StartInstances",
        Resource: `arn:aws:ec2:*:${ACCOUNT}:instance/*`,
        Condition: {
          DateGreaterThan: { "aws:CurrentTime": "2026-01-01T00:00:00Z" },
          DateLessThan: { "aws:CurrentTime": "2026-12-31T23:59:59Z" },
        },
      },
    ),
  };
  const boundary = {
    name: "DevBoundary",
    policy: doc(
      {
        Effect: "Allow",
        Action: [
          "s3:*",
          "dynamodb:*",
          "sqs:*",
          "ec2:Describe*",
          "lambda:Get*",
          "lambda:List*",
          "iam:PassRole",
        ],
        Resource: "*",
      },
      { Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" },
    ),
  };
  const scps = [
    {
      orgIdentifier: "r-root",
      policies: [{ name: "FullAWSAccess", policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) }],
    },
    {
      orgIdentifier: "ou-workloads",
      policies: [
        {
          name: "RegionGuard",
          policy: doc(
            { Effect: "Allow", Action: "*", Resource: "*" },
            {
              Sid: "DenyOtherRegions",
              Effect: "Deny",
              NotAction: ["iam:*", "sts:*", "organizations:*", "support:*", "cloudfront:*", "route53:*"],
              Resource: "*",
              Condition: { StringNotEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } },
            },
            { Sid: "NoLeave", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" },
          ),
        },
      ],
    },
    {
      orgIdentifier: ACCOUNT,
      policies: [
        {
          name: "ServiceAllowList",
          policy: doc({
            Effect: "Allow",
            Action: [
              "s3:*",
              "ec2:*",
              "dynamodb:*",
              "sqs:*",
              "lambda:*",
              "sts:*",
              "iam:*",
              "kms:*",
              "organizations:*",
            ],
            Resource: "*",
          }),
        },
      ],
    },
  ];
  const bucketPolicy = doc(
    {
      Sid: "OrgRead",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
      Action: ["s3:GetObject", "s3:ListBucket"],
      Resource: ["arn:aws:s3:::shared-bucket", "arn:aws:s3:::shared-bucket/*"],
      Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } },
    },
    {
      Sid: "TlsOnly",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::shared-bucket", "arn:aws:s3:::shared-bucket/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  );
  return {
    identity: {
      alice: [appPolicy, m("AmazonEC2ReadOnlyAccess"), m("IAMUserChangePassword")],
      bob: [m("AmazonS3ReadOnlyAccess"), m("AmazonDynamoDBFullAccess"), m("AWSLambda_ReadOnlyAccess")],
      app: [appPolicy, m("AmazonSQSFullAccess")],
      power: [m("PowerUserAccess")],
      partner: [m("AmazonS3ReadOnlyAccess")],
    },
    boundary,
    scps,
    bucketPolicy,
  };
}

const PRINCIPALS = [
  { key: "alice", arn: `arn:aws:iam::${ACCOUNT}:user/alice`, boundary: false },
  { key: "bob", arn: `arn:aws:iam::${ACCOUNT}:user/bob`, boundary: true },
  { key: "app", arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app-role/i-0abc`, boundary: true },
  { key: "power", arn: `arn:aws:sts::${ACCOUNT}:assumed-role/PowerUsers/jane`, boundary: false },
  { key: "partner", arn: `arn:aws:iam::${OTHER}:user/partner`, boundary: false },
];

const TARGETS = [
  ["s3:GetObject", (r) => `arn:aws:s3:::data-bucket/k${Math.floor(r() * 50)}`, ACCOUNT],
  ["s3:PutObject", (r) => `arn:aws:s3:::data-bucket/k${Math.floor(r() * 50)}`, ACCOUNT],
  ["s3:DeleteObject", () => "arn:aws:s3:::data-bucket/old", ACCOUNT],
  ["s3:ListBucket", () => "arn:aws:s3:::data-bucket", ACCOUNT],
  ["s3:GetObject", (r) => `arn:aws:s3:::home-bucket/home/${r() < 0.5 ? "alice" : "bob"}/notes.txt`, ACCOUNT],
  ["s3:GetObject", () => "arn:aws:s3:::shared-bucket/report.csv", ACCOUNT],
  ["s3:ListBucket", () => "arn:aws:s3:::shared-bucket", ACCOUNT],
  ["ec2:DescribeInstances", () => "*", ACCOUNT],
  [
    "ec2:TerminateInstances",
    (r) => `arn:aws:ec2:${region(r)}:${ACCOUNT}:instance/i-${Math.floor(r() * 1e6)}`,
    ACCOUNT,
  ],
  [
    "ec2:StartInstances",
    (r) => `arn:aws:ec2:${region(r)}:${ACCOUNT}:instance/i-${Math.floor(r() * 1e6)}`,
    ACCOUNT,
  ],
  ["dynamodb:GetItem", (r) => `arn:aws:dynamodb:${region(r)}:${ACCOUNT}:table/Orders`, ACCOUNT],
  ["dynamodb:DeleteTable", (r) => `arn:aws:dynamodb:${region(r)}:${ACCOUNT}:table/Orders`, ACCOUNT],
  ["sqs:SendMessage", (r) => `arn:aws:sqs:us-east-1:${ACCOUNT}:queue-${Math.floor(r() * 5)}`, ACCOUNT],
  [
    "lambda:InvokeFunction",
    (r) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${r() < 0.7 ? "api-" : "batch-"}x`,
    ACCOUNT,
  ],
  ["lambda:GetFunction", () => `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:api-x`, ACCOUNT],
  ["iam:PassRole", (r) => `arn:aws:iam::${ACCOUNT}:role/${r() < 0.5 ? "app-worker" : "admin"}`, ACCOUNT],
  ["iam:CreateUser", () => `arn:aws:iam::${ACCOUNT}:user/new`, ACCOUNT],
  ["organizations:LeaveOrganization", () => "*", ACCOUNT],
  ["rds:DescribeDBInstances", () => `arn:aws:rds:us-east-1:${ACCOUNT}:db:prod`, ACCOUNT],
  ["kms:Decrypt", () => `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, ACCOUNT],
];

function region(r) {
  const x = r();
  return x < 0.5 ? "us-east-1" : x < 0.85 ? "eu-west-1" : "ap-east-1";
}

/**
 * `n` requests: `{ principal, principalKey, boundary, action, resource, resourceAccount, context, bucketPolicy }`.
 * Context is explicit and identical for both engines.
 */
export function requests(n, seed = 42) {
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < n; i++) {
    const p = PRINCIPALS[Math.floor(r() * PRINCIPALS.length)];
    const [action, res, owner] = TARGETS[Math.floor(r() * TARGETS.length)];
    const resource = res(r);
    const reg = resource.split(":")[3];
    const context = {
      "aws:SourceIp": r() < 0.7 ? `10.${Math.floor(r() * 255)}.0.${Math.floor(r() * 255)}` : "198.51.100.23",
      "aws:RequestedRegion": reg || region(r),
      "aws:SecureTransport": r() < 0.9 ? "true" : "false",
      "aws:CurrentTime": "2026-06-15T12:00:00Z",
      "aws:PrincipalArn": p.arn.includes(":assumed-role/")
        ? p.arn.replace(":sts::", ":iam::").replace(/assumed-role\/([^/]+)\/.*/, "role/$1")
        : p.arn,
      "aws:PrincipalAccount": p.arn.split(":")[4],
    };
    const mfa = r();
    if (mfa < 0.3) context["aws:MultiFactorAuthPresent"] = "true";
    else if (mfa < 0.6) context["aws:MultiFactorAuthPresent"] = "false";
    if (p.key === "partner") context["aws:PrincipalOrgID"] = r() < 0.8 ? ORG : "o-zzz999";
    if (p.key === "alice" || p.key === "bob") context["aws:username"] = p.key;
    out.push({
      principal: p.arn,
      principalKey: p.key,
      boundary: p.boundary,
      action,
      resource,
      resourceAccount: owner,
      context,
      bucketPolicy: resource.includes("shared-bucket"),
    });
  }
  return out;
}
