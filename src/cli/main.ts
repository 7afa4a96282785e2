// The `authdoctor` command as bundled by scripts/bundle-cli.mjs (dist/cli/bin.js loads the bundle): runs the
// program and sets the exit code, nothing else.
import { main } from "./program.js";

/** Settles once the command has run and set `process.exitCode` (the build's code-cache warm-up awaits it). */
export const done: Promise<void> = main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`authdoctor: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
