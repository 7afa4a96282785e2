// `authdoctor lint`: wiring only (placeholder until its issue lands).
import type { RegisterCommand } from "./types.js";

export const registerLint: RegisterCommand = (program, exit) => {
  program
    .command("lint")
    .description("(in development)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      process.stderr.write("authdoctor: `lint` is not available in this build yet\n");
      exit.code = 1;
    });
};
