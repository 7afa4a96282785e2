// Runs every benchmark in turn (each writes its figures to bench/results/<area>.md). Build first: npm run build.
// Usage: node bench/run.mjs [startup|creds|diagnose|accuracy|iam|iam-cli|trail|explain-memory ...]   (default: all; iam and trail install their
// comparison tools into the git-ignored bench/tmp on first use and take minutes)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const ALL = ["startup", "creds", "diagnose", "accuracy", "iam", "iam-cli", "trail", "explain-memory"];
const wanted = process.argv.slice(2);
const chosen = wanted.length > 0 ? wanted : ALL;
const unknown = chosen.filter((b) => !ALL.includes(b));
if (unknown.length > 0) {
  console.error(`bench: unknown benchmark ${unknown.join(", ")}; choose from ${ALL.join(", ")}`);
  process.exit(2);
}
if (!existsSync(`${root}dist/cli/bin.js`)) {
  console.error("bench: dist/cli/bin.js is missing; run `npm run build` first");
  process.exit(2);
}
const prerequisites = {
  iam: ["bench/tmp/node_modules/@cloud-copilot/iam-simulate", "@cloud-copilot/iam-simulate"],
  "iam-cli": ["bench/tmp/node_modules/@cloud-copilot/iam-simulate", "@cloud-copilot/iam-simulate"],
  trail: ["bench/tmp/node_modules/@duckdb/node-api", "@duckdb/node-api"],
};
let failed = 0;
for (const name of chosen) {
  const pre = prerequisites[name];
  if (pre && !existsSync(`${root}${pre[0]}`)) {
    console.log(`bench: installing ${pre[1]} into bench/tmp (comparison only, never imported by src/)`);
    spawnSync("npm", ["install", "--no-save", "--prefix", "bench/tmp", pre[1]], {
      cwd: root,
      stdio: "inherit",
    });
  }
  console.log(`\n== bench/${name}.mjs`);
  const r = spawnSync(process.execPath, [`bench/${name}.mjs`], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
