// SESSION_TOKEN_MISSING: temporary (ASIA) credentials sent without their session token (docs/aws-facts.md §1.1–§1.3, §2.6).

import { configureList, credsCheck } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { factsOf, has } from "./facts.js";
import { authFailure, invalidAccessKeyId, tokenInvalid } from "./signatures.js";

export default defineCause({
  id: "SESSION_TOKEN_MISSING",
  title: "Temporary credentials were sent without their session token",
  summary:
    "An ASIA key id is only valid together with its session token; without it AWS cannot find the key.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(invalidAccessKeyId(f), 0.3, "S3 cannot find a temporary key id sent without its token", {
      group: "code",
    });
    s.when(tokenInvalid(f), 0.22, "a temporary key without its token is rejected as an invalid token", {
      group: "code",
    });
    s.when(authFailure(f), 0.15, "EC2 rejects a temporary key without its token as AuthFailure", {
      group: "code",
    });
    const family = invalidAccessKeyId(f) || tokenInvalid(f) || authFailure(f);
    s.when(family && f.keyPrefix === "ASIA", 0.38, "the key id starts with ASIA (temporary credentials)");
    s.when(
      family && f.keyPrefix === "AKIA",
      -0.35,
      "the key id starts with AKIA: long-term keys need no session token",
    );
    s.when(
      has(f, /session ?token.{0,40}(missing|not set|required|undefined)/i),
      0.4,
      "the text says the session token is missing",
    );
    s.when(f.optInRegion, -0.15, `${f.region} is an opt-in region: token-version causes are likelier`, {
      source: f.regionSource,
    });
    return s.result();
  },
  checks: () =>
    [
      {
        text: "a key id starting with ASIA needs AWS_SESSION_TOKEN (or aws_session_token / sessionToken) set next to it",
        command: "aws configure list",
      },
      credsCheck,
      configureList,
    ].filter((c, i, all) => all.findIndex((d) => d.command === c.command) === i),
  fix: () => ({
    summary: "pass the session token together with the temporary key pair",
    steps: [
      "set AWS_SESSION_TOKEN (or aws_session_token in the profile, sessionToken in code) from the same STS response",
      "better: let the SDK obtain the credentials itself (profile with role_arn / sso / web identity)",
    ],
    commands: ["export AWS_SESSION_TOKEN=<token-from-the-same-sts-response>"],
  }),
  unknowns: () => [
    {
      what: "whether a session token was sent",
      why: "the error text does not show the request headers",
      needs: "`authdoctor creds` on the failing machine",
    },
  ],
});
