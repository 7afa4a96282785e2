// The commander program: one register function per command file; exit codes 0 ran, 1 internal, 2 bad input.

import { Command, CommanderError } from "commander";
import { InputError } from "../core/input-error.js";
import { safeLine } from "../core/output.js";
import { VERSION } from "../core/version.js";
import { wrapText } from "../report/wrap.js";
import * as can from "./commands/can.js";
import * as collect from "./commands/collect.js";
import * as creds from "./commands/creds.js";
import * as diagnose from "./commands/diagnose.js";
import * as explain from "./commands/explain.js";
import * as lint from "./commands/lint.js";
import * as mcp from "./commands/mcp.js";
import * as run from "./commands/run.js";
import * as trail from "./commands/trail.js";
import { outputWidth, warn } from "./output.js";
import type { RegisterCommand } from "./types.js";

/** Every command, by name, with the function that declares it (in help order). */
const COMMANDS: Record<string, RegisterCommand> = {
  diagnose: diagnose.register,
  explain: explain.register,
  creds: creds.register,
  can: can.register,
  lint: lint.register,
  trail: trail.register,
  run: run.register,
  collect: collect.register,
  mcp: mcp.register,
};

/**
 * Build the program. Each command's action sets `exit.code`; heavy modules load inside actions. With `only` (a
 * command name), only that command is declared: enough to run it, and its help and errors are the same.
 */
export function buildProgram(exit: { code: number }, only?: string): Command {
  const program = new Command("authdoctor")
    .description("Find out why an AWS call was refused, and how to fix it.")
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .enablePositionalOptions()
    .exitOverride()
    // commander's own messages quote the arguments (`unknown option '...'`): same boundary as everything else
    .configureOutput({
      // help fits the terminal like every report (100 columns when not a TTY); a long example command is
      // continued with ` \` so it still runs when copied
      writeOut: (s) => process.stdout.write(wrapText(s, outputWidth())),
      writeErr: (s) =>
        process.stderr.write(
          `${s
            .split("\n")
            .map((l) => (l ? safeLine(l) : l))
            .join("\n")}`,
        ),
    });
  const named = only !== undefined && Object.hasOwn(COMMANDS, only) ? COMMANDS[only] : null;
  for (const register of named ? [named] : Object.values(COMMANDS)) register(program, exit);
  program.addHelpText(
    "after",
    `
Examples:
  $ authdoctor explain "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid."
  $ authdoctor diagnose --bundle examples/appsync-unauthorized
  $ authdoctor creds --profile dev
  $ authdoctor can --authz authz.json --principal arn:aws:iam::123456789012:user/alice --action s3:GetObject --resource arn:aws:s3:::bucket/key
  $ authdoctor trail summary ./AWSLogs
  $ authdoctor run -- aws s3 ls s3://my-bucket
  $ authdoctor collect case-4711 --file error.txt
  $ authdoctor mcp --root ~/cases`,
  );
  return program;
}

/** Run the CLI with `argv` (as in process.argv) and return the exit code. */
export async function main(argv: string[]): Promise<number> {
  const exit = { code: 0 };
  // `authdoctor <command> ...` declares that command only; anything else (help, --version, typos) gets them all
  const program = buildProgram(exit, argv[2]);
  try {
    await program.parseAsync(argv);
    return exit.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed by commander.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof InputError) {
      warn(err.message);
      return 2;
    }
    throw err;
  }
}
