// The decoded authorization message (`aws sts decode-authorization-message`): one parser, used by the live probe
// and by the pipeline when the output is pasted. Shape: https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html

/** A decoded authorization message: AWS's own account of the evaluation of one request. */
export interface DecodedAuthorization {
  allowed?: boolean;
  explicitDeny?: boolean;
  matchedStatements: Array<{
    statementId?: string;
    effect?: string;
    actions?: string[];
    resources?: string[];
  }>;
  failures: unknown[];
  context: {
    principalArn?: string;
    action?: string;
    resource?: string;
    conditions: Array<{ key: string; values: string[] }>;
  };
}

interface RawItems<T> {
  items?: T[];
}
interface RawStatement {
  statementId?: string;
  effect?: string;
  actions?: RawItems<{ value?: string }>;
  resources?: RawItems<{ value?: string }>;
}
interface RawDecoded {
  allowed?: boolean;
  explicitDeny?: boolean;
  matchedStatements?: RawItems<RawStatement>;
  failures?: RawItems<unknown>;
  context?: {
    principal?: { arn?: string };
    action?: string;
    resource?: string;
    conditions?: RawItems<{ key?: string; values?: RawItems<{ value?: string }> }>;
  };
  DecodedMessage?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * The decoded JSON of an authorization message in our shape: the raw decoded JSON, or the CLI's
 * `{"DecodedMessage": "…"}` around it. Undefined when it is neither.
 */
export function parseDecodedMessage(text: string): DecodedAuthorization | undefined {
  let raw: RawDecoded;
  try {
    raw = JSON.parse(text) as RawDecoded;
  } catch {
    return undefined;
  }
  if (!isObject(raw as unknown)) return undefined;
  if (typeof raw.DecodedMessage === "string") return parseDecodedMessage(raw.DecodedMessage);
  if (typeof raw.allowed !== "boolean" && typeof raw.explicitDeny !== "boolean" && !isObject(raw.context))
    return undefined;
  const values = (x: RawItems<{ value?: string }> | undefined): string[] =>
    (x && Array.isArray(x.items) ? x.items : [])
      .map((i) => (isObject(i) ? i.value : undefined))
      .filter((v): v is string => typeof v === "string");
  const ctx: NonNullable<RawDecoded["context"]> = isObject(raw.context) ? raw.context : {};
  const statements = itemsOf(raw.matchedStatements);
  const conditions = itemsOf(ctx.conditions);
  return {
    ...(typeof raw.allowed === "boolean" ? { allowed: raw.allowed } : {}),
    ...(typeof raw.explicitDeny === "boolean" ? { explicitDeny: raw.explicitDeny } : {}),
    matchedStatements: statements
      .filter((s): s is RawStatement => isObject(s))
      .map((s) => ({
        ...(typeof s.statementId === "string" ? { statementId: s.statementId } : {}),
        ...(typeof s.effect === "string" ? { effect: s.effect } : {}),
        actions: values(s.actions),
        resources: values(s.resources),
      })),
    failures: itemsOf(raw.failures),
    context: {
      ...(isObject(ctx.principal) && typeof ctx.principal.arn === "string"
        ? { principalArn: ctx.principal.arn }
        : {}),
      ...(typeof ctx.action === "string" ? { action: ctx.action } : {}),
      ...(typeof ctx.resource === "string" ? { resource: ctx.resource } : {}),
      conditions: conditions
        .filter(
          (c): c is { key: string; values?: RawItems<{ value?: string }> } =>
            isObject(c) && typeof c.key === "string",
        )
        .map((c) => ({ key: c.key, values: values(c.values) })),
    },
  };
}

function itemsOf(x: unknown): unknown[] {
  return isObject(x) && Array.isArray(x.items) ? x.items : [];
}

const MAX_SCAN = 1_000_000;

/**
 * Find a decoded authorization message in pasted text: the first JSON object holding `DecodedMessage` or the
 * decoded fields (`explicitDeny`, `matchedStatements`). Bounded: looks at the first megabyte only.
 */
export function findDecodedMessage(text: string): DecodedAuthorization | undefined {
  const t = text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text;
  const re = /"(?:DecodedMessage|explicitDeny|matchedStatements)"\s*:/g;
  let tries = 0;
  for (let m = re.exec(t); m && tries < 20; m = re.exec(t), tries++) {
    // Walk back to each enclosing `{` (at most a few) and try the balanced object from there.
    let start = t.lastIndexOf("{", m.index);
    for (let depth = 0; start >= 0 && depth < 8; depth++, start = t.lastIndexOf("{", start - 1)) {
      const end = balancedEnd(t, start);
      if (end < 0) continue;
      const d = parseDecodedMessage(t.slice(start, end + 1));
      if (d) return d;
    }
  }
  return undefined;
}

/** Index of the `}` closing the object opened at `start` (strings respected), or -1. */
function balancedEnd(t: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < t.length && i - start < MAX_SCAN; i++) {
    const c = t[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
