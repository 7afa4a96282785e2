// Real CloudTrail error messages (../shared/data) as the CLI prints them: explain never throws, and messages whose
// policy-type phrase decides the cause rank that cause first.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { expect, it } from "vitest";
import type { CauseId } from "../../src/core/cause-ids.js";
import { explainText } from "../../src/diagnose/explain.js";
import { describeShared } from "../support/shared-data.js";

const repoRoot = resolve(import.meta.dirname, "../..");
const DATA = resolve(repoRoot, "../shared/data/cloudtrail");
const SETS = ["stratus-red-team", "traildiscover", "invictus-aws-dataset"];

interface ErrorEvent {
  code: string;
  message: string;
  eventName: string;
}

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.json(\.gz)?$/.test(name)) yield p;
  }
}

function records(path: string): unknown[] {
  try {
    const buf = readFileSync(path);
    const json = JSON.parse((path.endsWith(".gz") ? gunzipSync(buf) : buf).toString("utf8")) as unknown;
    if (Array.isArray(json)) return json;
    if (json && typeof json === "object" && Array.isArray((json as { Records?: unknown[] }).Records))
      return (json as { Records: unknown[] }).Records;
    return [json];
  } catch {
    return [];
  }
}

function errorEvents(): ErrorEvent[] {
  const out: ErrorEvent[] = [];
  for (const set of SETS)
    for (const file of files(join(DATA, set)))
      for (const r of records(file)) {
        const e = r as { errorCode?: string; errorMessage?: string; eventName?: string };
        if (e?.errorCode && e.errorMessage && e.eventName)
          out.push({
            code: e.errorCode.replace(/^Client\./, ""),
            message: e.errorMessage,
            eventName: e.eventName,
          });
      }
  return out;
}

/** The cause the message itself decides (docs/aws-facts.md §1.13, §1.14, §1.18), or undefined when it does not. */
function decided(e: ErrorEvent): CauseId | undefined {
  const m = e.message;
  if (/iam:PassRole|Cross-account pass role/i.test(m)) return "PASSROLE_MISSING";
  if (/cannot be assumed by Lambda/i.test(m)) return "TRUST_POLICY";
  if (/service control policy/i.test(m)) return "SCP_DENY";
  if (/because no identity-based policy allows/i.test(m)) return "IAM_ACTION_NOT_ALLOWED";
  if (/because no resource-based policy allows/i.test(m)) return "RESOURCE_POLICY";
  if (/explicit deny in an identity-based policy/i.test(m)) return "IAM_EXPLICIT_DENY";
  if (/not authorized to perform: sts:AssumeRole on resource: \S+$/i.test(m)) return "TRUST_POLICY";
  if (/^Rate exceeded$/i.test(m)) return "OTHER";
  return undefined;
}

describeShared("data/cloudtrail", "real CloudTrail error messages", () => {
  const events = errorEvents();

  it("finds the data", () => {
    expect(events.length).toBeGreaterThan(300);
  });

  it("explains every one without throwing; decided messages rank their cause first", () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const e of events) {
      const text = `An error occurred (${e.code}) when calling the ${e.eventName} operation: ${e.message}`;
      const d = explainText(text);
      const want = decided(e);
      if (!want) continue;
      checked++;
      if (d.causes[0]?.id !== want) wrong.push(`${want} <- ${d.causes[0]?.id}: ${e.message.slice(0, 120)}`);
    }
    process.stdout.write(
      `real data: ${events.length} error events, ${checked} with a deciding phrase, ${wrong.length} ranked otherwise\n`,
    );
    expect(checked).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
  });
});
