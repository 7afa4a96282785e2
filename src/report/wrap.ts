// Fitting text output to the terminal: each line wrapped at the width on spaces, never inside a token (an ARN,
// a command's argument), continuation lines indented under the line's text. Colour codes do not count.

/** Colour marks makeStyle writes (src/core/terminal.ts colourMark) and colour codes: they take no column. */
const SGR = /\u001b\[[0-9;]*m|\uE000[^\uE001]*\uE001/g;

/** The columns a string takes on screen (colour codes removed; one column per code point). */
export function visibleWidth(s: string): number {
  return [...s.replace(SGR, "")].length;
}

/** The narrowest width honoured: below it indentation would leave no room for text. */
const MIN_WIDTH = 40;

/**
 * Where a line's text starts for its continuation lines: after the leading spaces and a list marker
 * (`- `, `+ `, `$ `, `1. `, `✔ confirms  `, `check  `), so wrapped text lines up under the first word.
 */
function hangingIndent(plain: string): { indent: number; command: boolean } {
  const lead = /^ */.exec(plain)?.[0].length ?? 0;
  const rest = plain.slice(lead);
  if (rest.startsWith("$ ")) return { indent: lead + 2, command: true };
  // a list marker, or the label of an explain cause's line (`why    `, `check  `, `fix    `, `to separate: `)
  const marker =
    /^(?:[✔✘+-] [a-z]+(?: [a-z]+)? {2}|[-+*•] |\d+\. |(?:why|check|fix) {2,}|to separate: )/.exec(rest);
  return { indent: lead + (marker ? [...marker[0]].length : 0), command: false };
}

/**
 * Wrap one line at `width` columns. A shell command (`$ aws ...`) is continued with ` \` so a copied command
 * still runs. A token longer than the room left stays whole on its own line.
 */
export function wrapLine(line: string, width: number): string[] {
  const w = Math.max(MIN_WIDTH, width);
  if (visibleWidth(line) <= w) return [line];
  const plain = line.replace(SGR, "");
  const { indent: rawIndent, command } = hangingIndent(plain);
  const indent = Math.min(rawIndent, Math.floor(w / 2));
  const lead = /^ */.exec(line)?.[0] ?? "";
  const pieces = tokens(line.slice(lead.length), command);
  const out: string[] = [];
  const pad = " ".repeat(indent);
  const tail = command ? " \\" : "";
  let cur = lead;
  let curWidth = visibleWidth(lead);
  for (const [i, { sep, word }] of pieces.entries()) {
    const ww = visibleWidth(word);
    if (i === 0 || curWidth + sep.length + ww + tail.length <= w) {
      cur += (i === 0 ? "" : sep) + word;
      curWidth += (i === 0 ? 0 : sep.length) + ww;
      continue;
    }
    out.push(cur + tail);
    cur = pad + word;
    curWidth = indent + ww;
  }
  out.push(cur);
  return out;
}

/**
 * The words of a line with the spaces before each (kept as they were: columns line up). In a shell command a
 * quoted argument (`--query 'a, b'`) is one word, so a continuation never lands inside quotes.
 */
function tokens(text: string, command: boolean): { sep: string; word: string }[] {
  const out: { sep: string; word: string }[] = [];
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && text[j] === " ") j++;
    const sep = text.slice(i, j);
    let k = j;
    let quote = "";
    while (k < text.length && (quote !== "" || text[k] !== " ")) {
      const ch = text[k];
      if (command && quote === "" && (ch === "'" || ch === '"')) quote = ch;
      else if (quote !== "" && ch === quote) quote = "";
      k++;
    }
    if (k > j) out.push({ sep, word: text.slice(j, k) });
    i = k;
  }
  return out;
}

/** Wrap every line of `text` at `width` columns (see wrapLine); line breaks and blank lines are kept. */
export function wrapText(text: string, width: number): string {
  return text
    .split("\n")
    .flatMap((l) => wrapLine(l, width))
    .join("\n");
}
