// Shared helpers for the error-parser tests: run a table of texts and compare the fields each must yield.

import { expect } from "vitest";
import type { Failure } from "../../src/core/failure.js";
import { parseFailures } from "../../src/errors/index.js";

type DeepPartial<T> = {
  [K in keyof T]?: NonNullable<T[K]> extends object ? DeepPartial<NonNullable<T[K]>> : T[K];
};

/** One realistic input and the fields its (only) failure must carry. */
export interface Case {
  name: string;
  text: string;
  want: DeepPartial<Failure>;
  /** Expected number of failures (default 1). */
  count?: number;
  /** Fields that must be absent. */
  absent?: (keyof Failure)[];
}

/** Parse and check one case; returns the first failure for extra assertions. */
export function check(c: Case): Failure {
  const all = parseFailures(c.text);
  expect(all, c.name).toHaveLength(c.count ?? 1);
  const f = all[0]!;
  expect(f, c.name).toMatchObject(c.want);
  for (const k of c.absent ?? []) expect(f[k], `${c.name}: ${String(k)}`).toBeUndefined();
  expect(typeof f.raw).toBe("string");
  expect(Array.isArray(f.notes)).toBe(true);
  return f;
}
