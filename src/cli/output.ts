// The CLI's one way out: every result, warning, error and audit line of every command and format leaves through
// here, so redaction and terminal escaping (src/core/output.ts) apply once, to everything: secrets are removed,
// control characters from the inputs are shown escaped (`\u` escapes in JSON), and only then do the CLI's own
// colour marks become colour codes.

import { InputError } from "../core/input-error.js";
import { type OutputKind, safeJsonRecord, safeLine, safeOutput } from "../core/output.js";
import { redactText } from "../core/redact.js";
import { makeStyle, type Style } from "../report/style.js";
import { wrapText } from "../report/wrap.js";

export type { OutputKind } from "../core/output.js";

/** Whether colours are on for stdout: never with NO_COLOR, always with FORCE_COLOR, else on a TTY. */
export function stdoutColour(): boolean {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return process.stdout.isTTY === true && env.TERM !== "dumb";
}

/** The style for text written to stdout (colour on a TTY only; never into a file). */
export function stdoutStyle(toFile = false): Style {
  return makeStyle(!toFile && stdoutColour());
}

/** JSON (an object, an array, JSON Lines of objects) or text, when the caller does not say. */
function kindOf(text: string): OutputKind {
  return /^\s*[[{]/.test(text) ? "json" : "text";
}

/**
 * Write a command's result to stdout, or to `out` when given (never coloured), ending with one newline. `kind`
 * defaults to JSON for a body that starts with `{` or `[`, else text.
 */
export async function writeOutput(
  text: string,
  out?: string,
  kind: OutputKind = kindOf(text),
): Promise<void> {
  const safe = safeOutput(text, kind, !out && stdoutColour());
  const body = safe === "" || safe.endsWith("\n") ? safe : `${safe}\n`;
  if (!out) {
    process.stdout.write(body);
    return;
  }
  const { writeFile } = await import("node:fs/promises");
  try {
    await writeFile(out, body);
  } catch (err) {
    throw new InputError(out, `cannot write: ${(err as Error).message}`);
  }
}

/**
 * Write output given in pieces (a large JSON report, one element a piece) to stdout, one piece at a time under
 * the stream's backpressure, so the whole text never exists at once. Each piece passes the same redaction and
 * escaping as `writeOutput` (JSON text holds no raw control characters; a secret never spans two elements).
 */
export async function writePieces(pieces: Iterable<string>): Promise<void> {
  const { EventEmitter } = await import("node:events");
  let last = "";
  for (const piece of pieces) {
    if (piece === "") continue;
    last = piece;
    if (!process.stdout.write(safeOutput(piece, "text", false)))
      await EventEmitter.once(process.stdout, "drain");
  }
  if (!last.endsWith("\n")) process.stdout.write("\n");
}

/**
 * JSON Lines records (each one JSON object, no newline inside) to stdout in one write, one record a line, under the
 * stream's backpressure. Each record passes the same redaction and escaping as `writeOutput` (a record written
 * again reuses its redacted text).
 */
export async function writeJsonRecords(records: string[]): Promise<void> {
  if (records.length === 0) return;
  let body = "";
  for (const r of records) body += `${safeJsonRecord(r)}\n`;
  if (!process.stdout.write(body)) {
    const { EventEmitter } = await import("node:events");
    await EventEmitter.once(process.stdout, "drain");
  }
}

/** One `authdoctor: ...` line on stderr (errors, warnings): redacted, escaped, newlines shown as `\u000a`. */
export function warn(message: string): void {
  process.stderr.write(`authdoctor: ${safeLine(message)}\n`);
}

/** Lines on stderr that are not errors (the `--live` audit): redacted and escaped, newlines kept. */
export function writeStderr(text: string): void {
  const safe = safeOutput(text, "text", false);
  process.stderr.write(safe.endsWith("\n") ? safe : `${safe}\n`);
}

/**
 * The width text output is wrapped at: `COLUMNS` when set, else the terminal's width, else 100 (not a TTY: a pipe,
 * a file, CI logs).
 */
export function outputWidth(
  env: NodeJS.ProcessEnv = process.env,
  stream: { isTTY?: boolean; columns?: number } = process.stdout,
): number {
  const cols = Number.parseInt(env.COLUMNS ?? "", 10);
  if (Number.isFinite(cols) && cols > 0) return cols;
  if (stream.isTTY === true && stream.columns && stream.columns > 0) return stream.columns;
  return 100;
}

/**
 * Text output fitted to outputWidth(): wrapped on spaces with indentation kept, never inside a token. Redacted
 * first (writeOutput redacts again, which changes nothing), so a masked value's length is what gets wrapped.
 */
export function fitWidth(text: string, width = outputWidth()): string {
  return wrapText(redactText(text), width);
}
