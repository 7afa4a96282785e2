// Input/output helpers for the commands: reading text from arguments, a file or stdin; writing results.

import { InputError } from "../core/input-error.js";

/** Read a whole file as UTF-8 (BOM removed), turning any failure into a one-line InputError. */
export async function readTextFile(path: string): Promise<string> {
  try {
    if (path === "-") return await readStdin();
    // loaded here, not at the top: `explain "<text>"` never reads a file (node:fs/promises costs ~1 ms to load)
    const { readFile } = await import("node:fs/promises");
    const buf = await readFile(path);
    return decodeText(buf);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a folder, expected a file"
          : code === "EACCES"
            ? "permission denied"
            : (err as Error).message;
    throw new InputError(path, `cannot read: ${why}`);
  }
}

/** Decode bytes as text: UTF-8 with or without BOM, UTF-16 LE/BE with BOM. */
export function decodeText(buf: Uint8Array): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder("utf-16le").decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder("utf-16be").decode(buf.subarray(2));
  const text = new TextDecoder("utf-8").decode(buf);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Read all of stdin as text (empty string when stdin is a TTY). */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return decodeText(Buffer.concat(chunks));
}

/** Text from positional arguments, else `--file`, else stdin. */
export async function gatherText(args: string[], file: string | undefined): Promise<string> {
  if (args.length > 0) return args.join(" ");
  if (file) return readTextFile(file);
  return readStdin();
}

/** Write to stdout, or to `out` when given. */
export async function writeOutput(text: string, out?: string): Promise<void> {
  const body = text.endsWith("\n") ? text : `${text}\n`;
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
