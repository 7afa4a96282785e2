// The request being diagnosed: one shape for every input (error text, flags, case.json, trail, credentials, live,
// notes), each field with where its value came from. See docs/pipeline.md.

import type { DiagnosedRequest } from "./diagnosis.js";

/** The kinds of input a request field can come from. */
export type RequestOriginKind =
  | "error-text"
  | "flag"
  | "case.json"
  | "trail"
  | "credentials"
  | "live"
  | "notes"
  | "authorization-details";

/** One field's value and its origin. `label` is what reports print (`--action`, `error text (endpoint)`...). */
export interface Sourced {
  value: string;
  origin: RequestOriginKind;
  label: string;
}

/** Fields of a request, in report order. */
export const REQUEST_FIELDS = [
  "principal",
  "action",
  "resource",
  "account",
  "resourceAccount",
  "region",
  "time",
  "sdk",
  "profile",
] as const;
export type RequestField = (typeof REQUEST_FIELDS)[number];

/** The request: every field optional, every present field sourced. */
export type Request = Partial<Record<RequestField, Sourced>>;

/** The plain values of a request (what evidence sources match against). */
export type RequestValues = Partial<Record<RequestField, string>>;

/** The default label of an origin kind. */
export function originLabel(origin: RequestOriginKind, field?: RequestField): string {
  switch (origin) {
    case "flag":
      return field ? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : "flag";
    case "error-text":
      return "error text";
    default:
      return origin;
  }
}

/**
 * Set `field` unless it already has a value: callers add origins from the strongest (flags) to the weakest
 * (values inferred from evidence), so the first writer wins. Empty values are ignored.
 */
export function offer(
  r: Request,
  field: RequestField,
  value: string | undefined,
  origin: RequestOriginKind,
  label = originLabel(origin, field),
): boolean {
  if (value === undefined || value.trim() === "" || r[field]) return false;
  r[field] = { value, origin, label };
  return true;
}

/** The request as the diagnosis JSON carries it: flat values, origin labels, and the sourced fields. */
export function diagnosedRequest(r: Request): DiagnosedRequest {
  const out: DiagnosedRequest = { origins: {} };
  const fields: Request = {};
  for (const k of REQUEST_FIELDS) {
    const f = r[k];
    if (!f) continue;
    out[k] = f.value;
    out.origins[k] = f.label;
    fields[k] = { ...f };
  }
  out.fields = fields;
  return out;
}

/** The values of a request, without origins. */
export function requestValues(r: Request): RequestValues {
  const out: RequestValues = {};
  for (const k of REQUEST_FIELDS) {
    const f = r[k];
    if (f) out[k] = f.value;
  }
  return out;
}
