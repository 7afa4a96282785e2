// `authdoctor diagnose`: wiring only (placeholder until its issue lands).
import type { RegisterCommand } from "./types.js";

export const registerDiagnose: RegisterCommand = (program, exit) => {
  program
    .command("diagnose")
    .description("(in development)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      process.stderr.write("authdoctor: `diagnose` is not available in this build yet\n");
      exit.code = 1;
    });
};
