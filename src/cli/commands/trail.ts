// `authdoctor trail <subcommand>`: the command group; each subcommand is a file in ./trail/.
import type { RegisterCommand } from "../types.js";
import * as changes from "./trail/changes.js";
import * as explain from "./trail/explain.js";
import * as sessions from "./trail/sessions.js";
import * as summary from "./trail/summary.js";
import * as timeline from "./trail/timeline.js";

export const register: RegisterCommand = (program, exit) => {
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
  $ authdoctor trail explain ./AWSLogs --authz authz.json --scp scp.json`,
    );

  for (const sub of [summary, sessions, timeline, changes, explain]) sub.register(trail, exit);
};
