#!/usr/bin/env node
// Entry point of the `authdoctor` command: runs the program and sets the exit code, nothing else.
import { main } from "./program.js";

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`authdoctor: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
