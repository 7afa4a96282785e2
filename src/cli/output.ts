// The CLI's one way out: command output to stdout or the `--out` file, warnings and audit lines to stderr, with
// control characters from the inputs made visible.

import { InputError } from "../core/input-error.js";
import { colourEnabled, makeStyle, oneLine, type Style, terminalSafe } from "../report/style.js";

/** Write to stdout, or to `out` when given, with control characters from the inputs made visible. */
export async function writeOutput(text: string, out?: string): Promise<void> {
  // the text quotes inputs written by others (CloudTrail records): their control characters are shown, not run
  const safe = terminalSafe(text);
  const body = safe.endsWith("\n") ? safe : `${safe}\n`;
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

/** One `authdoctor: ...` line on stderr (a warning, or an input error when more than one is reported). */
export function warn(message: string): void {
  process.stderr.write(`authdoctor: ${oneLine(message)}\n`);
}

/** Text written to stderr as it is, after the same terminal sanitising (the live audit). */
export function writeStderr(text: string): void {
  const safe = terminalSafe(text);
  process.stderr.write(safe.endsWith("\n") ? safe : `${safe}\n`);
}

/** The style for text written to stdout (colour on a TTY only; never into a file). */
export function stdoutStyle(toFile = false): Style {
  return makeStyle(!toFile && colourEnabled(process.stdout));
}
