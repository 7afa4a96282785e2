// Worker-thread pool for reading many files on every core: files are handed out one at a time, records come
// back in acknowledged batches (bounded memory), summaries come back as merged aggregates.

import { Worker } from "node:worker_threads";
import type { TrailFile } from "./files.js";
import type { RecordFilter } from "./read.js";
import type { SessionsState } from "./sessions.js";
import type { SummaryState } from "./summary.js";
import type { CloudTrailRecord, Skipped } from "./types.js";

/** Messages a worker sends. */
export type FromWorker =
  | { t: "next"; done: number }
  | { t: "batch"; records: CloudTrailRecord[] }
  | { t: "progress"; files: number }
  | { t: "skipped"; items: Skipped[] }
  | { t: "summary"; state: SummaryState; files: number }
  | { t: "state"; state: SessionsState }
  | { t: "error"; message: string };

/** Messages a worker receives. */
export type ToWorker = { t: "files"; files: TrailFile[] } | { t: "end" } | { t: "ack" };

/** Files handed out per request: enough to keep a worker busy for a while, few enough to balance the load. */
function takeBatch(files: TrailFile[], from: number, workers: number): number {
  const remaining = files.length - from;
  // at most 1/4 of a worker's fair share of what is left, at most 256 files (or 8 MB when sizes are known)
  const cap = Math.max(1, Math.min(256, Math.floor(remaining / (workers * 4))));
  let n = 0;
  let bytes = 0;
  while (from + n < files.length && n < cap && bytes < 8 << 20) {
    bytes += Math.max(0, files[from + n]!.size);
    n++;
  }
  return Math.max(1, n);
}

export interface WorkerInit {
  /** `records`: send parsed records back; `summary`/`sessions`: send a mergeable partial result. */
  mode: "records" | "summary" | "sessions";
  filter: RecordFilter;
}

/** Young generation of each worker (MB): 16 or 32 were no faster here and cost 40-130 MB more peak RSS. */
const YOUNG_MB = 8;

function spawn(init: WorkerInit): Worker {
  // A small young generation makes each worker collect the per-file garbage early: peak RSS stays flat
  // whatever the input size (the benchmark's 300 MB budget covers all threads).
  return new Worker(new URL("./worker.js", import.meta.url), {
    workerData: init,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: 256 },
  });
}

/** Run `n` workers over `files`; `onMessage` sees every message but `next`, which is answered here (the files it
 * finished are passed on as a `progress` message). */
function runPool(
  files: TrailFile[],
  n: number,
  init: WorkerInit,
  onMessage: (w: Worker, m: FromWorker) => void,
): { done: Promise<void>; workers: Worker[] } {
  let next = 0;
  const workers: Worker[] = [];
  const done = Promise.all(
    Array.from({ length: n }, () => {
      const w = spawn(init);
      workers.push(w);
      return new Promise<void>((resolve, reject) => {
        w.on("message", (m: FromWorker) => {
          if (m.t === "next") {
            if (m.done > 0) onMessage(w, { t: "progress", files: m.done });
            if (next >= files.length) {
              w.postMessage({ t: "end" } satisfies ToWorker);
              return;
            }
            const k = takeBatch(files, next, n);
            w.postMessage({ t: "files", files: files.slice(next, next + k) } satisfies ToWorker);
            next += k;
          } else if (m.t === "error") {
            reject(new Error(`trail worker: ${m.message}`));
          } else {
            onMessage(w, m);
          }
        });
        w.on("error", reject);
        w.on("exit", () => resolve());
      });
    }),
  ).then(() => undefined);
  return { done, workers };
}

/** Records of `files` read by `n` workers, in batches. */
export async function* poolRecords(
  files: TrailFile[],
  filter: RecordFilter,
  n: number,
  skipped: Skipped[],
  onFiles?: (n: number) => void,
): AsyncGenerator<CloudTrailRecord[]> {
  const queue: { w: Worker; records: CloudTrailRecord[] }[] = [];
  let wake: (() => void) | null = null;
  let finished = false;
  let failure: unknown = null;
  const { done, workers } = runPool(files, n, { mode: "records", filter }, (w, m) => {
    if (m.t === "batch") queue.push({ w, records: m.records });
    else if (m.t === "skipped") skipped.push(...m.items);
    else if (m.t === "progress") onFiles?.(m.files);
    wake?.();
  });
  done.then(
    () => {
      finished = true;
      wake?.();
    },
    (err) => {
      failure = err;
      finished = true;
      wake?.();
    },
  );
  try {
    while (true) {
      const item = queue.shift();
      if (item) {
        item.w.postMessage({ t: "ack" } satisfies ToWorker);
        yield item.records;
        continue;
      }
      if (finished) break;
      await new Promise<void>((r) => {
        wake = r;
      });
      wake = null;
    }
    if (failure) throw failure;
  } finally {
    for (const w of workers) void w.terminate();
  }
}

/** Summary states of `files` read by `n` workers. */
export async function poolSummary(
  files: TrailFile[],
  filter: RecordFilter,
  n: number,
  skipped: Skipped[],
  onFiles?: (n: number) => void,
): Promise<SummaryState[]> {
  const states: SummaryState[] = [];
  const { done } = runPool(files, n, { mode: "summary", filter }, (_w, m) => {
    if (m.t === "summary") states.push(m.state);
    else if (m.t === "skipped") skipped.push(...m.items);
    else if (m.t === "progress") onFiles?.(m.files);
  });
  await done;
  return states;
}

/** Partial sessions results of `files` read by `n` workers (each worker parses and aggregates its files). */
export async function poolSessions(
  files: TrailFile[],
  filter: RecordFilter,
  n: number,
  skipped: Skipped[],
  onFiles?: (n: number) => void,
): Promise<SessionsState[]> {
  const states: SessionsState[] = [];
  const { done } = runPool(files, n, { mode: "sessions", filter }, (_w, m) => {
    if (m.t === "state") states.push(m.state);
    else if (m.t === "skipped") skipped.push(...m.items);
    else if (m.t === "progress") onFiles?.(m.files);
  });
  await done;
  return states;
}
