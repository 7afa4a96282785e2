// `authdoctor run -- <command> [args...]`: options and help only; the wrapper loads inside the action.
import type { RegisterCommand } from "../types.js";

export const register: RegisterCommand = (program, exit) => {
  program
    .command("run")
    .description(
      "run a command; when it fails with an AWS auth error, print the diagnosis on stderr after its output (its exit code is kept)",
    )
    .argument("<command...>", "the command and its arguments, after `--`")
    .option(
      "--json <file>",
      "also write the diagnosis (authdoctor.diagnosis/v1) to this file, when one is made",
    )
    .option("--profile <name>", "the AWS profile the command uses, when not from AWS_PROFILE")
    .option("--region <region>", "the region the command calls, when the error does not say")
    .option(
      "--sdk <sdk>",
      "whose credential chain to model: js, python or cli (default: from the command name)",
    )
    .option("--always", "diagnose whenever the command fails, not only on what looks like an AWS auth error")
    .passThroughOptions()
    .addHelpText(
      "after",
      `
The command runs without a shell, with stdin, stdout and stderr passed through (authdoctor keeps the last
64 KiB of each to read the error from). Signals are passed on. The exit code is the command's own (128+n when
signal n ended it, 127 when it cannot be found). Nothing is printed when the command succeeds or fails for a
reason that is no AWS auth error. The diagnosis uses this machine's credential setup; secrets in the captured
output are never printed.

Examples:
  $ authdoctor run -- aws s3 ls s3://my-bucket
  $ authdoctor run --json diagnosis.json -- terraform apply -auto-approve
  $ authdoctor run --sdk python -- ./deploy.sh --stage prod`,
    )
    .action(async (argv: string[], opts: Record<string, unknown>) => {
      const { runWrapped } = await import("../../run/index.js");
      exit.code = await runWrapped(argv, opts, (text) => process.stderr.write(text));
    });
};
