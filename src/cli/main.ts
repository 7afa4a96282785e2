// The `authdoctor` command as bundled by scripts/bundle-cli.mjs (dist/cli/bin.js loads the bundle): runs the
// program, sets the exit code and ends quietly when the reader of stdout goes away.
import { warn } from "./output.js";
import { main } from "./program.js";

// A reader that goes away (`authdoctor trail summary logs | head`) is not a crash: stop quietly. Any other
// failure to write the output (a full disk) is one line, exit 2.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE")
    process.stderr.write(`authdoctor: cannot write output: ${err.code ?? err.message}\n`);
  process.exit(err.code === "EPIPE" ? 0 : 2);
});

/** Settles once the command has run and set `process.exitCode` (the build's code-cache warm-up awaits it). */
export const done: Promise<void> = main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    warn(`internal error: ${(err as Error)?.message ?? String(err)}`);
    process.exitCode = 1;
  },
);
