// HTML report as a file: one self-contained document, escaped, no scripts or external references.
import { describe, expect, it } from "vitest";
import { escapeHtml, renderHtml } from "../../src/report/html.js";
import { hostileDiagnosis } from "./fixture.js";

describe("renderHtml", () => {
  const html = renderHtml(hostileDiagnosis(), { generatedAt: "2025-01-01T12:00:00Z" });

  it("is one document with inline CSS and a CSP that forbids every fetch", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("<style>");
    expect(html).toContain("default-src 'none'");
    // every tag in the document is one of ours: no element can fetch anything
    const tags = new Set([...html.matchAll(/<([a-z][a-z0-9]*)/gi)].map((m) => m[1]!.toLowerCase()));
    for (const t of tags)
      expect([
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "main",
        "h1",
        "h2",
        "section",
        "div",
        "span",
        "p",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "ul",
        "ol",
        "li",
        "code",
        "pre",
        "strong",
        "footer",
        "dl",
        "dt",
        "dd",
        "details",
        "summary",
        "br",
      ]).toContain(t);
    expect(html).not.toMatch(/url\(|@import/i);
  });

  it("escapes every input string", () => {
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;");
  });

  it("renders the timeline rows, the diagnosed row and the diff lines", () => {
    expect(html.match(/<li class="timeline-row/g)).toHaveLength(3);
    expect(html).toContain('class="timeline-row kind-diagnosed"');
    expect(html).toContain('<span class="del">-    &#34;arn:aws:s3:::bucket&#34;</span>');
    expect(html).toContain('<span class="add">+    &#34;arn:aws:s3:::bucket/*&#34;</span>');
  });
});

describe("escapeHtml", () => {
  it("escapes the five specials and the backtick", () => {
    expect(escapeHtml(`<a href="x" class='y'>&\`</a>`)).toBe(
      "&#60;a href=&#34;x&#34; class=&#39;y&#39;&#62;&#38;&#96;&#60;/a&#62;",
    );
  });
});
