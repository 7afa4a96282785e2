// Terminal styling: colour only on a TTY, never with NO_COLOR; FORCE_COLOR forces it on.

export interface Style {
  enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

/** Whether to colour output written to `stream` under `env`. */
export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}

function wrap(on: boolean, open: number, close: number): (s: string) => string {
  return on ? (s) => `\u001b[${open}m${s}\u001b[${close}m` : (s) => s;
}

/** A style object; pass `enabled: false` for plain text. */
export function makeStyle(enabled: boolean): Style {
  return {
    enabled,
    bold: wrap(enabled, 1, 22),
    dim: wrap(enabled, 2, 22),
    red: wrap(enabled, 31, 39),
    green: wrap(enabled, 32, 39),
    yellow: wrap(enabled, 33, 39),
    cyan: wrap(enabled, 36, 39),
  };
}

/** This module's colour codes, or any other control character (tab and newline are text). */
const CONTROL = /\u001b\[(?:1|2|22|31|32|33|36|39)m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text made safe for a terminal: control characters from the inputs (a CloudTrail `userAgent` is whatever the
 * caller sent: `\u001b]0;...`, `\u001b[2J`, a carriage return) are shown as `\u001b`; only the colours above stay.
 */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (m) =>
    m.length > 1 ? m : `\\u${m.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** An error message as one safe line: it may quote inputs (a file name with a newline, an escape sequence). */
export function oneLine(message: string): string {
  return terminalSafe(message).replace(/\n/g, "\\u000a");
}
