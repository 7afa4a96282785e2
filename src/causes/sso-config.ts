// SSO_CONFIG: IAM Identity Center profile misconfigured or login missing (docs/aws-facts.md §1.21, §1.22).

import { defineCause, Scorer } from "./define.js";
import { codeIs, factsOf, has } from "./facts.js";

export default defineCause({
  id: "SSO_CONFIG",
  title: "IAM Identity Center (SSO) profile misconfigured or not logged in",
  summary:
    "The sso-session block, sso_start_url/sso_region, account/role assignment or the cached login token does not match the profile used.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    const exact: [RegExp, number, string][] = [
      [
        /Sso session '.*' could not be found/i,
        0.85,
        "the profile names an sso-session block that does not exist",
      ],
      [/missing required property 'sso_session'/i, 0.85, "the profile lacks sso_session"],
      [/Conflicting SSO (region|start_url)/i, 0.85, "the profile and its sso-session disagree"],
      [
        /Error loading SSO Token|Token for .* does not exist|failed to read cached SSO token file/i,
        0.7,
        "no cached SSO login exists for this profile/session",
      ],
      [
        /SSO session token associated with profile=.* was not found or is invalid/i,
        0.65,
        "no valid SSO token for this profile",
      ],
      [
        /SSO session associated with this profile (has expired or )?is (otherwise )?invalid/i,
        0.4,
        "the SSO session is invalid (wrong session or never logged in)",
      ],
      [
        /No access|GetRoleCredentials/i,
        0.3,
        "Identity Center did not hand out the role (not assigned to the user)",
      ],
      [
        /config profile \(.*\) could not be found/i,
        0.42,
        "the profile (often an SSO profile) is not defined where the SDK looks",
      ],
    ];
    for (const [re, w, text] of exact) s.when(has(f, re), w, text, { group: "sso" });
    s.when(
      has(f, /SSO session associated with this profile has expired/i),
      0.2,
      "an expired login can also be a login for another session",
      {
        group: "sso",
      },
    );
    s.when(
      (codeIs(f, "unauthorized", "forbidden") && /portal\.sso|sso\./i.test(f.text)) ||
        /awsssoportal/i.test(f.text),
      0.6,
      "the SSO portal refused the role credentials",
      { group: "sso" },
    );
    return s.result();
  },
  checks: () => [
    { text: "show the profile's sso_* settings", command: "aws configure list --profile <profile>" },
    { text: "log in for this profile and retry", command: "aws sso login --profile <profile>" },
    {
      text: "see how each SDK resolves the profile and its token file",
      command: "authdoctor creds --profile <profile>",
    },
  ],
  fix: () => ({
    summary: "fix the SSO profile and log in for it",
    steps: [
      "define `[sso-session NAME]` in ~/.aws/config and reference it with sso_session in the profile",
      "make sso_region/sso_start_url agree between profile and session; check the account/role assignment",
      "run `aws sso login` with the same profile or session the app uses",
    ],
    commands: ["aws configure sso", "aws sso login --profile <profile>"],
  }),
});
