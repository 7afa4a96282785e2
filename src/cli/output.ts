// The CLI's single output writer: every result, error, warning and audit line of every command and format leaves
// through here, so redaction and terminal escaping (src/core/output.ts) apply once, to everything.

import { InputError } from "../core/input-error.js";
import { type OutputKind, safeLine, safeOutput } from "../core/output.js";

export type { OutputKind } from "../core/output.js";

/** Whether colours are on for stdout (decided once per run; NO_COLOR / FORCE_COLOR / TTY). */
export function stdoutColour(): boolean {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return process.stdout.isTTY === true && env.TERM !== "dumb";
}

/** Write a command's result to stdout, or to `out` when given (never coloured), ending with one newline. */
export async function writeResult(text: string, kind: OutputKind, out?: string): Promise<void> {
  const safe = safeOutput(text, kind, !out && stdoutColour());
  const body = safe === "" || safe.endsWith("\n") ? safe : `${safe}\n`;
  if (!out) {
    process.stdout.write(body);
    return;
  }
  const { writeFile } = await import("node:fs/promises");
  try {
    await writeFile(out, body);
  } catch (err) {
    throw new InputError(out, `cannot write: ${(err as Error).message}`);
  }
}

/** Write part of a streamed result (JSON Lines, one row per request) to stdout. */
export function writeResultChunk(text: string, kind: OutputKind): void {
  process.stdout.write(safeOutput(text, kind, stdoutColour()));
}

/** One `authdoctor: ...` line on stderr (errors, warnings): redacted, escaped, newlines shown as `\u000a`. */
export function writeError(message: string): void {
  process.stderr.write(`authdoctor: ${safeLine(message)}\n`);
}

/** Lines on stderr that are not errors (the `--live` audit): redacted and escaped, newlines kept. */
export function writeNote(text: string): void {
  const safe = safeOutput(text, "text", false);
  process.stderr.write(safe.endsWith("\n") ? safe : `${safe}\n`);
}

/** Text output to stdout or `out` (the name the commands used before kinds: plain text, no colours decided here). */
export async function writeOutput(text: string, out?: string, kind: OutputKind = "text"): Promise<void> {
  await writeResult(text, kind, out);
}
