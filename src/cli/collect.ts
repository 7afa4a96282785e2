// `authdoctor collect [DIR]`: options and help only; the implementation loads inside the action.
import type { RegisterCommand } from "./types.js";

export const registerCollect: RegisterCommand = (program, exit) => {
  program
    .command("collect")
    .description(
      "write a case bundle from this machine for someone else to diagnose: the error, the environment and AWS files with secrets REDACTED, case.json",
    )
    .argument("[dir]", "the bundle folder to create (default: authdoctor-case-<time>)")
    .option("-f, --file <path>", "the error text (`-` for stdin; default: stdin when it is not a terminal)")
    .option("--profile <name>", "the AWS profile the failing program used")
    .option("--region <region>", "the region the failing call went to")
    .option("--sdk <sdk>", "the SDK that made the call: js, python or cli")
    .option("--time <iso8601>", "when the failure happened (centres the CloudTrail lookups of --live)")
    .option("--notes <text>", "free text for the person who diagnoses the case (case.json `notes`)")
    .option(
      "--live",
      "also read what the caller may: policies, CloudTrail, region state, identity (read-only calls)",
    )
    .option("--force", "write into an existing, non-empty folder (its files of the same names are replaced)")
    .option("--json", "print the authdoctor.collect/v1 report instead of the summary")
    .addHelpText(
      "after",
      `
Nothing secret is written: secret keys, session tokens, SSO tokens, client secrets, proxy passwords and
credential_process commands become REDACTED; a web identity token keeps its claims, not its signature.
With --live, each call is read-only (the same allow-list as diagnose --live) and printed as it is made;
calls AWS refuses are listed in the bundle's README.md with the permission that would allow each.

Examples:
  $ aws s3 ls s3://reports 2>&1 | authdoctor collect case-4711
  $ authdoctor collect case-4711 --file error.txt --profile prod --region eu-central-1
  $ authdoctor collect case-4711 --file error.txt --live --time 2025-05-12T09:31:43Z
  $ authdoctor diagnose --bundle case-4711`,
    )
    .action(async (dir: string | undefined, opts: Record<string, unknown>) => {
      const { runCollectCommand } = await import("../collect/command.js");
      exit.code = await runCollectCommand(dir, opts);
    });
};
