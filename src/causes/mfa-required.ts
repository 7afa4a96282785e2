// MFA_REQUIRED: an MFA condition or MFA-protected role requires an MFA session (docs/aws-facts.md §1.14, §1.21, §6.1).

import { trailTimeline } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { factsOf, has } from "./facts.js";
import { assumeRoleCall } from "./signatures.js";

export default defineCause({
  id: "MFA_REQUIRED",
  title: "An MFA session is required",
  summary:
    "A policy condition (aws:MultiFactorAuthPresent / MultiFactorAuthAge) or the role's trust policy requires credentials obtained with MFA.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(
      has(f, /requires multi-factor authentication, but no MFA code callback/i),
      0.9,
      "the profile needs an MFA code the SDK cannot ask for",
      {
        group: "mfa",
      },
    );
    s.when(has(f, /MFA token required/i), 0.9, "the credential refresh needs an MFA token", { group: "mfa" });
    s.when(
      has(f, /MultiFactorAuthentication failed|invalid MFA one time pass code/i),
      0.8,
      "the MFA code was rejected",
      {
        group: "mfa",
      },
    );
    s.when(has(f, /aws:MultiFactorAuth(Present|Age)/i), 0.6, "the text names an MFA condition key", {
      group: "mfa",
    });
    s.when(has(f, /\bMFA\b|mfa_serial|multi-factor/i), 0.3, "the text mentions MFA", { group: "mfa" });
    s.when(
      f.policyKind === "identity-based" && f.denyKind === "explicit",
      0.2,
      "explicit Denies in identity policies are often `deny unless MFA` guards",
    );
    s.when(
      assumeRoleCall(f) && f.denied && f.policyKind !== "identity-based",
      0.12,
      "roles are often protected with an MFA condition in the trust policy",
    );
    return s.result();
  },
  checks: (e) => [
    {
      text: "look for aws:MultiFactorAuthPresent in the role's trust policy or the Deny statement",
      command: "aws iam get-role --role-name <role-name> --query Role.AssumeRolePolicyDocument",
    },
    {
      text: "see whether the profile has mfa_serial set",
      command: "aws configure get mfa_serial --profile <profile>",
    },
    {
      text: "CloudTrail's sessionContext.attributes.mfaAuthenticated shows whether the session had MFA",
      command: trailTimeline(factsOf(e)),
    },
  ],
  fix: () => ({
    summary: "use credentials obtained with MFA",
    steps: [
      "set mfa_serial in the profile (CLI prompts for the code) or call GetSessionToken with --serial-number/--token-code",
      "in JS v3 pass mfaCodeProvider to fromIni()",
    ],
    commands: ["aws sts get-session-token --serial-number <mfa-device-arn> --token-code <123456>"],
  }),
});
