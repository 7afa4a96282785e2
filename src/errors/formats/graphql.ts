// AppSync GraphQL errors and Amplify errors printed by util.inspect (not JSON): `errorType: 'Unauthorized'`,
// `recoverySuggestion: "..."` next to `message: '...'` (docs/aws-facts.md §1.17).

import { lineEnd, lineStart } from "../text.js";
import { draft, type Hit } from "../types.js";

const ANCHOR_RE =
  /\b(errorType|recoverySuggestion)['"]?\s{0,4}:\s{0,4}(?:'([^'\n]{0,4000})'|"((?:[^"\\\n]|\\.){0,4000})"|`([^`\n]{0,4000})`)/g;

function near(block: string, name: string): string | undefined {
  const re = new RegExp(
    `\\b${name}['"]?\\s{0,4}:\\s{0,4}(?:'([^'\\n]{0,4000})'|"((?:[^"\\\\\\n]|\\\\.){0,4000})")`,
  );
  const m = re.exec(block);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Read inspect-printed GraphQL/Amplify errors that are not valid JSON. */
export function readGraphqlInspect(text: string): Hit[] {
  const hits: Hit[] = [];
  let lastEnd = -1;
  for (const m of text.matchAll(ANCHOR_RE)) {
    if (m.index < lastEnd) continue;
    const value = (m[2] ?? m[3] ?? m[4] ?? "").replace(/\\"/g, '"');
    // The error object's fields sit within a few lines of each other.
    const from = Math.max(0, m.index - 600);
    const to = Math.min(text.length, m.index + 600);
    const block = text.slice(from, to);
    const message = near(block, "message");
    const name = near(block, "name");
    const errorType = m[1] === "errorType" ? value : near(block, "errorType");
    const suggestion = m[1] === "recoverySuggestion" ? value : near(block, "recoverySuggestion");
    const code = errorType ?? (name && name !== "Error" ? name : undefined);
    const d = draft(suggestion ? "amplify" : "graphql", {
      ...(code ? { code } : {}),
      ...(message ? { message } : {}),
      service: "appsync",
    });
    if (suggestion) d.hint = suggestion;
    else if (errorType) d.hint = `GraphQL errorType \`${errorType}\``;
    const start = lineStart(text, m.index);
    const end = lineEnd(text, m.index);
    lastEnd = to;
    hits.push({ start, end, priority: 35, draft: d });
  }
  return hits;
}
