import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { changes } from "../../src/trail/changes.js";
import { readTrail } from "../../src/trail/read.js";
import { sessions } from "../../src/trail/sessions.js";
import { sessionsTrail } from "../../src/trail/sessions-files.js";
import { summarize } from "../../src/trail/summary.js";
import { timeline } from "../../src/trail/timeline.js";
import type { CloudTrailRecord } from "../../src/trail/types.js";
import { itShared } from "../support/shared-data.js";
import { dataDir, repoRoot } from "./helpers.js";

async function load(set: string): Promise<CloudTrailRecord[]> {
  const out: CloudTrailRecord[] = [];
  for await (const r of readTrail([join(dataDir, set)], { workers: 0 })) out.push(r);
  return out;
}

describe("sessions", () => {
  // `trail sessions` reads most records by their lifted fields (only userIdentity parsed); the result must be the
  // one of the pure analysis over fully parsed records.
  const sameAsParsed = async (paths: string[]) => {
    const parsed: CloudTrailRecord[] = [];
    for await (const r of readTrail(paths, { workers: 0 })) parsed.push(r);
    const { result } = await sessionsTrail(paths, { workers: 0 });
    expect(parsed.length).toBeGreaterThan(0);
    expect(result).toEqual(sessions(parsed));
    return result;
  };

  it("reads lifted records exactly as parsed ones (project fixtures, odd values)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "authdoctor-sessions-"));
    const key = "ASIAQ3EGVSYRLZEXAMPL";
    const base = {
      eventVersion: "1.08",
      eventSource: "s3.amazonaws.com",
      awsRegion: "eu-west-1",
      userIdentity: {
        type: "AssumedRole",
        arn: "arn:aws:sts::111122223333:assumed-role/Dev/r\u00e9my",
        accessKeyId: key,
        sessionContext: {
          sessionIssuer: { arn: "arn:aws:iam::111122223333:role/Dev", type: "Role" },
          attributes: { mfaAuthenticated: "true" },
        },
      },
    };
    const recs = [
      {
        ...base,
        eventTime: "2024-05-01T10:00:00Z",
        eventName: "ListBuckets",
        sourceIPAddress: "198.51.100.7",
      },
      {
        ...base,
        eventTime: "2024-05-01T09:00:00Z",
        eventName: "GetObject",
        sessionCredentialFromConsole: true,
      },
      { ...base, eventTime: "2024-05-01T11:00:00Z", eventName: "PutObject", sourceIPAddress: 42 },
      { ...base, eventTime: "2024-05-01T12:00:00Z", eventName: "PutObject", errorCode: "AccessDenied" },
      {
        ...base,
        eventTime: "2024-05-01T12:00:00Z",
        eventName: "Héllo",
        userIdentity: { ...base.userIdentity, type: 7 },
      },
      { ...base, eventTime: "2024-05-01T13:00:00Z", eventName: "GetObject", userIdentity: "not an object" },
    ];
    writeFileSync(
      join(dir, "a.json"),
      JSON.stringify({ Records: recs }).replace("r\\\\u00e9my", "r\\u00e9my"),
    );
    writeFileSync(join(dir, "b.jsonl"), recs.map((r) => JSON.stringify(r)).join("\n"));
    try {
      const r = await sameAsParsed([dir]);
      expect(r.sessions.find((x) => x.events > 0)?.sourceIPs).toEqual(["198.51.100.7"]);
      await sameAsParsed([join(repoRoot, "test/fixtures/cloudtrail")]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  itShared(
    "data/cloudtrail",
    "reads lifted records exactly as parsed ones (every shared CloudTrail set)",
    async () => {
      for (const set of [
        "awsdocs-examples",
        "invictus-aws-dataset",
        "stratus-red-team",
        "traildiscover",
        "otrf-security-datasets",
        "panther-analysis-tests",
      ])
        await sameAsParsed([join(dataDir, set)]);
    },
  );

  itShared(
    "data/cloudtrail",
    "links the AWS documentation examples: SAML, web identity, cross-account, role chaining",
    async () => {
      const s = sessions(await load("awsdocs-examples"));
      const by = (kind: string) => s.sessions.filter((x) => x.issuedBy === kind);
      const saml = by("AssumeRoleWithSAML")[0]!;
      expect(saml.principal).toMatch(/assumed-role\/SAMLTestRoleShibboleth\//);
      expect(saml.chain[0]).toMatch(/^SAMLUser:/);
      expect(saml.federation?.subject).toBe("SamlExample");
      const web = by("AssumeRoleWithWebIdentity")[0]!;
      expect(web.federation).toMatchObject({ provider: "accounts.google.com", cognito: false });
      expect(web.chain).toHaveLength(2);
      const cross = by("AssumeRole").find((x) => x.crossAccount)!;
      expect(cross.chain).toEqual([
        "arn:aws:iam::777788889999:user/JohnDoe",
        "arn:aws:sts::111122223333:assumed-role/EC2-dev/JohnDoe-EC2-dev",
      ]);
      // the same cross-account call delivered to both accounts is counted once
      expect(by("AssumeRole").filter((x) => x.principal === cross.principal)).toHaveLength(1);
      const chained = by("AssumeRole").find((x) => x.principal.includes("Role2WithTags"))!;
      expect(chained.chain[0]).toBe("arn:aws:sts::111111111111:assumed-role/JohnDoe/JohnRole1");
      // key ids are masked in the output
      expect(JSON.stringify(s)).not.toMatch(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/);
    },
  );

  itShared(
    "data/cloudtrail",
    "links Stratus sessions: AssumeRole from IAM users with their failures, GetFederationToken, Identity Center",
    async () => {
      const s = sessions(await load("stratus-red-team"));
      const fed = s.sessions.find((x) => x.issuedBy === "GetFederationToken")!;
      expect(fed.principal).toBe("arn:aws:sts::742491224508:federated-user/stratus_red_team");
      expect(fed.chain[0]).toBe("arn:aws:iam::742491224508:user/stratus-red-team-user-federation-user");
      expect(fed.events).toBe(1);
      const pw = s.sessions.find((x) => x.issuedBy === "AssumeRole" && x.failures === 30)!;
      expect(pw.chain[0]).toBe("arn:aws:iam::457448411975:user/christophe");
      expect(pw.failedCalls[0]).toMatchObject({
        eventName: "GetPasswordData",
        errorCode: "Client.UnauthorizedOperation",
      });
      expect(s.sessions.some((x) => x.identityCenter)).toBe(true);
      expect(
        s.failedIssuances.filter((f) => f.kind === "AssumeRole" && f.errorCode === "AccessDenied"),
      ).toHaveLength(4);
    },
  );

  it("links a Cognito enhanced-flow session (GetCredentialsForIdentity) to its identity", () => {
    const s = sessions([
      {
        eventTime: "2025-02-24T14:15:12Z",
        eventSource: "cognito-identity.amazonaws.com",
        eventName: "GetCredentialsForIdentity",
        awsRegion: "ap-northeast-1",
        userIdentity: { type: "Unknown", principalId: "Anonymous" },
        requestParameters: { identityId: "ap-northeast-1:1111-2222" },
        responseElements: {
          credentials: { accessKeyId: "ASIAIOSFODNN7EXAMPLE", expiration: "Feb 24, 2025, 3:15:12 PM" },
          identityId: "ap-northeast-1:1111-2222",
        },
      },
      {
        eventTime: "2025-02-24T14:15:20Z",
        eventSource: "appsync.amazonaws.com",
        eventName: "GetGraphqlApi",
        errorCode: "AccessDeniedException",
        userIdentity: {
          type: "AssumedRole",
          arn: "arn:aws:sts::111122223333:assumed-role/Cognito_AuthRole/CognitoIdentityCredentials",
          accessKeyId: "ASIAIOSFODNN7EXAMPLE",
          sessionContext: { sessionIssuer: { arn: "arn:aws:iam::111122223333:role/Cognito_AuthRole" } },
        },
      },
    ]);
    const x = s.sessions.find((y) => y.issuedBy === "CognitoGetCredentials")!;
    expect(x.federation).toMatchObject({ cognito: true, subject: "ap-northeast-1:1111-2222" });
    expect(x.events).toBe(1);
    expect(x.failures).toBe(1);
    expect(x.principal).toMatch(/Cognito_AuthRole/);
  });

  itShared(
    "data/cloudtrail",
    "finds the Invictus AssumeRole sessions and the 13 refused AssumeRole calls",
    async () => {
      const s = sessions(await load("invictus-aws-dataset"));
      expect(s.failedIssuances.filter((f) => f.kind === "AssumeRole")).toHaveLength(13);
      const assumed = s.sessions.filter((x) => x.issuedBy === "AssumeRole");
      expect(assumed.length).toBeGreaterThan(10);
      expect(assumed.every((x) => x.chain[0] === x.issuer)).toBe(true);
    },
  );
});

describe("timeline", () => {
  itShared(
    "data/cloudtrail",
    "orders the events around a failure, marks failures, keeps issuances and changes",
    async () => {
      const recs = await load("invictus-aws-dataset");
      const t = timeline(recs, {
        around: "2023-07-10T11:55:00Z",
        windowMs: 120_000,
        role: "stratus-red-team-ec2-get-password-data-role",
      });
      expect(t.entries.length).toBeGreaterThan(0);
      const times = t.entries.map((e) => Date.parse(e.time));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(t.entries.every((e) => Math.abs(e.offsetSeconds) <= 120)).toBe(true);
      expect(t.entries.some((e) => e.kind === "change" && e.eventName === "PutRolePolicy")).toBe(true);
      const all = timeline(recs, { around: "2023-07-10T11:55:00Z", windowMs: 120_000 });
      expect(all.entries.length).toBeGreaterThan(t.entries.length);
      expect(all.entries.filter((e) => e.kind === "failure").every((e) => e.errorCode)).toBe(true);
    },
  );
});

describe("timeline filters", () => {
  const key = "AKIAIOSFODNN7EXAMPLE";
  const u = { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/bob", accessKeyId: key };
  const other = {
    type: "IAMUser",
    arn: "arn:aws:iam::111122223333:user/eve",
    accessKeyId: "AKIAOTHERKEY7EXAMPLE",
  };
  const recs: CloudTrailRecord[] = [
    {
      eventTime: "2024-05-01T10:00:00Z",
      eventSource: "s3.amazonaws.com",
      eventName: "ListBuckets",
      userIdentity: u,
    },
    {
      eventTime: "2024-05-01T10:01:00Z",
      eventSource: "s3.amazonaws.com",
      eventName: "ListBuckets",
      userIdentity: other,
    },
    {
      eventTime: "2024-05-01T10:02:00Z",
      eventSource: "iam.amazonaws.com",
      eventName: "UpdateAccessKey",
      userIdentity: other,
      requestParameters: { accessKeyId: key, status: "Inactive", userName: "bob" },
    },
    {
      eventTime: "2024-05-01T10:03:00Z",
      eventSource: "sts.amazonaws.com",
      eventName: "AssumeRole",
      userIdentity: u,
      requestParameters: { roleArn: "arn:aws:iam::111122223333:role/app", roleSessionName: "s" },
      responseElements: {
        credentials: { accessKeyId: "ASIAIOSFODNN7EXAMPLE" },
        assumedRoleUser: { arn: "arn:aws:sts::111122223333:assumed-role/app/s" },
      },
    },
    {
      eventTime: "2024-05-01T10:04:00Z",
      eventSource: "s3.amazonaws.com",
      eventName: "GetObject",
      errorCode: "AccessDenied",
      userIdentity: {
        type: "AssumedRole",
        arn: "arn:aws:sts::111122223333:assumed-role/app/s",
        accessKeyId: "ASIAIOSFODNN7EXAMPLE",
      },
    },
  ];
  it("--key keeps the key's calls, its deactivation and the sessions it issued; masks it", () => {
    const t = timeline(recs, { around: "2024-05-01T10:02:00Z", windowMs: 600_000, keyId: key });
    expect(t.entries.map((e) => [e.eventName, e.kind])).toEqual([
      ["ListBuckets", "call"],
      ["UpdateAccessKey", "change"],
      ["AssumeRole", "issuance"],
    ]);
    expect(t.filter.keyId).toBe("AKIA****MPLE");
    expect(JSON.stringify(t)).not.toContain(key);
  });
  it("--role keeps the role's sessions and its issuance; failures are marked", () => {
    const t = timeline(recs, { around: "2024-05-01T10:02:00Z", windowMs: 600_000, role: "app" });
    expect(t.entries.map((e) => [e.eventName, e.kind])).toEqual([
      ["AssumeRole", "issuance"],
      ["GetObject", "failure"],
    ]);
    expect(t.entries[1]!.offsetSeconds).toBe(120);
  });
});

describe("changes", () => {
  itShared("data/cloudtrail", "lists access changes and the failures that began after each", async () => {
    const recs = await load("invictus-aws-dataset");
    const c = changes(recs, { afterMs: 600_000 });
    const put = c.changes.find(
      (x) => x.eventName === "PutRolePolicy" && x.target.includes("ec2-get-password-data-role"),
    )!;
    expect(put.category).toBe("identity-policy");
    expect(put.policyDocument).toBeDefined();
    const related = put.newFailures.filter((n) => n.relatedToTarget);
    expect(related.some((n) => n.eventName === "GetPasswordData")).toBe(true);
    expect(c.changes.some((x) => x.category === "bucket-policy")).toBe(true);
    expect(c.changes.some((x) => x.category === "access-key")).toBe(true);
  });

  it("classifies SCPs, key state and STS preferences from synthetic events", () => {
    const base = {
      eventTime: "2024-01-01T00:00:00Z",
      awsRegion: "us-east-1",
      userIdentity: { arn: "arn:aws:iam::1:user/admin" },
    };
    const c = changes([
      {
        ...base,
        eventSource: "organizations.amazonaws.com",
        eventName: "UpdatePolicy",
        requestParameters: { policyId: "p-1", type: "SERVICE_CONTROL_POLICY" },
      },
      {
        ...base,
        eventSource: "iam.amazonaws.com",
        eventName: "UpdateAccessKey",
        requestParameters: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", status: "Inactive", userName: "bob" },
      },
      {
        ...base,
        eventSource: "iam.amazonaws.com",
        eventName: "SetSecurityTokenServicePreferences",
        requestParameters: { globalEndpointTokenVersion: "v1Token" },
      },
      {
        ...base,
        eventSource: "lambda.amazonaws.com",
        eventName: "AddPermission20150331v2",
        requestParameters: { functionName: "f" },
      },
    ]);
    expect(c.changes.map((x) => [x.category, x.detail ?? ""])).toEqual([
      ["scp", "SERVICE_CONTROL_POLICY"],
      ["access-key", "status Inactive"],
      ["sts-preference", "globalEndpointTokenVersion v1Token"],
      ["resource-policy", ""],
    ]);
    expect(c.changes[1]!.subjects).toContain("AKIA****MPLE");
    // an AttachPolicy names only the policy id: typed from the trail's CreatePolicy of that id
    const org = changes([
      {
        ...base,
        eventSource: "organizations.amazonaws.com",
        eventName: "CreatePolicy",
        requestParameters: { name: "deny-regions", type: "RESOURCE_CONTROL_POLICY" },
        responseElements: { policy: { policySummary: { id: "p-abc", type: "RESOURCE_CONTROL_POLICY" } } },
      },
      {
        ...base,
        eventSource: "organizations.amazonaws.com",
        eventName: "AttachPolicy",
        requestParameters: { policyId: "p-abc", targetId: "ou-1" },
      },
      {
        ...base,
        eventSource: "organizations.amazonaws.com",
        eventName: "AttachPolicy",
        requestParameters: { policyId: "p-zzz", targetId: "ou-1" },
      },
    ]);
    expect(org.changes.map((x) => x.category)).toEqual(["rcp", "rcp", "organization-policy"]);
    // failures in another account do not follow from an IAM change in this one
    const fail = (acct: string) => ({
      eventTime: "2024-01-01T00:05:00Z",
      eventSource: "s3.amazonaws.com",
      eventName: "GetObject",
      errorCode: "AccessDenied",
      userIdentity: { arn: `arn:aws:iam::${acct}:user/bob` },
    });
    const iamBase = { ...base, userIdentity: { arn: "arn:aws:iam::111122223333:user/admin" } };
    const cross = changes([
      {
        ...iamBase,
        eventSource: "iam.amazonaws.com",
        eventName: "PutUserPolicy",
        requestParameters: { userName: "bob", policyName: "p", policyDocument: "{}" },
      },
      fail("111122223333"),
      fail("444455556666"),
    ]);
    expect(cross.changes[0]!.newFailures.map((n) => [n.principal, n.relatedToTarget])).toEqual([
      ["arn:aws:iam::111122223333:user/bob", true],
    ]);
    expect(JSON.stringify(c)).not.toContain("AKIAIOSFODNN7EXAMPLE");
  });
});

describe("summary", () => {
  itShared(
    "data/cloudtrail",
    "counts by code, source, principal, region and agent; first and last seen",
    async () => {
      const s = summarize(await load("stratus-red-team"));
      expect(s.events).toBe(310);
      expect(s.byErrorCode).toEqual({
        "Client.UnauthorizedOperation": 46,
        AccessDenied: 5,
        EntityTemporarilyUnmodifiableException: 1,
      });
      expect(s.byEventSource["ssm.amazonaws.com"]).toBe(138);
      expect(s.firstSeen).toBe("2024-07-30T21:31:10Z");
      expect(s.lastSeen).toBe("2024-11-30T08:43:18Z");
      expect(Object.values(s.byRegion).reduce((a, b) => a + b, 0)).toBe(310);
    },
  );
});

describe("issue 17: failures tied to changes by service and resource, summary by kind", () => {
  const who = { type: "AssumedRole", arn: "arn:aws:sts::111122223333:assumed-role/app/s" };
  const rec = (
    t: string,
    src: string,
    name: string,
    extra: Partial<CloudTrailRecord> = {},
  ): CloudTrailRecord =>
    ({
      eventTime: t,
      eventSource: src,
      eventName: name,
      awsRegion: "eu-west-1",
      userIdentity: who,
      ...extra,
    }) as CloudTrailRecord;

  it("a queue policy change is not credited with Secrets Manager failures; a failure on that queue is", () => {
    const url = "https://sqs.eu-west-1.amazonaws.com/111122223333/orders";
    const c = changes([
      rec("2025-01-01T10:00:00Z", "sqs.amazonaws.com", "SetQueueAttributes", {
        userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/admin" },
        requestParameters: { queueUrl: url, attributes: { Policy: "{}" } },
      }),
      rec("2025-01-01T10:05:00Z", "secretsmanager.amazonaws.com", "GetSecretValue", {
        errorCode: "AccessDeniedException",
        requestParameters: { secretId: "db" },
      }),
      rec("2025-01-01T10:06:00Z", "sqs.amazonaws.com", "SendMessage", {
        errorCode: "AccessDenied",
        requestParameters: { queueUrl: url },
      }),
      rec("2025-01-01T10:07:00Z", "sqs.amazonaws.com", "SendMessage", {
        errorCode: "AccessDenied",
        requestParameters: { queueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/other" },
      }),
    ]);
    const nf = c.changes[0]!.newFailures;
    expect(nf.map((n) => n.eventSource)).toEqual(["sqs.amazonaws.com"]);
    expect(nf[0]).toMatchObject({
      eventName: "SendMessage",
      count: 1,
      relatedToTarget: true,
      matchedBy: "resource",
    });
  });

  it("summary separates authorization failures from throttling, not-found and the rest", () => {
    const s = summarize([
      rec("2025-01-01T10:00:00Z", "s3.amazonaws.com", "GetObject", { errorCode: "AccessDenied" }),
      rec("2025-01-01T10:00:01Z", "ec2.amazonaws.com", "RunInstances", {
        errorCode: "Client.UnauthorizedOperation",
      }),
      rec("2025-01-01T10:00:02Z", "dynamodb.amazonaws.com", "Query", { errorCode: "ThrottlingException" }),
      rec("2025-01-01T10:00:03Z", "s3.amazonaws.com", "GetObject", { errorCode: "NoSuchKey" }),
      rec("2025-01-01T10:00:04Z", "lambda.amazonaws.com", "GetFunction", {
        errorCode: "ResourceNotFoundException",
      }),
      rec("2025-01-01T10:00:05Z", "ec2.amazonaws.com", "RunInstances", {
        errorCode: "InvalidParameterValue",
      }),
      rec("2025-01-01T10:00:06Z", "s3.amazonaws.com", "ListBuckets"),
    ]);
    expect(s.failures).toBe(6);
    expect(s.failuresByKind).toEqual({
      authorization: 2,
      authentication: 0,
      throttling: 1,
      "not-found": 2,
      other: 1,
    });
  });
});
