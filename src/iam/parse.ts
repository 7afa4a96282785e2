// Step 1 of the engine: policy text (or an already-parsed document) -> Policy, with every problem and its position.

import { type JsonNode, nodeFromValue, scanJson, valueOfNode, type Where } from "./json.js";
import type { ConditionEntry, ParseResult, Policy, PolicyError, PrincipalBlock, Statement } from "./types.js";

const VERSIONS = new Set(["2012-10-17", "2008-10-17"]);
const TOP_KEYS = new Set(["Version", "Id", "Statement"]);
const STATEMENT_KEYS = new Set([
  "Sid",
  "Effect",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Principal",
  "NotPrincipal",
  "Condition",
]);
const PRINCIPAL_KEYS = new Set(["AWS", "Service", "Federated", "CanonicalUser"]);

/** Parse policy text. `origin` names the input in messages and becomes the policy's name. */
export function parse(text: string, origin: string): ParseResult {
  const scanned = scanJson(text);
  const errors: PolicyError[] = scanned.problems.map((p) => ({ ...p }));
  if (!scanned.node) return { errors };
  const r = policyFromNode(scanned.node, origin);
  return { policy: r.policy, errors: [...errors, ...r.errors] };
}

/** Build a policy from a plain JavaScript document (no positions), or from text when given a string. */
export function parseValue(value: unknown, origin: string): ParseResult {
  if (typeof value === "string") {
    const t = value.trim();
    // get-account-authorization-details may URL-encode documents.
    const text = t.startsWith("%7B") || t.startsWith("%7b") ? safeDecode(t) : t;
    return parse(text, origin);
  }
  return policyFromNode(nodeFromValue(value), origin);
}

function safeDecode(t: string): string {
  try {
    return decodeURIComponent(t.replace(/\+/g, " "));
  } catch {
    return t;
  }
}

/** Build a policy from a positioned tree, collecting every problem. */
export function policyFromNode(node: JsonNode, origin: string): ParseResult {
  const errors: PolicyError[] = [];
  const err = (code: string, message: string, where: Where, severity: "error" | "warning" = "error") =>
    errors.push({ code, message, where, severity });
  if (node.kind !== "object") {
    err("policy_type_error", "a policy must be a JSON object", node.where);
    return { errors };
  }
  let version: string | undefined;
  let stmtNode: JsonNode | undefined;
  for (const e of node.entries) {
    if (!TOP_KEYS.has(e.key)) {
      err("policy_unknown_element", `unknown policy element \`${e.key}\``, e.keyWhere);
      continue;
    }
    if (e.key === "Version") {
      if (e.value.kind !== "string") err("policy_type_error", "`Version` must be a string", e.value.where);
      else if (!VERSIONS.has(e.value.value))
        err(
          "policy_bad_version",
          `\`Version\` must be \`2012-10-17\` or \`2008-10-17\`, not \`${e.value.value}\``,
          e.value.where,
        );
      else version = e.value.value;
    } else if (e.key === "Id") {
      if (e.value.kind !== "string") err("policy_type_error", "`Id` must be a string", e.value.where);
    } else stmtNode = e.value;
  }
  if (version === undefined && !errors.some((x) => x.code === "policy_bad_version"))
    err(
      "policy_no_version",
      'no `Version`: policy variables are taken literally (add `"Version": "2012-10-17"`)',
      node.where,
      "warning",
    );
  const statements: Statement[] = [];
  if (!stmtNode) err("policy_missing_element", "the policy has no `Statement`", node.where);
  else {
    const list = stmtNode.kind === "array" ? stmtNode.items : [stmtNode];
    const sids = new Set<string>();
    list.forEach((sn, i) => {
      const st = statementFromNode(sn, i, err);
      if (!st) return;
      if (st.sid !== undefined) {
        if (sids.has(st.sid))
          err("policy_duplicate_sid", `duplicate \`Sid\` \`${st.sid}\``, sn.where, "warning");
        sids.add(st.sid);
      }
      statements.push(st);
    });
  }
  const policy: Policy = { name: origin, version, statements, document: valueOfNode(node) };
  const warnings = errors.filter((e) => e.severity === "warning");
  if (warnings.length > 0) policy.warnings = warnings;
  return { policy, errors };
}

type Err = (code: string, message: string, where: Where, severity?: "error" | "warning") => void;

function statementFromNode(node: JsonNode, index: number, err: Err): Statement | undefined {
  if (node.kind !== "object") {
    err("policy_type_error", `statement ${index} must be an object`, node.where);
    return undefined;
  }
  const st: Statement = { index, effect: "Allow", condition: [], where: node.where };
  let effect: string | undefined;
  let ok = true;
  st.elementWhere = {};
  st.valueWhere = {};
  for (const e of node.entries) {
    const v = e.value;
    st.elementWhere[e.key] = e.keyWhere;
    if (!STATEMENT_KEYS.has(e.key)) {
      err("policy_unknown_element", `statement ${index}: unknown element \`${e.key}\``, e.keyWhere);
      continue;
    }
    switch (e.key) {
      case "Sid":
        if (v.kind !== "string")
          err("policy_type_error", `statement ${index}: \`Sid\` must be a string`, v.where);
        else st.sid = v.value;
        break;
      case "Effect":
        if (v.kind !== "string" || (v.value !== "Allow" && v.value !== "Deny")) {
          err("policy_bad_effect", `statement ${index}: \`Effect\` must be \`Allow\` or \`Deny\``, v.where);
          ok = false;
        } else effect = v.value;
        break;
      case "Action":
      case "NotAction": {
        const list = stringList(v, `statement ${index}: \`${e.key}\``, err);
        if (list) {
          // AWS's grammar rejects such a value; a policy that carries one anyway (an older copy, a hand-made
          // file) is evaluated as AWS treats an action name that names no action: it matches no request.
          // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
          list.values.forEach((a, k) => {
            if (a !== "*" && !/^[A-Za-z0-9_*?.-]+:[A-Za-z0-9_*?-]*$/.test(a))
              err(
                "policy_bad_action",
                `statement ${index}: \`${a}\` is not an action (\`service:Action\`${/[,\s]/.test(a) ? ": one action per string, no commas or spaces" : ""}): it matches no request`,
                list.wheres[k]!,
                "warning",
              );
          });
          st.valueWhere.action = list.wheres;
          if (e.key === "Action") st.action = list.values;
          else st.notAction = list.values;
        } else ok = false;
        break;
      }
      case "Resource":
      case "NotResource": {
        const list = stringList(v, `statement ${index}: \`${e.key}\``, err);
        if (list) {
          list.values.forEach((r, k) => {
            if (r !== "*" && !r.startsWith("arn:") && !r.includes("*"))
              err(
                "policy_bad_resource",
                `statement ${index}: \`${r}\` is not an ARN or \`*\``,
                list.wheres[k]!,
                "warning",
              );
          });
          st.valueWhere.resource = list.wheres;
          if (e.key === "Resource") st.resource = list.values;
          else st.notResource = list.values;
        } else ok = false;
        break;
      }
      case "Principal":
      case "NotPrincipal": {
        const p = principalFromNode(v, `statement ${index}: \`${e.key}\``, err);
        if (p) {
          if (e.key === "Principal") st.principal = p;
          else st.notPrincipal = p;
        } else ok = false;
        break;
      }
      case "Condition": {
        const c = conditionFromNode(v, index, err);
        if (c) st.condition = c;
        else ok = false;
        break;
      }
    }
  }
  if (effect === undefined) {
    if (!node.entries.some((e) => e.key === "Effect"))
      err("policy_missing_element", `statement ${index}: no \`Effect\``, node.where);
    return undefined;
  }
  st.effect = effect as "Allow" | "Deny";
  if (st.action && st.notAction)
    err("policy_conflicting_elements", `statement ${index}: both \`Action\` and \`NotAction\``, node.where);
  if (!st.action && !st.notAction && ok)
    err("policy_missing_element", `statement ${index}: no \`Action\` or \`NotAction\``, node.where);
  if (st.resource && st.notResource)
    err(
      "policy_conflicting_elements",
      `statement ${index}: both \`Resource\` and \`NotResource\``,
      node.where,
    );
  if (st.principal && st.notPrincipal)
    err(
      "policy_conflicting_elements",
      `statement ${index}: both \`Principal\` and \`NotPrincipal\``,
      node.where,
    );
  if (!ok) return undefined;
  return st;
}

function stringList(
  node: JsonNode,
  what: string,
  err: Err,
): { values: string[]; where: Where; wheres: Where[] } | undefined {
  if (node.kind === "string") return { values: [node.value], where: node.where, wheres: [node.where] };
  if (node.kind === "array") {
    const values: string[] = [];
    for (const it of node.items) {
      if (it.kind !== "string") {
        err("policy_type_error", `${what} must hold strings`, it.where);
        return undefined;
      }
      values.push(it.value);
    }
    if (values.length === 0)
      err("policy_empty_list", `${what} is an empty list: it matches nothing`, node.where, "warning");
    return { values, where: node.where, wheres: node.items.map((it) => it.where) };
  }
  err("policy_type_error", `${what} must be a string or a list of strings`, node.where);
  return undefined;
}

function principalFromNode(node: JsonNode, what: string, err: Err): PrincipalBlock | undefined {
  if (node.kind === "string") {
    if (node.value === "*") return "*";
    // The grammar wants {"AWS": ...}; a bare ARN, account or service name is read the way it is meant (lenient
    // form, with a warning), so a policy copied with this slip still evaluates.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
    const kind = /\.amazonaws\.com(\.cn)?$/i.test(node.value) ? "Service" : "AWS";
    err(
      "policy_principal_string",
      `${what} is a plain string: read as {"${kind}": "${node.value}"} (AWS expects \`*\` or an object such as {"AWS": ...})`,
      node.where,
      "warning",
    );
    return { [kind]: [node.value] };
  }
  if (node.kind !== "object") {
    err("policy_type_error", `${what} must be \`*\` or an object`, node.where);
    return undefined;
  }
  const out: Record<string, string[]> = {};
  for (const e of node.entries) {
    if (!PRINCIPAL_KEYS.has(e.key)) {
      err("policy_bad_principal", `${what}: unknown principal kind \`${e.key}\``, e.keyWhere);
      continue;
    }
    const list = stringList(e.value, `${what}.${e.key}`, err);
    if (list) out[e.key] = list.values;
  }
  return out;
}

function scalar(node: JsonNode): string | undefined {
  if (node.kind === "string") return node.value;
  if (node.kind === "number") return node.raw;
  if (node.kind === "boolean") return node.value ? "true" : "false";
  return undefined;
}

function conditionFromNode(node: JsonNode, index: number, err: Err): ConditionEntry[] | undefined {
  if (node.kind !== "object") {
    err("policy_type_error", `statement ${index}: \`Condition\` must be an object`, node.where);
    return undefined;
  }
  const out: ConditionEntry[] = [];
  for (const op of node.entries) {
    if (!isKnownOperator(op.key))
      err("policy_bad_operator", `statement ${index}: unknown condition operator \`${op.key}\``, op.keyWhere);
    if (op.value.kind !== "object") {
      err("policy_type_error", `statement ${index}: \`${op.key}\` must map keys to values`, op.value.where);
      continue;
    }
    for (const k of op.value.entries) {
      const vals: string[] = [];
      const items = k.value.kind === "array" ? k.value.items : [k.value];
      let bad = false;
      for (const it of items) {
        const s = scalar(it);
        if (s === undefined) bad = true;
        else vals.push(s);
      }
      if (bad) {
        err(
          "policy_type_error",
          `statement ${index}: \`${op.key}\` \`${k.key}\`: values must be strings, numbers or booleans`,
          k.value.where,
        );
        continue;
      }
      out.push({ operator: op.key, key: k.key, values: vals });
    }
  }
  return out;
}

const BASE_OPERATORS = new Set(
  [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
  ].map((s) => s.toLowerCase()),
);

/** Split `ForAnyValue:StringLikeIfExists` into its parts; `base` is lower case. */
export function splitOperator(op: string): {
  set?: "any" | "all";
  base: string;
  ifExists: boolean;
} {
  let rest = op;
  let set: "any" | "all" | undefined;
  const lower = rest.toLowerCase();
  if (lower.startsWith("foranyvalue:")) {
    set = "any";
    rest = rest.slice(12);
  } else if (lower.startsWith("forallvalues:")) {
    set = "all";
    rest = rest.slice(13);
  }
  let base = rest.toLowerCase();
  let ifExists = false;
  if (base.endsWith("ifexists") && base !== "ifexists") {
    ifExists = true;
    base = base.slice(0, -8);
  }
  return { set, base, ifExists };
}

/** True when `op` is a condition operator IAM knows. */
export function isKnownOperator(op: string): boolean {
  const { base, ifExists } = splitOperator(op);
  if (base === "null") return !ifExists;
  return BASE_OPERATORS.has(base);
}
