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
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor lint role-policy.json
  $ authdoctor lint policies/*.json --format sarif > lint.sarif
  $ authdoctor lint scp.json --format json`,
    )
    .action(async (files: string[], opts: { format?: string }) => {
      const { runLint } = await import("../iam/lint-command.js");
      exit.code = await runLint(files, opts);
    });
};
