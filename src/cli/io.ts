// Input/output helpers for the commands: reading text from arguments, a file or stdin; writing results.

import { InputError } from "../core/input-error.js";

/** Largest input read whole (authorization snapshots of large accounts run to tens of MB). */
export const READ_LIMIT = 256 * 1024 * 1024;

/** What a non-regular file is, in a word, for the one-line refusal. */
export function fileKind(st: import("node:fs").Stats): string {
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  return "not a regular file";
}

/**
 * Read a whole regular file, at most `limit` bytes. A FIFO, socket or device (or a symbolic link to one) is refused
 * with an InputError instead of blocking for ever: it is opened non-blocking (opening a FIFO for reading would wait
 * for a writer) and checked with fstat before any read. Stdin is read with `readStdin` (`-`). Other errors are fs
 * errors (with `code`).
 */
export async function readBytes(path: string, limit = READ_LIMIT): Promise<Buffer> {
  const [{ open }, { constants }] = await Promise.all([import("node:fs/promises"), import("node:fs")]);
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw Object.assign(new Error("is a folder"), { code: "EISDIR" });
    if (!st.isFile())
      throw new InputError(
        path,
        `cannot read: ${fileKind(st)}, not a regular file (use \`-\` to read stdin)`,
      );
    if (st.size > limit) throw new InputError(path, `too large: more than ${limit / 1024 / 1024} MiB`);
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** Why a file could not be read, in a few words (fs messages repeat the path and the syscall). */
export function readFailure(err: unknown, path?: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      // a name with bytes that are not UTF-8 reaches Node as U+FFFD: the file exists, its name cannot be given
      return path?.includes("\uFFFD")
        ? "no file by this name: the name holds bytes that are not UTF-8 (shown as \uFFFD), which cannot be passed as an argument; rename the file"
        : "no such file";
    case "ENXIO":
      return "a socket, not a regular file";
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
    throw new InputError(path, `cannot read: ${readFailure(err, path)}`);
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
