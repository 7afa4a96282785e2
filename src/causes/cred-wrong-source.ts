// CRED_WRONG_SOURCE: another credential source than intended won (docs/aws-facts.md §1.21, §2.4, §1.7).

import { configureList, credsCheck, whoAmI } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { factsOf, has } from "./facts.js";
import { credentialRejected, expiredToken } from "./signatures.js";

export default defineCause({
  id: "CRED_WRONG_SOURCE",
  title: "A different credential source than intended was used",
  summary:
    "Environment variables shadow a profile, AWS_PROFILE is wrong or unset, an instance/container role or stale cached credentials won the provider chain.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(
      has(f, /config profile \(.*\) could not be found|profile .* could not be found/i),
      0.6,
      "the named profile is not in the files the SDK read (typo, wrong AWS_CONFIG_FILE, `[name]` vs `[profile name]`)",
      { group: "profile" },
    );
    s.when(
      has(f, /could not resolve credentials using profile/i),
      0.6,
      "the profile named could not be resolved from the config files",
      { group: "profile" },
    );
    s.when(
      has(f, /multiple credential sources detected/i),
      0.8,
      "JS v3 warns that AWS_PROFILE and static env keys are both set",
      { group: "profile" },
    );
    s.when(
      has(f, /source profile .* must have credentials/i),
      0.5,
      "a source_profile yields no credentials",
      {
        group: "profile",
      },
    );
    s.when(
      expiredToken(f),
      0.3,
      "expired credentials are often static copies (env vars, credentials file) shadowing a refreshing source",
    );
    s.when(
      credentialRejected(f),
      0.1,
      "rejected keys may come from an unexpected source (env vars over a profile)",
    );
    s.when(
      has(f, /unable to locate credentials|could not load credentials from any providers/i),
      0.15,
      "a profile or env var the SDK does not read (AWS_DEFAULT_PROFILE in JS v3...) can leave the chain empty",
    );
    s.when(
      f.denied && f.principalArn !== undefined && f.principalArn !== "anonymous",
      0.06,
      `the refusal names \`${f.principalArn}\`: check it is the principal you meant to use`,
    );
    s.when(
      has(f, /customer master key that does not exist/i),
      0.1,
      "the SDK may sign with other credentials than the CLI test",
    );
    return s.result();
  },
  checks: () => [
    credsCheck,
    configureList,
    whoAmI,
    { text: "list profiles the CLI can see", command: "aws configure list-profiles" },
  ],
  fix: () => ({
    summary: "make the intended source win and remove the one that shadows it",
    steps: [
      "unset stale AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN when a profile is meant to be used",
      "fix the profile name or section header (`[profile name]` in ~/.aws/config, `[name]` in ~/.aws/credentials)",
      "pass the profile explicitly (`--profile`, `fromIni({ profile })`, `Session(profile_name=...)`)",
    ],
    commands: [
      "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN",
      "aws configure list-profiles",
    ],
  }),
  unknowns: () => [
    {
      what: "which credential source won on the failing machine",
      why: "the error text does not say where the credentials came from",
      needs: "`authdoctor creds --profile <name>` on that machine, or CloudTrail `userIdentity.accessKeyId`",
    },
  ],
});
