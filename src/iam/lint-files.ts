// Linting policy files: every policy in a file (one, an array, or a wrapper), findings sorted by position.

import { InputError } from "../core/input-error.js";
import { readTextFile } from "../io/read.js";
import { policyNodes } from "./files.js";
import { type JsonNode, scanJson } from "./json.js";
import { type LintFinding, lintPolicy } from "./lint.js";
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

/** Lint files in order; a file that cannot be read is an error entry, the others are linted. */
export async function lintFiles(
  files: string[],
): Promise<{ results: LintFileResult[]; errors: InputError[] }> {
  const results: LintFileResult[] = [];
  const errors: InputError[] = [];
  for (const f of files) {
    try {
      results.push(await lintText(await readTextFile(f), f));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      errors.push(err);
    }
  }
  return { results, errors };
}
