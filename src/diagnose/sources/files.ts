// Reading evidence files for the sources: JSON with a one-line reason on failure, never a throw.

import { readFile } from "node:fs/promises";
import { decodeText } from "../../cli/io.js";

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Largest JSON evidence file read whole (authorization snapshots of large accounts run to tens of MB). */
const JSON_LIMIT = 256 * 1024 * 1024;

/** Read and parse a JSON file; the reason names the position for syntax errors. */
export async function readJsonFile(path: string): Promise<Read<unknown>> {
  let text: string;
  try {
    const buf = await readFile(path);
    if (buf.length > JSON_LIMIT) return { ok: false, reason: `too large (${buf.length} bytes)` };
    text = decodeText(buf);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason: `cannot read: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : (code ?? (err as Error).message)}`,
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, reason: `not valid JSON: ${jsonPosition(text, (err as Error).message)}` };
  }
}

/** Turn V8's `... at position N` into `line L, column C` with the message. */
function jsonPosition(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  const first = message.split("\n")[0] ?? message;
  if (!m) return first;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  const column = pos - before.lastIndexOf("\n");
  return `${first.replace(/\s*\(line \d+ column \d+\)/, "")} (line ${line}, column ${column})`;
}
