// Text and SARIF renderings of lint results (JSON output is the authdoctor.lint/v1 object itself).

import { count } from "../core/plural.js";
import type { LintFinding } from "../iam/lint.js";
import { LINT_RULES } from "../iam/lint.js";
import type { LintFileResult } from "../iam/lint-files.js";
import type { Style } from "./style.js";

/** One line per finding (`file:line:column: severity message [code]`), then a total. */
export function renderLintText(results: LintFileResult[], style: Style): string {
  return [...lintTextLines(results, style)].join("\n");
}

/** The lines of `renderLintText`, one at a time (a large policy's findings are written as they come). */
export function* lintTextLines(results: LintFileResult[], style: Style): Generator<string> {
  let total = 0;
  for (const r of results) {
    for (const f of r.findings) {
      total++;
      const sev =
        f.severity === "error"
          ? style.red("error")
          : f.severity === "warning"
            ? style.yellow("warning")
            : style.cyan("info");
      yield `${r.file}:${f.where.line}:${f.where.column}: ${sev} ${f.message} ${style.dim(`[${f.code}]`)}`;
    }
  }
  yield total === 0
    ? style.green(`${count(results.length, "file")}: no findings`)
    : `${count(total, "finding")} in ${results.filter((r) => r.findings.length).length} of ${count(results.length, "file")}`;
}

/** SARIF 2.1.0 log. */
export function renderLintSarif(results: LintFileResult[]): unknown {
  const level = (s: LintFinding["severity"]) => (s === "info" ? "note" : s);
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "authdoctor",
            rules: Object.entries(LINT_RULES).map(([id, text]) => ({ id, shortDescription: { text } })),
          },
        },
        results: results.flatMap((r) =>
          r.findings.map((f) => ({
            ruleId: f.code,
            level: level(f.severity),
            message: { text: f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: r.file },
                  region: { startLine: Math.max(1, f.where.line), startColumn: Math.max(1, f.where.column) },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
}
