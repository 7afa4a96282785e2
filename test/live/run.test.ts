import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Failure } from "../../src/core/index.js";
import { liveSignals, renderAudit, runLiveProbes } from "../../src/live/index.js";
import { FAKE, FakeAws, jsonError, queryError, queryOk, restError, xml } from "./fake-aws.js";

const ACCOUNT = "123456789012";
const ROLE_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/session-1`;
const temporary = async () => ({
  accessKeyId: FAKE.accessKeyId,
  secretAccessKey: FAKE.secretAccessKey,
  sessionToken: FAKE.sessionToken,
});
const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const gci = (arn: string) =>
  xml(queryOk("GetCallerIdentity", `<Arn>${arn}</Arn><UserId>AROAEXAMPLEID:session-1</UserId><Account>${ACCOUNT}</Account>`, STS_NS));
const summary = (version: number) =>
  xml(
    queryOk(
      "GetAccountSummary",
      `<SummaryMap><entry><key>Users</key><value>4</value></entry><entry><key>GlobalEndpointTokenVersion</key><value>${version}</value></entry></SummaryMap>`,
    ),
  );

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
  beforeAll(async () => {
    endpoint = await fake.start();
  });
  afterAll(() => fake.stop());

  it("confirms STS_TOKEN_VERSION_REGION: v1 tokens, opt-in region rejects the session that works elsewhere", async () => {
    fake
      .on("sts:GetCallerIdentity", (seen) =>
        /\/ap-east-1\//.test(seen.headers.authorization ?? "")
          ? (queryError(403, "InvalidClientTokenId", "The security token included in the request is invalid.") as never)
          : (gci(ROLE_ARN) as never),
      )
      .on("iam:GetAccountSummary", summary(1))
      .on("account:GetRegionOptStatus", {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ RegionName: "ap-east-1", RegionOptStatus: "ENABLED" }),
      });
    const report = await runLiveProbes({
      failure: failure(),
      endpointOverride: endpoint,
      credentials: temporary,
      timeoutMs: 1000,
      probes: ["identity", "account-summary", "region"],
      env: { AWS_REGION: "us-east-1" },
    });
    expect(report.identity.regional?.ok).toBe(true);
    expect(report.identity.global?.ok).toBe(true);
    expect(report.identity.failingRegion).toMatchObject({ ok: false, code: "InvalidClientTokenId" });
    expect(report.accountSummary).toMatchObject({ ok: true, value: { globalEndpointTokenVersion: 1 } });
    expect(report.regionStatus).toMatchObject({ ok: true, value: { status: "ENABLED", optIn: true, enabled: true } });
    const signals = liveSignals(report, failure());
    expect(signals).toContainEqual(
      expect.objectContaining({ cause: "STS_TOKEN_VERSION_REGION", effect: "confirms" }),
    );
    expect(signals).toContainEqual(expect.objectContaining({ cause: "REGION_NOT_ENABLED", effect: "refutes" }));
    // audit: every call, with account and region
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
  });
});
