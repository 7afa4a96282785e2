// Human-readable rendering of an evaluation result (the CLI's default output).

import type { RequestLineResult } from "../iam/requests.js";
import { EVALUATION_SCHEMA, type EvaluationResult, type StatementRef } from "../iam/types.js";
import type { Style } from "./style.js";

function ref(r: StatementRef): string {
  return `${r.policy}${r.sid ? ` \`${r.sid}\`` : ""} #${r.index}`;
}

/** Render one result as a few short lines. */
export function renderEvaluation(r: EvaluationResult, style: Style): string {
  const lines: string[] = [];
  const d =
    r.decision === "Allowed"
      ? style.green(style.bold("Allowed"))
      : r.decision === "ExplicitDeny"
        ? style.red(style.bold("ExplicitDeny"))
        : style.yellow(style.bold("ImplicitDeny"));
  lines.push(`${d}  ${r.request.action} on ${r.request.resource}`);
  lines.push(style.dim(`  principal ${r.request.principal}`));
  if (r.cause) lines.push(`  cause: ${style.bold(r.cause)}${r.deniedBy ? ` (${r.deniedBy} policy)` : ""}`);
  if (r.decidedBy.length) {
    lines.push(r.decision === "Allowed" ? "  allowed by:" : "  denied by:");
    for (const s of r.decidedBy.slice(0, 5)) {
      lines.push(`    ${ref(s)}`);
      if (s.why) lines.push(style.dim(`      ${s.why}`));
    }
  }
  if (r.nearMisses.length) {
    lines.push("  near misses:");
    for (const nm of r.nearMisses) {
      lines.push(`    ${ref(nm)}`);
      for (const f of nm.failed) lines.push(`      ${style.yellow("x")} ${f.detail}`);
    }
  }
  for (const m of r.missingContext)
    lines.push(`  ${style.cyan("depends on context:")} ${m.text} (${ref(m.statement)})`);
  if (r.fix) {
    lines.push(`  fix: ${r.fix.summary}`);
    if (r.fix.diff)
      for (const l of r.fix.diff.split("\n"))
        lines.push(`    ${l.startsWith("+") ? style.green(l) : l.startsWith("-") ? style.red(l) : l}`);
  }
  for (const n of r.notes) lines.push(style.dim(`  note: ${n}`));
  return lines.join("\n");
}

/** `can --requests` as text: each evaluation, or `error: ...` for a line that could not be evaluated. */
export function renderRequestLines(lines: RequestLineResult[], s: Style): string {
  return lines
    .map((l) => ("error" in l ? s.red(`error: ${l.error}`) : `${renderEvaluation(l.result, s)}\n`))
    .join("\n");
}

/** The lean line of `can --output decisions`: decision, and cause and deciding layer when denied. */
export const DECISION_SCHEMA = "authdoctor.decision/v1" as const;

const decisionTails = new WeakMap<EvaluationResult, string>();

/**
 * One `authdoctor.decision/v1` line: `{"schema":...,"line":N,"decision":...,"cause":...,"deniedBy":...}`, the text
 * of JSON.stringify of that object. The part after the line number is kept per result (a batch answers repeated
 * requests with the same result object).
 */
export function renderDecisionLine(line: number, r: EvaluationResult): string {
  let tail = decisionTails.get(r);
  if (tail === undefined) {
    tail = `,"decision":${JSON.stringify(r.decision)}`;
    if (r.cause) tail += `,"cause":${JSON.stringify(r.cause)}`;
    if (r.deniedBy) tail += `,"deniedBy":${JSON.stringify(r.deniedBy)}`;
    tail += "}";
    decisionTails.set(r, tail);
  }
  return `{"schema":"${DECISION_SCHEMA}","line":${line}${tail}`;
}

const evaluationTexts = new WeakMap<EvaluationResult, string>();

/**
 * One `authdoctor.evaluation/v1` object as one line of JSON (JSON.stringify's text), kept per result object: the
 * lines of a batch that ask the same question share the result and its text.
 */
export function renderEvaluationLine(r: EvaluationResult): string {
  let text = evaluationTexts.get(r);
  if (text === undefined) {
    text = JSON.stringify(r);
    evaluationTexts.set(r, text);
  }
  return text;
}

/** `can --requests --json`: JSON Lines, one evaluation (or `{schema, line, error}`) per request line. */
export function renderRequestLinesJson(lines: RequestLineResult[]): string {
  return lines
    .map((l) =>
      "error" in l
        ? JSON.stringify({ schema: EVALUATION_SCHEMA, line: l.line, error: l.error })
        : renderEvaluationLine(l.result),
    )
    .join("\n");
}
