// Terminal safety at the output boundary. Every control sequence in the output text comes from an input (a CloudTrail
// `userAgent`, an S3 key, a file name) and is shown escaped (`\u001b`), never run. The CLI's own colours are not
// written as escape codes by the renderers: a style writes a mark carrying a per-process random nonce, which no input
// can forge, and `finishText` turns marks into colour codes only after every input control character was escaped.
// ECMA-48 (https://ecma-international.org/publications-and-standards/standards/ecma-48/) defines C0, C1 and the
// ESC/CSI sequences; U+009B is CSI as a single C1 character.

const hex = (n: number) => n.toString(16).padStart(4, "0");

/** Per-process nonce of the colour marks (random: an input cannot contain a valid mark). */
const NONCE = (() => {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
})();
const MARK_OPEN = `\uE000${NONCE}:`;
const MARK_CLOSE = "\uE001";
const MARK_RE = new RegExp(`\uE000${NONCE}:(\\d{1,2})\uE001`, "g");

/** A colour mark for SGR parameter `code` (1 bold, 2 dim, 22 normal, 31 red, ...), made real by `finishText`. */
export function colourMark(code: number): string {
  return `${MARK_OPEN}${code}${MARK_CLOSE}`;
}

/**
 * Characters shown escaped in text output: C0 except tab and newline, DEL, C1 (incl. U+009B CSI), the bidi
 * embedding/override/isolate controls that reorder what a reader sees, and the Unicode line/paragraph separators.
 */
const TEXT_CONTROL =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/**
 * In JSON text, C0 characters are already `\u` escapes (JSON.stringify), and every one of these can only stand inside
 * a string: escaping them as `\u` keeps the JSON valid and equal.
 */
const JSON_CONTROL = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text with every input control character escaped as `\uXXXX`; tab and newline stay. Colour marks stay. */
export function escapeControls(text: string): string {
  return text.replace(TEXT_CONTROL, (c) => `\\u${hex(c.charCodeAt(0))}`);
}

/** JSON text with C1, DEL, bidi and separator characters written as `\u` escapes (and any raw C0 too). */
export function escapeJsonControls(json: string): string {
  return json
    .replace(JSON_CONTROL, (c) => `\\u${hex(c.charCodeAt(0))}`)
    .replace(/[\u0000-\u0008\u000b-\u001f]/g, (c) => `\\u${hex(c.charCodeAt(0))}`);
}

/** Text ready for the terminal: input controls escaped, then colour marks turned into SGR codes (or dropped). */
export function finishText(text: string, colour = true): string {
  const safe = escapeControls(text);
  if (!safe.includes("\uE000")) return safe;
  return safe.replace(MARK_RE, (_m, code: string) => (colour ? `\u001b[${code}m` : ""));
}

/** Colour marks removed (plain text for a file or a library caller). */
export function stripMarks(text: string): string {
  return text.includes("\uE000") ? text.replace(MARK_RE, "") : text;
}
