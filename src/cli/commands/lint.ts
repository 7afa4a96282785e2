// `authdoctor lint FILE...`: policy files -> lintFiles -> text, JSON or SARIF renderer.
import { InputError } from "../../core/input-error.js";
import type { RegisterCommand } from "../types.js";

export interface LintFlags {
  format?: string;
  failOn?: string;
}

export const register: RegisterCommand = (program, exit) => {
  program
    .command("lint")
    .description(
      "check IAM policy files: grammar with positions, unknown actions, Resources that never match, condition keys",
    )
    .argument("<file...>", 'policy files (one policy, an array of policies, or {"PolicyDocument": ...})')
    .option("--format <format>", "text, json or sarif", "text")
    .option(
      "--fail-on <severity>",
      "`error` or `warning`: exit 3 when a finding of that severity (or worse) is found",
    )
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor lint role-policy.json
  $ authdoctor lint policies/*.json --format sarif > lint.sarif
  $ authdoctor lint scp.json --format json
  $ authdoctor lint policies/*.json --fail-on warning   (exit 3 on any warning or error: for CI)`,
    )
    .action(async (files: string[], flags: LintFlags) => {
      exit.code = await run(files, flags);
    });
};

/** Lints every file; exit code 2 when a file could not be read (after linting the others). */
export async function run(files: string[], flags: LintFlags): Promise<number> {
  const format = flags.format ?? "text";
  if (!["text", "json", "sarif"].includes(format))
    throw new InputError("--format", `expected \`text\`, \`json\` or \`sarif\`, got \`${format}\``);
  if (files.length === 0) throw new InputError("lint", "give at least one policy file");
  if (flags.failOn !== undefined && flags.failOn !== "error" && flags.failOn !== "warning")
    throw new InputError("--fail-on", `expected \`error\` or \`warning\`, got \`${flags.failOn}\``);
  const [{ lintFiles, LINT_SCHEMA }, report, out] = await Promise.all([
    import("../../iam/lint-files.js"),
    import("../../report/lint.js"),
    import("../output.js"),
  ]);
  const { results, errors } = await lintFiles(files);
  for (const e of errors) out.warn(e.message);
  if (format === "text") {
    // one `file:line:col: severity message [rule]` line per finding, unwrapped, as editors and CI parse them;
    // written in batches of about 1 MB (a 50,000-statement policy has as many findings)
    let chunk: string[] = [];
    let size = 0;
    for (const line of report.lintTextLines(results, out.stdoutStyle())) {
      chunk.push(line);
      size += line.length;
      if (size > 1 << 20) {
        await out.writeOutput(`${chunk.join("\n")}\n`, undefined, "text");
        chunk = [];
        size = 0;
      }
    }
    if (chunk.length) await out.writeOutput(chunk.join("\n"), undefined, "text");
  } else
    await out.writeOutput(
      format === "json"
        ? JSON.stringify({ schema: LINT_SCHEMA, files: results }, null, 2)
        : JSON.stringify(report.renderLintSarif(results), null, 2),
    );
  if (errors.length > 0) return 2;
  // --fail-on error: any error; --fail-on warning: any error or warning (info never fails).
  const met = results.some((r) =>
    r.findings.some(
      (f) => f.severity === "error" || (flags.failOn === "warning" && f.severity === "warning"),
    ),
  );
  return flags.failOn !== undefined && met ? 3 : 0;
}
