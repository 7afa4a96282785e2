import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Failure } from "../../src/core/index.js";
import { liveSignals } from "../../src/diagnose/signals/live.js";
import { runLiveProbes } from "../../src/live/index.js";
import type { LiveOptions } from "../../src/live/types.js";
import { renderAudit } from "../../src/report/live.js";
import {
  ec2Error,
  FAKE,
  FakeAws,
  json,
  jsonError,
  queryError,
  queryOk,
  restError,
  startConnectProxy,
  xml,
} from "./fake-aws.js";

const ACCOUNT = "123456789012";
const ROLE_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/session-1`;
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/alice`;
const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const temporary = async () => ({
  accessKeyId: FAKE.accessKeyId,
  secretAccessKey: FAKE.secretAccessKey,
  sessionToken: FAKE.sessionToken,
});
const longTerm = async () => ({ accessKeyId: FAKE.longTermKeyId, secretAccessKey: FAKE.secretAccessKey });

const gci = (arn: string) =>
  xml(
    queryOk(
      "GetCallerIdentity",
      `<Arn>${arn}</Arn><UserId>AROAEXAMPLEID:session-1</UserId><Account>${ACCOUNT}</Account>`,
      STS_NS,
    ),
  );
const summary = (version: number) =>
  xml(
    queryOk(
      "GetAccountSummary",
      `<SummaryMap><entry><key>Users</key><value>4</value></entry><entry><key>GlobalEndpointTokenVersion</key><value>${version}</value></entry></SummaryMap>`,
    ),
  );
const doc = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const ALLOW_S3 = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
};
const TRUST = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
};

function failure(extra: Partial<Failure> = {}): Failure {
  return {
    format: "aws-cli",
    raw: "An error occurred (AuthFailure) when calling the DescribeInstances operation: AWS was not able to validate the provided access credentials",
    code: "AuthFailure",
    service: "ec2",
    operation: "DescribeInstances",
    region: "ap-east-1",
    notes: [],
    ...extra,
  };
}

describe("runLiveProbes against a fake AWS endpoint", () => {
  const fake = new FakeAws();
  let endpoint = "";
  const run = (opts: LiveOptions) =>
    runLiveProbes({
      endpointOverride: endpoint,
      credentials: temporary,
      timeoutMs: 1000,
      env: { AWS_REGION: "us-east-1" },
      ...opts,
    });
  beforeAll(async () => {
    endpoint = await fake.start();
    // load the SDK modules once, up front: under load the first import of a client (ec2 is large) can take longer
    // than a call's deadline, and that would be measured as the call timing out
    const { loadService } = await import("../../src/live/clients.js");
    await Promise.all((["sts", "iam", "account", "ec2", "cloudtrail"] as const).map(loadService));
  }, 120_000);
  beforeEach(() => {
    fake.reset();
  });
  afterAll(() => fake.stop());

  it("confirms STS_TOKEN_VERSION_REGION: v1 tokens, opt-in region rejects the session that works elsewhere", async () => {
    fake
      .on("sts:GetCallerIdentity", (seen) =>
        /\/ap-east-1\//.test(seen.headers.authorization ?? "")
          ? (queryError(
              403,
              "InvalidClientTokenId",
              "The security token included in the request is invalid.",
            ) as never)
          : (gci(ROLE_SESSION) as never),
      )
      .on("iam:GetAccountSummary", summary(1))
      .on(
        "account:GetRegionOptStatus",
        json({ RegionName: "ap-east-1", RegionOptStatus: "ENABLED" }, "application/json"),
      );
    const report = await run({ failure: failure(), probes: ["identity", "account-summary", "region"] });
    expect(report.identity.regional?.ok).toBe(true);
    expect(report.identity.global?.ok).toBe(true);
    expect(report.identity.failingRegion).toMatchObject({ ok: false, code: "InvalidClientTokenId" });
    expect(report.accountSummary).toMatchObject({ ok: true, value: { globalEndpointTokenVersion: 1 } });
    expect(report.regionStatus).toMatchObject({
      ok: true,
      value: { status: "ENABLED", optIn: true, enabled: true },
    });
    const signals = liveSignals(report, failure());
    expect(signals).toContainEqual(
      expect.objectContaining({ cause: "STS_TOKEN_VERSION_REGION", effect: "confirms" }),
    );
    expect(signals).toContainEqual(
      expect.objectContaining({ cause: "REGION_NOT_ENABLED", effect: "refutes" }),
    );
    const ops = report.audit.map((a) => `${a.operation} ${a.region} ${a.outcome}`).sort();
    expect(ops).toEqual([
      "account:GetRegionOptStatus us-east-1 ok",
      "iam:GetAccountSummary us-east-1 ok",
      "sts:GetCallerIdentity ap-east-1 error",
      "sts:GetCallerIdentity us-east-1 ok",
      "sts:GetCallerIdentity us-east-1 ok",
    ]);
    for (const a of report.audit) {
      expect(a.account).toBe(ACCOUNT);
      expect(a.endpoint).toBe(endpoint);
    }
    const text = renderAudit(report) + JSON.stringify(report);
    expect(text).not.toContain(FAKE.secretAccessKey);
    expect(text).not.toContain(FAKE.sessionToken.slice(0, 40));
    expect(text).not.toContain(FAKE.accessKeyId);
    expect(text).toContain("ASIA****7XYZ");
  });

  it("turns denied probes into unknowns naming the permission, and falls back to ec2:DescribeRegions", async () => {
    fake
      .on("sts:GetCallerIdentity", gci(ROLE_SESSION))
      .on(
        "iam:GetAccountSummary",
        queryError(
          403,
          "AccessDenied",
          `User: ${ROLE_SESSION} is not authorized to perform: iam:GetAccountSummary`,
        ),
      )
      .on("account:GetRegionOptStatus", restError(403, "AccessDeniedException", "not authorized"))
      .on(
        "ec2:DescribeRegions",
        xml(
          `<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>ea96-EXAMPLE</requestId><regionInfo><item><regionName>ap-east-1</regionName><regionEndpoint>ec2.ap-east-1.amazonaws.com</regionEndpoint><optInStatus>not-opted-in</optInStatus></item></regionInfo></DescribeRegionsResponse>`,
        ),
      );
    // the fake answers at once: a generous deadline keeps a loaded machine from turning answers into timeouts
    const report = await run({
      failure: failure(),
      probes: ["identity", "account-summary", "region"],
      timeoutMs: 15_000,
    });
    expect(report.accountSummary).toMatchObject({
      ok: false,
      outcome: "denied",
      reason: "could not read the account summary: needs iam:GetAccountSummary",
      needs: "iam:GetAccountSummary",
    });
    expect(report.unknowns).toContainEqual(
      expect.objectContaining({
        needs: "iam:GetAccountSummary",
        why: "could not read the account summary: needs iam:GetAccountSummary",
      }),
    );
    expect(report.regionStatus).toMatchObject({
      ok: true,
      value: { source: "ec2:DescribeRegions", status: "not-opted-in", enabled: false },
    });
    expect(report.audit.find((a) => a.operation === "account:GetRegionOptStatus")?.outcome).toBe("denied");
    expect(liveSignals(report, failure())).toContainEqual(
      expect.objectContaining({ cause: "REGION_NOT_ENABLED", effect: "confirms" }),
    );
  });

  it("says so when every source of a probe is denied, and goes on with the rest", async () => {
    fake
      .on("sts:GetCallerIdentity", gci(ROLE_SESSION))
      .on("iam:GetAccountSummary", summary(2))
      .on("account:GetRegionOptStatus", restError(403, "AccessDeniedException", "not authorized"))
      .on(
        "ec2:DescribeRegions",
        ec2Error(403, "UnauthorizedOperation", "You are not authorized to perform this operation."),
      );
    const report = await run({ failure: failure(), probes: ["identity", "account-summary", "region"] });
    expect(report.regionStatus).toMatchObject({
      ok: false,
      outcome: "denied",
      needs: "account:GetRegionOptStatus or ec2:DescribeRegions",
    });
    expect(report.accountSummary).toMatchObject({ ok: true, value: { globalEndpointTokenVersion: 2 } });
  });

  it("retries a throttled call and succeeds", async () => {
    fake
      .on("sts:GetCallerIdentity", gci(ROLE_SESSION))
      .on("iam:GetAccountSummary", queryError(400, "Throttling", "Rate exceeded"), summary(1));
    const report = await run({ probes: ["identity", "account-summary"], timeoutMs: 2000 });
    expect(report.accountSummary).toMatchObject({ ok: true, value: { globalEndpointTokenVersion: 1 } });
    expect(fake.count("iam:GetAccountSummary")).toBe(2);
    expect(report.audit.find((a) => a.operation === "iam:GetAccountSummary")).toMatchObject({
      outcome: "ok",
      attempts: 2,
    });
  });

  it("bounds a call the server never answers: outcome timeout, the other probes still report", async () => {
    fake.on("sts:GetCallerIdentity", gci(ROLE_SESSION)).on("iam:GetAccountSummary", "hang");
    const report = await run({ probes: ["identity", "account-summary"], timeoutMs: 150, maxAttempts: 2 });
    expect(report.accountSummary).toMatchObject({ ok: false, outcome: "timeout" });
    expect(report.identity.regional?.ok).toBe(true);
    expect(report.audit.find((a) => a.operation === "iam:GetAccountSummary")?.outcome).toBe("timeout");
    expect(report.unknowns.map((u) => u.what)).toContain(
      "the STS token version of the account (GlobalEndpointTokenVersion)",
    );
  });

  it("measures the clock skew from a skewed Date header and confirms CLOCK_SKEW", async () => {
    fake.on("sts:GetCallerIdentity", gci(ROLE_SESSION));
    fake.dateOffsetMs = 10 * 60_000; // the server is 10 minutes ahead: our clock is behind
    const f = failure({ code: "RequestExpired" });
    const report = await run({ failure: f, probes: ["identity", "clock"] });
    expect(report.clock?.ok).toBe(true);
    if (!report.clock?.ok) return;
    expect(report.clock.value.skewSeconds).toBeGreaterThanOrEqual(-602);
    expect(report.clock.value.skewSeconds).toBeLessThanOrEqual(-598);
    expect(liveSignals(report, f)).toContainEqual(
      expect.objectContaining({
        cause: "CLOCK_SKEW",
        effect: "confirms",
        text: expect.stringContaining("behind"),
      }),
    );
  });

  it("refutes CLOCK_SKEW when the Date header agrees with the local clock", async () => {
    fake.on("sts:GetCallerIdentity", gci(ROLE_SESSION));
    const report = await run({ probes: ["identity", "clock"] });
    expect(liveSignals(report)).toContainEqual(
      expect.objectContaining({ cause: "CLOCK_SKEW", effect: "refutes" }),
    );
  });

  it("confirms KEY_INVALID_ID when STS rejects long-term keys everywhere", async () => {
    fake.on(
      "sts:GetCallerIdentity",
      queryError(403, "InvalidClientTokenId", "The security token included in the request is invalid."),
    );
    const report = await run({ credentials: longTerm, probes: ["identity"] });
    expect(report.identity.regional).toMatchObject({
      ok: false,
      outcome: "error",
      code: "InvalidClientTokenId",
    });
    expect(liveSignals(report)).toContainEqual(
      expect.objectContaining({ cause: "KEY_INVALID_ID", effect: "confirms" }),
    );
  });

  it("decodes an encoded authorization message naming an explicit deny and iam:PassRole", async () => {
    const decoded = {
      allowed: false,
      explicitDeny: true,
      matchedStatements: {
        items: [
          {
            statementId: "DenyPassRole",
            effect: "DENY",
            actions: { items: [{ value: "iam:PassRole" }] },
            resources: { items: [{ value: "*" }] },
          },
        ],
      },
      failures: { items: [] },
      context: {
        principal: { id: "AROAEXAMPLEID:session-1", arn: ROLE_SESSION },
        action: "iam:PassRole",
        resource: `arn:aws:iam::${ACCOUNT}:role/ec2-app`,
        conditions: {
          items: [{ key: "aws:MultiFactorAuthPresent", values: { items: [{ value: "false" }] } }],
        },
      },
    };
    fake
      .on("sts:GetCallerIdentity", gci(ROLE_SESSION))
      .on(
        "sts:DecodeAuthorizationMessage",
        (seen) =>
          (seen.params.EncodedMessage === "ENCODEDxyz"
            ? xml(
                queryOk(
                  "DecodeAuthorizationMessage",
                  `<DecodedMessage>${JSON.stringify(decoded)}</DecodedMessage>`,
                  STS_NS,
                ),
              )
            : queryError(400, "InvalidAuthorizationMessageException", "bad")) as never,
      );
    const f = failure({
      code: "UnauthorizedOperation",
      region: "us-east-1",
      encodedMessage: { text: "ENCODEDxyz", truncated: false },
    });
    const report = await run({ failure: f, probes: ["identity", "decode"] });
    expect(report.decodedMessage).toMatchObject({
      ok: true,
      value: {
        explicitDeny: true,
        context: { action: "iam:PassRole" },
        matchedStatements: [{ statementId: "DenyPassRole" }],
      },
    });
    const signals = liveSignals(report, f);
    expect(signals).toContainEqual(
      expect.objectContaining({ cause: "PASSROLE_MISSING", effect: "confirms" }),
    );
    expect(signals).toContainEqual(
      expect.objectContaining({ cause: "IAM_EXPLICIT_DENY", effect: "supports" }),
    );
    expect(signals).toContainEqual(expect.objectContaining({ cause: "MFA_REQUIRED", effect: "supports" }));
    // A truncated message is not sent.
    const t = await run({
      failure: { ...f, encodedMessage: { text: "ENCODED", truncated: true } },
      probes: ["decode"],
    });
    expect(t.decodedMessage).toMatchObject({ ok: false, outcome: "skipped" });
  });

  it("reads the caller's policies with GetAccountAuthorizationDetails (paged) plus its AWS managed policy, then simulates", async () => {
    const managed = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    fake
      .on("sts:GetCallerIdentity", gci(ROLE_SESSION))
      .on(
        "iam:GetAccountAuthorizationDetails",
        (seen) =>
          xml(
            queryOk(
              "GetAccountAuthorizationDetails",
              seen.params.Marker
                ? `<IsTruncated>false</IsTruncated><UserDetailList/><GroupDetailList/><RoleDetailList><member><Path>/</Path><RoleName>deploy</RoleName><RoleId>AROAEXAMPLEID</RoleId><Arn>arn:aws:iam::${ACCOUNT}:role/ci/deploy</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate><AssumeRolePolicyDocument>${doc(TRUST)}</AssumeRolePolicyDocument><InstanceProfileList/><RolePolicyList><member><PolicyName>inline-s3</PolicyName><PolicyDocument>${doc(ALLOW_S3)}</PolicyDocument></member></RolePolicyList><AttachedManagedPolicies><member><PolicyName>ReadOnlyAccess</PolicyName><PolicyArn>${managed}</PolicyArn></member></AttachedManagedPolicies></member></RoleDetailList><Policies/>`
                : `<IsTruncated>true</IsTruncated><Marker>page2</Marker><UserDetailList><member><Path>/</Path><UserName>alice</UserName><UserId>AIDAEXAMPLE</UserId><Arn>${USER_ARN}</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate><GroupList/><AttachedManagedPolicies/><UserPolicyList/></member></UserDetailList><GroupDetailList/><RoleDetailList/><Policies/>`,
            ),
          ) as never,
      )
      .on(
        "iam:GetPolicy",
        xml(
          queryOk(
            "GetPolicy",
            `<Policy><PolicyName>ReadOnlyAccess</PolicyName><DefaultVersionId>v3</DefaultVersionId><PolicyId>ANPAEXAMPLE</PolicyId><Path>/</Path><Arn>${managed}</Arn><AttachmentCount>1</AttachmentCount><IsAttachable>true</IsAttachable></Policy>`,
          ),
        ),
      )
      .on(
        "iam:GetPolicyVersion",
        xml(
          queryOk(
            "GetPolicyVersion",
            `<PolicyVersion><Document>${doc(ALLOW_S3)}</Document><VersionId>v3</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>2024-01-02T03:04:05Z</CreateDate></PolicyVersion>`,
          ),
        ),
      )
      .on(
        "iam:SimulatePrincipalPolicy",
        xml(
          queryOk(
            "SimulatePrincipalPolicy",
            `<IsTruncated>false</IsTruncated><EvaluationResults><member><EvalActionName>s3:PutObject</EvalActionName><EvalResourceName>arn:aws:s3:::bucket/key</EvalResourceName><EvalDecision>implicitDeny</EvalDecision><MatchedStatements/><MissingContextValues/><OrganizationsDecisionDetail><AllowedByOrganizations>true</AllowedByOrganizations></OrganizationsDecisionDetail></member></EvaluationResults>`,
          ),
        ),
      );
    const f = failure({
      code: "AccessDenied",
      action: "s3:PutObject",
      resource: "arn:aws:s3:::bucket/key",
      region: "us-east-1",
    });
    const report = await run({ failure: f, probes: ["identity", "policies", "simulate"] });
    expect(report.authorization?.ok).toBe(true);
    if (!report.authorization?.ok) return;
    const snap = report.authorization.value;
    expect(snap.scope).toBe("full");
    expect(snap.principal).toMatchObject({ kind: "role", name: "deploy" });
    expect(snap.details.UserDetailList).toHaveLength(1);
    expect(snap.details.RoleDetailList[0]).toMatchObject({
      RoleName: "deploy",
      CreateDate: "2024-01-02T03:04:05.000Z",
      AssumeRolePolicyDocument: TRUST,
      RolePolicyList: [{ PolicyName: "inline-s3", PolicyDocument: ALLOW_S3 }],
    });
    expect(snap.details.Policies).toEqual([
      expect.objectContaining({
        Arn: managed,
        DefaultVersionId: "v3",
        PolicyVersionList: [expect.objectContaining({ Document: ALLOW_S3, IsDefaultVersion: true })],
      }),
    ]);
    expect(fake.count("iam:GetAccountAuthorizationDetails")).toBe(2);
    // The simulation used the role's real ARN (with its path), from the snapshot.
    const sim = fake.seen.find((s) => s.route === "iam:SimulatePrincipalPolicy")!;
    expect(sim.params.PolicySourceArn).toBe(`arn:aws:iam::${ACCOUNT}:role/ci/deploy`);
    expect(sim.params["ActionNames.member.1"]).toBe("s3:PutObject");
    expect(report.simulation).toMatchObject({
      ok: true,
      value: { decision: "implicitDeny", allowedByOrganizations: true },
    });
    const signals = liveSignals(report, f);
    expect(signals).toContainEqual(
      expect.objectContaining({ cause: "IAM_ACTION_NOT_ALLOWED", effect: "supports" }),
    );
    expect(signals).toContainEqual(expect.objectContaining({ cause: "SCP_DENY", effect: "refutes" }));
  });

  it("falls back to the narrow Get/List calls when GetAccountAuthorizationDetails is denied", async () => {
    fake
      .on("sts:GetCallerIdentity", gci(ROLE_SESSION))
      .on("iam:GetAccountAuthorizationDetails", queryError(403, "AccessDenied", "not authorized"))
      .on(
        "iam:GetRole",
        xml(
          queryOk(
            "GetRole",
            `<Role><Path>/</Path><RoleName>deploy</RoleName><RoleId>AROAEXAMPLEID</RoleId><Arn>arn:aws:iam::${ACCOUNT}:role/deploy</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate><AssumeRolePolicyDocument>${doc(TRUST)}</AssumeRolePolicyDocument><MaxSessionDuration>3600</MaxSessionDuration></Role>`,
          ),
        ),
      )
      .on(
        "iam:ListRolePolicies",
        xml(
          queryOk(
            "ListRolePolicies",
            "<PolicyNames><member>inline-s3</member></PolicyNames><IsTruncated>false</IsTruncated>",
          ),
        ),
      )
      .on(
        "iam:GetRolePolicy",
        xml(
          queryOk(
            "GetRolePolicy",
            `<RoleName>deploy</RoleName><PolicyName>inline-s3</PolicyName><PolicyDocument>${doc(ALLOW_S3)}</PolicyDocument>`,
          ),
        ),
      )
      .on(
        "iam:ListAttachedRolePolicies",
        queryError(403, "AccessDenied", "not authorized to perform: iam:ListAttachedRolePolicies"),
      );
    const report = await run({ probes: ["identity", "policies"] });
    expect(report.authorization).toMatchObject({ ok: true, value: { scope: "principal" } });
    if (!report.authorization?.ok) return;
    const snap = report.authorization.value;
    expect(snap.details.RoleDetailList).toEqual([
      expect.objectContaining({
        RoleName: "deploy",
        AssumeRolePolicyDocument: TRUST,
        RolePolicyList: [{ PolicyName: "inline-s3", PolicyDocument: ALLOW_S3 }],
        AttachedManagedPolicies: [],
      }),
    ]);
    expect(snap.gaps.join("\n")).toMatch(/whole-account details unavailable/);
    expect(snap.gaps.join("\n")).toMatch(/managed policies of role `deploy`/);
  });

  it("confirms KEY_INACTIVE from the user's key list and reads the key's last use", async () => {
    fake
      .on("sts:GetCallerIdentity", gci(USER_ARN))
      .on(
        "iam:ListAccessKeys",
        xml(
          queryOk(
            "ListAccessKeys",
            `<UserName>alice</UserName><AccessKeyMetadata><member><UserName>alice</UserName><AccessKeyId>${FAKE.longTermKeyId}</AccessKeyId><Status>Inactive</Status><CreateDate>2023-05-01T00:00:00Z</CreateDate></member><member><UserName>alice</UserName><AccessKeyId>AKIAQQQQRRRRTTTT9DEF</AccessKeyId><Status>Active</Status><CreateDate>2024-05-01T00:00:00Z</CreateDate></member></AccessKeyMetadata><IsTruncated>false</IsTruncated>`,
          ),
        ),
      )
      .on(
        "iam:GetAccessKeyLastUsed",
        xml(
          queryOk(
            "GetAccessKeyLastUsed",
            "<UserName>alice</UserName><AccessKeyLastUsed><LastUsedDate>2024-06-01T10:00:00Z</LastUsedDate><ServiceName>s3</ServiceName><Region>eu-west-1</Region></AccessKeyLastUsed>",
          ),
        ),
      );
    const f = failure({
      code: "InvalidClientTokenId",
      accessKeyId: { masked: "AKIA****7ABC", prefix: "AKIA" },
    });
    const report = await run({ credentials: longTerm, failure: f, probes: ["identity", "keys"] });
    expect(report.accessKeys).toMatchObject({
      ok: true,
      value: {
        userName: "alice",
        current: { accessKeyId: { masked: "AKIA****7ABC" }, status: "Inactive", lastUsedService: "s3" },
      },
    });
    expect(fake.count("iam:GetAccessKeyLastUsed")).toBe(1);
    expect(JSON.stringify(report)).not.toContain(FAKE.longTermKeyId);
    expect(JSON.stringify(report)).not.toContain("AKIAQQQQRRRRTTTT9DEF");
    expect(liveSignals(report, f)).toContainEqual(
      expect.objectContaining({ cause: "KEY_INACTIVE", effect: "confirms" }),
    );
  });

  it("finds the issuance of the session in CloudTrail (global endpoint) and recent changes", async () => {
    const now = Math.floor(Date.now() / 1000);
    const issued = {
      eventName: "AssumeRole",
      eventSource: "sts.amazonaws.com",
      tlsDetails: { clientProvidedHostHeader: "sts.amazonaws.com" },
      responseElements: {
        credentials: { accessKeyId: FAKE.accessKeyId, expiration: "Jun 1, 2024, 11:00:00 AM" },
      },
    };
    fake.on("sts:GetCallerIdentity", gci(ROLE_SESSION)).on("cloudtrail:LookupEvents", (seen) => {
      const attr = (seen.params.LookupAttributes as Array<{ AttributeKey: string }>)[0]!.AttributeKey;
      const events =
        attr === "EventSource"
          ? [
              {
                EventId: "ev-1",
                EventName: "AssumeRole",
                ReadOnly: "true",
                EventTime: now - 3600,
                EventSource: "sts.amazonaws.com",
                Username: "ci",
                CloudTrailEvent: JSON.stringify(issued),
              },
            ]
          : attr === "ReadOnly"
            ? [
                {
                  EventId: "ev-2",
                  EventName: "SetSecurityTokenServicePreferences",
                  ReadOnly: "false",
                  EventTime: now - 600,
                  EventSource: "iam.amazonaws.com",
                  Username: "admin",
                  CloudTrailEvent: "{}",
                },
                {
                  EventId: "ev-3",
                  EventName: "DetachRolePolicy",
                  ReadOnly: "false",
                  EventTime: now - 300,
                  EventSource: "iam.amazonaws.com",
                  Username: "admin",
                  CloudTrailEvent: "{}",
                },
              ]
            : [
                {
                  EventId: "ev-4",
                  EventName: "DescribeInstances",
                  ReadOnly: "true",
                  EventTime: now - 60,
                  EventSource: "ec2.amazonaws.com",
                  AccessKeyId: FAKE.accessKeyId,
                  CloudTrailEvent: JSON.stringify({ errorCode: "Client.AuthFailure" }),
                },
              ];
      return json({ Events: events }) as never;
    });
    const report = await run({ failure: failure(), probes: ["identity", "cloudtrail"] });
    expect(fake.count("cloudtrail:LookupEvents")).toBe(3);
    expect(report.cloudTrail?.ok).toBe(true);
    if (!report.cloudTrail?.ok) return;
    const t = report.cloudTrail.value;
    expect(t.issuance).toEqual([
      expect.objectContaining({
        eventName: "AssumeRole",
        host: "sts.amazonaws.com",
        issuedKeyId: "ASIA****7XYZ",
      }),
    ]);
    expect(t.byKey).toEqual([
      expect.objectContaining({
        eventName: "DescribeInstances",
        errorCode: "Client.AuthFailure",
        accessKeyId: "ASIA****7XYZ",
      }),
    ]);
    expect(t.changes.map((c) => c.eventName)).toEqual([
      "SetSecurityTokenServicePreferences",
      "DetachRolePolicy",
    ]);
    const signals = liveSignals(report, failure());
    expect(signals).toContainEqual(
      expect.objectContaining({
        cause: "STS_TOKEN_VERSION_REGION",
        effect: "supports",
        source: expect.stringContaining("ev-1"),
      }),
    );
    expect(JSON.stringify(report)).not.toContain(FAKE.accessKeyId);
  });

  it("reads a Cognito identity pool and an AppSync API named in the failure", async () => {
    const pool = "us-east-1:11111111-2222-3333-4444-555555555555";
    fake
      .on("sts:GetCallerIdentity", gci(ROLE_SESSION))
      .on(
        "cognito-identity:DescribeIdentityPool",
        json({
          IdentityPoolId: pool,
          IdentityPoolName: "app",
          AllowUnauthenticatedIdentities: true,
          AllowClassicFlow: false,
          CognitoIdentityProviders: [
            { ProviderName: "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf", ClientId: "client" },
          ],
        }),
      )
      .on(
        "cognito-identity:GetIdentityPoolRoles",
        json({
          IdentityPoolId: pool,
          Roles: {
            authenticated: `arn:aws:iam::${ACCOUNT}:role/app-auth`,
            unauthenticated: `arn:aws:iam::${ACCOUNT}:role/app-guest`,
          },
          RoleMappings: {
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf:client": {
              Type: "Token",
              AmbiguousRoleResolution: "Deny",
            },
          },
        }),
      )
      .on(
        "appsync:GetGraphqlApi",
        json(
          {
            graphqlApi: {
              name: "blog",
              apiId: "abcdefghijklmnopqrstuvwxyz",
              authenticationType: "API_KEY",
              additionalAuthenticationProviders: [{ authenticationType: "AMAZON_COGNITO_USER_POOLS" }],
            },
          },
          "application/json",
        ),
      );
    const f = failure({
      format: "amplify",
      code: "UnauthorizedException",
      service: "appsync",
      region: "us-east-1",
      raw: `POST https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql 401 Unauthorized (identity pool ${pool})`,
      principal: {
        raw: `arn:aws:sts::${ACCOUNT}:assumed-role/app-guest/CognitoIdentityCredentials`,
        kind: "role-session",
        name: "app-guest",
        account: ACCOUNT,
      },
    });
    const report = await run({ failure: f, probes: ["identity", "cognito", "appsync"] });
    expect(report.cognito).toMatchObject({
      ok: true,
      value: {
        identityPoolId: pool,
        allowClassicFlow: false,
        unauthenticatedRole: `arn:aws:iam::${ACCOUNT}:role/app-guest`,
        roleMappings: [{ type: "Token", ambiguousRoleResolution: "Deny" }],
      },
    });
    expect(report.appsync).toMatchObject({
      ok: true,
      value: {
        apiId: "abcdefghijklmnopqrstuvwxyz",
        defaultAuth: "API_KEY",
        additionalAuth: ["AMAZON_COGNITO_USER_POOLS"],
      },
    });
    const signals = liveSignals(report, f);
    expect(signals).toContainEqual(expect.objectContaining({ cause: "APP_AUTH_MODE", effect: "confirms" }));
    expect(signals).toContainEqual(
      expect.objectContaining({ cause: "COGNITO_CONFIG", text: expect.stringContaining("guest") }),
    );
  });

  it("supports REGION_MISMATCH when the identity pool does not exist where its id says", async () => {
    const pool = "eu-west-1:11111111-2222-3333-4444-555555555555";
    fake
      .on("sts:GetCallerIdentity", gci(ROLE_SESSION))
      .on(
        "cognito-identity:DescribeIdentityPool",
        jsonError(400, "ResourceNotFoundException", `IdentityPool '${pool}' not found.`),
      )
      .on(
        "cognito-identity:GetIdentityPoolRoles",
        jsonError(400, "ResourceNotFoundException", `IdentityPool '${pool}' not found.`),
      );
    const report = await run({ identityPoolId: pool, probes: ["cognito"] });
    expect(report.cognito).toMatchObject({ ok: false, outcome: "error", code: "ResourceNotFoundException" });
    expect(
      fake.seen.every((s) => /\/eu-west-1\/cognito-identity\//.test(s.headers.authorization ?? "")),
    ).toBe(true);
    expect(liveSignals(report)).toContainEqual(
      expect.objectContaining({ cause: "REGION_MISMATCH", effect: "supports" }),
    );
  });

  it("stops sending once the run's time budget is spent", async () => {
    fake.on("sts:GetCallerIdentity", "hang").on("iam:GetAccountSummary", summary(1));
    const report = await run({
      probes: ["identity", "policies"],
      timeoutMs: 100,
      maxAttempts: 1,
      budgetMs: 100,
    });
    expect(report.identity.regional).toMatchObject({ ok: false, outcome: "timeout" });
    expect(report.authorization).toMatchObject({ ok: false, outcome: "skipped" });
    expect(report.audit.every((a) => a.outcome === "timeout")).toBe(true);
  });

  it("runs every probe by default, concurrently, and survives a fake that answers nothing it does not know", async () => {
    fake.on("sts:GetCallerIdentity", gci(USER_ARN)).on("iam:GetAccountSummary", summary(2));
    const f = failure({
      code: "AccessDenied",
      action: "s3:GetObject",
      resource: "arn:aws:s3:::bucket/key",
      encodedMessage: { text: "abc", truncated: false },
      raw: "pool us-east-1:11111111-2222-3333-4444-555555555555 api https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql",
    });
    const report = await run({ failure: f, credentials: longTerm });
    const ran = new Set(report.audit.map((a) => a.operation));
    for (const op of [
      "sts:GetCallerIdentity",
      "iam:GetAccountSummary",
      "account:GetRegionOptStatus",
      "ec2:DescribeRegions",
      "sts:DecodeAuthorizationMessage",
      "iam:GetAccountAuthorizationDetails",
      "iam:GetUser",
      "iam:SimulatePrincipalPolicy",
      "iam:ListAccessKeys",
      "cloudtrail:LookupEvents",
      "cognito-identity:DescribeIdentityPool",
      "appsync:GetGraphqlApi",
      "net:dns",
      "net:tcp",
    ])
      expect(ran).toContain(op);
    expect(report.accountSummary?.ok).toBe(true);
    expect(report.clock?.ok).toBe(true);
    // Everything the fake did not know is an error the report explains, not a crash.
    expect(report.unknowns.length).toBeGreaterThan(5);
    for (const a of report.audit) expect(["ok", "error", "denied", "timeout"]).toContain(a.outcome);
    const text = renderAudit(report) + JSON.stringify(report);
    expect(text).not.toContain(FAKE.secretAccessKey);
    expect(text).not.toContain(FAKE.longTermKeyId);
  });

  it("sends the SDK calls through the proxy HTTP_PROXY names, and says so in the audit", async () => {
    const proxy = await startConnectProxy();
    try {
      fake.on("sts:GetCallerIdentity", gci(ROLE_SESSION)).on("iam:GetAccountSummary", summary(1));
      const report = await run({
        probes: ["identity", "account-summary"],
        env: { AWS_REGION: "us-east-1", HTTP_PROXY: `http://127.0.0.1:${proxy.port}` },
      });
      expect(report.accountSummary?.ok).toBe(true);
      const host = new URL(endpoint).host;
      expect(proxy.connects.length).toBeGreaterThanOrEqual(3);
      expect(proxy.connects.every((c) => c.target === host)).toBe(true);
      for (const a of report.audit) expect(a.endpoint).toBe(`${endpoint} via http://127.0.0.1:${proxy.port}`);
      // NO_PROXY wins.
      proxy.connects.length = 0;
      const direct = await run({
        probes: ["identity"],
        env: { AWS_REGION: "us-east-1", HTTP_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: "127.0.0.1" },
      });
      expect(direct.identity.regional?.ok).toBe(true);
      expect(proxy.connects).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  describe("with the SDK's own provider chain", () => {
    const isolate = () => {
      vi.stubEnv("AWS_CONFIG_FILE", "/nonexistent/authdoctor/config");
      vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/authdoctor/credentials");
      vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
      for (const v of [
        "AWS_PROFILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
      ])
        vi.stubEnv(v, undefined);
    };
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    it("signs with the credentials fromNodeProviderChain resolves from the environment", async () => {
      isolate();
      vi.stubEnv("AWS_ACCESS_KEY_ID", FAKE.accessKeyId);
      vi.stubEnv("AWS_SECRET_ACCESS_KEY", FAKE.secretAccessKey);
      vi.stubEnv("AWS_SESSION_TOKEN", FAKE.sessionToken);
      fake.on("sts:GetCallerIdentity", gci(ROLE_SESSION));
      const report = await runLiveProbes({
        endpointOverride: endpoint,
        timeoutMs: 1000,
        probes: ["identity"],
        env: { AWS_REGION: "us-east-1" },
      });
      expect(report.credentials).toMatchObject({
        ok: true,
        value: { temporary: true, accessKeyId: { masked: "ASIA****7XYZ" } },
      });
      expect(fake.seen[0]?.headers.authorization).toContain(`Credential=${FAKE.accessKeyId}/`);
      expect(fake.seen[0]?.headers["x-amz-security-token"]).toBe(FAKE.sessionToken);
    });

    it("reports an empty chain as CRED_MISSING evidence without calling AWS", async () => {
      isolate();
      const report = await runLiveProbes({
        endpointOverride: endpoint,
        timeoutMs: 1000,
        probes: ["identity"],
        env: { AWS_REGION: "us-east-1" },
      });
      expect(report.credentials).toMatchObject({ ok: false, outcome: "error" });
      expect(fake.seen).toHaveLength(0);
      expect(liveSignals(report)).toContainEqual(expect.objectContaining({ cause: "CRED_MISSING" }));
    });
  });

  it("reports missing credentials as evidence and makes no AWS call", async () => {
    const report = await run({
      credentials: async () => {
        throw Object.assign(new Error("Could not load credentials from any providers"), {
          name: "CredentialsProviderError",
        });
      },
      probes: ["identity", "account-summary"],
    });
    expect(report.credentials).toMatchObject({ ok: false, code: "CredentialsProviderError" });
    expect(report.audit).toEqual([]);
    expect(fake.seen).toHaveLength(0);
    expect(liveSignals(report)).toContainEqual(
      expect.objectContaining({ cause: "CRED_MISSING", effect: "supports" }),
    );
  });

  it("rejects unknown probe names and unreadable times as usage errors", async () => {
    await expect(run({ probes: ["identity", "nope"] })).rejects.toThrow(/unknown probe `nope`/);
    await expect(run({ time: "yesterday-ish" })).rejects.toThrow(/--time/);
  });
});
