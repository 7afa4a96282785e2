// KEY_SECRET_MISMATCH: the secret does not belong to the key id (docs/aws-facts.md §1.4; IAM KeyPairMismatch is not this, §1.23).

import { configureList, credsCheck } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { codeIs, factsOf, has } from "./facts.js";
import { signatureMismatch } from "./signatures.js";

export default defineCause({
  id: "KEY_SECRET_MISMATCH",
  title: "The secret access key does not match the key id",
  summary:
    "The request was signed with a secret that does not belong to the key id: copy error, whitespace or quotes, swapped values, or a secret from a rotated key or another profile.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(
      signatureMismatch(f),
      0.6,
      "AWS computed a different signature from the same request: most often the secret is wrong",
      { group: "sig" },
    );
    s.when(
      has(f, /check your (aws secret access )?key and signing method/i),
      0.05,
      "AWS's own hint points at the key first",
    );
    s.when(
      has(f, /partial credentials found in \w+, missing: AWS_SECRET_ACCESS_KEY/i),
      0.35,
      "the secret half of the key pair is missing from the environment",
      { group: "sig" },
    );
    s.when(
      has(f, /Canonical String for this request should have been|<CanonicalRequest>/i) &&
        f.service === "execute-api",
      -0.15,
      "a custom-signed API Gateway call: the signing code is as suspect as the secret",
    );
    s.when(
      has(f, /Credential should be scoped/i),
      -0.35,
      "the message is about the credential scope, not the secret",
    );
    s.when(
      codeIs(f, "keypairmismatch"),
      -0.5,
      "IAM's KeyPairMismatch is about server certificates, not access keys",
    );
    return s.result();
  },
  checks: () =>
    [
      {
        text: "re-check the secret in the source that wins: 40 characters of A-Z a-z 0-9 / +, no quotes or trailing spaces",
        command: "aws configure list",
      },
      credsCheck,
      {
        text: "if S3 returned <StringToSign>/<CanonicalRequest>, compare them with the client's debug output: equal means the secret is wrong",
        command: "aws s3api head-bucket --bucket <bucket> --debug 2>&1 | grep -A20 CanonicalRequest",
      },
      configureList,
    ].filter((c, i, all) => all.findIndex((d) => d.command === c.command) === i),
  fix: () => ({
    summary: "pair the key id with its own secret",
    steps: [
      "re-enter the secret for the key id that is actually used (no quotes, spaces or newlines)",
      "if the secret is lost or the key rotated, create a new key and replace both values together",
    ],
    commands: ["aws configure", "aws iam create-access-key --user-name <user-name>"],
  }),
});
