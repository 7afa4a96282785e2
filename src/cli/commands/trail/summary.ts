// `authdoctor trail summary PATH...`: files -> trailSummary -> renderSummary.
import type { RegisterCommand } from "../../types.js";
import { isPushdown, runPushdownCommand } from "./pushdown.js";
import { common, runTrailCommand, type TrailFlags } from "./shared.js";

type Flags = TrailFlags;

export const register: RegisterCommand = (program, exit) => {
  common(program.command("summary").argument("[paths...]", "files, folders or - (none with --athena/--lake)"))
    .description("events and failures by error code, source, name, principal, region, user agent")
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor trail summary ./AWSLogs --since 2025-02-24T00:00:00Z --region us-east-1
  $ aws cloudtrail lookup-events --max-results 50 | authdoctor trail summary - --json`,
    )
    .action(async (paths: string[], flags: Flags) => {
      exit.code = isPushdown(flags)
        ? await runPushdownCommand("summary", paths, flags)
        : await run(paths, flags);
    });
};

export async function run(paths: string[], flags: Flags): Promise<number> {
  const [{ trailSummary }, { renderSummary }, { stdoutStyle }] = await Promise.all([
    import("../../../trail/analyses.js"),
    import("../../../report/trail.js"),
    import("../../output.js"),
  ]);
  return runTrailCommand(
    flags,
    (opts) => trailSummary(paths, opts),
    (r) => (flags.json ? JSON.stringify(r, null, 2) : renderSummary(r, stdoutStyle())),
    paths,
  );
}
