// The shape every command file exports.
import type { Command } from "commander";

/** Adds one command to `program`; its action sets `exit.code` (0 ran, 2 bad input). */
export type RegisterCommand = (program: Command, exit: { code: number }) => void;
