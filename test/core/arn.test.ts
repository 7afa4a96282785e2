import { describe, expect, it } from "vitest";
import { parsePrincipal } from "../../src/core/arn.js";

describe("parsePrincipal", () => {
  it.each([
    [
      "arn:aws:iam::123456789012:user/division/alice",
      { kind: "iam-user", name: "alice", account: "123456789012" },
    ],
    ["arn:aws:iam::123456789012:role/service-role/app", { kind: "role", name: "app" }],
    [
      "arn:aws:sts::123456789012:assumed-role/Cognito_PoolUnauth_Role/CognitoIdentityCredentials",
      { kind: "role-session", name: "Cognito_PoolUnauth_Role", session: "CognitoIdentityCredentials" },
    ],
    ["arn:aws:sts::123456789012:federated-user/bob", { kind: "federated-user", name: "bob" }],
    ["arn:aws:iam::123456789012:root", { kind: "root", account: "123456789012" }],
    ["arn:aws-us-gov:iam::123456789012:user/g", { kind: "iam-user", partition: "aws-us-gov" }],
    ["arn:aws-cn:sts::123456789012:assumed-role/r/s", { kind: "role-session", partition: "aws-cn" }],
    ["anonymous", { kind: "anonymous" }],
    ["us-east-1:0f0e0d0c-1111-2222-3333-444455556666", { kind: "cognito-identity" }],
    ["arn:aws:iam::123456789012:saml-provider/Okta", { kind: "saml", name: "Okta" }],
    ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", { kind: "web-identity" }],
    ["ecs-tasks.amazonaws.com", { kind: "service" }],
    ["cognito-identity.amazonaws.com", { kind: "web-identity" }],
    ["something-else", { kind: "unknown" }],
  ])("%s", (raw, want) => {
    expect(parsePrincipal(raw)).toMatchObject({ raw, ...want });
  });
});
