// `authdoctor explain`: wiring only (placeholder until its issue lands).
import type { RegisterCommand } from "./types.js";

export const registerExplain: RegisterCommand = (program, exit) => {
  program
    .command("explain")
    .description("(in development)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      process.stderr.write("authdoctor: `explain` is not available in this build yet\n");
      exit.code = 1;
    });
};
