// TOKEN_EXPIRED: temporary credentials, SSO token or web identity token expired (docs/aws-facts.md §1.7, §1.8, §1.15, §1.16, §1.22).

import { credsCheck, whoAmI } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { codeIs, factsOf, has } from "./facts.js";
import { appsyncFailure, expiredToken, requestExpired } from "./signatures.js";

export default defineCause({
  id: "TOKEN_EXPIRED",
  title: "Credentials or token expired",
  summary: "Temporary credentials, the SSO access token or the web identity (JWT) token is past its expiry.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(expiredToken(f), 0.7, "AWS says the security token in the request is expired", {
      group: "expired",
    });
    s.when(
      has(
        f,
        /SSO session associated with this profile has expired|Token is expired\. To refresh this SSO session|refresh cached SSO token failed|InvalidGrantException/i,
      ),
      0.75,
      "the IAM Identity Center (SSO) session has expired",
      { group: "expired" },
    );
    s.when(
      has(f, /SSO session associated with this profile (has expired or )?is (otherwise )?invalid/i) &&
        !has(f, /has expired/i),
      0.35,
      "the SSO session is invalid (often expired, or never logged in)",
      { group: "expired" },
    );
    s.when(
      has(f, /Invalid login token\. Token expired/i),
      0.85,
      "Cognito says the login (ID) token expired",
      {
        group: "expired",
      },
    );
    s.when(
      codeIs(f, "expiredtoken") && /webidentity/i.test(f.operation ?? f.text),
      0.1,
      "on AssumeRoleWithWebIdentity this is the web identity token (JWT) that expired",
    );
    s.when(requestExpired(f), 0.3, "EC2 reports expired temporary credentials as RequestExpired", {
      group: "expired",
    });
    s.when(requestExpired(f) && f.keyPrefix === "ASIA", 0.15, "the key is temporary (ASIA)");
    s.when(
      f.denied && has(f, /request has expired/i) && !requestExpired(f),
      0.45,
      "a pre-signed URL (or the credentials that signed it) expired",
      { group: "expired" },
    );
    s.when(has(f, /token (has )?expired|expired token|jwt expired/i), 0.45, "the text says a token expired", {
      group: "expired",
    });
    s.when(
      appsyncFailure(f) && has(f, /unauthorized|permission denied|not authorized/i),
      0.12,
      "an expired user-pool or OIDC JWT is refused by AppSync as unauthorized",
    );
    s.when(has(f, /IDPRejectedClaim/i), 0.2, "the IdP may reject an expired or revoked token");
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    const out = [
      {
        text: "fresh credentials work again if it was expiry",
        command: /sso/i.test(f.text) ? "aws sso login --profile <profile>" : whoAmI.command,
      },
      {
        text: "look for an `expiration` / AWS_CREDENTIAL_EXPIRATION in the past in cached or exported credentials",
        command: "authdoctor creds",
      },
      credsCheck,
    ];
    return out.filter((c, i) => out.findIndex((d) => d.command === c.command) === i);
  },
  fix: (e) => {
    const sso = /sso/i.test(factsOf(e).text);
    return {
      summary: sso
        ? "log in to IAM Identity Center again"
        : "obtain new credentials from a source that refreshes them",
      steps: sso
        ? ["run `aws sso login` for the profile or sso-session", "retry the call"]
        : [
            "let the SDK refresh credentials itself (profile with role_arn/sso, instance/container role) instead of copying them into env vars",
            "for long jobs request a longer DurationSeconds (up to the role's MaxSessionDuration) or refresh before expiry",
            "for web identity, read the token file fresh for every AssumeRoleWithWebIdentity",
          ],
      commands: sso ? ["aws sso login --profile <profile>"] : ["aws sts get-caller-identity"],
    };
  },
});
