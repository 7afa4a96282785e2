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

/** Below this depth objects and arrays are written member by member; deeper values whole (they are small). */
const PIECE_DEPTH = 7;
/** Size of the pieces handed to the writer (each ends right after a `,`, see evaluationJsonPieces). */
const PIECE_SIZE = 1 << 16;

/** `JSON.stringify(v, null, 2)` of a value nested at `indent`: its lines after the first get the indent. */
function nested(v: unknown, indent: string): string | undefined {
  const text = JSON.stringify(v, null, 2) as string | undefined;
  return text === undefined || indent === "" ? text : text.replace(/\n/g, `\n${indent}`);
}

function* pretty(v: unknown, indent: string, depth: number): Generator<string> {
  const value =
    v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function"
      ? (v as { toJSON(): unknown }).toJSON()
      : v;
  if (value === null || typeof value !== "object" || depth >= PIECE_DEPTH) {
    yield nested(value, indent) ?? "null";
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield "[]";
      return;
    }
    yield `[\n${inner}`;
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield `,\n${inner}`;
      const e = value[i];
      if (e === undefined || typeof e === "function" || typeof e === "symbol") yield "null";
      else yield* pretty(e, inner, depth + 1);
    }
    yield `\n${indent}]`;
    return;
  }
  let first = true;
  for (const k of Object.keys(value)) {
    const e = (value as Record<string, unknown>)[k];
    if (e === undefined || typeof e === "function" || typeof e === "symbol") continue;
    yield `${first ? "{" : ","}\n${inner}${JSON.stringify(k)}: `;
    first = false;
    yield* pretty(e, inner, depth + 1);
  }
  yield first ? "{}" : `\n${indent}}`;
}

/**
 * The text of `JSON.stringify(r, null, 2)` in pieces of about 64 KB, so a result whose fix carries a large changed
 * document (50,000 statements) is written without the whole text existing at once. Each piece but the last ends
 * right after a `,`: no secret pattern the output redaction looks for contains a comma, so redacting piece by
 * piece equals redacting the whole text.
 */
export function* evaluationJsonPieces(r: EvaluationResult): Generator<string> {
  let buf = "";
  for (const p of pretty(r, "", 0)) {
    if (buf.length >= PIECE_SIZE && p.startsWith(",")) {
      yield `${buf},`;
      buf = p.slice(1);
    } else buf += p;
  }
  yield buf;
}
