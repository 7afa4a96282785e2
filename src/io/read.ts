// Reading inputs: whole files with a size cap, stdin, and text decoding (UTF-8/UTF-16, BOM). A leaf: imports only core.

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
 * A file opened without blocking (a FIFO's open would wait for a writer) and checked with fstat: a folder is an
 * EISDIR fs error, anything but a regular file an InputError. The caller closes the handle.
 */
async function openRegular(path: string) {
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
    return { fh, st };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/**
 * Read a whole regular file, at most `limit` bytes. A FIFO, socket or device (or a symbolic link to one) is refused
 * with an InputError instead of blocking for ever: it is opened non-blocking (opening a FIFO for reading would wait
 * for a writer) and checked with fstat before any read. Stdin is read with `readStdin` (`-`). Other errors are fs
 * errors (with `code`).
 */
export async function readBytes(path: string, limit = READ_LIMIT): Promise<Buffer> {
  const { fh, st } = await openRegular(path);
  try {
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

/**
 * Error texts are read by their ends: at most this many bytes of the head and of the tail of a larger input (a
 * pasted build log ends with the error; an SDK trace starts with it). Both ends fit in the 2 M characters the errors
 * parser reads (errors/index.ts MAX_INPUT_CHARS); reading the middle of a 250 MB log would only cost memory.
 */
export const TEXT_END_BYTES = 896 * 1024;

/** The line put where the middle of a long error text was not read. */
const middle = (bytes: number) => `\n[... ${bytes} bytes in the middle not read ...]\n`;

/** Decode a head and a tail of the same input with the head's encoding (UTF-16 tails start on an even byte). */
function decodeEnds(head: Buffer, tail: Buffer, skipped: number, tailOffset: number): string {
  const first = decodeText(head);
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[1] === 0 && head[3] === 0 && head[0] !== 0);
  const utf16be = (head[0] === 0xfe && head[1] === 0xff) || (head[0] === 0 && head[2] === 0 && head[1] !== 0);
  const t = (utf16 || utf16be) && tailOffset % 2 === 1 ? tail.subarray(1) : tail;
  const last = new TextDecoder(utf16 ? "utf-16le" : utf16be ? "utf-16be" : "utf-8").decode(t);
  return `${first}${middle(skipped)}${last}`;
}

/**
 * An error text from a file or stdin (`-`), in bounded memory: a regular file larger than twice TEXT_END_BYTES is
 * read by its head and tail; stdin keeps its head and a rolling tail (still refused past READ_LIMIT: `yes |`).
 */
export async function readErrorText(path: string): Promise<string> {
  if (path === "-") return readStdinEnds();
  try {
    const { fh, st } = await openRegular(path);
    try {
      if (st.size <= 2 * TEXT_END_BYTES) return decodeText(await fh.readFile());
      const head = Buffer.alloc(TEXT_END_BYTES);
      const tail = Buffer.alloc(TEXT_END_BYTES);
      const tailOffset = st.size - TEXT_END_BYTES;
      const h = await fh.read(head, 0, TEXT_END_BYTES, 0);
      const t = await fh.read(tail, 0, TEXT_END_BYTES, tailOffset);
      return decodeEnds(
        head.subarray(0, h.bytesRead),
        tail.subarray(0, t.bytesRead),
        tailOffset - TEXT_END_BYTES,
        tailOffset,
      );
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(path, `cannot read: ${readFailure(err, path)}`);
  }
}

/** Stdin by its ends: the first TEXT_END_BYTES and a rolling last TEXT_END_BYTES (empty when stdin is a TTY). */
export async function readStdinEnds(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const head: Buffer[] = [];
  let headBytes = 0;
  const tail: Buffer[] = [];
  let tailBytes = 0;
  let total = 0;
  for await (const chunk of process.stdin) {
    const c = chunk as Buffer;
    total += c.length;
    if (total > READ_LIMIT) throw new InputError("-", `too large: more than ${READ_LIMIT / 1024 / 1024} MiB`);
    if (headBytes < TEXT_END_BYTES) {
      const take = c.subarray(0, TEXT_END_BYTES - headBytes);
      head.push(take);
      headBytes += take.length;
      if (take.length === c.length) continue;
      tail.push(c.subarray(take.length));
      tailBytes += c.length - take.length;
    } else {
      tail.push(c);
      tailBytes += c.length;
    }
    while (tail.length > 1 && tailBytes - tail[0]!.length >= TEXT_END_BYTES)
      tailBytes -= tail.shift()!.length;
  }
  const h = Buffer.concat(head);
  if (tailBytes === 0) return decodeText(h);
  let t = Buffer.concat(tail);
  if (t.length > TEXT_END_BYTES) t = t.subarray(t.length - TEXT_END_BYTES);
  const skipped = total - h.length - t.length;
  if (skipped === 0) return decodeText(Buffer.concat([h, t]));
  return decodeEnds(h, t, skipped, total - t.length);
}

/** Text from positional arguments, else `--file`, else stdin (read by their ends when long). */
export async function gatherText(args: string[], file: string | undefined): Promise<string> {
  if (args.length > 0) return args.join(" ");
  if (file) return readErrorText(file);
  return readStdinEnds();
}
