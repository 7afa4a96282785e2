// Each live finding alone, through its plain-data input (a LiveReport part and the failing call): one probe result
// in, the signals it gives out. liveSignals (test/diagnose/signals/live.test.ts) joins them.
import { describe, expect, it } from "vitest";
import type { Failure, Signal } from "../../../src/core/index.js";
import {
  accessChanges,
  accessKeys,
  appsyncAuth,
  callerIdentity,
  clockSkew,
  cognitoPool,
  credentialChain,
  decodedMessage,
  failingRegionIdentity,
  LIVE_FINDINGS,
  liveContext,
  liveSignals,
  networkPath,
  regionStatus,
  sessionIssuance,
  simulation,
  tokenVersion,
  toolboxEvaluation,
} from "../../../src/diagnose/signals/live.js";
import type { LiveReport, NetworkReport, TrailLookup } from "../../../src/live/types.js";

const ok = <T>(value: T) => ({ ok: true as const, value });
const KEY = { masked: "ASIA****7ABC", prefix: "ASIA" };
const report = (extra: Partial<LiveReport> = {}): LiveReport => ({
  schema: "authdoctor.live/v1",
  startedAt: "2026-01-01T00:00:00.000Z",
  homeRegion: "us-east-1",
  credentials: ok({ accessKeyId: KEY, temporary: true }),
  identity: {},
  audit: [],
  unknowns: [],
  ...extra,
});
const failure = (extra: Partial<Failure> = {}): Failure => ({
  format: "plain",
  raw: "x",
  notes: [],
  accessKeyId: KEY,
  ...extra,
});
const said = (signals: Signal[]) => signals.map((s) => `${s.cause} ${s.effect}`);
const identity = (
  target: "regional" | "global" | "failing-region",
  region: string,
  account = "111122223333",
) =>
  ok({
    target,
    region,
    endpoint: `https://sts.${region}.amazonaws.com`,
    account,
    arn: `arn:aws:sts::${account}:assumed-role/r/s`,
    userId: "AROA",
  });
const trail = (extra: Partial<TrailLookup>): TrailLookup => ({
  region: "us-east-1",
  window: { start: "2026-01-01T00:00:00Z", end: "2026-01-01T01:00:00Z" },
  byKey: [],
  issuance: [],
  changes: [],
  gaps: [],
  ...extra,
});
const net = (extra: Partial<NetworkReport>): NetworkReport => ({
  host: "sts.us-east-1.amazonaws.com",
  port: 443,
  dns: { ok: true, ms: 1, detail: "resolved", addresses: ["1.2.3.4"] },
  ...extra,
});

describe("live findings, one at a time", () => {
  it("credentialChain: no credentials, another key, long-term keys", () => {
    expect(
      said(
        credentialChain(
          liveContext(report({ credentials: { ok: false, outcome: "error", reason: "none" } })),
        ),
      ),
    ).toEqual(["CRED_MISSING supports"]);
    expect(
      said(
        credentialChain(
          liveContext(report({ credentials: { ok: false, outcome: "timeout", reason: "IMDS timed out" } })),
        ),
      ),
    ).toEqual(["NETWORK_PATH supports"]);
    const other = credentialChain(
      liveContext(
        report({
          credentials: ok({ accessKeyId: { masked: "AKIA****0000", prefix: "AKIA" }, temporary: false }),
        }),
        failure(),
      ),
    );
    expect(said(other)).toEqual(["CRED_WRONG_SOURCE supports"]);
    expect(other[0]!.source).toBe("live: credential provider chain");
  });

  it("callerIdentity: working credentials settle credential causes; another account is named", () => {
    const c = liveContext(
      report({ identity: { regional: identity("regional", "us-east-1") } }),
      failure({ resource: "arn:aws:s3:us-east-1:444455556666:accesspoint/a" }),
    );
    const s = said(callerIdentity(c));
    expect(s).toContain("KEY_INVALID_ID refutes");
    expect(s).toContain("ACCOUNT_MISMATCH supports");
    const rejected = callerIdentity(
      liveContext(
        report({
          identity: { regional: { ok: false, outcome: "error", reason: "bad", code: "ExpiredToken" } },
        }),
        failure(),
      ),
    );
    expect(said(rejected)).toEqual(["TOKEN_EXPIRED confirms"]);
  });

  it("failingRegionIdentity: works at home but the failing region rejects the token", () => {
    const c = liveContext(
      report({
        failingRegion: "me-central-1",
        identity: {
          regional: identity("regional", "us-east-1"),
          failingRegion: { ok: false, outcome: "error", reason: "invalid", code: "InvalidClientTokenId" },
        },
      }),
      failure(),
    );
    expect(said(failingRegionIdentity(c))).toEqual([
      "STS_TOKEN_VERSION_REGION supports",
      "REGION_NOT_ENABLED supports",
    ]);
    expect(failingRegionIdentity(liveContext(report()))).toEqual([]);
  });

  it("tokenVersion and regionStatus: v1 tokens in a disabled opt-in region", () => {
    const c = liveContext(
      report({
        accountSummary: ok({ globalEndpointTokenVersion: 1, summary: {} }),
        regionStatus: ok({
          region: "me-central-1",
          status: "DISABLED",
          source: "account:GetRegionOptStatus" as const,
          enabled: false,
          optIn: true,
          transitioning: false,
        }),
      }),
      failure(),
    );
    expect(said(tokenVersion(c))).toEqual(["STS_TOKEN_VERSION_REGION confirms"]);
    expect(said(regionStatus(c))).toEqual(["REGION_NOT_ENABLED confirms"]);
  });

  it("toolboxEvaluation and decodedMessage give nothing without their probe, and survive an odd answer", () => {
    expect(toolboxEvaluation(liveContext(report()))).toEqual([]);
    expect(decodedMessage(liveContext(report()))).toEqual([]);
    const odd = report({ authorizationDetails: ok({ pages: [{ nonsense: true }] } as never) });
    expect(() => toolboxEvaluation(liveContext(odd))).not.toThrow();
  });

  it("simulation: an allowed simulation weakens the identity causes; SCPs that do not allow confirm SCP_DENY", () => {
    const c = liveContext(
      report({
        simulation: ok({
          principalArn: "arn:aws:iam::1:user/a",
          action: "s3:GetObject",
          resource: "*",
          decision: "allowed" as const,
          matchedStatements: [],
          missingContextValues: [],
          allowedByOrganizations: false,
        }),
      }),
    );
    expect(said(simulation(c))).toEqual([
      "IAM_ACTION_NOT_ALLOWED weakens",
      "IAM_RESOURCE_MISMATCH weakens",
      "SCP_DENY confirms",
    ]);
  });

  it("accessKeys: the failing key is Inactive", () => {
    const c = liveContext(
      report({ accessKeys: ok({ userName: "u", keys: [{ accessKeyId: KEY, status: "Inactive" }] }) }),
      failure(),
    );
    expect(said(accessKeys(c))).toEqual(["KEY_INACTIVE confirms"]);
  });

  it("sessionIssuance and accessChanges: the global endpoint issued the session; a trust policy changed", () => {
    const c = liveContext(
      report({
        cloudTrail: ok(
          trail({
            issuance: [
              { eventTime: "2026-01-01T00:10:00Z", eventName: "AssumeRole", host: "sts.amazonaws.com" },
            ],
            changes: [
              { eventTime: "2026-01-01T00:20:00Z", eventName: "UpdateAssumeRolePolicy", username: "admin" },
            ],
          }),
        ),
      }),
    );
    expect(said(sessionIssuance(c))).toEqual(["STS_TOKEN_VERSION_REGION supports"]);
    const changed = accessChanges(c);
    expect(said(changed)).toEqual(["TRUST_POLICY supports"]);
    expect(changed[0]!.text).toContain("by admin");
  });

  it("cognitoPool: the failing call used the guest role; appsyncAuth: the API does not accept AWS_IAM", () => {
    const pool = liveContext(
      report({
        cognito: ok({
          identityPoolId: "us-east-1:x",
          unauthenticatedRole: "arn:aws:iam::1:role/Guest",
          authenticatedRole: "arn:aws:iam::1:role/Auth",
          roleMappings: [],
          loginProviders: [],
          gaps: [],
        }),
      }),
      failure({
        principal: {
          raw: "arn:aws:sts::1:assumed-role/Guest/CognitoIdentityCredentials",
          kind: "role-session",
          name: "Guest",
        },
      }),
    );
    expect(said(cognitoPool(pool))).toEqual(["COGNITO_CONFIG supports"]);
    const api = liveContext(
      report({
        appsync: ok({ apiId: "a", region: "us-east-1", defaultAuth: "API_KEY", additionalAuth: [] }),
      }),
      failure({ service: "appsync" }),
    );
    expect(said(appsyncAuth(api))).toEqual(["APP_AUTH_MODE confirms"]);
  });

  it("clockSkew: beyond five minutes (past the uncertainty) confirms, within a minute refutes", () => {
    const skew = (s: number) =>
      liveContext(report({ clock: ok({ skewSeconds: s, samples: 3, uncertaintySeconds: 2 }) }));
    expect(said(clockSkew(skew(-900)))).toEqual(["CLOCK_SKEW confirms"]);
    expect(said(clockSkew(skew(120)))).toEqual(["CLOCK_SKEW supports"]);
    expect(said(clockSkew(skew(3)))).toEqual(["CLOCK_SKEW refutes"]);
  });

  it("networkPath: a failing step confirms; liveSignals keeps it to the error when AWS answered the failing call", () => {
    const broken = report({ network: ok(net({ tcp: { ok: false, ms: 5, detail: "connection refused" } })) });
    expect(said(networkPath(liveContext(broken)))).toEqual(["NETWORK_PATH confirms"]);
    const joined = liveSignals(broken, failure({ requestId: "R1" })).filter(
      (s) => s.cause === "NETWORK_PATH",
    );
    expect(said(joined)).toEqual(["NETWORK_PATH weakens"]);
    expect(joined[0]!.text).toContain("the failing call reached AWS");
  });

  it("liveSignals is the findings in their listed order", () => {
    const r = report({
      clock: ok({ skewSeconds: 3, samples: 1, uncertaintySeconds: 1 }),
      identity: { regional: identity("regional", "us-east-1") },
    });
    const c = liveContext(r, failure());
    expect(liveSignals(r, failure())).toEqual(LIVE_FINDINGS.flatMap((f) => f(c)));
    expect(LIVE_FINDINGS.length).toBe(15);
  });
});
