// Reading evidence files for the sources: JSON with a one-line reason on failure, never a throw.

import { InputError } from "../../core/input-error.js";
import { jsonSyntaxError } from "../../iam/files.js";
import type { Policy } from "../../iam/types.js";
import { decodeText, readBytes, readFailure } from "../../io/read.js";

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

/** A policy file read by the one policy loader (src/iam/files.ts): its policies, or why it cannot be used. */
export type PolicyRead = Read<Policy[]>;

/**
 * Read a policy file once: every shape the AWS CLI prints (bare document, get-policy-version,
 * get-role-policy, get-bucket-policy, get-key-policy). `cache` keeps the result for the rest of the run.
 */
export async function readPolicyFile(path: string, cache?: Map<string, PolicyRead>): Promise<PolicyRead> {
  const hit = cache?.get(path);
  if (hit) return hit;
  const r = await loadPolicyFile(path);
  cache?.set(path, r);
  return r;
}

async function loadPolicyFile(path: string): Promise<PolicyRead> {
  let text: string;
  try {
    text = decodeText(await readBytes(path));
  } catch (err) {
    if (err instanceof InputError) return { ok: false, reason: err.detail };
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, reason: `cannot read: ${code === "EISDIR" ? "is a folder" : readFailure(err)}` };
  }
  const { policiesFromText } = await import("../../iam/files.js");
  try {
    return { ok: true, value: policiesFromText(text, path) };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const reason = `${err.detail}${err.position ? ` (${err.position})` : ""}`;
    return err.detail.startsWith("invalid JSON")
      ? {
          ok: false,
          reason: reason.replace(/^invalid JSON/, "not valid JSON"),
          syntax: {
            message: err.detail.replace(/^invalid JSON:? /, ""),
            ...(err.position ? { position: err.position } : {}),
          },
        }
      : { ok: false, reason };
  }
}
