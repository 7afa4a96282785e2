// Test helper: read a fixture bundle's network/ folder into one NetworkEvidence.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { mergeNetworkEvidence, type NetworkDocument, readNetworkDocument } from "../../src/network/index.js";
import type { NetworkEvidence } from "../../src/network/types.js";

export const FIXTURES = join(import.meta.dirname, "..", "fixtures", "network");

export function fixtureEvidence(bundle: string): NetworkEvidence {
  const dir = join(FIXTURES, bundle, "network");
  const docs = readdirSync(dir)
    .sort()
    .map((f) => {
      const d = readNetworkDocument(JSON.parse(readFileSync(join(dir, f), "utf8")), f);
      if ("error" in d) throw new Error(`${f}: ${d.error}`);
      return d as NetworkDocument;
    });
  return mergeNetworkEvidence(docs);
}

export function fixtureJson(bundle: string, file: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, bundle, "network", file), "utf8"));
}
