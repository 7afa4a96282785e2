// `authdoctor lint`: options and help only; the implementation (and the service reference) load inside the action.
import type { RegisterCommand } from "./types.js";

export const registerLint: RegisterCommand = (program, exit) => {
  program
    .command("lint")
    .description(
      "check IAM policy files: grammar with positions, unknown actions, Resources that never match, condition keys",
    )
    .argument("<file...>", 'policy files (one policy, an array of policies, or {"PolicyDocument": ...})')
    .option("--format <format>", "text, json or sarif", "text")
    .option(
      "--fail-on <severity>",
      "`error` or `warning`: exit 3 when a finding of that severity (or worse) is found",
    )
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor lint role-policy.json
  $ authdoctor lint policies/*.json --format sarif > lint.sarif
  $ authdoctor lint scp.json --format json
  $ authdoctor lint policies/*.json --fail-on warning   (exit 3 on any warning or error: for CI)`,
    )
    .action(async (files: string[], opts: { format?: string; failOn?: string }) => {
      const { runLint } = await import("../iam/lint-command.js");
      exit.code = await runLint(files, opts);
    });
};
