import { describe, expect, it } from "vitest";
import { LiveRefusedError } from "../../src/live/allowlist.js";
import { classifyError, expectedEndpoint } from "../../src/live/call.js";

describe("classifyError", () => {
  it.each([
    [new LiveRefusedError("iam:DeleteUser"), "refused", "LiveRefusedError"],
    [
      Object.assign(new Error("User: x is not authorized"), {
        name: "AccessDenied",
        $metadata: { httpStatusCode: 403 },
      }),
      "denied",
      "AccessDenied",
    ],
    [
      Object.assign(new Error("not authorized"), { name: "AccessDeniedException" }),
      "denied",
      "AccessDeniedException",
    ],
    [Object.assign(new Error("no"), { name: "UnauthorizedOperation" }), "denied", "UnauthorizedOperation"],
    [Object.assign(new Error("took too long"), { name: "TimeoutError" }), "timeout", "TimeoutError"],
    [Object.assign(new Error("socket hang up"), { code: "ETIMEDOUT" }), "timeout", "ETIMEDOUT"],
    [
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
      "error",
      "ECONNREFUSED",
    ],
    [
      Object.assign(new Error("The security token included in the request is invalid."), {
        name: "InvalidClientTokenId",
      }),
      "error",
      "InvalidClientTokenId",
    ],
    ["a string", "error", "Error"],
  ])("%s -> %s", (err, outcome, code) => {
    expect(classifyError(err)).toMatchObject({ outcome, code });
  });

  it("keeps secrets out of the reason", () => {
    const secret = "fAkEsEcReTkEy0123456789abcdefGHIJKLMNOPq";
    const r = classifyError(
      new Error(`bad signature with aws_secret_access_key=${secret} for AKIAQQQQRRRRSSSS7ABC`),
    );
    expect(r.reason).not.toContain(secret);
    expect(r.reason).not.toContain("AKIAQQQQRRRRSSSS7ABC");
  });
});

describe("expectedEndpoint", () => {
  it.each([
    ["iam", "us-east-1", undefined, "https://iam.amazonaws.com"],
    ["sts", "ap-east-1", undefined, "https://sts.ap-east-1.amazonaws.com"],
    ["sts", "cn-north-1", undefined, "https://sts.cn-north-1.amazonaws.com.cn"],
    ["sts", "us-east-1", "http://127.0.0.1:4566/", "http://127.0.0.1:4566"],
  ] as const)("%s in %s", (service, region, override, want) => {
    expect(expectedEndpoint(service, region, override)).toBe(want);
  });
});
