// The one shape of a command file (src/cli/commands/<command>.ts; docs/architecture.md, "Commands").
import type { Command } from "commander";

/**
 * Declares one command on `program` (a trail subcommand: on the `trail` command): its flags, help and examples.
 * Its action calls the file's `run`, which turns flags into one library call and one renderer, and returns the
 * exit code it sets on `exit` (0 ran, 2 bad input, 3 a --fail-on condition met). Library and renderer modules
 * load inside `run`, so declaring every command costs nothing at start-up.
 */
export type RegisterCommand = (program: Command, exit: { code: number }) => void;
