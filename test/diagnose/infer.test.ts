// Request inference: the failing request from the other evidence, each field with its origin, then evaluated.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Failure } from "../../src/core/failure.js";
import { inferAction, inferFromIssuance, inferResource } from "../../src/diagnose/infer.js";
import { resolveInputs } from "../../src/diagnose/inputs.js";
import { diagnose } from "../../src/diagnose/run.js";
import { callerMismatch } from "../../src/diagnose/sources/credentials.js";

const root = resolve(import.meta.dirname, "../..");
const issue = (name: string, time: string, role: string, session = "s") => ({
  eventTime: time,
  eventSource: "sts.amazonaws.com",
  eventName: name,
  requestParameters: { roleArn: `arn:aws:iam::111122223333:role/${role}`, roleSessionName: session },
});

describe("inferFromIssuance", () => {
  it("takes the last session issued before the failure, preferring web identity for Cognito/Amplify texts", () => {
    const records = [
      issue("AssumeRoleWithWebIdentity", "2025-01-01T10:00:00Z", "CognitoAuth", "CognitoIdentityCredentials"),
      issue("AssumeRole", "2025-01-01T10:05:00Z", "Deployer"),
      issue("AssumeRole", "2025-01-01T12:00:00Z", "Later"),
    ];
    const amplify = { format: "amplify", raw: "Unauthorized", notes: [] } as Failure;
    const o = inferFromIssuance(records, { time: "2025-01-01T10:10:00Z", failure: amplify });
    expect(o.find((x) => x.field === "principal")).toMatchObject({
      value: "arn:aws:sts::111122223333:assumed-role/CognitoAuth/CognitoIdentityCredentials",
      origin: "trail",
      label: "trail (AssumeRoleWithWebIdentity at 2025-01-01T10:00:00Z)",
    });
    expect(o.some((x) => x.field === "time")).toBe(false);
    const plain = { format: "plain", raw: "AccessDenied", notes: [] } as Failure;
    const p = inferFromIssuance(records, { time: "2025-01-01T10:10:00Z", failure: plain });
    expect(p.find((x) => x.field === "principal")?.value).toContain("assumed-role/Deployer/");
  });
  it("skips failed issuances and gives nothing without one", () => {
    expect(
      inferFromIssuance(
        [{ ...issue("AssumeRole", "2025-01-01T10:00:00Z", "R"), errorCode: "AccessDenied" }],
        { failure: null },
      ),
    ).toEqual([]);
  });
});

describe("inferAction / inferResource", () => {
  it("AppSync requests are appsync:GraphQL; the API comes from the principal's own policy", () => {
    expect(inferAction({ format: "graphql", raw: "", notes: [], service: "appsync" } as Failure)?.value).toBe(
      "appsync:GraphQL",
    );
    expect(
      inferAction({ format: "aws-cli", raw: "", notes: [], service: "s3", operation: "GetObject" } as Failure)
        ?.value,
    ).toBe("s3:GetObject");
    const snap = {
      RoleDetailList: [
        {
          RoleName: "R",
          RolePolicyList: [
            {
              PolicyDocument: {
                Statement: [
                  {
                    Effect: "Allow",
                    Action: "appsync:GraphQL",
                    Resource: "arn:aws:appsync:eu-west-1:111122223333:apis/abc123",
                  },
                ],
              },
            },
          ],
        },
      ],
    };
    const r = inferResource("appsync:GraphQL", "arn:aws:sts::111122223333:assumed-role/R/s", snap);
    expect(r).toMatchObject({
      value: "arn:aws:appsync:eu-west-1:111122223333:apis/abc123/types/*/fields/*",
      origin: "authorization-details",
    });
    expect(inferResource("s3:GetObject", "arn:aws:sts::111122223333:assumed-role/R/s", snap)).toBeUndefined();
  });
});

describe("seed 001 (examples/appsync-unauthorized) with only --trail and --authz", () => {
  it("infers the request with origins and reaches IAM_RESOURCE_MISMATCH", async () => {
    const ex = `${root}/examples/appsync-unauthorized`;
    const { readFileSync } = await import("node:fs");
    const input = resolveInputs(
      { text: readFileSync(`${ex}/error.txt`, "utf8"), trail: [`${ex}/trail`], authz: `${ex}/authz.json` },
      undefined,
      {},
    );
    const d = await diagnose(input);
    expect(d.causes[0]?.id).toBe("IAM_RESOURCE_MISMATCH");
    expect(d.request?.fields?.principal).toMatchObject({
      value: "arn:aws:sts::483920175566:assumed-role/Cognito_TaskListAuth_Role/CognitoIdentityCredentials",
      origin: "trail",
    });
    expect(d.request?.fields?.action?.value).toBe("appsync:GraphQL");
    expect(d.request?.fields?.resource?.origin).toBe("authorization-details");
    expect(d.checked?.find((c) => c.source === "policies")?.status).toBe("used");
  });
});

describe("callerMismatch", () => {
  const out = () => ({
    checked: [],
    signals: [{ cause: "CRED_MISSING" as const, effect: "supports" as const, text: "x", source: "creds" }],
    unknowns: [],
    keyIds: ["AKIAAAAAAAAAAAAA1111"],
  });
  const machine = { origin: "machine" as const, env: {} };
  it("skips this machine's credentials when the error names another key", () => {
    const f = {
      format: "aws-cli",
      raw: "",
      notes: [],
      accessKeyId: { masked: "AKIA****2222", prefix: "AKIA" },
    } as Failure;
    const r = callerMismatch(out(), machine, { failure: f, facts: [] });
    expect(r.signals).toEqual([]);
    expect(r.checked[0]?.status).toBe("skipped");
    expect(r.checked[0]?.detail).toContain("AKIA****2222");
    expect(r.checked[0]?.detail).not.toContain("AKIAAAAAAAAAAAAA1111");
  });
  it("skips them when the notes say it ran elsewhere; keeps them otherwise and for bundles", () => {
    const facts = [{ name: "runs-in", value: "lambda", quote: "in a Lambda" }];
    expect(callerMismatch(out(), machine, { failure: null, facts }).signals).toEqual([]);
    expect(
      callerMismatch(out(), machine, {
        failure: null,
        facts: [...facts, { name: "runs-in", value: "local", quote: "locally" }],
      }).signals,
    ).toHaveLength(1);
    expect(
      callerMismatch(out(), { origin: "bundle", env: {} }, { failure: null, facts }).signals,
    ).toHaveLength(1);
  });
});
