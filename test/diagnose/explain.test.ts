// diagnoseFailure (ranking with signals, unknowns) and explainText (parse + rank), incl. property-based robustness.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Signal } from "../../src/core/diagnosis.js";
import { DIAGNOSIS_SCHEMA } from "../../src/core/diagnosis.js";
import { diagnoseFailure, explainText, withTextContext } from "../../src/diagnose/explain.js";
import { ev } from "../causes/tester.js";

const DENIED = ev({
  code: "AccessDenied",
  action: "s3:GetObject",
  message:
    "User: arn:aws:sts::123456789012:assumed-role/app/i-1 is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no identity-based policy allows the s3:GetObject action",
});

function withSignals(signals: Signal[]) {
  return { ...DENIED, signals };
}

describe("diagnoseFailure", () => {
  it("ranks from the text alone, best first, every score explained", () => {
    const { causes } = diagnoseFailure(DENIED);
    expect(causes[0]!.id).toBe("IAM_ACTION_NOT_ALLOWED");
    for (let i = 1; i < causes.length; i++)
      expect(causes[i - 1]!.score).toBeGreaterThanOrEqual(causes[i]!.score);
    for (const c of causes) {
      expect(c.why.length).toBeGreaterThan(0);
      expect(c.checks.length).toBeGreaterThan(0);
      expect(c.fix.summary).not.toBe("");
    }
    expect(causes.length).toBeLessThanOrEqual(8);
  });

  it("a confirming signal makes its cause win, with the signal as a why line", () => {
    const signal: Signal = {
      cause: "SCP_DENY",
      effect: "confirms",
      text: "an SCP denies s3:GetObject for this account",
      source: "can: scp.json",
    };
    const { causes } = diagnoseFailure(withSignals([signal]));
    expect(causes[0]!.id).toBe("SCP_DENY");
    expect(causes[0]!.score).toBeGreaterThanOrEqual(0.97);
    expect(causes[0]!.why.some((w) => w.source === "can: scp.json" && w.weight > 0)).toBe(true);
  });

  it("a refuting signal sends its cause to the bottom with score 0", () => {
    const signal: Signal = {
      cause: "IAM_ACTION_NOT_ALLOWED",
      effect: "refutes",
      text: "the role's policy allows s3:GetObject on arn:aws:s3:::b/k",
      source: "can: authz.json",
    };
    const { causes } = diagnoseFailure(withSignals([signal]));
    const last = causes[causes.length - 1]!;
    expect(causes[0]!.id).not.toBe("IAM_ACTION_NOT_ALLOWED");
    expect(last.id).toBe("IAM_ACTION_NOT_ALLOWED");
    expect(last.score).toBe(0);
    expect(last.why.some((w) => w.source === "can: authz.json")).toBe(true);
  });

  it("supports and weakens move causes by a visible weight", () => {
    const base = diagnoseFailure(DENIED).causes.find((c) => c.id === "IAM_CONDITION_FAILED")!.score;
    const up = diagnoseFailure(
      withSignals([
        {
          cause: "IAM_CONDITION_FAILED",
          effect: "supports",
          text: "a Condition on aws:SourceIp",
          source: "policy",
        },
      ]),
    ).causes.find((c) => c.id === "IAM_CONDITION_FAILED")!;
    expect(up.score).toBeGreaterThan(base);
    expect(up.why.find((w) => w.source === "policy")!.weight).toBeGreaterThan(0);
    const down = diagnoseFailure(
      withSignals([
        { cause: "IAM_CONDITION_FAILED", effect: "weakens", text: "no Condition anywhere", source: "policy" },
      ]),
    ).causes.find((c) => c.id === "IAM_CONDITION_FAILED");
    expect(down === undefined || down.score < base).toBe(true);
  });

  it("a signal can bring in a cause the text does not suggest", () => {
    const { causes } = diagnoseFailure(
      withSignals([
        { cause: "CLOCK_SKEW", effect: "supports", text: "clock 20 min ahead", source: "live: Date header" },
      ]),
    );
    expect(causes.some((c) => c.id === "CLOCK_SKEW")).toBe(true);
  });

  it("reads lines around the error through withTextContext (a key id exported before the call)", () => {
    const failure = ev({
      code: "InvalidAccessKeyId",
      message: "The AWS Access Key Id you provided does not exist in our records.",
    });
    const asiaLine = (causes: { id: string; why: { text: string }[] }[]) =>
      causes.find((c) => c.id === "SESSION_TOKEN_MISSING")?.why.some((w) => /ASIA/.test(w.text)) ?? false;
    const plain = diagnoseFailure(failure).causes;
    const withKey = diagnoseFailure(
      withTextContext(failure, "export AWS_ACCESS_KEY_ID=ASIAY34FZKBOKMUTVV7A"),
    ).causes;
    // (which cause leads on the bare code is the calibrated prior's call; the exported ASIA key is evidence)
    expect(asiaLine(plain)).toBe(false);
    expect(asiaLine(withKey)).toBe(true);
    expect(withKey[0]!.id).toBe("SESSION_TOKEN_MISSING");
    expect(withKey[0]!.score).toBeGreaterThan(
      plain.find((c) => c.id === "SESSION_TOKEN_MISSING")?.score ?? 0,
    );
  });

  it("lists what cannot be decided offline", () => {
    const { unknowns } = diagnoseFailure(DENIED);
    expect(
      unknowns.some((u) => /polic/.test(u.what) && /GetAccountAuthorizationDetails/.test(u.needs ?? "")),
    ).toBe(true);
  });

  it("asks for the token version when an opt-in region is involved", () => {
    const { causes, unknowns } = diagnoseFailure(
      ev(
        { code: "AuthFailure", message: "AWS was not able to validate the provided access credentials" },
        { region: "ap-east-1" },
      ),
    );
    expect(causes[0]!.id).toBe("STS_TOKEN_VERSION_REGION");
    expect(causes[0]!.why.some((w) => w.source === "--region")).toBe(true);
    expect(causes[0]!.checks.map((c) => c.command).join("\n")).toContain(
      "aws iam get-account-summary --query SummaryMap.GlobalEndpointTokenVersion",
    );
    expect(causes[0]!.checks.map((c) => c.command).join("\n")).toContain(
      "aws account get-region-opt-status --region-name ap-east-1",
    );
    expect(unknowns.some((u) => /GlobalEndpointTokenVersion/.test(u.what))).toBe(true);
  });

  it("fills check commands from the failure's principal, action and resource", () => {
    const top = diagnoseFailure(DENIED).causes[0]!;
    const cmds = top.checks.map((c) => c.command ?? "").join("\n");
    expect(cmds).toContain("--policy-source-arn arn:aws:iam::123456789012:role/app");
    expect(cmds).toContain("--action-names s3:GetObject");
    expect(cmds).toContain("--resource-arns arn:aws:s3:::b/k");
    expect(top.fix.policyDiff).toContain('"Action": "s3:GetObject"');
  });
});

describe("explainText", () => {
  it("returns the v1 schema with the parsed failure", () => {
    const d = explainText(
      "An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired",
    );
    expect(d.schema).toBe(DIAGNOSIS_SCHEMA);
    expect(d.failure?.code).toBe("ExpiredToken");
    expect(d.failures.length).toBe(1);
    expect(d.causes[0]!.id).toBe("TOKEN_EXPIRED");
  });

  it("--region fills the region the text does not name, marked as coming from the flag", () => {
    const d = explainText(
      "An error occurred (AuthFailure) when calling the DescribeInstances operation: AWS was not able to validate the provided access credentials",
      { region: "ap-east-1" },
    );
    expect(d.failure?.region).toBe("ap-east-1");
    expect(d.failure?.regionSource).toBe("flag");
    expect(d.failures[0]).toBe(d.failure);
  });

  it("says plainly when the text is not recognised", () => {
    const d = explainText("the build is green, nothing to see here");
    expect(d.failure).toBeNull();
    expect(d.causes).toEqual([]);
    expect(d.unknowns[0]!.why).toMatch(/no sign of an AWS authentication or authorization failure/);
    expect(d.unknowns[0]!.needs).toMatch(/--debug/);
  });

  it("uses --region over the text and never prints secrets from the context", () => {
    const d = explainText(
      "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nAn error occurred (AuthFailure) when calling the DescribeInstances operation: AWS was not able to validate the provided access credentials",
      { region: "me-south-1" },
    );
    expect(d.causes[0]!.id).toBe("STS_TOKEN_VERSION_REGION");
    expect(JSON.stringify(d)).not.toContain("wJalrXUtnFEMI");
  });

  it("never throws on arbitrary input; scores stay in 0..1 and sorted", () => {
    const pieces = fc.constantFrom(
      "An error occurred (",
      "AccessDenied",
      ") when calling the ",
      " operation: ",
      "User: arn:aws:iam::123456789012:user/x is not authorized to perform: ",
      "s3:GetObject",
      " because no identity-based policy allows the ",
      " with an explicit deny in a ",
      '{"__type":"',
      "<Error><Code>",
      "ASIAY34FZKBOKMUTVV7A",
      "Signature expired: 20180920T174101Z is now earlier than ",
      "\n",
      "\u0000",
      "ap-east-1",
    );
    const input = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.array(pieces, { maxLength: 30 }).map((a) => a.join("")),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString("latin1")),
      fc.json().map((j) => j.slice(0, Math.max(1, Math.floor(j.length / 2)))),
    );
    fc.assert(
      fc.property(
        input,
        fc.option(fc.constantFrom("ap-east-1", "us-east-1", " ", "x"), { nil: undefined }),
        (text, region) => {
          const d = explainText(text, region === undefined ? {} : { region });
          expect(d.schema).toBe(DIAGNOSIS_SCHEMA);
          for (let i = 0; i < d.causes.length; i++) {
            const c = d.causes[i]!;
            expect(c.score).toBeGreaterThanOrEqual(0);
            expect(c.score).toBeLessThanOrEqual(1);
            if (i > 0 && c.score > 0) expect(d.causes[i - 1]!.score).toBeGreaterThanOrEqual(c.score);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("copes with a huge input", () => {
    const big = `${"x".repeat(3_000_000)}\nAn error occurred (AccessDenied) when calling the GetObject operation: Access Denied`;
    expect(() => explainText(big)).not.toThrow();
  });
});
