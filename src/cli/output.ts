// Writing command output: stdout or the `--out` file, with control characters from the inputs made visible.

import { InputError } from "../core/input-error.js";
import { terminalSafe } from "../report/style.js";

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
