// `authdoctor trail`: CloudTrail analysis. Options and help only; the work is in src/trail (loaded on use).
import type { Command } from "commander";
import type { TrailCliOptions } from "../trail/run.js";
import { writeOutput, writePieces } from "./io.js";
import type { RegisterCommand } from "./types.js";

const collect = (v: string, prev: string[] = []) => [...prev, v];

function common(cmd: Command): Command {
  return cmd
    .option("--json", "print the versioned JSON object")
    .option("--since <time>", "only events at or after TIME (ISO 8601, or 30m/2h/7d ago)")
    .option("--until <time>", "only events at or before TIME")
    .option("--region <region>", "only events in REGION (repeatable, or comma separated)", collect)
    .option("--workers <n>", "worker threads (default: one per core for many files, 0 = none)")
    .option("--no-progress", "no progress bar on stderr")
    .option(
      "--athena <database.table>",
      "run the analysis as SQL on this Athena CloudTrail table (needs --live)",
    )
    .option(
      "--lake <event-data-store>",
      "run the analysis as SQL on this CloudTrail Lake event data store (needs --live)",
    )
    .option("--workgroup <name>", "Athena workgroup")
    .option("--output-location <s3-url>", "Athena query result location (when the workgroup sets none)")
    .option(
      "--partitioning <kind>",
      "Athena table partitions: auto, projection, partitions (region/year/month/day), none",
      "auto",
    )
    .option("--max-scan-gb <n>", "refuse (estimate) or stop (running) a query scanning more than N GB")
    .option("--print-sql", "print the SQL of --athena/--lake and exit (offline)")
    .option("--live", "allow the --athena/--lake query (read-only calls, audited on stderr)")
    .option("--profile <name>", "AWS profile for --live")
    .option("--query-region <region>", "region of the Athena workgroup or Lake event data store");
}

export const registerTrail: RegisterCommand = (program, exit) => {
  const trail = program
    .command("trail")
    .description("analyse CloudTrail logs: failures, sessions, changes before failures")
    .addHelpText(
      "after",
      `
Inputs: CloudTrail .json.gz delivery files, folders in the S3 layout (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD,
pruned by --since/--until/--region before opening files), .json (Records, arrays, single records), JSON Lines
(CloudTrail Lake and other exports), CSV exports (.csv, .csv.gz), \`aws cloudtrail lookup-events\` output,
and - for stdin.

Examples:
  $ authdoctor trail summary ./AWSLogs
  $ authdoctor trail sessions logs/*.json.gz --json
  $ authdoctor trail timeline ./AWSLogs --around 2025-02-24T14:15:12Z --window 10m --role MyCognitoRole
  $ authdoctor trail changes ./AWSLogs --since 2d
  $ authdoctor trail explain ./AWSLogs --authz authz.json --scp scp.json
  $ authdoctor trail summary --athena security.cloudtrail_logs --since 2d --region eu-west-1 --print-sql
  $ authdoctor trail changes --lake arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/EXAMPLE --since 7d --live --max-scan-gb 50

Push-down (--athena, --lake): the analysis runs as one SELECT where the logs are, pruned to --since/--until/--region
(default --since 7d); the estimate of the bytes to scan is printed first; every call is read-only and audited.`,
    );

  const act =
    (sub: string) =>
    async (paths: string[], opts: TrailCliOptions): Promise<void> => {
      const { runTrail } = await import("../trail/run.js");
      const out = await runTrail(sub, paths, opts);
      if (typeof out === "string") await writeOutput(out);
      else await writePieces(out);
      exit.code = 0;
    };

  common(trail.command("summary").argument("[paths...]", "files, folders or - (none with --athena/--lake)"))
    .description("events and failures by error code, source, name, principal, region, user agent")
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor trail summary ./AWSLogs --since 2025-02-24T00:00:00Z --region us-east-1
  $ aws cloudtrail lookup-events --max-results 50 | authdoctor trail summary - --json`,
    )
    .action(act("summary"));

  common(trail.command("sessions").argument("[paths...]", "files, folders or - (none with --athena/--lake)"))
    .description("link each key/session to the STS call that issued it, back to the original identity")
    .option("--limit <n>", "sessions shown in text output", "30")
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor trail sessions ./AWSLogs/123456789012/CloudTrail/us-east-1/2025/02/24
  $ authdoctor trail sessions events.jsonl --json`,
    )
    .action(act("sessions"));

  common(trail.command("timeline").argument("[paths...]", "files, folders or - (none with --athena/--lake)"))
    .description("ordered events around a moment; failures, issuances and access changes marked")
    .requiredOption("--around <time>", "the moment to centre on (ISO 8601)")
    .option("--window <duration>", "how far before and after (10m, 90s, 2h)", "10m")
    .option("--principal <arn>", "only this principal (user, role or session ARN)")
    .option("--key <akid>", "only calls signed with this access key id")
    .option("--role <name>", "only sessions of this role")
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor trail timeline ./AWSLogs --around 2023-07-10T11:55:00Z --window 5m
  $ authdoctor trail timeline ./AWSLogs --around 2025-02-24T14:15:12Z --role Cognito_AuthRole
  $ authdoctor trail timeline ./AWSLogs --around 2025-02-24T14:15:12Z --key AKIAIOSFODNN7EXAMPLE`,
    )
    .action(act("timeline"));

  common(trail.command("changes").argument("[paths...]", "files, folders or - (none with --athena/--lake)"))
    .description("changes that affect access, and the failures that began right after each")
    .option("--window <duration>", "how long after each change to look for new failures", "30m")
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor trail changes ./AWSLogs --since 2d
  $ authdoctor trail changes logs/ --window 15m --json`,
    )
    .action(act("changes"));

  common(trail.command("explain").argument("[paths...]", "files, folders or - (none with --athena/--lake)"))
    .description(
      "for each access-denied event: the IAM actions, the request context, and (with --authz) cause and fix",
    )
    .option("--authz <file>", "aws iam get-account-authorization-details output")
    .option("--scp <file>", "service control policy JSON (repeatable: one level each)", collect)
    .option("--rcp <file>", "resource control policy JSON (repeatable)", collect)
    .option("--limit <n>", "denied events explained", "50")
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor trail explain ./AWSLogs
  $ authdoctor trail explain ./AWSLogs --authz authz.json --scp org-scp.json --json`,
    )
    .action(act("explain"));
};
