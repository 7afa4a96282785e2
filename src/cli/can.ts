// `authdoctor can`: wiring only (placeholder until its issue lands).
import type { RegisterCommand } from "./types.js";

export const registerCan: RegisterCommand = (program, exit) => {
  program
    .command("can")
    .description("(in development)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      process.stderr.write("authdoctor: `can` is not available in this build yet\n");
      exit.code = 1;
    });
};
