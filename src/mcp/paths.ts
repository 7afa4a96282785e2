// File paths handed to the MCP server by an assistant: resolved, checked against the allowed roots, and of the
// expected kind (a regular file or a folder), before any tool reads them.

import { realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { InputError } from "../core/input-error.js";

/** Where tools may read: absolute, real (symbolic links resolved) folder paths. */
export interface PathPolicy {
  roots: string[];
}

/** Build the policy from `--root` folders (default: the server's working folder). */
export async function pathPolicy(roots: string[], cwd = process.cwd()): Promise<PathPolicy> {
  const out: string[] = [];
  for (const r of roots.length > 0 ? roots : [cwd]) {
    const abs = resolve(cwd, r);
    let real: string;
    try {
      real = await realpath(abs);
    } catch {
      throw new InputError("--root", `\`${r}\`: no such folder`);
    }
    if (!(await stat(real)).isDirectory()) throw new InputError("--root", `\`${r}\`: not a folder`);
    out.push(real);
  }
  return { roots: out };
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * Check one path for reading: no NUL, no `-` (stdin carries the protocol), inside an allowed root after symbolic
 * links are resolved, and a regular file (`file`), a folder (`folder`) or either (`any`). Returns the real path.
 */
export async function checkPath(
  policy: PathPolicy,
  path: string,
  kind: "file" | "folder" | "any",
  field: string,
): Promise<string> {
  if (path === "-")
    throw new InputError(field, "`-` (stdin) is not available in the MCP server: give a path");
  if (path.includes("\0")) throw new InputError(field, "the path holds a NUL character");
  const abs = resolve(policy.roots[0] ?? process.cwd(), path);
  let real: string;
  try {
    real = await realpath(abs);
  } catch {
    throw new InputError(field, `\`${path}\`: no such file or folder`);
  }
  if (!policy.roots.some((r) => inside(real, r)))
    throw new InputError(
      field,
      `\`${path}\` is outside the folders this server may read (${policy.roots.join(", ")}; start it with --root to allow others)`,
    );
  const st = await stat(real);
  if (kind === "file" && !st.isFile()) throw new InputError(field, `\`${path}\`: not a regular file`);
  if (kind === "folder" && !st.isDirectory()) throw new InputError(field, `\`${path}\`: not a folder`);
  if (kind === "any" && !st.isFile() && !st.isDirectory())
    throw new InputError(field, `\`${path}\`: not a regular file or folder`);
  return real;
}

/** {@link checkPath} over a list. */
export async function checkPaths(
  policy: PathPolicy,
  paths: string[] | undefined,
  kind: "file" | "folder" | "any",
  field: string,
): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths ?? []) out.push(await checkPath(policy, p, kind, field));
  return out;
}
