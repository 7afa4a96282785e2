// Snapshots of the text output of every command and subcommand, run through the built CLI (dist/cli/bin.js;
// `npm run build` first, npm test does) on the examples/ bundles and test/fixtures/cli, with NO_COLOR, a fixed
// width, UTC, an empty home folder and no AWS_* variables. A changed output fails here: review the diff, then
// `npx vitest run test/e2e/snapshots.test.ts -u` to accept it. The repository folder and the home folder are
// written as <repo> and <home> in the files (they differ between machines).

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI_CASES } from "./cli-cases.js";

const root = resolve(import.meta.dirname, "../..");
const bin = join(root, "dist/cli/bin.js");
const home = mkdtempSync(join(tmpdir(), "authdoctor-snap-home-"));
// The repository as seen through a link of a fixed-length path: reports print absolute paths of bundle files and
// wrap at the width, so the checkout's own path length must not change where lines break.
const linkDir = mkdtempSync(join(tmpdir(), "authdoctor-snap-repo-"));
const repo = join(linkDir, "r");
symlinkSync(root, repo);
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(linkDir, { recursive: true, force: true });
});
/** Path arguments through the link (the CLI resolves them without following links). */
const viaLink = (args: string[]) => args.map((a) => (/^(?:examples|test)\//.test(a) ? join(repo, a) : a));

const env = {
  PATH: process.env.PATH ?? "",
  HOME: home,
  NO_COLOR: "1",
  COLUMNS: "100",
  TZ: "UTC",
  LANG: "C.UTF-8",
};

describe("CLI text output snapshots", () => {
  it("covers every command and trail subcommand", () => {
    const covered = new Set(CLI_CASES.map((c) => (c.args[0] === "trail" ? `trail ${c.args[1]}` : c.args[0])));
    for (const cmd of [
      "explain",
      "creds",
      "can",
      "lint",
      "diagnose",
      "trail summary",
      "trail sessions",
      "trail timeline",
      "trail changes",
      "trail explain",
    ])
      expect(covered, cmd).toContain(cmd);
  });

  for (const c of CLI_CASES) {
    it(`authdoctor ${c.args.join(" ").slice(0, 80)}`, async () => {
      const r = spawnSync(process.execPath, [bin, ...viaLink(c.args)], { cwd: root, env, encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const text = r.stdout.split(repo).join("<repo>").split(root).join("<repo>").split(home).join("<home>");
      await expect(text).toMatchFileSnapshot(`__snapshots__/cli/${c.name}.txt`);
      // help text is commander's, its examples quote whole error texts (one shell word each)
      // lint prints one unwrapped `file:line:col: …` line per finding (editors and CI parse them)
      // and `can --requests` one line per request
      if (!/sarif|markdown|help|^lint|requests/.test(c.name)) expectFits(text, 100);
    });
  }

  // the same reports at 80 columns: wrapped on spaces with indentation kept, never inside a token
  for (const c of CLI_CASES.filter((x) =>
    ["explain", "diagnose-appsync", "diagnose-optin", "trail-sessions", "creds"].includes(x.name),
  )) {
    it(`COLUMNS=80 authdoctor ${c.args.join(" ").slice(0, 70)}`, async () => {
      const r = spawnSync(process.execPath, [bin, ...viaLink(c.args)], {
        cwd: root,
        env: { ...env, COLUMNS: "80" },
        encoding: "utf8",
      });
      expect(r.status).toBe(0);
      const text = r.stdout.split(repo).join("<repo>").split(root).join("<repo>").split(home).join("<home>");
      await expect(text).toMatchFileSnapshot(`__snapshots__/cli/${c.name}-80.txt`);
      expectFits(text, 80);
    });
  }
});

/** Every line fits `width`, except a line that is one token (an ARN) after its indentation and list marker. */
function expectFits(text: string, width: number): void {
  for (const line of text.split("\n")) {
    if ([...line].length <= width) continue;
    const words = line.trim().split(/ +/);
    const longest = Math.max(...words.map((w) => [...w].length));
    // too long only because one token does not fit on any line of this width
    expect(longest + 12, line).toBeGreaterThan(width);
  }
}
