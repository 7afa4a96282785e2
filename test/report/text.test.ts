// Text renderer: one-line failure, top causes with why/check/fix, colour only when asked, plain "not recognised".

import { describe, expect, it } from "vitest";
import { finishText } from "../../src/core/terminal.js";
import { explainText } from "../../src/diagnose/explain.js";
import { makeStyle } from "../../src/report/style.js";
import { renderText } from "../../src/report/text.js";

const plain = makeStyle(false);
const DENIED =
  'An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::123456789012:assumed-role/app/i-1 is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" because no identity-based policy allows the s3:GetObject action';

describe("renderText", () => {
  it("shows the failure in one line, then the top three causes with why, check and fix", () => {
    const out = renderText(explainText(DENIED), { style: plain });
    const lines = out.split("\n");
    expect(lines[0]).toMatch(/^AccessDenied/);
    expect(lines[0]).toContain("GetObject");
    expect(out).toContain("1. IAM_ACTION_NOT_ALLOWED");
    expect(out).toMatch(/why\s+AWS says no identity-based policy allows `s3:GetObject`/);
    expect(out).toContain("$ aws iam simulate-principal-policy");
    expect(out).toMatch(/fix\s+allow `s3:GetObject`/);
    expect(out).not.toContain("4. ");
    expect(out).not.toMatch(/\u001b\[/);
  });

  it("--verbose lists every cause with weights and sources", () => {
    const d = explainText(DENIED);
    const out = renderText(d, { style: plain, verbose: true });
    expect(out).toContain(`${d.causes.length}. ${d.causes[d.causes.length - 1]!.id}`);
    expect(out).toMatch(/\[\+0\.75 error text\]/);
  });

  it("colours only when the style is enabled", () => {
    const marked = renderText(explainText(DENIED), { style: makeStyle(true) });
    // the renderer writes colour marks; the output boundary makes them escape codes
    expect(marked).not.toContain("\u001b");
    expect(finishText(marked)).toMatch(/\u001b\[\d+m/);
    expect(finishText(marked, false)).toBe(renderText(explainText(DENIED), { style: makeStyle(false) }));
  });

  it("says plainly that text without a sign of an auth failure has none, and how to get the real error", () => {
    const out = renderText(explainText("hello"), { style: plain });
    expect(out).toMatch(/^no sign of an AWS auth failure:/);
    expect(out).toMatch(/--debug/);
    expect(out.trim().split("\n").length).toBeLessThanOrEqual(3);
  });

  it("never shows a secret from the message", () => {
    const d = explainText(
      "An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: The request signature we calculated does not match the signature you provided. aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    );
    expect(renderText(d, { style: plain, verbose: true })).not.toContain("wJalrXUtnFEMI");
  });
});
