import { describe, expect, it } from "vitest";
import type { Profile } from "../../src/credentials/profiles.js";
import {
  isJsAssumeRoleProfile,
  isJsSsoProfile,
  isPyAssumeRoleProfile,
  isPySsoProfile,
  isStaticProfile,
  isWebIdentityProfile,
} from "../../src/credentials/shapes.js";

const prof = (keys: string[]): Profile =>
  Object.fromEntries(keys.map((k) => [k, { value: "x", where: "f:1", file: "config" as const }]));

describe("profile shape predicates", () => {
  it.each([
    [["role_arn", "source_profile"], { jsRole: true, pyRole: true }],
    [["role_arn", "credential_source"], { jsRole: true, pyRole: true }],
    // JS needs exactly one source; botocore takes the role and then refuses the pair
    [["role_arn", "source_profile", "credential_source"], { jsRole: false, pyRole: true }],
    [["role_arn"], { jsRole: false, pyRole: true }],
    // web identity wins over assume-role in botocore
    [["role_arn", "source_profile", "web_identity_token_file"], { jsRole: true, pyRole: false }],
  ])("%j", (keys, want) => {
    expect(isJsAssumeRoleProfile(prof(keys))).toBe(want.jsRole);
    expect(isPyAssumeRoleProfile(prof(keys))).toBe(want.pyRole);
  });

  it("static keys need both halves", () => {
    expect(isStaticProfile(prof(["aws_access_key_id", "aws_secret_access_key"]))).toBe(true);
    expect(isStaticProfile(prof(["aws_access_key_id"]))).toBe(false);
  });

  it("SSO: JS takes any SSO key, botocore only role name or account id", () => {
    expect(isJsSsoProfile(prof(["sso_region"]))).toBe(true);
    expect(isPySsoProfile(prof(["sso_region"]))).toBe(false);
    expect(isPySsoProfile(prof(["sso_account_id"]))).toBe(true);
  });

  it("web identity needs the token file and the role", () => {
    expect(isWebIdentityProfile(prof(["web_identity_token_file", "role_arn"]))).toBe(true);
    expect(isWebIdentityProfile(prof(["web_identity_token_file"]))).toBe(false);
  });
});
