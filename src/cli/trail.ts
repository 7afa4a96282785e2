// `authdoctor trail`: wiring only (placeholder until its issue lands).
import type { RegisterCommand } from "./types.js";

export const registerTrail: RegisterCommand = (program, exit) => {
  program
    .command("trail")
    .description("(in development)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      process.stderr.write("authdoctor: `trail` is not available in this build yet\n");
      exit.code = 1;
    });
};
