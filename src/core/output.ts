// The output boundary: every byte authdoctor prints (stdout, stderr, `--out` files), whatever the command and format,
// goes through `safeOutput` (redaction, then control-character escaping, then the CLI's own colours).

import { redactText } from "./redact.js";
import { escapeJsonControls, finishText, stripMarks } from "./terminal.js";

/** What the text is: colours apply to `text` only; JSON keeps its syntax (controls become `\u` escapes). */
export type OutputKind = "text" | "json" | "markdown" | "html";

/** Output text with secrets removed and every control sequence from the inputs escaped. */
export function safeOutput(text: string, kind: OutputKind, colour = false): string {
  const clean = redactText(text);
  if (kind === "json") return escapeJsonControls(stripMarks(clean));
  return finishText(clean, kind === "text" && colour);
}

/** An error or warning as one safe line (it may quote inputs: a file name with a newline, an escape sequence). */
export function safeLine(message: string): string {
  return finishText(redactText(message), false).replace(/\n/g, "\\u000a");
}
