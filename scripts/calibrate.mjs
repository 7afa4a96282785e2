#!/usr/bin/env node
// Calibrates the ranking on the DEV split of the real-world corpus (test/corpus/dev.jsonl) and writes the table
// the ranking reads (src/causes/priors.ts): per message family the confirmed causes, per user fact (read from the
// reporter's context with the same reader as `--notes`) the confirmed causes, and the weight of each evidence kind
// (the family prior and the fact lift), chosen by leave-one-out top-1 on dev. Never reads the test split.
//
//   npm run build && node scripts/calibrate.mjs          print the counts and write src/causes/priors.ts
//   node scripts/calibrate.mjs --check                   print only (writes nothing)
//   node scripts/calibrate.mjs --lib FILE                use another build of the library
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const libArg = args.indexOf("--lib");
const libPath = libArg >= 0 ? resolve(args[libArg + 1]) : join(ROOT, "dist/index.js");
if (!existsSync(libPath)) {
  console.error(`calibrate: ${libPath} is missing; run \`npm run build\` first`);
  process.exit(2);
}
const lib = await import(pathToFileURL(libPath).href);
const SOURCE = "test/corpus/dev.jsonl";
const ALPHA = 2;
const PRIOR_GRID = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const FACT_GRID = [0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.5, 2.0];
const FACT_ALPHA_GRID = [2, 5, 10];

const cases = readFileSync(join(ROOT, SOURCE), "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));

const empty = {
  source: SOURCE,
  cases: 0,
  alpha: ALPHA,
  priorWeight: 0,
  factWeight: 0,
  overall: {},
  families: {},
  facts: {},
};
lib.useCalibration(empty);

// 1. The family and the stated facts of every dev case (the ranking itself does not matter here).
const rows = cases.map((c) => {
  const d = lib.explainText(c.error);
  const keys = [...new Set(lib.readNotes(c.context).map((f) => lib.factKey(f)))];
  return { c, family: d.family ?? null, keys };
});

function countTable(rs) {
  const t = { ...empty, cases: rs.length, overall: {}, families: {}, facts: {} };
  const inc = (obj, k, cause) => {
    obj[k] ??= {};
    obj[k][cause] = (obj[k][cause] ?? 0) + 1;
  };
  for (const r of rs) {
    t.overall[r.c.cause] = (t.overall[r.c.cause] ?? 0) + 1;
    if (r.family) inc(t.families, r.family, r.c.cause);
    for (const k of r.keys) inc(t.facts, k, r.c.cause);
  }
  return t;
}

// 2. Leave-one-out: each case is ranked with a table counted without it, so the weights are not chosen on
// counts that already contain the answer.
const looTables = rows.map((_, i) => countTable(rows.filter((__, j) => j !== i)));
function score(priorWeight, factWeight, withNotes, factAlpha = ALPHA) {
  let top1 = 0;
  let top3 = 0;
  for (const [i, r] of rows.entries()) {
    lib.useCalibration({ ...looTables[i], priorWeight, factWeight, factAlpha });
    const d = lib.explainText(r.c.error, withNotes ? { notes: r.c.context } : {});
    const rank = d.causes.findIndex((x) => x.id === r.c.cause);
    if (rank === 0) top1++;
    if (rank >= 0 && rank < 3) top3++;
  }
  return { top1, top3, value: top1 + 0.5 * top3 };
}
const pct = (n) => `${((100 * n) / rows.length).toFixed(1)}%`;
console.log(`calibrate: ${rows.length} dev reports (${SOURCE}); leave-one-out top-1 / top-3`);
let bestPrior = { w: 0, value: -1 };
for (const w of PRIOR_GRID) {
  const s = score(w, 0, false);
  console.log(`  prior weight ${w.toFixed(2)}: text ${pct(s.top1)} / ${pct(s.top3)}`);
  if (s.value > bestPrior.value) bestPrior = { w, ...s };
}
let bestFact = { w: 0, a: ALPHA, value: -1 };
for (const a of FACT_ALPHA_GRID)
  for (const w of FACT_GRID) {
    if (w === 0 && a !== ALPHA) continue;
    const s = score(bestPrior.w, w, true, a);
    console.log(`  fact weight ${w.toFixed(2)}, fact smoothing ${a}: notes ${pct(s.top1)} / ${pct(s.top3)}`);
    if (s.value > bestFact.value) bestFact = { w, a, ...s };
  }
lib.useCalibration(undefined);

// 3. The table: counts on every dev case, the chosen weights.
const table = {
  ...countTable(rows),
  priorWeight: bestPrior.w,
  factWeight: bestFact.w,
  factAlpha: bestFact.a,
};
console.log(
  `\nchosen: prior weight ${table.priorWeight}, fact weight ${table.factWeight}, fact smoothing ${table.factAlpha}`,
);
console.log("\nper message family (n: causes)");
for (const [fam, counts] of Object.entries(table.families).sort()) {
  const n = Object.values(counts).reduce((a, b) => a + b, 0);
  const list = Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  console.log(`  ${fam} (${n}): ${list}`);
}
const noFamily = rows.filter((r) => !r.family).length;
console.log(`  (no family: ${noFamily})`);
console.log("\nper fact (n: top causes)");
for (const [k, counts] of Object.entries(table.facts).sort()) {
  const n = Object.values(counts).reduce((a, b) => a + b, 0);
  const list = Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([c, v]) => `${c} ${v}`)
    .join(", ");
  console.log(`  ${k} (${n}): ${list}`);
}

if (!args.includes("--check")) {
  const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  const out = {
    ...table,
    overall: sorted(table.overall),
    families: Object.fromEntries(
      Object.entries(table.families)
        .sort()
        .map(([k, v]) => [k, sorted(v)]),
    ),
    facts: Object.fromEntries(
      Object.entries(table.facts)
        .sort()
        .map(([k, v]) => [k, sorted(v)]),
    ),
  };
  const body =
    "// GENERATED by scripts/calibrate.mjs from test/corpus/dev.jsonl — do not edit by hand; rerun the script.\n" +
    "// Read through ./calibration.ts (the ranking's calibrated priors and evidence weights).\n\n" +
    `export const PRIORS = ${JSON.stringify(out, null, 2)};\n`;
  writeFileSync(join(ROOT, "src/causes/priors.ts"), body);
  console.log("\nwrote src/causes/priors.ts");
}
