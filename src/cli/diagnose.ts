// `authdoctor diagnose [TEXT...]`: options and help only; the implementation loads inside the action.
import type { RegisterCommand } from "./types.js";

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export const registerDiagnose: RegisterCommand = (program, exit) => {
  program
    .command("diagnose")
    .description(
      "the main job: from an AWS error to a verdict, using every piece of evidence given (credentials, policies, CloudTrail, live probes)",
    )
    .argument("[text...]", "the error text (else --file, else the bundle's error.txt, else stdin)")
    .option("-f, --file <path>", "read the error text from a file (`-` for stdin)")
    .option("--bundle <dir>", "a case bundle folder (docs/bundle.md); flags override its contents")
    .option("--principal <arn>", "who made the failing call, when the text does not say")
    .option("--action <svc:Action>", "the IAM action of the failing call")
    .option("--resource <arn>", "the resource of the failing call")
    .option("--time <iso8601>", "when the failure happened (centres the CloudTrail timeline)")
    .option("--region <region>", "the region the failing call went to")
    .option("--authz <file>", "`aws iam get-account-authorization-details` output")
    .option("--policy <file>", "an identity policy of the principal (repeatable)", collect)
    .option("--scp <file>", "service control policies of one level, root first (repeatable)", collect)
    .option("--rcp <file>", "resource control policies of one level, root first (repeatable)", collect)
    .option("--resource-policy <file>", "the resource's own policy (repeatable)", collect)
    .option("--trail <path>", "CloudTrail files or folders, `-` for stdin (repeatable)", collect)
    .option("--profile <name>", "the AWS profile the failing program used")
    .option("--sdk <sdk>", "the SDK that made the call: js, python or cli")
    .option(
      "--notes <text>",
      "what you know, in your own words: where it runs, the tool, what works (docs/facts.md)",
    )
    .option(
      "--fact <name[=value]>",
      "one fact from docs/facts.md, e.g. runs-in=lambda, tool=aws-vault, mfa (repeatable)",
      collect,
    )
    .option("--live", "also ask AWS with read-only calls (never implied)")
    .option("--format <format>", "text, json, markdown or html", "text")
    .option("--json", "same as --format json (authdoctor.diagnosis/v1)")
    .option("-o, --out <file>", "write the report to a file instead of stdout")
    .option("-v, --verbose", "text: every evidence line, timeline row and source")
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor diagnose --bundle examples/appsync-unauthorized
  $ authdoctor diagnose --bundle examples/rotated-key --format html --out report.html
  $ authdoctor diagnose "An error occurred (AuthFailure) when calling the DescribeInstances operation: AWS was not able to validate the provided access credentials" --region ap-east-1 --trail ./AWSLogs --time 2024-10-15T06:42:19Z
  $ authdoctor diagnose --file error.txt --authz authz.json --scp root.json --scp ou-prod.json --json
  $ aws lambda create-function ... 2>&1 | authdoctor diagnose --authz authz.json --sdk cli
  $ authdoctor diagnose --file error.txt --profile prod --live
  $ authdoctor diagnose --file error.txt --notes "works locally, fails in GitHub Actions since we rotated the keys"
  $ authdoctor diagnose --file error.txt --fact runs-in=lambda --fact works-elsewhere=region`,
    )
    .action(async (words: string[], opts: Record<string, unknown>) => {
      const { runDiagnoseCommand } = await import("../diagnose/command.js");
      exit.code = await runDiagnoseCommand(words, opts);
    });
};
