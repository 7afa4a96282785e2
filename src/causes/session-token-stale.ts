// SESSION_TOKEN_STALE: a leftover or mismatched session token (docs/aws-facts.md §1.1, §1.3, §2.6).

import { configureList, credsCheck } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { factsOf, has } from "./facts.js";
import { authFailure, invalidS3Token, tokenInvalid } from "./signatures.js";

export default defineCause({
  id: "SESSION_TOKEN_STALE",
  title: "A stale or mismatched session token was sent",
  summary:
    "The session token does not belong to the key pair: an old AWS_SESSION_TOKEN next to new or long-term keys, or a truncated/mangled token.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(invalidS3Token(f), 0.45, "S3 says the session token is malformed or otherwise invalid", {
      group: "code",
    });
    s.when(tokenInvalid(f), 0.25, "a token that does not match the key pair is rejected as invalid", {
      group: "code",
    });
    s.when(authFailure(f), 0.2, "EC2 rejects mismatched tokens as AuthFailure", { group: "code" });
    const family = invalidS3Token(f) || tokenInvalid(f) || authFailure(f);
    s.when(
      family && f.keyPrefix === "ASIA",
      0.15,
      "temporary (ASIA) keys travel with a token that can go stale",
    );
    s.when(
      family && f.keyPrefix === "AKIA" && has(f, /x-amz-security-token|session_?token|SessionToken/i),
      0.45,
      "a long-term AKIA key was sent together with a session token",
    );
    s.when(
      f.optInRegion,
      -0.2,
      `${f.region} is an opt-in region: the token version is the likelier problem`,
      {
        source: f.regionSource,
      },
    );
    return s.result();
  },
  checks: () => [
    {
      text: "AWS_SESSION_TOKEN must come from the same STS response as the key pair; unset it for AKIA keys",
      command: "env | grep -o '^AWS_[A-Z_]*'",
    },
    credsCheck,
    configureList,
  ],
  fix: () => ({
    summary: "send the token that belongs to the key pair, or none for long-term keys",
    steps: [
      "unset AWS_SESSION_TOKEN / AWS_SECURITY_TOKEN left over from an old session",
      "refresh all three values together from one STS response",
    ],
    commands: ["unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN"],
  }),
});
