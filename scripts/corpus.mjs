#!/usr/bin/env node
// Validates the real-world corpus parts (test/corpus/parts/*.jsonl) and writes the deterministic split
// (test/corpus/dev.jsonl, test/corpus/test.jsonl). How the corpus is built: test/corpus/README.md.
//
//   node scripts/corpus.mjs            validate, then write dev.jsonl and test.jsonl
//   node scripts/corpus.mjs --check    validate only (writes nothing)
//   node scripts/corpus.mjs --stats    validate, write the split, print counts per split/cause/difficulty/sdk
//   --dir DIR                          corpus folder (default test/corpus; parts are read from DIR/parts)
//
// Exit codes: 0 valid, 2 invalid lines or unreadable input (one line per problem on stderr).

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIFFICULTIES = new Set(["easy", "medium", "hard"]);
const REQUIRED_STRINGS = ["id", "source", "error", "context", "cause", "fix", "difficulty"];
const EXAMPLE_ACCOUNTS = new Set(["111122223333", "444455556666", "123456789012"]);
const MAX_PER_REPO = 3;
/** sha256(source) first byte below this goes to dev: 171/256 is about two thirds. */
const DEV_THRESHOLD = 171;

/** The taxonomy ids, read from the one list the code uses (src/core/cause-ids.ts). */
export function loadCauseIds(root = ROOT) {
  const text = readFileSync(join(root, "src/core/cause-ids.ts"), "utf8");
  const list = text.match(/CAUSE_IDS\s*=\s*\[([\s\S]*?)\]\s*as const/);
  if (!list) throw new Error("src/core/cause-ids.ts: CAUSE_IDS list not found");
  return new Set([...list[1].matchAll(/"([A-Z0-9_]+)"/g)].map((m) => m[1]));
}

/** One thread's identity: host + path without query, fragment, trailing slash; GitHub comment anchors dropped. */
export function threadKey(source) {
  const url = new URL(source);
  let path = url.pathname.replace(/\/+$/, "");
  // GitHub issue/PR sub-pages (files, commits) are the same thread.
  const gh = path.match(/^(\/[^/]+\/[^/]+\/(?:issues|pull|discussions)\/\d+)/);
  if (url.hostname === "github.com" && gh) path = gh[1];
  // Stack Exchange: /questions/ID/slug and /q/ID and /a/ID are one question (answers keep their own id).
  const se = path.match(/^\/(?:questions|q)\/(\d+)/);
  if (se) path = `/questions/${se[1]}`;
  return `${url.hostname.replace(/^www\./, "").toLowerCase()}${path.toLowerCase()}`;
}

/** owner/name for a github.com source, else null (the per-repository cap applies to GitHub only). */
export function repoOf(source) {
  const url = new URL(source);
  if (url.hostname !== "github.com") return null;
  const parts = url.pathname.split("/").filter(Boolean);
  return parts.length >= 2 ? `${parts[0]}/${parts[1]}`.toLowerCase() : null;
}

/** "dev" or "test", from the first byte of sha256(source URL). */
export function splitOf(source) {
  return createHash("sha256").update(source).digest()[0] < DEV_THRESHOLD ? "dev" : "test";
}

/** Secrets-and-names checks on every string of a record; returns problem strings. */
function redactionProblems(value, where) {
  const problems = [];
  const strings = [];
  const walk = (v, path) => {
    if (typeof v === "string") strings.push([path, v]);
    else if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${path}[${i}]`);
    } else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk(value, where);
  for (const [path, s] of strings) {
    for (const m of s.matchAll(/(?<![0-9A-Za-z])\d{12}(?![0-9])/g)) {
      if (!EXAMPLE_ACCOUNTS.has(m[0]) && !/^(\d)\1{11}$/.test(m[0]) && !/^0{4,}/.test(m[0])) {
        problems.push(`${path}: unredacted 12-digit account id ${m[0].slice(0, 3)}…`);
      }
    }
    for (const m of s.matchAll(/\b(AKIA|ASIA)([0-9A-Z]{8,})/g)) {
      // Redacted ids keep the prefix and then only X (the reporter's own EXAMPLE ids from AWS docs are fine).
      if (!/^X+$/.test(m[2]) && !/EXAMPLE$/.test(m[2])) {
        problems.push(`${path}: access key id ${m[1]}… has real-looking characters (redact to ${m[1]}XXXX…)`);
      }
    }
    for (const m of s.matchAll(/[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}/g)) {
      if (!/@(example\.(com|org|net)|users\.noreply\.github\.com)$/i.test(m[0])) {
        problems.push(`${path}: e-mail address ${m[0].replace(/^[^@]+/, "…")}`);
      }
    }
    if (/aws_secret_access_key\s*=\s*(?!REDACTED)[A-Za-z0-9/+]{40}\b/i.test(s)) {
      problems.push(`${path}: secret access key not redacted`);
    }
  }
  return problems;
}

/**
 * Validates parsed part files. `files` is [{ name, text }]. Returns { records, problems } where problems are
 * one-line strings naming the file and line.
 */
export function validate(files, causeIds) {
  const problems = [];
  const records = [];
  const ids = new Map();
  const threads = new Map();
  const perRepo = new Map();
  for (const { name, text } of files) {
    const lines = text.split("\n");
    lines.forEach((line, i) => {
      const at = `${name}:${i + 1}`;
      if (line.trim() === "") return;
      let rec;
      try {
        rec = JSON.parse(line);
      } catch (e) {
        problems.push(`${at}: not JSON (${e.message})`);
        return;
      }
      if (!rec || typeof rec !== "object" || Array.isArray(rec)) {
        problems.push(`${at}: not a JSON object`);
        return;
      }
      for (const k of REQUIRED_STRINGS) {
        if (typeof rec[k] !== "string" || rec[k].trim() === "")
          problems.push(`${at}: "${k}" missing or empty`);
      }
      if (typeof rec.id === "string") {
        if (ids.has(rec.id)) problems.push(`${at}: id ${rec.id} already used at ${ids.get(rec.id)}`);
        else ids.set(rec.id, at);
      }
      if (typeof rec.cause === "string" && !causeIds.has(rec.cause)) {
        problems.push(`${at}: cause ${rec.cause} is not a taxonomy id`);
      }
      if (!Array.isArray(rec.secondary)) problems.push(`${at}: "secondary" must be an array`);
      else {
        for (const s of rec.secondary) {
          if (!causeIds.has(s)) problems.push(`${at}: secondary ${String(s)} is not a taxonomy id`);
          if (s === rec.cause) problems.push(`${at}: secondary repeats the primary cause ${s}`);
        }
      }
      if (typeof rec.difficulty === "string" && !DIFFICULTIES.has(rec.difficulty)) {
        problems.push(`${at}: difficulty ${rec.difficulty} is not easy|medium|hard`);
      }
      if (!rec.evidence || typeof rec.evidence !== "object" || Array.isArray(rec.evidence)) {
        problems.push(`${at}: "evidence" must be an object (may be {})`);
      }
      for (const k of ["sdk", "service"]) {
        if (!(k in rec) || (rec[k] !== null && typeof rec[k] !== "string")) {
          problems.push(`${at}: "${k}" must be a string or null`);
        }
      }
      if (typeof rec.source === "string") {
        let key;
        try {
          key = threadKey(rec.source);
        } catch {
          problems.push(`${at}: source is not a URL`);
        }
        if (key !== undefined) {
          if (!/^https:\/\//.test(rec.source)) problems.push(`${at}: source must be an https URL`);
          if (threads.has(key)) problems.push(`${at}: thread already used at ${threads.get(key)}`);
          else threads.set(key, at);
          const repo = repoOf(rec.source);
          if (repo) {
            const list = perRepo.get(repo) ?? [];
            list.push(at);
            perRepo.set(repo, list);
          }
        }
      }
      for (const p of redactionProblems(rec, at)) problems.push(p);
      records.push(rec);
    });
  }
  for (const [repo, list] of perRepo) {
    if (list.length > MAX_PER_REPO) {
      problems.push(
        `${list[MAX_PER_REPO]}: repository ${repo} has ${list.length} cases (at most ${MAX_PER_REPO})`,
      );
    }
  }
  return { records, problems };
}

function readParts(dir) {
  const partsDir = join(dir, "parts");
  if (!existsSync(partsDir)) throw new Error(`${partsDir}: no parts folder`);
  return readdirSync(partsDir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()
    .map((f) => ({ name: join("parts", f), text: readFileSync(join(partsDir, f), "utf8") }));
}

function count(records, key) {
  const m = new Map();
  for (const r of records) {
    const k = String(key(r) ?? "null");
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function printStats(records) {
  const out = [];
  const section = (title, rows) => {
    out.push(title);
    for (const [k, n] of rows) out.push(`  ${k.padEnd(28)} ${String(n).padStart(4)}`);
  };
  out.push(`cases: ${records.length}`);
  section(
    "per split:",
    count(records, (r) => splitOf(r.source)),
  );
  section(
    "per cause:",
    count(records, (r) => r.cause),
  );
  section(
    "per difficulty:",
    count(records, (r) => r.difficulty),
  );
  section(
    "per sdk/tool:",
    count(records, (r) => r.sdk),
  );
  section(
    "per source kind:",
    count(records, (r) => (repoOf(r.source) ? "github" : new URL(r.source).hostname)),
  );
  process.stdout.write(`${out.join("\n")}\n`);
}

function main(argv) {
  const check = argv.includes("--check");
  const stats = argv.includes("--stats");
  const di = argv.indexOf("--dir");
  const dir = di >= 0 && argv[di + 1] ? resolve(argv[di + 1]) : join(ROOT, "test/corpus");
  let files;
  try {
    files = readParts(dir);
  } catch (e) {
    process.stderr.write(`corpus: ${e.message}\n`);
    return 2;
  }
  const { records, problems } = validate(files, loadCauseIds());
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`corpus: ${p}\n`);
    process.stderr.write(`corpus: ${problems.length} problem(s) in ${records.length} case(s)\n`);
    return 2;
  }
  if (!check) {
    const ordered = [...records].sort((a, b) => a.id.localeCompare(b.id));
    for (const split of ["dev", "test"]) {
      const lines = ordered.filter((r) => splitOf(r.source) === split).map((r) => JSON.stringify(r));
      writeFileSync(join(dir, `${split}.jsonl`), lines.length ? `${lines.join("\n")}\n` : "");
    }
  }
  if (stats) printStats(records);
  else process.stdout.write(`corpus: ${records.length} case(s) valid\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
