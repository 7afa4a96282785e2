// Reading policy inputs from text: one policy or an array of policies per file, errors with line and column.

import { InputError } from "../core/input-error.js";
import { type JsonNode, scanJson, type Where } from "./json.js";
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

/** Keys of an `aws iam get-account-authorization-details` snapshot. */
const SNAPSHOT_KEYS = ["UserDetailList", "RoleDetailList", "GroupDetailList", "Policies"];

/**
 * The policy documents in a scanned JSON value, whatever AWS CLI/SDK output shape holds them:
 * - a bare document (`{"Version":..., "Statement": [...]}`) or an array of documents;
 * - `get-policy-version`: `{"PolicyVersion": {"Document": ...}}`
 *   (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html);
 * - `get-role-policy`/`get-user-policy`/`get-group-policy`: `{"PolicyDocument": ...}`
 *   (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html), also `document`/`Document`;
 * - `get-bucket-policy` and `get-key-policy`: `{"Policy": "<the document as a string>"}`
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html,
 *   https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html).
 * A document given as a string (raw API output URL-encodes it) is decoded and scanned. An authorization snapshot
 * is not a policy file: it is reported as such (it goes to `--authz`).
 */
export function policyNodes(node: JsonNode, origin: string): JsonNode[] {
  if (node.kind === "array") return node.items.flatMap((n) => (isWrapper(n) ? policyNodes(n, origin) : [n]));
  if (node.kind === "string") return policyNodes(scanInner(node.value, origin), origin);
  if (node.kind !== "object") return [node];
  const keys = node.entries.map((e) => e.key);
  if (keys.includes("Statement")) return [node];
  if (SNAPSHOT_KEYS.filter((k) => keys.includes(k)).length >= 2)
    throw new InputError(
      origin,
      "this is an authorization snapshot (get-account-authorization-details), not a policy: pass it with --authz",
    );
  const get = (k: string) => node.entries.find((e) => e.key === k)?.value;
  const version = get("PolicyVersion");
  const inner =
    (version?.kind === "object" ? version.entries.find((e) => e.key === "Document")?.value : undefined) ??
    get("PolicyDocument") ??
    get("document") ??
    get("Document") ??
    get("Policy");
  return inner ? policyNodes(inner, origin) : [node];
}

function isWrapper(n: JsonNode): boolean {
  return n.kind === "object" && !n.entries.some((e) => e.key === "Statement");
}

/** A policy document held in a string: JSON text, or URL-encoded JSON as the IAM API returns it. */
function scanInner(value: string, origin: string): JsonNode {
  let text = value;
  if (/^\s*%7B/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      throw new InputError(origin, "the policy string is not valid URL-encoded JSON");
    }
  }
  const scanned = scanJson(text);
  const syntax = scanned.problems.find((p) => p.code === "json_syntax");
  if (syntax || !scanned.node) {
    const p = syntax ?? scanned.problems[0];
    throw new InputError(
      origin,
      `invalid JSON in the policy string: ${p?.message ?? "empty"}`,
      p ? position(p) : undefined,
    );
  }
  return scanned.node;
}

/**
 * Policies in a file: every shape policyNodes reads. Every error is fatal for the file (InputError). This is
 * the one policy loader of `can`, `lint`, `diagnose` and `trail`.
 */
export function policiesFromText(text: string, origin: string): Policy[] {
  const scanned = scanJson(text);
  const syntax = scanned.problems.find((p) => p.code === "json_syntax");
  if (syntax || !scanned.node) {
    const p = syntax ?? scanned.problems[0];
    throw new InputError(origin, `invalid JSON: ${p?.message ?? "empty input"}`, p ? position(p) : undefined);
  }
  const node = scanned.node;
  const items = policyNodes(node, origin);
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
