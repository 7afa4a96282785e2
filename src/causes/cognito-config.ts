// COGNITO_CONFIG: identity pool configuration — roles, flows, providers, Logins map (docs/aws-facts.md §1.16, §1.17, §5).

import { sh } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { codeIs, factsOf, has } from "./facts.js";
import { appsyncFailure, cognitoGuestPrincipal, cognitoIdentity } from "./signatures.js";

export default defineCause({
  id: "COGNITO_CONFIG",
  title: "Cognito identity pool configuration or login map is wrong",
  summary:
    "The identity pool gave no (or the wrong) role: missing Logins, provider/issuer mismatch, access token instead of ID token, guest access off, classic flow off, role mapping.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    const exact: [RegExp, string][] = [
      [
        /Unauthenticated access is not supported for this identity pool/i,
        "the call had no Logins while guest access is off",
      ],
      [/Issuer doesn't match providerName/i, "the Logins key does not match the token issuer"],
      [
        /Token is not from a supported provider of this identity pool/i,
        "the token's client id is not configured on the pool",
      ],
      [/Missing a required claim: aud/i, "an access token was sent where Cognito needs the ID token"],
      [/Logins don't match/i, "the cached identity id belongs to other logins"],
      [/Basic \(classic\) flow is not enabled/i, "the pool does not allow the basic (classic) flow"],
      // Role mappings (rules or token roles) work only in the enhanced flow:
      // https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html
      [
        /classic\) flow is not supported with RoleMappings|use enhanced flow/i,
        "the pool maps roles (RoleMappings), which only the enhanced flow supports",
      ],
      [
        /AmbiguousRoleResolution|no role (was )?(found|matched)|role mapping/i,
        "no role mapping rule matched",
      ],
    ];
    for (const [re, text] of exact) s.when(has(f, re), 0.9, text, { group: "exact" });
    s.when(
      codeIs(f, "invalididentitypoolconfiguration") || has(f, /Invalid identity pool configuration/i),
      0.45,
      "a pool without a role for this auth type fails the same way",
      { group: "exact" },
    );
    s.when(
      codeIs(f, "notauthorized") && cognitoIdentity(f) && !has(f, /Token expired/i),
      0.4,
      "Cognito identity refused the login",
      { group: "exact" },
    );
    s.when(
      has(f, /Invalid login token/i) && !has(f, /Token expired/i),
      0.35,
      "Cognito refused the login token",
      { group: "exact" },
    );
    s.when(
      cognitoGuestPrincipal(f) && f.denied,
      0.45,
      "the caller got the unauthenticated (guest) role: the Logins map was empty or wrong although the user signed in",
    );
    s.when(
      appsyncFailure(f) && has(f, /unauthorized|permission denied|not authorized/i),
      0.15,
      "AppSync IAM calls depend on which pool role the user got",
    );
    s.when(
      has(f, /allowGuestAccess|No credentials/i) && appsyncFailure(f),
      0.2,
      "Amplify found no identity-pool credentials",
    );
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    const pool = /((?:[a-z]{2}(?:-gov)?-[a-z]+-\d)):[0-9a-f-]{36}/.exec(f.text)?.[0];
    return [
      {
        text: "read the pool's providers, guest access and classic-flow settings",
        command: `aws cognito-identity describe-identity-pool --identity-pool-id ${pool ? sh(pool) : "<identity-pool-id>"}`,
      },
      {
        text: "read the roles and role mappings attached to the pool",
        command: `aws cognito-identity get-identity-pool-roles --identity-pool-id ${pool ? sh(pool) : "<identity-pool-id>"}`,
      },
      {
        text: "decode the ID token: `iss` must equal the Logins key (cognito-idp.REGION.amazonaws.com/POOL_ID), `aud` an app client of the pool",
        command: 'cut -d. -f2 <<< "$ID_TOKEN" | base64 -d 2>/dev/null',
      },
    ];
  },
  fix: () => ({
    summary: "align the identity pool with the tokens and flow the app uses",
    steps: [
      "send the user pool ID token under Logins key `cognito-idp.<region>.amazonaws.com/<userPoolId>`",
      "add the app client id to the pool's Cognito provider; enable guest access or classic flow only if intended",
      "attach authenticated/unauthenticated roles and check role-mapping rules",
    ],
    commands: [
      "aws cognito-identity set-identity-pool-roles --identity-pool-id <id> --roles authenticated=<role-arn>",
    ],
  }),
});
