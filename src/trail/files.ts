// Expand trail inputs (files, folders, `-`) into the files to read, pruning S3-layout folders by time and region.
// S3 key layout and file names: docs/aws-facts.md §6.3.

import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { ReadOptions, Skipped } from "./types.js";

/** One input file to read. `size` is its size on disk (0 for stdin, -1 when not known before opening it). */
export interface TrailFile {
  path: string;
  size: number;
  /** A regular file (a short read is its end); pipes and devices are read until a read returns nothing. */
  regular?: boolean;
}

/** Parse `--since`/`--until` values (ISO 8601, epoch ms, or a relative `15m`/`2h`/`3d` before now). */
export function parseTimeBound(value: string | number | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value === "number") return value;
  const rel = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/i.exec(value.trim());
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]!.toLowerCase()]!;
  if (/^\d{10,}$/.test(value)) return Number(value);
  const t = parseEventTime(value);
  return Number.isNaN(t) ? undefined : t;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds since the epoch of an eventTime. Accepts ISO 8601 and Panther's `YYYY-MM-DD HH:MM:SS.fffffffff`
 * (read as UTC); NaN for placeholders such as `redacted`.
 */
export function parseEventTime(value: string | undefined): number {
  if (!value) return Number.NaN;
  const v = value.trim();
  // Fast path for CloudTrail's own shape `2023-07-10T11:42:18Z`.
  if (v.length === 20 && v.charCodeAt(10) === 84 && v.charCodeAt(19) === 90) return Date.parse(v);
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
  if (m) {
    const frac = m[3] ? m[3].slice(0, 4) : "";
    return Date.parse(`${m[1]}T${m[2]}${frac}${m[4] ?? "Z"}`);
  }
  return Date.parse(v);
}

const S3_DIR_RE =
  /(?:^|[\\/])CloudTrail[\\/]([a-z0-9-]+)(?:[\\/](\d{4}))?(?:[\\/](\d{2}))?(?:[\\/](\d{2}))?[\\/]?$/;
const S3_NAME_RE =
  /^\d{12}_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[A-Za-z0-9]+\.json(?:\.gz)?$/;
const READABLE_RE = /\.(?:json|jsonl|ndjson|gz|cloudtrail|log|csv)$/i;

interface Window {
  since?: number;
  until?: number;
  regions?: Set<string>;
  slack: number;
}

function windowOf(opts: ReadOptions): Window {
  const w: Window = { slack: opts.deliverySlackMs ?? 3_600_000 };
  const since = parseTimeBound(opts.since);
  const until = parseTimeBound(opts.until);
  if (since !== undefined) w.since = since;
  if (until !== undefined) w.until = until;
  if (opts.regions && opts.regions.length > 0) w.regions = new Set(opts.regions);
  return w;
}

/** Whether an interval [start, end) of delivery times can hold events inside the window. */
function overlaps(w: Window, start: number, end: number): boolean {
  // Events in a file are at most `slack` older than its delivery time and never newer than it.
  if (w.since !== undefined && end < w.since) return false;
  if (w.until !== undefined && start - w.slack > w.until) return false;
  return true;
}

/** Whether an S3-layout folder (`.../CloudTrail/<region>[/YYYY[/MM[/DD]]]`) may hold wanted events. */
export function keepFolder(dir: string, opts: ReadOptions | Window): boolean {
  const w = "slack" in opts ? opts : windowOf(opts);
  const m = S3_DIR_RE.exec(dir);
  if (!m) return true;
  if (w.regions && !w.regions.has(m[1]!)) return false;
  if (!m[2]) return true;
  const y = Number(m[2]);
  let start: number;
  let end: number;
  if (!m[3]) {
    start = Date.UTC(y, 0, 1);
    end = Date.UTC(y + 1, 0, 1);
  } else if (!m[4]) {
    start = Date.UTC(y, Number(m[3]) - 1, 1);
    end = Date.UTC(y, Number(m[3]), 1);
  } else {
    start = Date.UTC(y, Number(m[3]) - 1, Number(m[4]));
    end = start + 86_400_000;
  }
  return overlaps(w, start, end);
}

/** Whether a delivery file named `<acct>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<id>.json.gz` may hold wanted events. */
export function keepFileName(name: string, opts: ReadOptions | Window): boolean {
  const w = "slack" in opts ? opts : windowOf(opts);
  const m = S3_NAME_RE.exec(name);
  if (!m) return true;
  if (w.regions && !w.regions.has(m[1]!)) return false;
  const t = Date.UTC(Number(m[2]), Number(m[3]) - 1, Number(m[4]), Number(m[5]), Number(m[6]));
  // A file's minute stamp is rounded; allow 5 minutes after it.
  return overlaps(w, t, t + 300_000);
}

/**
 * Expand `inputs` into files. Named files are always read; folders are walked (sorted, hidden entries and
 * `CloudTrail-Digest` skipped) keeping files that look like logs or CSV exports, pruned by the window. Missing inputs go
 * to `skipped`.
 */
export async function expandInputs(
  inputs: string[],
  opts: ReadOptions,
  skipped: Skipped[],
): Promise<TrailFile[]> {
  const w = windowOf(opts);
  const out: TrailFile[] = [];
  for (const input of inputs) {
    if (input === "-") {
      out.push({ path: "-", size: 0 });
      continue;
    }
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(input);
    } catch (err) {
      skipped.push({
        file: input,
        reason:
          (err as NodeJS.ErrnoException).code === "ENOENT" && input.includes("\uFFFD")
            ? NOT_UTF8_NAME
            : describeFsError(err),
      });
      continue;
    }
    if (st.isDirectory()) await walk(input, w, out, skipped);
    // a FIFO, socket or device would block the reader for ever (or never end): refused, named in `skipped`
    else if (!st.isFile()) skipped.push({ file: input, reason: notRegular(st) });
    else out.push({ path: input, size: st.size, regular: true });
  }
  return out;
}

async function walk(dir: string, w: Window, out: TrailFile[], skipped: Skipped[]): Promise<void> {
  await flatten(
    await collect(dir, w, w.since === undefined && w.until === undefined && !w.regions),
    out,
    skipped,
  );
}

/** What a folder holds, in walk order: files, a folder that could not be read, or a sub-folder's items. */
type Item = { file: TrailFile } | { skip: Skipped } | { sub: Promise<Item[]> };

/**
 * The items of `dir`, sorted by name. Sub-folders are read concurrently (their items are promises, flattened in
 * order afterwards). `open`: no time or region window, so no name needs matching against the S3 layout.
 */
async function collect(dir: string, w: Window, open: boolean): Promise<Item[]> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    return [{ skip: { file: dir, reason: describeFsError(err) } }];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // join(dir, name) for every entry without normalising each path: an entry's name is one plain segment.
  const prefix = join(dir, "x").slice(0, -1);
  const items: Item[] = [];
  // No stat per file: a day folder holds thousands; the reader learns each size when it opens the file.
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    const p = prefix + e.name;
    if (e.isDirectory()) {
      if (e.name === "CloudTrail-Digest") continue;
      if (!open && !keepFolder(p, w)) continue;
      items.push({ sub: collect(p, w, open) });
    } else if (e.name.includes("\uFFFD")) {
      // readdir decodes names as UTF-8: bytes that are not UTF-8 become U+FFFD and that name opens nothing
      items.push({ skip: { file: p, reason: NOT_UTF8_NAME } });
    } else if (!e.isFile() && !e.isSymbolicLink()) {
      items.push({ skip: { file: p, reason: notRegular(e) } });
    } else if (!READABLE_RE.test(e.name)) {
      // not silently: a `.txt` or `.json.bak` copy may be the very log the user meant
      items.push({ skip: { file: p, reason: IGNORED_NAME } });
    } else if (open || keepFileName(e.name, w)) {
      if (e.isFile()) items.push({ file: { path: p, size: -1, regular: true } });
      else items.push({ sub: followLink(p) });
    }
  }
  return items;
}

/** Reason given for a file whose name holds bytes that are not UTF-8 (Node cannot open it by a string name). */
export const NOT_UTF8_NAME =
  "cannot read: the name holds bytes that are not UTF-8 (shown as \uFFFD); rename the file to read it";

/** Reason given for a file in a walked folder whose name does not look like a log (it is not read). */
export const IGNORED_NAME =
  "ignored: the name does not end in .json, .jsonl, .ndjson, .gz, .csv, .log or .cloudtrail (name the file to read it)";

/** A symbolic link met in a walk: read when it leads to a regular file, else skipped with the reason. */
async function followLink(p: string): Promise<Item[]> {
  try {
    const st = await stat(p);
    if (st.isFile()) return [{ file: { path: p, size: st.size, regular: true } }];
    if (st.isDirectory())
      return [{ skip: { file: p, reason: "skipped: a link to a folder (not followed)" } }];
    return [{ skip: { file: p, reason: notRegular(st) } }];
  } catch (err) {
    return [{ skip: { file: p, reason: describeFsError(err) } }];
  }
}

/** The reason a FIFO, socket or device is not read. */
function notRegular(st: {
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  const kind = st.isFIFO()
    ? "a FIFO (named pipe)"
    : st.isSocket()
      ? "a socket"
      : st.isCharacterDevice()
        ? "a character device"
        : st.isBlockDevice()
          ? "a block device"
          : "not a regular file";
  return `cannot read: ${kind}, not a regular file (use \`-\` to read stdin)`;
}

async function flatten(items: Item[], out: TrailFile[], skipped: Skipped[]): Promise<void> {
  for (const it of items) {
    if ("file" in it) out.push(it.file);
    else if ("skip" in it) skipped.push(it.skip);
    else await flatten(await it.sub, out, skipped);
  }
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "cannot read: no such file or folder";
  if (code === "EILSEQ") return "cannot read: the name is not valid UTF-8";
  if (code === "EACCES") return "cannot read: permission denied";
  return `cannot read: ${(err as Error).message}`;
}
