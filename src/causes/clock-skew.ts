// CLOCK_SKEW: the local clock is off by more than the service tolerates (docs/aws-facts.md §1.8, §1.9, §4).

import { defineCause, Scorer } from "./define.js";
import { presignedExpired } from "./deny.js";
import { codeIs, factsOf, has } from "./facts.js";
import { clockMessage, expiredToken, requestExpired } from "./signatures.js";

export default defineCause({
  id: "CLOCK_SKEW",
  title: "The local clock is off",
  summary:
    "Requests carry their signing time; when the client clock is more than 5–15 minutes off the service rejects the signature.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(clockMessage(f), 0.9, "the service says the request time is outside its window", {
      group: "clock",
    });
    s.when(
      requestExpired(f),
      0.55,
      "`RequestExpired`: the request reached AWS more than 15 minutes from its date stamp",
      {
        group: "clock",
      },
    );
    s.when(
      has(f, /Date in Credential scope does not match/i),
      0.4,
      "the date in the credential scope does not match the request date",
      {
        group: "clock",
      },
    );
    s.when(
      presignedExpired(f),
      0.15,
      "a pre-signed URL is checked against the server clock: a client clock far behind signs URLs that are already old",
    );
    const skew = f.skewSeconds;
    s.when(
      skew !== undefined && Math.abs(skew) >= 300,
      0.08,
      `the times in the message imply a skew of ${skew !== undefined ? Math.round(skew) : 0} s`,
    );
    s.when(
      requestExpired(f) && f.keyPrefix === "ASIA",
      -0.1,
      "temporary credentials may simply have expired",
    );
    s.when(expiredToken(f), 0.08, "a clock far ahead makes fresh credentials look expired");
    s.when(
      has(f, /SSO session associated with this profile has expired/i),
      0.05,
      "SDKs check SSO token expiry against the local clock",
    );
    s.when(
      codeIs(f, "signaturedoesnotmatch") && !clockMessage(f),
      -0.2,
      "clock skew is not reported as a signature mismatch",
    );
    return s.result();
  },
  checks: () => [
    {
      text: "compare the local clock with an AWS endpoint's Date header (no credentials needed)",
      command: "date -u; curl -sI https://sts.amazonaws.com/ | grep -i '^date:'",
    },
    { text: "check NTP synchronisation (in a container, check the host)", command: "timedatectl status" },
  ],
  fix: () => ({
    summary: "synchronise the clock with NTP",
    steps: [
      "enable NTP (chrony/systemd-timesyncd, Amazon Time Sync 169.254.169.123 on EC2)",
      "in containers and VMs fix the host clock; after a laptop sleep, resync",
    ],
    commands: ["sudo timedatectl set-ntp true", "sudo chronyc makestep"],
  }),
});
