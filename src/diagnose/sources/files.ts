// Reading evidence files for the sources: JSON with a one-line reason on failure, never a throw.

import { decodeText, readBytes, readFailure } from "../../cli/io.js";
import { InputError } from "../../core/input-error.js";
import { jsonSyntaxError } from "../../iam/files.js";

export type Read<T> =
  | { ok: true; value: T }
  | { ok: false; reason: string; syntax?: { message: string; position?: string } };

/** Read and parse a JSON file; the reason names the position for syntax errors (never quotes the text). */
export async function readJsonFile(path: string): Promise<Read<unknown>> {
  let text: string;
  try {
    // at most io's READ_LIMIT (authorization snapshots of large accounts run to tens of MB)
    text = decodeText(await readBytes(path));
  } catch (err) {
    if (err instanceof InputError) return { ok: false, reason: err.message.slice(path.length + 2) };
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason: `cannot read: ${code === "EISDIR" ? "is a folder" : readFailure(err, path)}`,
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const e = jsonSyntaxError(text);
    const position = e.where.line > 0 ? `line ${e.where.line}, column ${e.where.column}` : undefined;
    return {
      ok: false,
      reason: `not valid JSON: ${e.message}${position ? ` (${position})` : ""}`,
      syntax: { message: e.message, ...(position ? { position } : {}) },
    };
  }
}
