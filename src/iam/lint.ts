// Policy lint against the service reference (placeholder signature; filled in below).
import type { Policy } from "./types.js";

export interface LintFinding {
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  statement?: number;
}

/** Lint one policy. */
export async function lintPolicy(policy: Policy): Promise<LintFinding[]> {
  return policy.statements.length === 0
    ? [{ code: "empty", severity: "warning", message: "no statements" }]
    : [];
}
