// The layers of docs/architecture.md, checked on every import in src/ (static, `import type`, `export ... from`
// and `import("...")`): a forbidden import fails this test with the file, the line and the rule it breaks.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../src");

/** The domain folders: engines that return plain data. */
const DOMAIN = ["iam", "trail", "credentials", "errors", "live", "network"] as const;

/**
 * Imports between folders that the rules below would refuse, allowed because the engine genuinely needs them.
 * `from` and `to` are paths under src/ (`to` a file or a folder ending in `/`); each entry says why.
 */
const ALLOWED: Array<{ from: string; to: string; why: string }> = [
  {
    from: "trail/",
    to: "iam/",
    why: "`trail explain` evaluates each denied CloudTrail event with the IAM engine (parse, compile, evaluate)",
  },
  {
    from: "trail/pushdown/run.ts",
    to: "live/",
    why: "`trail --athena/--lake` runs its generated SELECT through live's read-only clients, allow-list and audit (network stays in src/live; loaded only with --live)",
  },
  {
    from: "trail/explain.ts",
    to: "errors/message.ts",
    why: "`trail explain` reads each denied event's errorMessage with the one denial-message parser",
  },
  {
    from: "causes/facts.ts",
    to: "errors/",
    why: "the cause facts read the text around a failure only through src/errors (its clues, and the context read by the one denial-message parser)",
  },
];

interface Import {
  file: string; // under src/
  line: number;
  target: string; // under src/, or a package / node: builtin name
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

const IMPORT =
  /(?:\bimport|\bexport)\s[^"'`;]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;

function importsOf(path: string): Import[] {
  const text = readFileSync(path, "utf8");
  const file = relative(SRC, path);
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = (m[1] ?? m[2] ?? m[3])!;
    const line = text.slice(0, m.index).split("\n").length;
    const target = spec.startsWith(".")
      ? relative(SRC, resolve(dirname(path), spec)).replace(/\.js$/, ".ts")
      : spec;
    out.push({ file, line, target });
  }
  return out;
}

const folderOf = (p: string): string => (p.includes("/") ? p.slice(0, p.indexOf("/")) : "");

/** Why `imp` is forbidden, or undefined when it is allowed. */
function violation(imp: Import): string | undefined {
  const from = folderOf(imp.file);
  const local = !imp.target.startsWith("node:") && !imp.target.startsWith("@") && imp.target.includes(".ts");
  if (!local) {
    if (from === "core" && !imp.target.startsWith("node:")) return "core depends on nothing (no packages)";
    return undefined;
  }
  const to = folderOf(imp.target);
  if (to === from) return undefined;
  if (ALLOWED.some((a) => imp.file.startsWith(a.from) && imp.target.startsWith(a.to))) return undefined;
  if (from === "core") return "core imports nothing";
  if (from === "io" && to !== "core") return "io is a leaf: it imports only core";
  if (to === "cli" && from !== "cli") return "nothing outside src/cli imports src/cli";
  if ((DOMAIN as readonly string[]).includes(from)) {
    if (to === "report") return "domain folders return data: renderers are in src/report, called by the CLI";
    if (to === "diagnose") return "domain folders do not import the diagnose pipeline that joins them";
    if (to === "causes") return "domain folders return plain data; cause signals are made in src/diagnose";
    if ((DOMAIN as readonly string[]).includes(to))
      return `domain folder ${from} imports domain folder ${to}`;
  }
  if (from === "causes" && to !== "core") return "cause modules depend on core only";
  if (from === "diagnose" && to === "report")
    return "the diagnose pipeline returns a Diagnosis; the CLI renders it";
  if (from === "report" && (to === "diagnose" || to === "io"))
    return "renderers turn results into text: they neither run the pipeline nor read files";
  return undefined;
}

const ALL = sourceFiles(SRC).flatMap(importsOf);

describe("architecture: what may import what", () => {
  it("finds the imports it checks (the scanner is not blind)", () => {
    expect(ALL.length).toBeGreaterThan(500);
    expect(ALL.some((i) => i.file === "cli/program.ts" && i.target === "cli/commands/explain.ts")).toBe(true);
    expect(ALL.some((i) => i.file.startsWith("diagnose/") && i.target.startsWith("trail/"))).toBe(true);
  });

  it("has no forbidden import", () => {
    const bad = ALL.flatMap((i) => {
      const why = violation(i);
      return why ? [`src/${i.file}:${i.line} imports ${i.target}: ${why}`] : [];
    });
    console.info(`architecture: ${ALL.length} imports checked, ${bad.length} forbidden`);
    expect(bad).toEqual([]);
  });

  it("refuses the imports the rules name (the rules are not vacuous)", () => {
    const probe = (file: string, target: string) => violation({ file, line: 1, target });
    expect(probe("core/failure.ts", "errors/message.ts")).toMatch(/core imports nothing/);
    expect(probe("core/failure.ts", "commander")).toMatch(/no packages/);
    expect(probe("io/read.ts", "report/style.ts")).toMatch(/leaf/);
    expect(probe("diagnose/bundle.ts", "cli/output.ts")).toMatch(/outside src\/cli/);
    expect(probe("iam/render.ts", "report/style.ts")).toMatch(/renderers/);
    expect(probe("credentials/inspect.ts", "iam/parse.ts")).toMatch(/domain folder credentials/);
    expect(probe("live/run.ts", "diagnose/run.ts")).toMatch(/diagnose/);
    expect(probe("diagnose/run.ts", "report/text.ts")).toMatch(/CLI renders/);
    expect(probe("report/text.ts", "cli/output.ts")).toMatch(/outside src\/cli/);
    expect(probe("trail/explain.ts", "iam/request.ts")).toBeUndefined();
    expect(probe("cli/commands/can.ts", "iam/env.ts")).toBeUndefined();
  });

  it("every allow-list entry is still needed", () => {
    for (const a of ALLOWED) {
      const used = ALL.some((i) => i.file.startsWith(a.from) && i.target.startsWith(a.to));
      expect(used, `allow-list entry ${a.from} -> ${a.to} is unused: remove it`).toBe(true);
    }
  });

  it("library modules never write to stdout or stderr (only src/cli does)", () => {
    const writers = sourceFiles(SRC)
      .filter((p) => !relative(SRC, p).startsWith("cli/"))
      .flatMap((p) =>
        readFileSync(p, "utf8")
          .split("\n")
          .flatMap((text, i) =>
            /process\.std(?:out|err)\.write|\bconsole\.(?:log|error|warn|info|debug)\(/.test(text)
              ? [`src/${relative(SRC, p)}:${i + 1}`]
              : [],
          ),
      );
    expect(writers).toEqual([]);
  });

  it("one denial-message grammar: no regular expression outside src/errors reads AWS's denial phrases", () => {
    // The phrases src/errors/message.ts reads (policy named, deny kind, SCP route, resource, principal): a second
    // grammar elsewhere would disagree with it (docs/pipeline.md, "One parser per fact").
    const PHRASE =
      /\/[^/\n]*(?:because(?: |\\s[+*])no|explicit(?: |\\s[+*])deny(?: |\\s[+*])in|on(?: |\\s[+*])resource|transitively|\(\?:User\|Principal)[^/\n]*\/[dgimsuy]*/;
    const grammars = sourceFiles(SRC)
      .filter((p) => !relative(SRC, p).startsWith("errors/"))
      .flatMap((p) =>
        readFileSync(p, "utf8")
          .split("\n")
          .flatMap((text, i) =>
            !/^\s*(?:\/\/|\*|\/\*\*)/.test(text) && PHRASE.test(text)
              ? [`src/${relative(SRC, p)}:${i + 1}`]
              : [],
          ),
      );
    expect(grammars).toEqual([]);
    expect(PHRASE.test("const RE = /with an explicit deny in (a|an) policy/i;")).toBe(true);
    expect(PHRASE.test("const RE = /on\\s+resource:?\\s+(\\S+)/;")).toBe(true);
  });
});
