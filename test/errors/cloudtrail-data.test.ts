import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { expect, it } from "vitest";
import { parseFailures } from "../../src/errors/index.js";
import { describeShared, hasShared } from "../support/shared-data.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const trailDiscover = path.resolve(repoRoot, "../shared/data/cloudtrail/traildiscover/logExamples");
const invictus = path.resolve(repoRoot, "../shared/data/cloudtrail/invictus-aws-dataset/CloudTrail");

type Rec = Record<string, unknown>;

function records(value: unknown): Rec[] {
  if (Array.isArray(value)) return value.filter((r): r is Rec => r !== null && typeof r === "object");
  if (value && typeof value === "object") {
    const o = value as Rec;
    return Array.isArray(o.Records) ? records(o.Records) : [o];
  }
  return [];
}

function load(): Rec[] {
  const out: Rec[] = [];
  for (const f of readdirSync(trailDiscover)) {
    if (!f.endsWith(".json.cloudtrail")) continue;
    try {
      out.push(...records(JSON.parse(readFileSync(path.join(trailDiscover, f), "utf8"))));
    } catch {
      // a few upstream files are not JSON; the parser's robustness is tested elsewhere
    }
  }
  for (const f of readdirSync(invictus)) {
    if (!f.endsWith(".json.gz")) continue;
    out.push(...records(JSON.parse(gunzipSync(readFileSync(path.join(invictus, f))).toString("utf8"))));
  }
  return out;
}

const DENIALS = /^(?:Client\.)?(?:AccessDenied|AccessDeniedException|UnauthorizedOperation)$/;
const all = hasShared("data/cloudtrail") ? load() : [];
const denied = all.filter((r) => typeof r.errorCode === "string" && DENIALS.test(r.errorCode));

describeShared("data/cloudtrail", "real CloudTrail denials (TrailDiscover, Invictus)", () => {
  it("has a meaningful sample", () => {
    expect(denied.length).toBeGreaterThan(100);
  });

  it("reads every denial record with an action, and the principal and policy type its message names", () => {
    const problems: string[] = [];
    for (const r of denied) {
      const fs = parseFailures(JSON.stringify(r));
      const f = fs[0];
      const msg = typeof r.errorMessage === "string" ? r.errorMessage : "";
      if (fs.length !== 1 || !f) {
        problems.push(`${fs.length} failures for ${msg.slice(0, 80)}`);
        continue;
      }
      if (f.format !== "cloudtrail" || !f.action) problems.push(`no action: ${msg.slice(0, 120)}`);
      const named = /User: (\S+) is not authorized to perform: ([\w-]+:\w+)/.exec(msg);
      if (named) {
        if (f.principal?.raw !== named[1]) problems.push(`principal ${f.principal?.raw} for ${named[1]}`);
        if (f.action !== named[2]) problems.push(`action ${f.action} for ${named[2]}`);
      }
      const type = /because no (identity-based|resource-based|session|service control) policy allows/.exec(
        msg,
      );
      if (type) {
        const want = type[1]!.replace(" ", "-");
        if (f.policyType !== want || f.denyKind !== "implicit")
          problems.push(`policy type ${f.policyType} for ${want}`);
      }
      if (/Encoded authorization failure message/.test(msg) && !f.encodedMessage)
        problems.push("encoded message missed");
    }
    expect(problems).toEqual([]);
  });

  it("reads the same records as messages alone (errorMessage pasted without the record)", () => {
    const problems: string[] = [];
    for (const r of denied) {
      const msg = typeof r.errorMessage === "string" ? r.errorMessage : "";
      const named = /User: (\S+) is not authorized to perform: ([\w-]+:\w+)/.exec(msg);
      if (!named) continue;
      const f = parseFailures(msg)[0];
      if (f?.action !== named[2] || f?.principal?.raw !== named[1]) problems.push(msg.slice(0, 120));
    }
    expect(problems).toEqual([]);
  });

  it("reads a whole delivery file as one failure per distinct error", () => {
    const file = readdirSync(invictus).find((f) => f.endsWith(".json.gz"))!;
    const text = gunzipSync(readFileSync(path.join(invictus, file))).toString("utf8");
    const recs = records(JSON.parse(text));
    const distinct = new Set(
      recs
        .filter((r) => typeof r.errorCode === "string")
        .map(
          (r) =>
            `${r.errorCode}|${r.errorMessage ?? ""}|${r.eventName}|${(r.userIdentity as Rec | undefined)?.arn}`,
        ),
    );
    const fs = parseFailures(text);
    expect(fs.every((f) => f.format === "cloudtrail")).toBe(true);
    expect(fs.length).toBeLessThanOrEqual(distinct.size);
    expect(fs.length).toBeGreaterThan(0);
  });
});
