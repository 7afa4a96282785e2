// `authdoctor trail changes PATH...`: files -> trailChanges -> renderChanges.

import { InputError } from "../../../core/input-error.js";
import type { RegisterCommand } from "../../types.js";
import { isPushdown, runPushdownCommand } from "./pushdown.js";
import { common, runTrailCommand, type TrailFlags } from "./shared.js";

interface Flags extends TrailFlags {
  window?: string;
}

export const register: RegisterCommand = (program, exit) => {
  common(program.command("changes").argument("[paths...]", "files, folders or - (none with --athena/--lake)"))
    .description("changes that affect access, and the failures that began right after each")
    .option("--window <duration>", "how long after each change to look for new failures", "30m")
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor trail changes ./AWSLogs --since 2d
  $ authdoctor trail changes logs/ --window 15m --json`,
    )
    .action(async (paths: string[], flags: Flags) => {
      exit.code = isPushdown(flags)
        ? await runPushdownCommand("changes", paths, flags)
        : await run(paths, flags);
    });
};

export async function run(paths: string[], flags: Flags): Promise<number> {
  const [{ trailChanges }, { parseWindow }, { renderChanges }, { stdoutStyle }, { jsonPieces }] =
    await Promise.all([
      import("../../../trail/analyses.js"),
      import("../../../trail/timeline.js"),
      import("../../../report/trail.js"),
      import("../../output.js"),
      import("../../../report/json-stream.js"),
    ]);
  const windowMs = parseWindow(flags.window, 1_800_000);
  if (Number.isNaN(windowMs))
    throw new InputError("--window", `cannot read duration \`${flags.window}\` (e.g. 30m)`);
  return runTrailCommand(
    flags,
    (opts) => trailChanges(paths, windowMs, opts),
    // policy documents can be large: JSON keeps them, they are the evidence
    ({ result, files, skipped }) =>
      flags.json
        ? jsonPieces({ ...result, files, skipped }, "changes") // written change by change
        : renderChanges(result, stdoutStyle(), skipped),
    paths,
  );
}
