// Shared helpers for the trail tests: data paths and an independent, naive record counter.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const dataDir = resolve(repoRoot, "../shared/data/cloudtrail");

/** Every file under a folder, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/** The records of one file, found the simple way: whole-file JSON.parse (or per line for JSONL). */
export function naiveRecords(file: string): Record<string, unknown>[] {
  let buf = readFileSync(file);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  const text = buf.toString("utf8");
  const values: unknown[] = [];
  try {
    values.push(JSON.parse(text));
  } catch {
    for (const line of text.split("\n")) if (line.trim()) values.push(JSON.parse(line));
  }
  const out: Record<string, unknown>[] = [];
  const take = (v: unknown) => {
    if (typeof v !== "object" || v === null) return;
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.Records)) o.Records.forEach(take);
    else if (o.log && typeof o.log === "object") take(o.log);
    else if (o.event && typeof o.event === "object") take(o.event);
    else if (
      typeof o.eventName === "string" &&
      ("eventTime" in o ||
        "@timestamp" in o ||
        "awsRegion" in o ||
        "userIdentity" in o ||
        "eventType" in o ||
        "p_event_time" in o)
    )
      out.push(o);
  };
  for (const v of values) {
    if (Array.isArray(v)) v.forEach(take);
    else take(v);
  }
  return out;
}

/**
 * The rows of a CSV text, found the simple way: a character loop that toggles on every quote (a doubled quote
 * toggles twice), splitting on commas and line ends outside quotes. The first row is the header.
 */
export function naiveCsvRows(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const src = text.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
  for (const ch of src) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === ",") {
      row.push(cell);
      cell = "";
    } else if (!quoted && ch === "\n") {
      row.push(cell);
      if (row.join("") !== "") rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  const unquote = (c: string) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c);
  const [header, ...body] = rows.map((r) => r.map(unquote));
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ""])));
}

/** Naive counts over files that look like logs and CSV exports (the TrailDiscover catalog `events.json` is not a log). */
export function naiveCount(dir: string): { events: number; failures: number } {
  let events = 0;
  let failures = 0;
  for (const f of listFiles(dir)) {
    if (f.endsWith(".csv")) {
      for (const r of naiveCsvRows(readFileSync(f, "utf8"))) {
        events++;
        if (r["Error code"] || r.errorCode || r["Error message"] || r.errorMessage) failures++;
      }
      continue;
    }
    if (!/\.(json|jsonl|gz|cloudtrail)$/.test(f)) continue;
    for (const r of naiveRecords(f)) {
      events++;
      if (r.errorCode || r.errorMessage !== undefined) failures++;
    }
  }
  return { events, failures };
}
