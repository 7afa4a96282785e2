// Helpers shared by the probes: call results to Probed values, ARN parsing, policy document decoding.

import type { CallResult } from "../call.js";
import type { PrincipalRef, Probed } from "../types.js";

/** Turn a call result into a probe result; a denied call names the permission it needed. */
export function fromCall<T, U>(r: CallResult<T>, what: string, map: (value: T) => U): Probed<U> {
  if (r.ok) return { ok: true, value: map(r.value) };
  return {
    ok: false,
    outcome: r.outcome,
    reason: `could not read ${what}: ${r.outcome === "denied" ? `needs ${r.needs}` : r.reason}`,
    code: r.code,
    ...(r.needs ? { needs: r.needs } : {}),
  };
}

/** A failed probe result (not a call's). */
export function notRun<T>(outcome: "skipped" | "error", reason: string, needs?: string): Probed<T> {
  return { ok: false, outcome, reason, ...(needs ? { needs } : {}) };
}

/** The IAM principal behind a caller ARN: users and roles (for role sessions), else undefined. */
export function principalOfArn(
  arn: string,
): (PrincipalRef & { partition: string; account: string }) | undefined {
  const m = /^arn:([^:]+):(iam|sts)::(\d{12}):(user|assumed-role)\/(.+)$/.exec(arn);
  if (!m) return undefined;
  const [, partition, , account, kind, rest] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (kind === "user") {
    const name = rest.split("/").pop()!;
    return { kind: "user", name, arn, partition, account };
  }
  const role = rest.split("/")[0]!;
  return {
    kind: "role",
    name: role,
    arn: `arn:${partition}:iam::${account}:role/${role}`,
    partition,
    account,
  };
}

/** A policy document as IAM returns it (URL-encoded JSON) as an object; the raw text when it does not parse. */
export function decodePolicyDocument(doc: string): unknown {
  let text = doc;
  try {
    text = decodeURIComponent(doc);
  } catch {
    // not URL-encoded: use as is
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const DOCUMENT_KEYS = new Set(["PolicyDocument", "AssumeRolePolicyDocument", "Document"]);

/**
 * An SDK output in the shape the AWS CLI prints: dates as ISO strings, policy documents decoded, `$metadata`
 * dropped.
 */
export function toCliShape(value: unknown, key?: string): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string" && key && DOCUMENT_KEYS.has(key)) return decodePolicyDocument(value);
  if (Array.isArray(value)) return value.map((v) => toCliShape(v));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "$metadata" || v === undefined) continue;
      out[k] = toCliShape(v, k);
    }
    return out;
  }
  return value;
}

/** ISO string of an SDK date (or undefined). */
export function iso(d: Date | string | undefined): string | undefined {
  if (!d) return undefined;
  const date = d instanceof Date ? d : new Date(d);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
