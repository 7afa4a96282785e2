// Run a command with its stdin/stdout/stderr passed through, keep a bounded tail of its output, forward signals
// and report how it ended. No shell: the command and its arguments go to the OS as they are.

import { spawn } from "node:child_process";
import { constants } from "node:os";

/** Bytes of each output stream kept for the diagnosis (the rest only goes through). */
export const TAIL_BYTES = 64 * 1024;

/** How the command ended. */
export interface RunOutcome {
  /** The exit code to return: the command's own, 128+n for death by signal n, 126/127 when it could not start. */
  exitCode: number;
  /** The signal that ended it, when one did. */
  signal?: NodeJS.Signals;
  /** Why it could not be started (`ENOENT`, `EACCES`), when it could not. */
  spawnError?: string;
  /** The last {@link TAIL_BYTES} bytes of stdout and of stderr, decoded as UTF-8. */
  stdoutTail: string;
  stderrTail: string;
}

/** A bounded tail of a byte stream: the last `limit` bytes seen. */
export class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit = TAIL_BYTES) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0]!.length >= this.limit) this.size -= this.chunks.shift()!.length;
  }
  text(): string {
    const all = Buffer.concat(this.chunks);
    const cut = all.subarray(Math.max(0, all.length - this.limit));
    // a cut through a multi-byte character becomes U+FFFD at the start; skip it
    return new TextDecoder("utf-8").decode(cut).replace(/^\uFFFD+/, "");
  }
}

/** Signals passed on to the command. SIGINT/SIGQUIT from a terminal already reach it (same process group). */
const FORWARDED: NodeJS.Signals[] = ["SIGTERM", "SIGHUP", "SIGINT", "SIGQUIT", "SIGUSR1", "SIGUSR2"];

/**
 * Run `command args...`, teeing its stdout and stderr to ours while keeping a tail of each. Resolves when the
 * command has ended and its output streams are closed; never rejects.
 */
export function runCommand(
  command: string,
  args: string[],
  io: {
    stdout?: NodeJS.WritableStream;
    stderr?: NodeJS.WritableStream;
    /** Whether our stdin is a terminal: then Ctrl-C already reaches the command and is not sent twice. */
    interactive?: boolean;
  } = {},
): Promise<RunOutcome> {
  const out = io.stdout ?? process.stdout;
  const err = io.stderr ?? process.stderr;
  const interactive = io.interactive ?? process.stdin.isTTY === true;
  const outTail = new Tail();
  const errTail = new Tail();
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, args, { stdio: ["inherit", "pipe", "pipe"], shell: false });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "EINVAL";
      resolve({ exitCode: 126, spawnError: code, stdoutTail: "", stderrTail: "" });
      return;
    }
    const handlers = new Map<NodeJS.Signals, () => void>();
    for (const sig of FORWARDED) {
      const h = () => {
        // From a terminal, the foreground group (the command too) got Ctrl-C / Ctrl-\ already.
        if (interactive && (sig === "SIGINT" || sig === "SIGQUIT")) return;
        if (child.exitCode === null && child.signalCode === null) child.kill(sig);
      };
      handlers.set(sig, h);
      process.on(sig, h);
    }
    // A reader of our output that goes away (`| head`) stops the copy, not the command: it still runs to its end.
    const tee = (from: NodeJS.ReadableStream, to: NodeJS.WritableStream, tail: Tail) => {
      let open = true;
      let waiting = false;
      to.on("error", () => {
        open = false;
        if (waiting) from.resume();
      });
      from.on("data", (chunk: Buffer) => {
        tail.push(chunk);
        if (!open) return;
        if (!to.write(chunk) && !waiting) {
          waiting = true;
          from.pause();
          to.once("drain", () => {
            waiting = false;
            from.resume();
          });
        }
      });
    };
    tee(child.stdout!, out, outTail);
    tee(child.stderr!, err, errTail);
    let spawnError: string | undefined;
    child.on("error", (e: NodeJS.ErrnoException) => {
      spawnError = e.code ?? "EINVAL";
    });
    child.on("close", (code, signal) => {
      for (const [sig, h] of handlers) process.off(sig, h);
      const base = { stdoutTail: outTail.text(), stderrTail: errTail.text() };
      if (spawnError) {
        resolve({ exitCode: spawnError === "ENOENT" ? 127 : 126, spawnError, ...base });
      } else if (signal) {
        const n = (constants.signals as Record<string, number>)[signal] ?? 0;
        resolve({ exitCode: 128 + n, signal, ...base });
      } else {
        resolve({ exitCode: code ?? 1, ...base });
      }
    });
  });
}
