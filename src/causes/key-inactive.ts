// KEY_INACTIVE: the key was deactivated or rotated away (docs/aws-facts.md §1.1, §1.3, §2.6).

import { defineCause, Scorer } from "./define.js";
import { factsOf } from "./facts.js";
import { authFailure, invalidAccessKeyId, signatureMismatch, tokenInvalid } from "./signatures.js";

export default defineCause({
  id: "KEY_INACTIVE",
  title: "The access key is inactive or was rotated away",
  summary:
    "The key id exists (or existed) but was deactivated or deleted during a rotation; AWS rejects it like an unknown key.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(tokenInvalid(f), 0.2, "inactive keys are rejected as an invalid security token", {
      group: "code",
    });
    s.when(invalidAccessKeyId(f), 0.3, "S3 reports deleted keys as unknown key ids", { group: "code" });
    s.when(authFailure(f), 0.18, "EC2 reports inactive keys as AuthFailure", { group: "code" });
    s.when(signatureMismatch(f), 0.05, "after a rotation an old secret may be paired with the new key id");
    s.when(
      f.keyPrefix === "AKIA",
      0.12,
      "long-term (AKIA) keys are the ones that get deactivated and rotated",
    );
    s.when(f.keyPrefix === "ASIA", -0.25, "temporary (ASIA) keys are never deactivated, they expire");
    s.when(f.optInRegion, -0.1, `${f.region} is an opt-in region: region causes are likelier`, {
      source: f.regionSource,
    });
    return s.result();
  },
  checks: () => [
    {
      text: "the key's Status must be Active (needs iam:ListAccessKeys in the owning account)",
      command: "aws iam list-access-keys --user-name <user-name>",
    },
    {
      text: "see when the key was last used and where (needs iam:GetAccessKeyLastUsed)",
      command: "aws iam get-access-key-last-used --access-key-id <access-key-id>",
    },
    {
      text: "look for UpdateAccessKey/DeleteAccessKey events",
      command: "authdoctor trail changes <path-to-AWSLogs> --since 7d",
    },
  ],
  fix: () => ({
    summary: "re-activate the key or switch to its replacement everywhere",
    steps: [
      "if it was deactivated by mistake, set it Active again",
      "otherwise put the new key id and secret in every source that still holds the old pair",
    ],
    commands: [
      "aws iam update-access-key --user-name <user-name> --access-key-id <access-key-id> --status Active",
    ],
  }),
  unknowns: () => [
    {
      what: "the key's status",
      why: "inactive, deleted and unknown keys give the same error",
      needs: "iam:ListAccessKeys on the key's user",
    },
  ],
});
