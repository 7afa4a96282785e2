// `authdoctor creds`: wiring only (placeholder until its issue lands).
import type { RegisterCommand } from "./types.js";

export const registerCreds: RegisterCommand = (program, exit) => {
  program
    .command("creds")
    .description("(in development)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      process.stderr.write("authdoctor: `creds` is not available in this build yet\n");
      exit.code = 1;
    });
};
