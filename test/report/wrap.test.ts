// Wrapping text output at the terminal width: on spaces only, indentation and list markers kept, colour marks
// counted as zero columns, shell commands continued with ` \`.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeStyle } from "../../src/report/style.js";
import { visibleWidth, wrapLine, wrapText } from "../../src/report/wrap.js";

describe("wrapLine", () => {
  it("leaves a line that fits alone", () => {
    expect(wrapLine("  short line", 80)).toEqual(["  short line"]);
  });

  it("wraps under the text after a list marker", () => {
    const out = wrapLine(`  - ${"word ".repeat(30).trim()}`, 40);
    expect(out.length).toBeGreaterThan(1);
    for (const l of out.slice(1)) expect(l.startsWith("    word")).toBe(true);
    for (const l of out) expect(l.length).toBeLessThanOrEqual(40);
  });

  it("never cuts a token: a long ARN stays whole on its own line", () => {
    const arn = `arn:aws:appsync:ap-northeast-1:483920175566:apis/${"x".repeat(60)}/types/Query/fields/listTasks`;
    const out = wrapLine(`    why    the resource ${arn} is not allowed`, 60);
    expect(out.some((l) => l.trim() === arn)).toBe(true);
  });

  it("continues a shell command with a backslash and keeps quoted arguments whole", () => {
    const cmd = `  $ aws appsync get-graphql-api --api-id abcdefghijklmnop --query 'graphqlApi.[authenticationType, additionalAuthenticationProviders]'`;
    const out = wrapLine(cmd, 60);
    expect(out.length).toBeGreaterThan(1);
    for (const l of out.slice(0, -1)) expect(l.endsWith(" \\")).toBe(true);
    expect(
      out.some((l) => l.includes("'graphqlApi.[authenticationType, additionalAuthenticationProviders]'")),
    ).toBe(true);
  });

  it("does not count colour marks as columns", () => {
    const st = makeStyle(true);
    const line = `${st.bold("Verdict")}  ${st.green("X".repeat(30))}`;
    expect(visibleWidth(line)).toBe(39);
    expect(wrapLine(line, 40)).toEqual([line]);
  });

  it("property: the words and their order survive, no line exceeds the width unless it is one word", () => {
    const word = fc.stringMatching(/^[a-z0-9][a-z0-9:/._-]{0,29}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 40, max: 120 }),
        (ws, width) => {
          const line = `  - ${ws.join(" ")}`;
          const out = wrapText(line, width).split("\n");
          expect(
            out
              .join(" ")
              .split(/ +/)
              .filter((w) => w !== "" && w !== "-"),
          ).toEqual(ws);
          for (const l of out)
            if (l.length > width)
              expect(
                l
                  .trim()
                  .split(/ +/)
                  .filter((w) => w !== "-").length,
              ).toBe(1);
        },
      ),
    );
  });
});
