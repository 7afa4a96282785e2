// The MCP `diagnose` tool takes the CLI's --notes and --fact (issue 11) as `notes` and `facts`.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pathPolicy } from "../../src/mcp/paths.js";
import { diagnoseTool } from "../../src/mcp/tools.js";

const root = path.resolve(import.meta.dirname, "../..");
const TEXT =
  "An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::111122223333:assumed-role/App/s1 is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::reports/q1.csv because no identity-based policy allows the s3:GetObject action";

describe("MCP diagnose: notes and facts", () => {
  it("reads the notes and the facts into the diagnosis, as the CLI does", async () => {
    const ctx = { paths: await pathPolicy([root], root), allowLive: false };
    const r = await diagnoseTool(
      { text: TEXT, notes: "works locally, fails in GitHub Actions", facts: ["runs-in=lambda"] },
      ctx,
    );
    const facts = (r.json.facts ?? []) as Array<{ name: string; value?: string }>;
    expect(facts).toContainEqual(expect.objectContaining({ name: "runs-in", value: "lambda" }));
    expect(facts.length).toBeGreaterThan(1);
  });

  it("refuses an unknown fact, naming the argument", async () => {
    const ctx = { paths: await pathPolicy([root], root), allowLive: false };
    await expect(diagnoseTool({ text: TEXT, facts: ["no-such-fact"] }, ctx)).rejects.toThrow(/facts/);
  });
});
