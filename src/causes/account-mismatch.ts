// ACCOUNT_MISMATCH: valid credentials of another account/principal/partition than the resource expects (§1.1, §1.13, §1.14).

import { whoAmI } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { factsOf, has } from "./facts.js";
import { assumeRoleCall, credentialRejected, crossAccount } from "./signatures.js";

export default defineCause({
  id: "ACCOUNT_MISMATCH",
  title: "Credentials belong to another account or partition",
  summary:
    "The credentials are valid but for a different account, principal or partition (aws-cn, aws-us-gov) than the one that owns the resource.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(
      crossAccount(f) && !assumeRoleCall(f),
      0.3,
      `the caller is in account ${f.principalAccount} but the resource is in ${f.resourceAccount}`,
    );
    s.when(
      credentialRejected(f) && f.otherPartition,
      0.55,
      "the request involves the China or GovCloud partition, where commercial keys are unknown (and vice versa)",
      { source: f.regionSource ?? "error text" },
    );
    s.when(
      has(f, /No OpenIDConnect provider found in your account/i),
      0.35,
      "the OIDC provider may exist in another account than the role",
    );
    s.when(has(f, /IdentityPool '.*' not found/i), 0.15, "the identity pool may belong to another account");
    s.when(
      has(f, /customer master key that does not exist/i),
      0.15,
      "the KMS key may live in another account",
    );
    s.when(
      assumeRoleCall(f) && f.denied && crossAccount(f),
      0.1,
      "a cross-account AssumeRole needs the right source account",
    );
    s.when(
      credentialRejected(f) && !f.otherPartition,
      0.03,
      "keys from another partition are rejected the same way",
    );
    // Lambda refuses an execution role from another account
    // (https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html).
    s.when(
      has(f, /Cross-account pass role is not allowed/i),
      0.8,
      "the role passed belongs to another account than the function: Lambda only accepts roles of its own account",
      { group: "cross-account-passrole" },
    );
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    return [
      {
        ...whoAmI,
        text: f.resourceAccount
          ? `compare the account of the credentials with the resource's account ${f.resourceAccount}`
          : whoAmI.text,
      },
      {
        text: "find the account that owns an access key id (works for deleted keys too)",
        command: "aws sts get-access-key-info --access-key-id <access-key-id>",
      },
    ];
  },
  fix: () => ({
    summary:
      "use credentials of the account (and partition) that owns the resource, or grant cross-account access",
    steps: [
      "select the profile for the owning account, or assume a role in it",
      "for cross-account access allow the caller in the resource's policy and the caller's identity policy",
      "for aws-cn / aws-us-gov use keys and regional endpoints of that partition",
    ],
    commands: ["aws sts get-caller-identity"],
  }),
});
