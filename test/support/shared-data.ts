// Third-party data beside the repository (`../shared/data`, `../shared/seeds`, `../shared/knowledge`): tests that read it
// run when it is there and are skipped, visibly, when it is not. A skipped suite's title ends with
// `[needs ../shared/<path>]`; the summary reporter prints one line per such path, so a clone without the folder still
// passes `npm test` and says what it did not check. The project's own fixtures (test/fixtures/) cover every area.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, it } from "vitest";

export const repoRoot = resolve(import.meta.dirname, "../..");
export const sharedRoot = resolve(repoRoot, "../shared");
export const fixturesDir = resolve(repoRoot, "test/fixtures");

/** The absolute path of `../shared/<rel>`, whether or not it exists. */
export function sharedPath(rel: string): string {
  return resolve(sharedRoot, rel);
}

/** True when `../shared/<rel>` exists. */
export function hasShared(rel: string): boolean {
  return existsSync(sharedPath(rel));
}

/** The tag a suite that needs `../shared/<rel>` carries in its title. */
export function needsTag(rel: string): string {
  return `[needs ../shared/${rel}]`;
}

/** `describe` that runs when `../shared/<rel>` exists and is skipped with a visible reason otherwise. */
export function describeShared(rel: string, title: string, fn: () => void): void {
  if (hasShared(rel)) describe(title, fn);
  // The suite's own body is not run (it may read the data while collecting): one skipped entry stands for it.
  else describe.skip(`${title} ${needsTag(rel)}`, () => it("runs when the data is present", () => {}));
}

/** `it` that runs when `../shared/<rel>` exists and is skipped with a visible reason otherwise. */
export function itShared(rel: string, title: string, fn: () => unknown, timeout?: number): void {
  if (hasShared(rel)) it(title, fn, timeout);
  else it.skip(`${title} ${needsTag(rel)}`, () => {});
}
