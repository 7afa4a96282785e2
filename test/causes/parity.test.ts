// Parity: taxonomy ids = cause modules = registry keys, each with unit cases and accuracy cases.

import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ALL_CAUSES, CAUSES } from "../../src/causes/index.js";
import { CAUSE_IDS, isCauseId } from "../../src/core/cause-ids.js";
import { itShared, sharedPath } from "../support/shared-data.js";

const kebab = (id: string) => id.toLowerCase().replace(/_/g, "-");
const srcDir = new URL("../../src/causes/", import.meta.url);
const testDir = new URL("./", import.meta.url);

describe("cause parity", () => {
  it("the repository's cause list (docs/causes.md) and CAUSE_IDS agree, in order", () => {
    const doc = readFileSync(new URL("../../docs/causes.md", import.meta.url), "utf8");
    const ids = [...doc.matchAll(/^\| `([A-Z][A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(ids).toEqual([...CAUSE_IDS]);
    for (const id of CAUSE_IDS) expect(doc).toContain(`(causes/${id}.md)`);
  });

  itShared("knowledge/taxonomy.md", "the original taxonomy and CAUSE_IDS agree", () => {
    const taxonomy = readFileSync(sharedPath("knowledge/taxonomy.md"), "utf8");
    const ids = [...taxonomy.matchAll(/^\| ([A-Z][A-Z_]+) \|/gm)].map((m) => m[1]);
    expect(ids).toEqual([...CAUSE_IDS]);
  });

  it("every taxonomy id has a module file whose default export carries that id", async () => {
    const files = new Set(readdirSync(srcDir));
    for (const id of CAUSE_IDS) {
      expect(files.has(`${kebab(id)}.ts`), id).toBe(true);
      const mod = (await import(new URL(`${kebab(id)}.ts`, srcDir).href)) as { default: { id: string } };
      expect(mod.default.id).toBe(id);
      expect(CAUSES[id].id).toBe(id);
    }
  });

  it("every module id is a taxonomy id and registered once", () => {
    const ids = ALL_CAUSES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(CAUSE_IDS.length);
    for (const id of ids) expect(isCauseId(id)).toBe(true);
  });

  it("every id has unit cases (testCause) and accuracy cases", () => {
    const unit = readdirSync(testDir)
      .filter((f) => f.endsWith(".test.ts"))
      .map((f) => readFileSync(new URL(f, testDir), "utf8"))
      .join("\n");
    const cases = JSON.parse(readFileSync(new URL("cases.json", testDir), "utf8")) as { expect: string }[];
    for (const id of CAUSE_IDS) {
      expect(unit.includes(`testCause(CAUSES.${id},`), `unit cases for ${id}`).toBe(true);
      expect(
        cases.some((c) => c.expect === id),
        `accuracy cases for ${id}`,
      ).toBe(true);
    }
  });

  it("every id has a docs/causes page with the fixed headings", () => {
    const docs = new URL("../../docs/causes/", import.meta.url);
    for (const id of CAUSE_IDS) {
      const page = readFileSync(new URL(`${id}.md`, docs), "utf8");
      for (const h of [
        "## What it means",
        "## How it is recognised",
        "## How to confirm",
        "## Fix",
        "## Often confused with",
      ])
        expect(page.includes(h), `${id}: ${h}`).toBe(true);
    }
  });
});
