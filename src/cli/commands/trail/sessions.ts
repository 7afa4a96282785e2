// `authdoctor trail sessions PATH...`: files -> trailSessions -> renderSessions.
import type { RegisterCommand } from "../../types.js";
import { isPushdown, runPushdownCommand } from "./pushdown.js";
import { common, runTrailCommand, type TrailFlags } from "./shared.js";

interface Flags extends TrailFlags {
  limit?: string;
}

export const register: RegisterCommand = (program, exit) => {
  common(
    program.command("sessions").argument("[paths...]", "files, folders or - (none with --athena/--lake)"),
  )
    .description("link each key/session to the STS call that issued it, back to the original identity")
    .option("--limit <n>", "sessions shown in text output", "30")
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor trail sessions ./AWSLogs/123456789012/CloudTrail/us-east-1/2025/02/24
  $ authdoctor trail sessions events.jsonl --json`,
    )
    .action(async (paths: string[], flags: Flags) => {
      exit.code = isPushdown(flags)
        ? await runPushdownCommand("sessions", paths, flags)
        : await run(paths, flags);
    });
};

export async function run(paths: string[], flags: Flags): Promise<number> {
  const [{ trailSessions }, { renderSessions }, { stdoutStyle }] = await Promise.all([
    import("../../../trail/analyses.js"),
    import("../../../report/trail.js"),
    import("../../output.js"),
  ]);
  return runTrailCommand(
    flags,
    (opts) => trailSessions(paths, opts),
    ({ result, files, skipped }) =>
      flags.json
        ? JSON.stringify({ ...result, files, skipped }, null, 2)
        : renderSessions(result, stdoutStyle(), skipped, flags.limit ? Number(flags.limit) : 30),
    paths,
  );
}
