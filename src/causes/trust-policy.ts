// TRUST_POLICY: the role's trust policy does not let the caller assume it (§1.13, §1.14, §1.15, §1.16, §5.1).

import { sh, trailTimeline } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { untypedDeny } from "./deny.js";
import { codeIs, factsOf, has } from "./facts.js";
import { assumeRoleCall } from "./signatures.js";

function roleName(arn: string | undefined): string | undefined {
  return /:role\/(?:.*\/)?([^/\s]+)$/.exec(arn ?? "")?.[1];
}

export default defineCause({
  id: "TRUST_POLICY",
  title: "The role's trust policy does not allow this caller",
  summary:
    "AssumeRole* succeeds only when the role's trust policy names the caller (account, role, OIDC/SAML provider, Cognito pool) and its conditions (ExternalId, aud/sub, amr, org) hold.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(f.policyKind === "role-trust", 0.9, "AWS names the role trust policy", { group: "trust" });
    s.when(
      assumeRoleCall(f) && f.denied && untypedDeny(f),
      0.6,
      `the denied action is ${f.action ?? f.operation}: the role's trust policy must name the caller`,
      { group: "trust" },
    );
    s.when(
      assumeRoleCall(f) && f.policyKind === "identity-based",
      0.15,
      "the caller's own policy is named, but cross-account AssumeRole needs the trust policy as well",
      { group: "trust" },
    );
    s.when(
      has(f, /not authorized to perform:? sts:AssumeRoleWith(WebIdentity|SAML)/i),
      0.85,
      "the web identity/SAML token's claims do not match the trust policy",
      { group: "trust" },
    );
    s.when(
      has(f, /Incorrect token audience/i),
      0.85,
      "the token's `aud` is not a client id of the IAM OIDC provider",
      {
        group: "trust",
      },
    );
    s.when(
      has(f, /No OpenIDConnect provider found/i),
      0.65,
      "no IAM OIDC provider matches the token issuer",
      {
        group: "trust",
      },
    );
    s.when(
      codeIs(f, "invalididentitypoolconfiguration") || has(f, /Invalid identity pool configuration/i),
      0.78,
      "Cognito could not assume the pool's role: its trust policy must allow cognito-identity.amazonaws.com with this pool's aud/amr",
      { group: "trust" },
    );
    s.when(codeIs(f, "idprejectedclaim"), 0.45, "the identity provider rejected the token's claims", {
      group: "trust",
    });
    s.when(
      codeIs(f, "invalididentitytoken") && !has(f, /audience|OpenIDConnect|verification key/i),
      0.45,
      "STS rejected the identity token",
      {
        group: "trust",
      },
    );
    s.when(
      has(f, /cannot be assumed by Lambda|role defined for the function cannot be assumed/i),
      0.85,
      "Lambda is not trusted by the function's role",
      {
        group: "trust",
      },
    );
    s.when(
      has(f, /not authorized to perform:? sts:TagSession/i),
      0.6,
      "the trust policy must also allow sts:TagSession",
      {
        group: "trust",
      },
    );
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    const role = roleName(f.resource) ?? roleName(f.text.match(/arn:aws[\w-]*:iam::\d{12}:role\/\S+/)?.[0]);
    return [
      {
        text: "read the role's trust policy and compare Principal and Condition with the caller / token",
        command: `aws iam get-role --role-name ${role ? sh(role) : "<role-name>"} --query Role.AssumeRolePolicyDocument`,
      },
      {
        text: "see who tried to assume the role and with which error (logged in the caller's and the role's account)",
        command: trailTimeline(factsOf(e)),
      },
      ...(has(f, /WebIdentity|OpenIDConnect|token audience|IdentityToken/i)
        ? [
            {
              text: "compare the OIDC provider's URL and client ids with the token's iss/aud",
              command: "aws iam list-open-id-connect-providers",
            },
          ]
        : []),
    ];
  },
  fix: (e) => {
    const f = factsOf(e);
    const role = roleName(f.resource);
    const caller = f.principalArn?.startsWith("arn:")
      ? f.principalArn
      : "arn:aws:iam::<caller-account>:role/<caller>";
    return {
      summary: "let the caller in the role's trust policy",
      steps: [
        "add the caller (or its account) as Principal with the right action (sts:AssumeRole, …WithWebIdentity, …WithSAML)",
        "make Conditions match the request: sts:ExternalId, token aud/sub, cognito-identity.amazonaws.com:aud/amr",
        "cross-account: the caller's identity policy must allow sts:AssumeRole on the role too",
      ],
      commands: [
        `aws iam update-assume-role-policy --role-name ${role ? sh(role) : "<role-name>"} --policy-document file://trust.json`,
      ],
      policyDiff: [
        "+ {",
        '+   "Effect": "Allow",',
        `+   "Principal": { "AWS": "${caller}" },`,
        '+   "Action": "sts:AssumeRole"',
        "+ }",
      ].join("\n"),
    };
  },
});
