// STS_TOKEN_VERSION_REGION: v1 global-endpoint session tokens used in an opt-in region (docs/aws-facts.md §1.1, §1.3, §1.10, §3.2, §3.3).

import { regionOptCheck, tokenVersionCheck } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { type Facts, factsOf } from "./facts.js";
import { authFailure, invalidS3Token, tokenInvalid } from "./signatures.js";

export default defineCause({
  id: "STS_TOKEN_VERSION_REGION",
  title: "Global-endpoint (v1) session token used in an opt-in region",
  summary:
    "Session tokens from the global STS endpoint are v1 unless the account prefers v2; v1 tokens are valid only in regions enabled by default, so the same credentials fail only in opt-in regions.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    const family = tokenInvalid(f) || authFailure(f);
    s.when(invalidS3Token(f), 0.35, "S3 rejects v1 tokens in opt-in regions as `InvalidToken`", {
      group: "code",
    });
    s.when(family, 0.27, "opt-in regions reject v1 session tokens with this code", { group: "code" });
    const applies = family || invalidS3Token(f);
    s.when(applies && f.optInRegion, 0.45, `${f.region} is an opt-in region, where v1 tokens are not valid`, {
      source: f.regionSource,
    });
    s.when(
      applies && f.region !== undefined && !f.optInRegion,
      -0.2,
      `${f.region} is enabled by default, where v1 tokens work`,
      { source: f.regionSource },
    );
    s.when(
      applies && f.keyPrefix === "ASIA",
      0.12,
      "the key is temporary (ASIA), i.e. it comes with a session token",
    );
    s.when(applies && f.keyPrefix === "AKIA", -0.5, "long-term AKIA keys carry no session token");
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    return [
      tokenVersionCheck,
      regionOptCheck(f),
      {
        text: "the same credentials should work in a default region (e.g. us-east-1) if this is the cause",
        command: "aws sts get-caller-identity --region us-east-1",
      },
      {
        text: "see which STS endpoint issued the credentials (sts.amazonaws.com = global)",
        command: "authdoctor creds",
      },
    ];
  },
  fix: (e) => {
    const f = factsOf(e);
    const account = issuingAccount(f);
    return {
      summary: "get tokens from a regional STS endpoint, or make the global endpoint issue v2 tokens",
      steps: [
        "use regional STS (AWS_STS_REGIONAL_ENDPOINTS=regional, or a current SDK/CLI that defaults to it)",
        account
          ? `or set the token version to v2 in account ${account.id}, ${account.why}: the account whose credentials called the global STS endpoint decides, not the account of a role assumed with them; run the command below with credentials of ${account.id} (needs iam:SetSecurityTokenServicePreferences)`
          : "or set the token version to v2 in the account that issued the session: the account of the user or role whose credentials called AssumeRole or GetSessionToken on the global endpoint (`aws sts get-caller-identity` with those credentials shows it), not the account of a role assumed with them; run the command below with that account's credentials (needs iam:SetSecurityTokenServicePreferences)",
        "then obtain new credentials: existing v1 tokens stay v1",
      ],
      commands: [
        "export AWS_STS_REGIONAL_ENDPOINTS=regional",
        "aws iam set-security-token-service-preferences --global-endpoint-token-version v2Token",
      ],
    };
  },
  unknowns: (e) => {
    const f = factsOf(e);
    return [
      {
        what: "the account's GlobalEndpointTokenVersion and which STS endpoint issued the credentials",
        why: "neither is in the error text",
        needs: "iam:GetAccountSummary (`aws iam get-account-summary`)",
      },
      ...(f.region
        ? []
        : [
            {
              what: "which region the call went to",
              why: "the text names no region",
              needs: "pass `--region` (the failing call's region)",
            },
          ]),
    ];
  },
});

/**
 * The account whose global STS endpoint issued the session, when the evidence names it: the account of an IAM user
 * that got the session (GetSessionToken, or AssumeRole as the source identity). An assumed-role ARN names the role's
 * account, the target of AssumeRole, not the caller's: it does not say which account issued the token.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_enable-regions.html
 */
export function issuingAccount(f: Facts): { id: string; why: string } | undefined {
  const user = /^arn:[\w-]+:(?:iam|sts)::(\d{12}):(?:user|federated-user)\//.exec(f.principalArn ?? "");
  if (user) return { id: user[1]!, why: "the account of the user that obtained the session" };
  // the pasted text may show the source identity (a get-caller-identity output or an AssumeRole call by a user)
  const source = /\barn:[\w-]+:iam::(\d{12}):user\/[\w+=,.@/-]+/.exec(f.text);
  if (source) return { id: source[1]!, why: `the account of ${source[0]}, the source identity in the text` };
  return undefined;
}
