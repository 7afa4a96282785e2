import { describe, expect, it } from "vitest";
import type { Failure, Signal } from "../../../src/core/index.js";
import { liveSignals } from "../../../src/diagnose/signals/live.js";
import type { LiveReport } from "../../../src/live/types.js";

const base = (extra: Partial<LiveReport> = {}): LiveReport => ({
  schema: "authdoctor.live/v1",
  startedAt: "2026-01-01T00:00:00.000Z",
  homeRegion: "us-east-1",
  credentials: {
    ok: true,
    value: { accessKeyId: { masked: "AKIA****7ABC", prefix: "AKIA" }, temporary: false },
  },
  identity: {},
  audit: [],
  unknowns: [],
  ...extra,
});
const f = (extra: Partial<Failure> = {}): Failure => ({ format: "plain", raw: "x", notes: [], ...extra });
const has = (signals: Signal[], cause: string, effect: string) =>
  signals.some((s) => s.cause === cause && s.effect === effect);
const ok = <T>(value: T) => ({ ok: true as const, value });
const identity = (arn: string, account = "123456789012") =>
  ok({
    target: "regional" as const,
    region: "us-east-1",
    endpoint: "https://sts.us-east-1.amazonaws.com",
    account,
    arn,
    userId: "AIDA",
  });

describe("liveSignals", () => {
  it.each<[string, LiveReport, Failure | undefined, string, Signal["effect"]]>([
    [
      "a region being enabled supports REGION_NOT_ENABLED",
      base({
        failingRegion: "me-central-1",
        regionStatus: ok({
          region: "me-central-1",
          status: "ENABLING",
          source: "account:GetRegionOptStatus",
          enabled: false,
          optIn: true,
          transitioning: true,
        }),
      }),
      undefined,
      "REGION_NOT_ENABLED",
      "supports",
    ],
    [
      "a default region refutes STS_TOKEN_VERSION_REGION",
      base({
        regionStatus: ok({
          region: "eu-west-1",
          status: "ENABLED_BY_DEFAULT",
          source: "account:GetRegionOptStatus",
          enabled: true,
          optIn: false,
          transitioning: false,
        }),
      }),
      undefined,
      "STS_TOKEN_VERSION_REGION",
      "refutes",
    ],
    [
      "the simulator's explicit deny in an identity policy confirms IAM_EXPLICIT_DENY",
      base({
        simulation: ok({
          principalArn: "arn:aws:iam::1:user/a",
          action: "s3:GetObject",
          resource: "*",
          decision: "explicitDeny" as const,
          matchedStatements: [{ sourcePolicyId: "deny-s3", sourcePolicyType: "IAM Policy" }],
          missingContextValues: [],
        }),
      }),
      undefined,
      "IAM_EXPLICIT_DENY",
      "confirms",
    ],
    [
      "a boundary that does not allow confirms PERMISSION_BOUNDARY",
      base({
        simulation: ok({
          principalArn: "arn:aws:iam::1:user/a",
          action: "s3:GetObject",
          resource: "*",
          decision: "allowed" as const,
          matchedStatements: [],
          missingContextValues: [],
          allowedByPermissionsBoundary: false,
        }),
      }),
      undefined,
      "PERMISSION_BOUNDARY",
      "confirms",
    ],
    [
      "SCPs that do not allow confirm SCP_DENY",
      base({
        simulation: ok({
          principalArn: "arn:aws:iam::1:user/a",
          action: "s3:GetObject",
          resource: "*",
          decision: "implicitDeny" as const,
          matchedStatements: [],
          missingContextValues: ["aws:SourceIp"],
          allowedByOrganizations: false,
        }),
      }),
      undefined,
      "SCP_DENY",
      "confirms",
    ],
    [
      "missing context values support IAM_CONDITION_FAILED",
      base({
        simulation: ok({
          principalArn: "arn:aws:iam::1:user/a",
          action: "s3:GetObject",
          resource: "*",
          decision: "implicitDeny" as const,
          matchedStatements: [],
          missingContextValues: ["aws:SourceIp"],
        }),
      }),
      undefined,
      "IAM_CONDITION_FAILED",
      "supports",
    ],
    [
      "an explicit deny decoded for an SCP failure confirms SCP_DENY",
      base({
        decodedMessage: ok({
          allowed: false,
          explicitDeny: true,
          matchedStatements: [],
          failures: [],
          context: { conditions: [] },
        }),
      }),
      f({ policyType: "service-control" }),
      "SCP_DENY",
      "confirms",
    ],
    [
      "a resource in another account supports ACCOUNT_MISMATCH",
      base({ identity: { regional: identity("arn:aws:iam::123456789012:user/a") } }),
      f({ resource: "arn:aws:sqs:us-east-1:999999999999:queue" }),
      "ACCOUNT_MISMATCH",
      "supports",
    ],
    [
      "the failing key differing from the chain's supports CRED_WRONG_SOURCE",
      base(),
      f({ accessKeyId: { masked: "AKIA****0000", prefix: "AKIA" } }),
      "CRED_WRONG_SOURCE",
      "supports",
    ],
    [
      "working credentials with the failing key refute KEY_SECRET_MISMATCH",
      base({ identity: { regional: identity("arn:aws:iam::123456789012:user/a") } }),
      f({ accessKeyId: { masked: "AKIA****7ABC", prefix: "AKIA" } }),
      "KEY_SECRET_MISMATCH",
      "refutes",
    ],
    [
      "working credentials of another key only weaken KEY_SECRET_MISMATCH",
      base({ identity: { regional: identity("arn:aws:iam::123456789012:user/a") } }),
      f({ accessKeyId: { masked: "AKIA****0000", prefix: "AKIA" } }),
      "KEY_SECRET_MISMATCH",
      "weakens",
    ],
    [
      "SignatureDoesNotMatch from STS confirms KEY_SECRET_MISMATCH",
      base({
        identity: {
          regional: {
            ok: false,
            outcome: "error",
            code: "SignatureDoesNotMatch",
            reason: "SignatureDoesNotMatch: ...",
          },
        },
      }),
      undefined,
      "KEY_SECRET_MISMATCH",
      "confirms",
    ],
    [
      "ExpiredToken from STS confirms TOKEN_EXPIRED",
      base({
        identity: {
          regional: { ok: false, outcome: "error", code: "ExpiredToken", reason: "ExpiredToken: ..." },
        },
      }),
      undefined,
      "TOKEN_EXPIRED",
      "confirms",
    ],
    [
      "an Active key refutes KEY_INACTIVE",
      base({
        accessKeys: ok({
          userName: "a",
          keys: [{ accessKeyId: { masked: "AKIA****7ABC", prefix: "AKIA" }, status: "Active" }],
          current: { accessKeyId: { masked: "AKIA****7ABC", prefix: "AKIA" }, status: "Active" },
        }),
      }),
      undefined,
      "KEY_INACTIVE",
      "refutes",
    ],
    [
      "a failing user key missing from the user's keys supports KEY_INVALID_ID",
      base({
        accessKeys: ok({
          userName: "a",
          keys: [{ accessKeyId: { masked: "AKIA****7ABC", prefix: "AKIA" }, status: "Active" }],
        }),
      }),
      f({
        accessKeyId: { masked: "AKIA****0000", prefix: "AKIA" },
        principal: { raw: "arn:aws:iam::1:user/a", kind: "iam-user", name: "a" },
      }),
      "KEY_INVALID_ID",
      "supports",
    ],
    [
      "AWS_IAM only as an additional AppSync mode supports APP_AUTH_MODE",
      base({
        appsync: ok({ apiId: "x", region: "us-east-1", defaultAuth: "API_KEY", additionalAuth: ["AWS_IAM"] }),
      }),
      f({ service: "appsync" }),
      "APP_AUTH_MODE",
      "supports",
    ],
    [
      "a clock 2 minutes off supports CLOCK_SKEW",
      base({ clock: ok({ skewSeconds: 120, samples: 3, uncertaintySeconds: 1 }) }),
      undefined,
      "CLOCK_SKEW",
      "supports",
    ],
    [
      "credential resolution that times out supports NETWORK_PATH",
      base({
        credentials: { ok: false, outcome: "timeout", reason: "could not resolve credentials: TimeoutError" },
      }),
      undefined,
      "NETWORK_PATH",
      "supports",
    ],
    [
      "a TLS certificate not issued by Amazon for an AWS host supports NETWORK_PATH",
      base({
        network: ok({
          host: "sts.us-east-1.amazonaws.com",
          port: 443,
          dns: { ok: true, ms: 1, detail: "", addresses: ["1.2.3.4"] },
          tcp: { ok: true, ms: 1, detail: "" },
          tls: { ok: true, ms: 1, detail: "", issuer: "Corp Proxy CA" },
          https: { ok: true, ms: 1, detail: "" },
        }),
      }),
      undefined,
      "NETWORK_PATH",
      "supports",
    ],
  ])("%s", (_name, report, failure, cause, effect) => {
    const signals = liveSignals(report, failure);
    expect(has(signals, cause, effect), JSON.stringify(signals, null, 1)).toBe(true);
  });

  it("gives no signal from probes that did not run, and every signal names a live source", () => {
    const report = base({
      accountSummary: {
        ok: false,
        outcome: "denied",
        reason: "could not read the account summary: needs iam:GetAccountSummary",
        needs: "iam:GetAccountSummary",
      },
      regionStatus: { ok: false, outcome: "skipped", reason: "no failing region known" },
    });
    const signals = liveSignals(report);
    expect(signals.some((s) => s.source.includes("GetAccountSummary"))).toBe(false);
    for (const s of liveSignals(base({ clock: ok({ skewSeconds: 0, samples: 1, uncertaintySeconds: 1 }) })))
      expect(s.source).toMatch(/^live: /);
  });

  it("does not confirm STS_TOKEN_VERSION_REGION for long-term keys", () => {
    const report = base({
      failingRegion: "ap-east-1",
      accountSummary: ok({ globalEndpointTokenVersion: 1, summary: {} }),
      regionStatus: ok({
        region: "ap-east-1",
        status: "ENABLED",
        source: "account:GetRegionOptStatus" as const,
        enabled: true,
        optIn: true,
        transitioning: false,
      }),
    });
    const signals = liveSignals(report);
    expect(has(signals, "STS_TOKEN_VERSION_REGION", "confirms")).toBe(false);
    expect(has(signals, "STS_TOKEN_VERSION_REGION", "weakens")).toBe(true);
  });
});

describe("live evidence never contradicts the error itself", () => {
  const dnsDown = base({
    network: ok({
      host: "sts.us-east-1.amazonaws.com",
      port: 443,
      dns: { ok: false, ms: 1, detail: "getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com", addresses: [] },
    }),
  });
  it("a DNS failure of the probe confirms NETWORK_PATH when the error is a connection error", () => {
    const s = liveSignals(dnsDown, f({ code: "EndpointConnectionError" }));
    expect(has(s, "NETWORK_PATH", "confirms")).toBe(true);
  });
  it.each([
    ["an AWS error code", f({ code: "AccessDenied" })],
    ["an AWS request id", f({ requestId: "4f1c-EXAMPLE" })],
  ])("but only weakens it when the error carries %s (the call reached AWS)", (_n, failure) => {
    const s = liveSignals(dnsDown, failure);
    expect(s.some((x) => x.cause === "NETWORK_PATH" && ["confirms", "supports"].includes(x.effect))).toBe(
      false,
    );
    expect(s.find((x) => x.cause === "NETWORK_PATH")?.text).toMatch(/reached AWS/);
  });
});
