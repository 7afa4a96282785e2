import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/input-error.js";
import { policiesFromText } from "../../src/iam/files.js";

const DOC = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }],
};

// One loader for every shape the AWS CLI prints a policy in.
const SHAPES: [string, unknown][] = [
  ["a bare document", DOC],
  ["an array of documents", [DOC]],
  ["get-policy-version", { PolicyVersion: { Document: DOC, VersionId: "v3", IsDefaultVersion: true } }],
  [
    "get-policy-version (raw API, URL-encoded)",
    { PolicyVersion: { Document: encodeURIComponent(JSON.stringify(DOC)), VersionId: "v1" } },
  ],
  ["get-role-policy", { RoleName: "R", PolicyName: "p", PolicyDocument: DOC }],
  ["get-user-policy", { UserName: "u", PolicyName: "p", PolicyDocument: DOC }],
  ["get-group-policy", { GroupName: "g", PolicyName: "p", PolicyDocument: DOC }],
  ["get-bucket-policy (string Policy)", { Policy: JSON.stringify(DOC) }],
  ["get-key-policy", { PolicyName: "default", Policy: JSON.stringify(DOC, null, 2) }],
  ["the iam-dataset layout", { document: DOC }],
];

describe("policiesFromText: the one policy loader", () => {
  it.each(SHAPES)("reads %s", (_name, value) => {
    const ps = policiesFromText(JSON.stringify(value), "p.json");
    expect(ps).toHaveLength(1);
    expect(ps[0]!.statements[0]!.effect).toBe("Allow");
  });

  it("says an authorization snapshot goes to --authz", () => {
    const snap = { UserDetailList: [], RoleDetailList: [], GroupDetailList: [], Policies: [] };
    expect(() => policiesFromText(JSON.stringify(snap), "authz.json")).toThrow(/--authz/);
  });

  it("a broken policy string is an input error naming the file", () => {
    try {
      policiesFromText(JSON.stringify({ Policy: '{"Version": "2012-10-17", "Statement": [' }), "bp.json");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).message).toMatch(/^bp\.json.*invalid JSON in the policy string/);
    }
  });
});
