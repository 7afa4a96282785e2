// Each trail finding alone, through its plain data (a TrailContext: who failed, with which key, when, and the
// issuances, changes and failures the trail shows). trailSignals (test/diagnose/signals/trail.test.ts) joins them.
import { describe, expect, it } from "vitest";
import type { Signal } from "../../../src/core/diagnosis.js";
import {
  accessChangedBeforeFailure,
  failuresOnlyInOptInRegions,
  keyChangedBeforeFailure,
  roleAssumedAtFailure,
  sessionExpiredAtFailure,
  TRAIL_FINDINGS,
  type TrailContext,
  type TrailFacts,
  trailContext,
  trailSignals,
} from "../../../src/diagnose/signals/trail.js";
import type { Change, Issuance } from "../../../src/trail/classify.js";

const AT = Date.parse("2026-03-01T12:00:00Z");
const MIN = 60_000;
const said = (signals: Signal[]) => signals.map((s) => `${s.cause} ${s.effect}`);
const facts = (extra: Partial<TrailFacts> = {}): TrailFacts => ({
  issuances: [],
  changes: [],
  failRegions: new Map(),
  okRegions: new Map(),
  firstFailure: Number.POSITIVE_INFINITY,
  ...extra,
});
const issuance = (t: number, extra: Partial<Issuance> = {}): Issuance & { t: number; src: string } => ({
  kind: "AssumeRole",
  time: new Date(t).toISOString(),
  caller: "arn:aws:iam::1:user/ci",
  crossAccount: false,
  identityCenter: false,
  roleArn: "arn:aws:iam::1:role/app",
  t,
  src: "trail: issuance",
  ...extra,
});
const change = (t: number, extra: Partial<Change>): Change & { t: number } => ({
  time: new Date(t).toISOString(),
  eventSource: "iam.amazonaws.com",
  eventName: "PutRolePolicy",
  category: "identity-policy",
  target: "role/app",
  subjects: ["app"],
  actor: "admin",
  succeeded: true,
  t,
  ...extra,
});
const ctx = (extra: Partial<TrailContext>): TrailContext => ({ facts: facts(), ...extra });

describe("trail findings, one at a time", () => {
  it("roleAssumedAtFailure: a session of the role issued near the failure refutes the trust policy", () => {
    const c = ctx({ role: "app", at: AT, facts: facts({ issuances: [issuance(AT - 5 * MIN)] }) });
    expect(said(roleAssumedAtFailure(c))).toEqual([
      "TRUST_POLICY refutes",
      "IAM_ACTION_NOT_ALLOWED supports",
      "IAM_RESOURCE_MISMATCH supports",
    ]);
    const refused = ctx({
      role: "app",
      at: AT,
      facts: facts({ issuances: [issuance(AT, { errorCode: "AccessDenied" })] }),
    });
    expect(said(roleAssumedAtFailure(refused))).toEqual(["TRUST_POLICY supports"]);
    const far = ctx({ role: "app", at: AT, facts: facts({ issuances: [issuance(AT - 60 * MIN)] }) });
    expect(roleAssumedAtFailure(far)).toEqual([]);
  });

  it("keyChangedBeforeFailure: the key was deactivated, deleted, or reactivated last", () => {
    const key = "AKIA****WXYZ";
    const keyChange = (eventName: string, detail: string) =>
      change(AT - 10 * MIN, { category: "access-key", eventName, detail, subjects: [key] });
    expect(
      said(
        keyChangedBeforeFailure(
          ctx({
            maskedKey: key,
            at: AT,
            facts: facts({ changes: [keyChange("UpdateAccessKey", "status Inactive")] }),
          }),
        ),
      ),
    ).toEqual(["KEY_INACTIVE confirms"]);
    expect(
      said(
        keyChangedBeforeFailure(
          ctx({ maskedKey: key, at: AT, facts: facts({ changes: [keyChange("DeleteAccessKey", "")] }) }),
        ),
      ),
    ).toEqual(["KEY_INACTIVE confirms", "KEY_INVALID_ID supports"]);
    expect(
      said(
        keyChangedBeforeFailure(
          ctx({
            maskedKey: key,
            at: AT,
            facts: facts({ changes: [keyChange("UpdateAccessKey", "status Active")] }),
          }),
        ),
      ),
    ).toEqual(["KEY_INACTIVE refutes"]);
    // after the failure: not a cause
    const later = change(AT + MIN, { category: "access-key", eventName: "DeleteAccessKey", subjects: [key] });
    expect(
      keyChangedBeforeFailure(ctx({ maskedKey: key, at: AT, facts: facts({ changes: [later] }) })),
    ).toEqual([]);
  });

  it("accessChangedBeforeFailure: the principal's policy, an SCP, a bucket policy; not another principal's", () => {
    const c = ctx({
      role: "app",
      at: AT,
      facts: facts({
        changes: [
          change(AT - 20 * MIN, {}),
          change(AT - 10 * MIN, {
            category: "scp",
            eventName: "UpdatePolicy",
            target: "policy p-1 (SCP)",
            subjects: [],
          }),
          change(AT - 5 * MIN, {
            category: "bucket-policy",
            eventName: "PutBucketPolicy",
            target: "bucket b",
            subjects: ["b"],
          }),
          change(AT - 5 * MIN, { target: "role/other", subjects: ["other"] }),
          change(AT - 2 * 60 * MIN, { eventName: "DeleteRolePolicy" }),
        ],
      }),
    });
    const s = accessChangedBeforeFailure(c);
    expect(said(s)).toEqual([
      "IAM_ACTION_NOT_ALLOWED supports",
      "IAM_RESOURCE_MISMATCH supports",
      "IAM_EXPLICIT_DENY supports",
      "SCP_DENY supports",
      "RESOURCE_POLICY supports",
    ]);
    expect(s[0]!.text).toContain("of the failing principal");
    expect(s[0]!.text).toContain("20 min before the failure");
  });

  it("failuresOnlyInOptInRegions: failures only in opt-in regions, successes elsewhere", () => {
    const c = ctx({
      facts: facts({ failRegions: new Map([["me-central-1", 3]]), okRegions: new Map([["us-east-1", 5]]) }),
    });
    expect(said(failuresOnlyInOptInRegions(c))).toEqual([
      "STS_TOKEN_VERSION_REGION supports",
      "REGION_NOT_ENABLED supports",
    ]);
    const mixed = ctx({
      facts: facts({ failRegions: new Map([["us-east-1", 1]]), okRegions: new Map([["us-west-2", 5]]) }),
    });
    expect(failuresOnlyInOptInRegions(mixed)).toEqual([]);
  });

  it("sessionExpiredAtFailure: the failing session had expired; a chained role session is capped at one hour", () => {
    const key = "ASIA****WXYZ";
    const iss = issuance(AT - 2 * 60 * MIN, {
      keyId: "ASIAAAAAAAAAAAAAWXYZ",
      durationSeconds: 3600,
      callerKeyId: "ASIABBBBBBBBBBBBBBBB",
    });
    expect(
      said(sessionExpiredAtFailure(ctx({ maskedKey: key, at: AT, facts: facts({ issuances: [iss] }) }))),
    ).toEqual(["TOKEN_EXPIRED supports", "ROLE_SESSION_LIMIT supports"]);
    const fresh = { ...iss, t: AT - 10 * MIN };
    expect(
      said(sessionExpiredAtFailure(ctx({ maskedKey: key, at: AT, facts: facts({ issuances: [fresh] }) }))),
    ).toEqual(["TOKEN_EXPIRED weakens"]);
  });

  it("trailContext reads the input once; trailSignals is the findings in order, deduplicated", () => {
    const c = trailContext({
      principal: "arn:aws:sts::1:assumed-role/app/s",
      keyId: "ASIAAAAAAAAAAAAAWXYZ",
      time: "2026-03-01T12:00:00Z",
      changes: [change(AT - 10 * MIN, {})],
    });
    expect(c).toMatchObject({ role: "app", maskedKey: "ASIA****WXYZ", at: AT });
    expect(c.facts.changes).toHaveLength(1);
    const input = {
      principal: "arn:aws:sts::1:assumed-role/app/s",
      time: "2026-03-01T12:00:00Z",
      changes: [change(AT - 10 * MIN, {})],
    };
    expect(trailSignals(input)).toEqual(TRAIL_FINDINGS.flatMap((f) => f(trailContext(input))));
    expect(TRAIL_FINDINGS.length).toBe(5);
  });
});
