// KEY_INVALID_ID: the access key id is unknown to AWS — typo, deleted, whitespace, wrong partition (§1.1–§1.3, §1.5, §1.10).

import { configureList, credsCheck, regionOptCheck } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { codeIs, factsOf, has } from "./facts.js";
import { authFailure, invalidAccessKeyId, tokenInvalid } from "./signatures.js";

export default defineCause({
  id: "KEY_INVALID_ID",
  title: "The access key id is not known to AWS",
  summary:
    "The key id sent does not exist in this partition: a typo, stray whitespace, a deleted key or a key of another partition.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(
      tokenInvalid(f),
      0.55,
      "`The security token included in the request is invalid`: AWS does not know the key id or token",
      {
        group: "code",
      },
    );
    s.when(invalidAccessKeyId(f), 0.65, "S3 says the access key id does not exist in its records", {
      group: "code",
    });
    s.when(authFailure(f), 0.5, "EC2 could not validate the credentials", { group: "code" });
    s.when(
      has(
        f,
        /Credential=\s+\S|Credential=[^,\s]*\s+[^,]*\/aws4_request|not a valid key=value pair[^\n]*Credential=\s/i,
      ),
      0.75,
      "the Authorization header shows whitespace inside the access key id",
      { group: "code", exact: true },
    );
    s.when(
      codeIs(f, "incompletesignature") && !has(f, /Bearer|Credential=\s/i),
      0.2,
      "an incomplete signature can come from a corrupted key id",
    );
    s.when(
      f.keyPrefix === "ASIA",
      -0.2,
      "the key is temporary (ASIA): token problems are likelier than a typo",
    );
    s.when(f.keyPrefix === "AKIA", 0.05, "the key is long-term (AKIA)");
    s.when(f.otherPartition, -0.15, "the call involves another partition, where a valid key is unknown too", {
      source: f.regionSource,
    });
    s.when(
      f.optInRegion,
      -0.25,
      `${f.region} is an opt-in region, where valid keys can still fail (token version, region not enabled)`,
      { source: f.regionSource },
    );
    return s.result();
  },
  checks: (e) =>
    [
      {
        text: "check the key id the SDK actually sends: 20 characters, prefix AKIA/ASIA, no spaces or quotes",
        command: "aws configure list",
      },
      {
        text: "find the account that owns the key id (answers even for deleted keys; needs other working credentials)",
        command: "aws sts get-access-key-info --access-key-id <access-key-id>",
      },
      {
        text: "list the user's keys and their status in the owning account",
        command: "aws iam list-access-keys --user-name <user-name>",
      },
      ...(factsOf(e).region ? [regionOptCheck(factsOf(e))] : []),
      credsCheck,
      configureList,
    ].filter((c, i, all) => all.findIndex((d) => d.command === c.command) === i),
  fix: () => ({
    summary: "use an existing key id of this partition, copied without whitespace",
    steps: [
      "re-copy the key id (no quotes, spaces, newlines) into the source that actually wins",
      "if the key was deleted, create a new one and update every place that holds the old one",
    ],
    commands: ["aws iam create-access-key --user-name <user-name>", "aws configure"],
  }),
  unknowns: () => [
    {
      what: "whether the key id exists, is inactive or was deleted",
      why: "AWS rejects all three the same way and does not log authentication failures in CloudTrail",
      needs: "`aws iam list-access-keys` in the owning account (iam:ListAccessKeys)",
    },
  ],
});
