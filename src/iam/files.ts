// Reading policy inputs from text: one policy or an array of policies per file, errors with line and column.

import { InputError } from "../core/input-error.js";
import { scanJson, type Where } from "./json.js";
import { policyFromNode } from "./parse.js";
import type { Policy } from "./types.js";

function position(e: { where: Where }): string | undefined {
  return e.where.line > 0 ? `line ${e.where.line}, column ${e.where.column}` : undefined;
}

/**
 * Why `text` is not JSON: the scanner's reason and where (line 0 when unknown). Never quotes the text, unlike
 * JSON.parse's messages, which show the start of it (a line of secrets would leak).
 */
export function jsonSyntaxError(text: string): { message: string; where: Where } {
  const p = scanJson(text).problems.find((x) => x.code === "json_syntax");
  return p ? { message: p.message, where: p.where } : { message: "not JSON", where: { line: 0, column: 0 } };
}

/** Parse JSON text, throwing an InputError that names `origin` and the position. */
export function parseJsonText(text: string, origin: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const e = jsonSyntaxError(text);
    throw new InputError(origin, `invalid JSON: ${e.message}`, position(e));
  }
}

/**
 * Policies in a file: one policy document, an array of them, or a file of the form `{"document": {...}}`
 * (the iam-dataset layout) or `{"PolicyDocument": ...}`. Every error is fatal for the file (InputError).
 */
export function policiesFromText(text: string, origin: string): Policy[] {
  const scanned = scanJson(text);
  const syntax = scanned.problems.find((p) => p.code === "json_syntax");
  if (syntax || !scanned.node) {
    const p = syntax ?? scanned.problems[0];
    throw new InputError(origin, `invalid JSON: ${p?.message ?? "empty input"}`, p ? position(p) : undefined);
  }
  let node = scanned.node;
  if (node.kind === "object" && !node.entries.some((e) => e.key === "Statement")) {
    const inner = node.entries.find(
      (e) => e.key === "document" || e.key === "PolicyDocument" || e.key === "Document",
    );
    if (inner) node = inner.value;
  }
  const items = node.kind === "array" ? node.items : [node];
  const out: Policy[] = [];
  items.forEach((n, i) => {
    const name = items.length > 1 || node.kind === "array" ? `${origin}[${i}]` : origin;
    const r = policyFromNode(n, name);
    const errs = r.errors.filter((e) => e.severity !== "warning");
    if (errs.length > 0 || !r.policy) {
      const e = errs[0] ?? r.errors[0];
      throw new InputError(
        origin,
        `${e?.message ?? "not a policy"}${errs.length > 1 ? ` (and ${errs.length - 1} more problems: run \`authdoctor lint ${origin}\`)` : ""}`,
        e ? position(e) : undefined,
      );
    }
    out.push(r.policy);
  });
  return out;
}
