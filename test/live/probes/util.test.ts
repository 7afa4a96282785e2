import { describe, expect, it } from "vitest";
import { decodePolicyDocument, principalOfArn, toCliShape } from "../../../src/live/probes/util.js";

describe("principalOfArn", () => {
  it.each([
    [
      "arn:aws:iam::123456789012:user/alice",
      { kind: "user", name: "alice", arn: "arn:aws:iam::123456789012:user/alice" },
    ],
    ["arn:aws:iam::123456789012:user/dev/team/bob", { kind: "user", name: "bob" }],
    [
      "arn:aws:sts::123456789012:assumed-role/deploy/session-1",
      { kind: "role", name: "deploy", arn: "arn:aws:iam::123456789012:role/deploy" },
    ],
    [
      "arn:aws-cn:sts::123456789012:assumed-role/r/s",
      { kind: "role", partition: "aws-cn", arn: "arn:aws-cn:iam::123456789012:role/r" },
    ],
  ])("%s", (arn, want) => {
    expect(principalOfArn(arn)).toMatchObject(want);
  });

  it.each(["arn:aws:iam::123456789012:root", "arn:aws:sts::123456789012:federated-user/x", "not an arn"])(
    "%s has no user or role",
    (arn) => {
      expect(principalOfArn(arn)).toBeUndefined();
    },
  );
});

describe("toCliShape", () => {
  it("decodes URL-encoded policy documents, turns dates to ISO and drops $metadata", () => {
    const document = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
    };
    expect(
      toCliShape({
        $metadata: { httpStatusCode: 200 },
        Role: {
          CreateDate: new Date("2024-01-02T03:04:05Z"),
          AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(document)),
          Tags: [{ Key: "k", Value: "v" }],
          Missing: undefined,
        },
      }),
    ).toEqual({
      Role: {
        CreateDate: "2024-01-02T03:04:05.000Z",
        AssumeRolePolicyDocument: document,
        Tags: [{ Key: "k", Value: "v" }],
      },
    });
  });

  it("keeps a document that is neither URL-encoded JSON nor JSON as text", () => {
    expect(decodePolicyDocument('{"Version":"2012-10-17"}')).toEqual({ Version: "2012-10-17" });
    expect(decodePolicyDocument("%E0%A4%A")).toBe("%E0%A4%A");
    expect(decodePolicyDocument("not json")).toBe("not json");
  });
});
