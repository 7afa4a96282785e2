// Markdown report: sections present, every input string escaped (no raw HTML, no broken tables or code spans).
import { describe, expect, it } from "vitest";
import { DIAGNOSIS_SCHEMA } from "../../src/core/diagnosis.js";
import { mdBlock, mdCode, renderMarkdown } from "../../src/report/markdown.js";
import { hostileDiagnosis } from "./fixture.js";

describe("renderMarkdown", () => {
  const md = renderMarkdown(hostileDiagnosis());

  it("has the verdict, chain, fix, diff, runners-up, timeline and unknowns", () => {
    for (const heading of [
      "**Verdict: `IAM_RESOURCE_MISMATCH`",
      "## Evidence chain",
      "## Fix",
      "## Policy change (near miss)",
      "## Runners-up",
      "## Timeline (CloudTrail around the failure)",
      "## What could not be checked",
      "## Evidence sources",
    ]) {
      expect(md).toContain(heading);
    }
    expect(md).toContain("```diff\n--- before");
    expect(md).toContain("**the failure diagnosed**");
  });

  it("escapes HTML and Markdown in every text outside code", () => {
    // fenced blocks and code spans show text literally; everywhere else nothing may become markup
    const prose = md.replace(/(`{3,})[a-z]*\n[\s\S]*?\n\1/g, "").replace(/(`+)[^`][\s\S]*?\1/g, "");
    expect(prose).not.toMatch(/(^|[^\\])<(script|img)/);
    expect(prose).not.toMatch(/[^\\]\]\(http/);
  });

  it("keeps every table row at its column count", () => {
    const lines = md.split("\n");
    let cols = 0;
    for (const line of lines) {
      if (/^\|---/.test(line)) cols = line.split("|").length;
      else if (line.startsWith("| ") && cols > 0) {
        const cells = line.replace(/\\\|/g, "").split("|").length;
        expect(cells, line).toBe(cols);
      } else if (!line.startsWith("|")) cols = 0;
    }
  });

  it("an empty diagnosis says no cause could be named", () => {
    const out = renderMarkdown({
      schema: DIAGNOSIS_SCHEMA,
      failure: null,
      failures: [],
      causes: [],
      unknowns: [],
    });
    expect(out).toContain("No cause could be named");
  });
});

describe("mdCode / mdBlock", () => {
  it("survive backticks and fences in the value", () => {
    expect(mdCode("a`b")).toBe("``a`b``");
    expect(mdCode("`x`")).toBe("`` `x` ``");
    expect(mdBlock("```\ncode\n```", "sh")).toBe("````sh\n```\ncode\n```\n````");
  });
});
