// `authdoctor trail explain PATH...`: files and policies -> trailExplain -> renderExplain.

import { InputError } from "../../../core/input-error.js";
import type { RegisterCommand } from "../../types.js";
import { isPushdown, runPushdownCommand } from "./pushdown.js";
import { collect, common, runTrailCommand, type TrailFlags } from "./shared.js";

interface Flags extends TrailFlags {
  authz?: string;
  scp?: string[];
  rcp?: string[];
  limit?: string;
  format?: string;
}

export const register: RegisterCommand = (program, exit) => {
  common(program.command("explain").argument("[paths...]", "files, folders or - (none with --athena/--lake)"))
    .description(
      "for each access-denied event: the IAM actions, the request context, and (with --authz) cause and fix",
    )
    .option("--authz <file>", "aws iam get-account-authorization-details output")
    .option("--scp <file>", "service control policy JSON (repeatable: one level each)", collect)
    .option("--rcp <file>", "resource control policy JSON (repeatable)", collect)
    .option("--limit <n>", "denied events explained", "50")
    .option("--format <format>", "text, json or sarif (SARIF 2.1.0 for code scanning)", "text")
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor trail explain ./AWSLogs
  $ authdoctor trail explain ./AWSLogs --authz authz.json --scp org-scp.json --json
  $ authdoctor trail explain ./AWSLogs --authz authz.json --format sarif > denials.sarif`,
    )
    .action(async (paths: string[], flags: Flags) => {
      exit.code = isPushdown(flags)
        ? await runPushdownCommand("explain", paths, flags)
        : await run(paths, flags);
    });
};

export async function run(paths: string[], flags: Flags): Promise<number> {
  const format = flags.json ? "json" : (flags.format ?? "text");
  if (!["text", "json", "sarif"].includes(format))
    throw new InputError("--format", `expected \`text\`, \`json\` or \`sarif\`, got \`${format}\``);
  const [{ trailExplain }, { loadEvaluationEnv }, { renderExplain }, { stdoutStyle, warn }] =
    await Promise.all([
      import("../../../trail/analyses.js"),
      import("../../../iam/env.js"),
      import("../../../report/trail.js"),
      import("../../output.js"),
    ]);
  let env = null;
  if (flags.authz || flags.scp?.length || flags.rcp?.length) {
    const loaded = await loadEvaluationEnv({
      ...(flags.authz ? { authz: [flags.authz] } : {}),
      ...(flags.scp ? { scp: flags.scp } : {}),
      ...(flags.rcp ? { rcp: flags.rcp } : {}),
    });
    for (const w of loaded.warnings) warn(w);
    env = loaded.env;
  }
  const limit = flags.limit ? Number(flags.limit) : 50;
  if (!Number.isInteger(limit) || limit < 0)
    throw new InputError("--limit", `expected a whole number, got \`${flags.limit}\``);
  const sarif =
    format === "sarif"
      ? await Promise.all([import("../../../report/sarif.js"), import("../../../core/version.js")])
      : undefined;
  // SARIF results point at the snapshot the fix goes into, else at the (first) trail input
  const file = flags.authz ?? paths.find((p) => p !== "-");
  return runTrailCommand(
    flags,
    (opts) => trailExplain(paths, env, limit, opts),
    ({ result, files, skipped }) =>
      format === "json"
        ? JSON.stringify({ ...result, files, skipped }, null, 2)
        : sarif
          ? JSON.stringify(
              sarif[0].trailExplainToSarif(result, { ...(file ? { file } : {}), version: sarif[1].VERSION }),
              null,
              2,
            )
          : renderExplain(result, stdoutStyle(), skipped),
    paths,
  );
}
