// Reading inputs: whole files with a size cap, stdin, and text decoding (UTF-8/UTF-16, BOM). A leaf: imports only core.

import { InputError } from "../core/input-error.js";

/** Largest input read whole (authorization snapshots of large accounts run to tens of MB). */
export const READ_LIMIT = 256 * 1024 * 1024;

/**
 * Read a whole file, at most `limit` bytes: a larger file, or an endless device such as /dev/zero, is an error
 * instead of a hang. Errors are fs errors (with `code`) or an InputError for the size.
 */
export async function readBytes(path: string, limit = READ_LIMIT): Promise<Buffer> {
  const { open } = await import("node:fs/promises");
  const fh = await open(path, "r");
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw Object.assign(new Error("is a folder"), { code: "EISDIR" });
    const tooLarge = () => new InputError(path, `too large: more than ${limit / 1024 / 1024} MiB`);
    if (st.isFile()) {
      if (st.size > limit) throw tooLarge();
      return await fh.readFile();
    }
    // a pipe or a device: read until the end or the limit
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(1 << 20);
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) throw tooLarge();
      chunks.push(buf.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await fh.close();
  }
}

/** Why a file could not be read, in a few words (fs messages repeat the path and the syscall). */
export function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "is a folder, expected a file";
    case "ENOTDIR":
      return "a folder in the path is a file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ELOOP":
      return "too many symbolic links";
    case "ENAMETOOLONG":
      return "the name is too long";
    default:
      return (err as Error)?.message?.split("\n")[0] ?? String(code);
  }
}

/** Read a whole file as UTF-8 (BOM removed), turning any failure into a one-line InputError. */
export async function readTextFile(path: string): Promise<string> {
  try {
    if (path === "-") return await readStdin();
    // node:fs/promises is loaded inside readBytes: `explain "<text>"` never reads a file (~1 ms to load)
    return decodeText(await readBytes(path));
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(path, `cannot read: ${readFailure(err)}`);
  }
}

/** Decode bytes as text: UTF-8 with or without BOM, UTF-16 LE/BE with or without BOM. */
export function decodeText(buf: Uint8Array): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder("utf-16le").decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder("utf-16be").decode(buf.subarray(2));
  // UTF-16 without a BOM (every other byte zero, as PowerShell redirection may write it)
  if (buf.length >= 4 && buf[1] === 0 && buf[3] === 0 && buf[0] !== 0 && buf[2] !== 0)
    return new TextDecoder("utf-16le").decode(buf);
  if (buf.length >= 4 && buf[0] === 0 && buf[2] === 0 && buf[1] !== 0 && buf[3] !== 0)
    return new TextDecoder("utf-16be").decode(buf);
  const text = new TextDecoder("utf-8").decode(buf);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Read all of stdin as text (empty string when stdin is a TTY). */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    // an endless producer (`yes | authdoctor explain`) is an error, not a hang
    if (total > READ_LIMIT) throw new InputError("-", `too large: more than ${READ_LIMIT / 1024 / 1024} MiB`);
    chunks.push(chunk as Buffer);
  }
  return decodeText(Buffer.concat(chunks));
}

/** Text from positional arguments, else `--file`, else stdin. */
export async function gatherText(args: string[], file: string | undefined): Promise<string> {
  if (args.length > 0) return args.join(" ");
  if (file) return readTextFile(file);
  return readStdin();
}
