// Terminal styling: colour only on a TTY, never with NO_COLOR; FORCE_COLOR forces it on. Styles write colour marks
// that `finishText` (src/core/terminal.ts) turns into escape codes at the output boundary.

import { colourMark } from "../core/terminal.js";

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
  // marks, not escape codes: the output boundary escapes input controls first, then makes the marks real colours
  return on ? (s) => `${colourMark(open)}${s}${colourMark(close)}` : (s) => s;
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
