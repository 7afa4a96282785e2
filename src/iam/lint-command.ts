// `authdoctor lint` implementation: parse each file, lint every policy in it, print text, JSON or SARIF.

import { readTextFile } from "../cli/io.js";
import { InputError } from "../core/input-error.js";
import { colourEnabled, makeStyle, oneLine, type Style, terminalSafe } from "../report/style.js";
import { policyNodes } from "./files.js";
import { type JsonNode, scanJson } from "./json.js";
import { LINT_RULES, type LintFinding, lintPolicy } from "./lint.js";
import { policyFromNode } from "./parse.js";

export const LINT_SCHEMA = "authdoctor.lint/v1" as const;

/** Findings of one file. */
export interface LintFileResult {
  file: string;
  policies: number;
  findings: LintFinding[];
}

/** Lint the policies in one text: every shape the policy loader reads (src/iam/files.ts policyNodes). */
export async function lintText(text: string, file: string): Promise<LintFileResult> {
  const scanned = scanJson(text);
  const findings: LintFinding[] = [];
  for (const p of scanned.problems)
    findings.push({ code: "policy_error", severity: "error", message: p.message, where: p.where });
  if (!scanned.node) return { file, policies: 0, findings };
  let items: JsonNode[];
  try {
    // the one policy loader's shapes (src/iam/files.ts)
    items = policyNodes(scanned.node, file);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    findings.push({
      code: "policy_error",
      severity: "error",
      message: err.detail,
      where: scanned.node.where,
    });
    return { file, policies: 0, findings };
  }
  let policies = 0;
  for (const [i, n] of items.entries()) {
    const r = policyFromNode(n, items.length > 1 ? `${file}[${i}]` : file);
    if (r.policy) policies++;
    const fs = r.policy
      ? await lintPolicy(r.policy, r.errors)
      : r.errors.map<LintFinding>((e) => ({
          code: "policy_error",
          severity: "error",
          message: e.message,
          where: e.where,
        }));
    findings.push(...fs);
  }
  findings.sort((a, b) => a.where.line - b.where.line || a.where.column - b.where.column);
  return { file, policies, findings };
}

function renderText(results: LintFileResult[], style: Style): string {
  const lines: string[] = [];
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
      lines.push(
        `${r.file}:${f.where.line}:${f.where.column}: ${sev} ${f.message} ${style.dim(`[${f.code}]`)}`,
      );
    }
  }
  lines.push(
    total === 0
      ? style.green(`${results.length} file(s): no findings`)
      : `${total} finding(s) in ${results.filter((r) => r.findings.length).length} of ${results.length} file(s)`,
  );
  return lines.join("\n");
}

/** SARIF 2.1.0 log. */
export function toSarif(results: LintFileResult[]): unknown {
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

/** Run the command; returns the exit code (2 when a file could not be read, after linting the others). */
export async function runLint(files: string[], o: { format?: string }): Promise<number> {
  const format = o.format ?? "text";
  if (!["text", "json", "sarif"].includes(format))
    throw new InputError("--format", `expected \`text\`, \`json\` or \`sarif\`, got \`${format}\``);
  if (files.length === 0) throw new InputError("lint", "give at least one policy file");
  const results: LintFileResult[] = [];
  let code = 0;
  for (const f of files) {
    try {
      results.push(await lintText(await readTextFile(f), f));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      process.stderr.write(`authdoctor: ${oneLine(err.message)}\n`);
      code = 2;
    }
  }
  const out =
    format === "json"
      ? JSON.stringify({ schema: LINT_SCHEMA, files: results }, null, 2)
      : format === "sarif"
        ? JSON.stringify(toSarif(results), null, 2)
        : renderText(results, makeStyle(colourEnabled(process.stdout)));
  process.stdout.write(`${terminalSafe(out)}\n`);
  return code;
}
