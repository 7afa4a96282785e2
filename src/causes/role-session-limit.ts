// ROLE_SESSION_LIMIT: session duration and role-chaining limits, MaxSessionDuration (docs/aws-facts.md §1.14, §3.4, §3.5).

import { defineCause, Scorer } from "./define.js";
import { factsOf, has } from "./facts.js";
import { expiredToken } from "./signatures.js";

export default defineCause({
  id: "ROLE_SESSION_LIMIT",
  title: "Requested session is longer than the role allows",
  summary:
    "DurationSeconds may not exceed the role's MaxSessionDuration (1–12 h), and role-chained sessions are capped at 1 hour.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(
      has(f, /exceeds the MaxSessionDuration/i),
      0.95,
      "the requested DurationSeconds exceeds the role's MaxSessionDuration",
      {
        group: "limit",
      },
    );
    s.when(
      has(f, /1 hour session limit for roles assumed by role chaining/i),
      0.95,
      "role chaining caps sessions at 1 hour",
      {
        group: "limit",
      },
    );
    s.when(
      has(f, /durationSeconds.{0,80}(less than or equal|greater than or equal|exceeds)/i),
      0.75,
      "DurationSeconds is out of range",
      {
        group: "limit",
      },
    );
    s.when(
      expiredToken(f),
      0.1,
      "a silently capped 1-hour (chained) session expires before long jobs finish",
    );
    return s.result();
  },
  checks: () => [
    {
      text: "read the role's MaxSessionDuration",
      command: "aws iam get-role --role-name <role-name> --query Role.MaxSessionDuration",
    },
    {
      text: "see whether the caller is itself a role session (role chaining)",
      command: "aws sts get-caller-identity",
    },
  ],
  fix: () => ({
    summary: "request at most the allowed duration, or raise MaxSessionDuration",
    steps: [
      "lower DurationSeconds (duration_seconds in the profile) to the role's MaxSessionDuration",
      "or raise MaxSessionDuration (up to 43200 s) on the role",
      "role chaining is always capped at 1 h: assume the target role from long-term or web-identity credentials instead",
    ],
    commands: ["aws iam update-role --role-name <role-name> --max-session-duration 43200"],
  }),
});
