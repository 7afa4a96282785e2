import { describe, expect, it } from "vitest";
import { findAccessKeyIds, maskKeyId, redactText } from "../../src/core/redact.js";

const KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDcanaryTOKENvalue1234567890abcdefgh";

describe("maskKeyId", () => {
  it("keeps prefix and last four", () => {
    expect(maskKeyId(KEY)).toBe("AKIA****MPLE");
  });
  it("never returns a short value whole", () => {
    expect(maskKeyId("AKIA12")).toBe("AKIA****");
    expect(maskKeyId("abc")).toBe("****");
  });
});

describe("redactText", () => {
  it("removes secret keys, session tokens and masks key ids", () => {
    const text = `aws_access_key_id = ${KEY}\naws_secret_access_key = ${SECRET}\naws_session_token=${TOKEN}\nbare ${SECRET} and "SessionToken": "${TOKEN}"`;
    const out = redactText(text);
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(KEY);
    expect(out).toContain("AKIA****MPLE");
  });
  it("leaves ordinary text alone", () => {
    const text = "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: s3:GetObject";
    expect(redactText(text)).toBe(text);
  });
  it("finds raw key ids for callers that mask them", () => {
    expect(findAccessKeyIds(`x ${KEY} y ASIAY34FZKBOKMUTVV7A`)).toEqual([KEY, "ASIAY34FZKBOKMUTVV7A"]);
  });
});
