// `authdoctor trail timeline PATH...`: files -> trailTimeline -> renderTimeline.

import { InputError } from "../../../core/input-error.js";
import type { RegisterCommand } from "../../types.js";
import { isPushdown, runPushdownCommand } from "./pushdown.js";
import { common, runTrailCommand, type TrailFlags } from "./shared.js";

interface Flags extends TrailFlags {
  around?: string;
  window?: string;
  principal?: string;
  key?: string;
  role?: string;
}

export const register: RegisterCommand = (program, exit) => {
  common(
    program.command("timeline").argument("[paths...]", "files, folders or - (none with --athena/--lake)"),
  )
    .description("ordered events around a moment; failures, issuances and access changes marked")
    .requiredOption("--around <time>", "the moment to centre on (ISO 8601)")
    .option("--window <duration>", "how far before and after (10m, 90s, 2h)", "10m")
    .option("--principal <arn>", "only this principal (user, role or session ARN)")
    .option("--key <akid>", "only calls signed with this access key id")
    .option("--role <name>", "only sessions of this role")
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor trail timeline ./AWSLogs --around 2023-07-10T11:55:00Z --window 5m
  $ authdoctor trail timeline ./AWSLogs --around 2025-02-24T14:15:12Z --role Cognito_AuthRole
  $ authdoctor trail timeline ./AWSLogs --around 2025-02-24T14:15:12Z --key AKIAIOSFODNN7EXAMPLE`,
    )
    .action(async (paths: string[], flags: Flags) => {
      exit.code = isPushdown(flags)
        ? await runPushdownCommand("timeline", paths, flags)
        : await run(paths, flags);
    });
};

export async function run(paths: string[], flags: Flags): Promise<number> {
  const [{ trailTimeline }, { parseWindow }, { renderTimeline }, { stdoutStyle }] = await Promise.all([
    import("../../../trail/analyses.js"),
    import("../../../trail/timeline.js"),
    import("../../../report/trail.js"),
    import("../../output.js"),
  ]);
  if (paths.length === 0) throw new InputError("trail", "give at least one file, folder or `-` (stdin)");
  if (!flags.around) throw new InputError("--around", "timeline needs `--around TIME` (ISO 8601)");
  const windowMs = parseWindow(flags.window);
  if (Number.isNaN(windowMs))
    throw new InputError("--window", `cannot read duration \`${flags.window}\` (e.g. 10m, 90s, 2h)`);
  const around = flags.around;
  return runTrailCommand(
    flags,
    (opts) =>
      trailTimeline(
        paths,
        {
          around,
          windowMs,
          ...(flags.principal ? { principal: flags.principal } : {}),
          ...(flags.key ? { keyId: flags.key } : {}),
          ...(flags.role ? { role: flags.role } : {}),
        },
        opts,
      ),
    ({ result, files, skipped }) =>
      flags.json
        ? JSON.stringify({ ...result, files, skipped }, null, 2)
        : renderTimeline(result, stdoutStyle(), skipped),
    paths,
  );
}
