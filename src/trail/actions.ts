// Map a CloudTrail eventSource + eventName to the IAM actions it needs (docs/aws-facts.md §6.4), saying how sure we are.

import { baseEventName } from "./classify.js";

/** The IAM actions behind one event and where the mapping came from. */
export interface ActionMapping {
  actions: string[];
  /** `error message` (AWS named the action), `map` (iam-dataset), `guess` (prefix:eventName). */
  from: "error message" | "map" | "guess";
  /** Why the mapping may be wrong, when it may. */
  uncertain?: string;
}

type Table = typeof import("./action-map.js");
let table: Table | null = null;
const opCache = new Map<string, Map<string, { actions: string[]; undocumented: boolean }>>();

/** Load the generated table (lazily: it is large and only `explain` needs it). */
export async function loadActionTable(): Promise<void> {
  if (!table) table = await import("./action-map.js");
}

function opsOf(prefix: string): Map<string, { actions: string[]; undocumented: boolean }> | undefined {
  if (!table) throw new Error("action table not loaded: call loadActionTable() first");
  const hit = opCache.get(prefix);
  if (hit) return hit;
  const text = table.OPERATIONS[prefix];
  if (text === undefined) return undefined;
  const m = new Map<string, { actions: string[]; undocumented: boolean }>();
  for (let tok of text.split(" ")) {
    const undocumented = tok.endsWith("?");
    if (undocumented) tok = tok.slice(0, -1);
    const eq = tok.indexOf("=");
    if (eq < 0) m.set(tok, { actions: [`${prefix}:${tok}`], undocumented });
    else {
      const acts = tok
        .slice(eq + 1)
        .split(",")
        .map((a) => (a.includes(":") ? a : `${prefix}:${a}`));
      m.set(tok.slice(0, eq), { actions: acts, undocumented });
    }
  }
  opCache.set(prefix, m);
  return m;
}

/** The IAM prefix of an eventSource, and whether the mapping knows the source. */
export function prefixOf(eventSource: string): { prefix: string; known: boolean } {
  if (!table) throw new Error("action table not loaded: call loadActionTable() first");
  const mapped = table.SOURCE_PREFIX[eventSource];
  if (mapped) return { prefix: mapped, known: true };
  const label = eventSource.split(".")[0] ?? eventSource;
  return { prefix: label, known: table.KNOWN_SOURCES.split(" ").includes(eventSource) };
}

/**
 * The IAM actions for one event (call loadActionTable first). `named` is the action the error message names, as
 * the one denial-message parser (src/errors/message.ts) read it: it wins over the map.
 */
export function actionsFor(eventSource: string, eventName: string, named?: string): ActionMapping {
  if (named) return { actions: [named], from: "error message" };
  const { prefix, known } = prefixOf(eventSource);
  const name = baseEventName(eventName);
  const op = opsOf(prefix)?.get(name);
  if (op) {
    const m: ActionMapping = { actions: op.actions, from: "map" };
    if (!known)
      m.uncertain = `eventSource \`${eventSource}\` is not in the mapping; prefix \`${prefix}\` assumed`;
    else if (op.undocumented) m.uncertain = "the map marks this mapping as undocumented";
    else if (op.actions.length > 1) m.uncertain = "the call may need several actions; the first is evaluated";
    if (name !== eventName) m.uncertain = `${m.uncertain ? `${m.uncertain}; ` : ""}eventName suffix stripped`;
    return m;
  }
  return {
    actions: [`${prefix}:${name}`],
    from: "guess",
    uncertain: known
      ? `\`${name}\` is not in the mapping for \`${prefix}\`; \`${prefix}:${name}\` assumed`
      : `neither \`${eventSource}\` nor \`${name}\` is in the mapping; \`${prefix}:${name}\` assumed`,
  };
}
