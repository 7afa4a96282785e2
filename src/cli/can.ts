// `authdoctor can`: options and help only; the implementation loads inside the action.
import type { RegisterCommand } from "./types.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const registerCan: RegisterCommand = (program, exit) => {
  program
    .command("can")
    .description(
      "evaluate requests against IAM policies offline: decision, deciding statements, near misses, fix",
    )
    .option(
      "--principal <arn>",
      "caller: user, role session (assumed-role), root, service or identity provider",
    )
    .option("--action <svc:Action>", "the IAM action, e.g. s3:GetObject")
    .option("--resource <arn>", "the resource ARN (default `*`)")
    .option("--resource-account <id>", "account owning the resource, for ARNs that do not name it (S3)")
    .option("--context <key=value>", "a request context key (repeatable; `[...]` for a list)", collect)
    .option("--requests <file.jsonl>", "many requests, one JSON object per line; prints one result per line")
    .option("--authz <file>", "output of `aws iam get-account-authorization-details` (repeatable)", collect)
    .option("--policy <file>", "identity-based policy or array of policies (repeatable)", collect)
    .option(
      "--scp <file>",
      "SCPs of one level, root first (repeat per level; `[]` = nothing attached)",
      collect,
    )
    .option("--rcp <file>", "RCPs of one level, root first (repeat per level)", collect)
    .option("--boundary <file>", "permissions boundary", collect)
    .option(
      "--resource-policy <file>",
      "resource-based policy (bucket, key, queue, trust policy...)",
      collect,
    )
    .option("--session-policy <file>", "session policy passed at AssumeRole / federation", collect)
    .option("--vpce-policy <file>", "VPC endpoint policy", collect)
    .option("--management-account <id>", "the organization's management account (SCPs do not apply to it)")
    .option("--json", "print the authdoctor.evaluation/v1 object (JSON Lines with --requests)")
    .option(
      "--output <mode>",
      "`full` (default) or `decisions`: one short authdoctor.decision/v1 JSON line per request (fastest)",
    )
    .option("--fail-on <what>", "`deny`: exit 3 when a request is denied (for CI)")
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor can --policy role-policy.json --principal arn:aws:sts::111122223333:assumed-role/App/s1 \\
      --action appsync:GraphQL --resource arn:aws:appsync:us-east-1:111122223333:apis/abc/types/Query/fields/getPost
  $ authdoctor can --authz authz.json --scp root.json --scp ou.json --principal arn:aws:iam::111122223333:user/alice \\
      --action s3:GetObject --resource arn:aws:s3:::bucket/key --resource-account 111122223333 --context aws:SourceIp=203.0.113.9
  $ authdoctor can --authz authz.json --requests requests.jsonl --json
  $ authdoctor can --policy ci-role.json --requests expected.jsonl --output decisions --fail-on deny
    (each line: {"principal":"...","action":"...","resource":"...","context":{...},"resourcePolicy":{...}})`,
    )
    .action(async (opts: Record<string, unknown>) => {
      const { runCan } = await import("../iam/can-command.js");
      exit.code = await runCan(opts);
    });
};
