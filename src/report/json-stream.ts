// Pretty-printed JSON (2-space indent) produced piece by piece: a report with a long array (thousands of changes
// or sessions) is written out element by element instead of as one string the size of the whole output.

import { randomUUID } from "node:crypto";

/**
 * The text of `JSON.stringify(value, null, 2)`, in pieces: the array under `key` (a top-level key of `value`)
 * one element at a time. The pieces join to exactly that text.
 */
export function* jsonPieces(value: Record<string, unknown>, key: string): Generator<string> {
  const list = value[key];
  if (!Array.isArray(list) || list.length === 0) {
    yield JSON.stringify(value, null, 2);
    return;
  }
  // A marker no string of the value holds (a NUL-framed random token) stands for the array in the shell.
  const marker = `\u0000${key}:${randomUUID()}\u0000`;
  const shell = JSON.stringify({ ...value, [key]: marker }, null, 2);
  const quoted = JSON.stringify(marker);
  const at = shell.indexOf(quoted);
  yield shell.slice(0, at);
  yield "[";
  for (let i = 0; i < list.length; i++) {
    // elements sit at depth 2 (every line indented by four spaces): stringified inside a wrapper of that
    // depth, whose own brackets are cut off, so no pass over the text is needed
    const text = JSON.stringify({ a: [list[i] ?? null] }, null, 2);
    yield `${i === 0 ? "" : ","}\n    ${text.slice(15, -6)}`;
  }
  yield "\n  ]";
  yield shell.slice(at + quoted.length);
}
