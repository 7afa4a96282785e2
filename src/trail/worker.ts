// Worker-thread entry: reads the files the pool hands out and sends back record batches or a summary state.

import { parentPort, workerData } from "node:worker_threads";
import type { TrailFile } from "./files.js";
import type { FromWorker, ToWorker, WorkerInit } from "./pool.js";
import { fileRecords } from "./read.js";
import { SessionsAccumulator } from "./sessions.js";
import { SummaryAccumulator } from "./summary.js";
import type { CloudTrailRecord, FastFields, Skipped } from "./types.js";

const port = parentPort!;
const init = workerData as WorkerInit;
/** Batches sent but not yet acknowledged: at most this many in flight per worker. */
const MAX_IN_FLIGHT = 4;
let inFlight = 0;
let acked: (() => void) | null = null;
let nextFiles: ((f: TrailFile[] | null) => void) | null = null;

port.on("message", (m: ToWorker) => {
  if (m.t === "ack") {
    inFlight--;
    acked?.();
  } else if (m.t === "files") nextFiles?.(m.files);
  else if (m.t === "end") nextFiles?.(null);
});

function send(m: FromWorker): void {
  port.postMessage(m);
}

/**
 * Send a batch of records to the main thread. The structured clone of postMessage recurses, and a record nested some
 * thousands of levels deep (a hostile requestParameters) overflows its stack: then each record is tried alone, and
 * one that cannot pass is skipped with a reason (the batch is re-sent without it).
 */
function sendBatch(records: CloudTrailRecord[], file: string, skipped: Skipped[]): void {
  try {
    send({ t: "batch", records });
  } catch {
    const ok = records.filter((rec, i) => {
      try {
        structuredClone(rec);
        return true;
      } catch {
        skipped.push({
          file,
          reason: `record ${i + 1} of a read batch is nested too deeply to read; skipped`,
        });
        return false;
      }
    });
    send({ t: "batch", records: ok });
  }
}

/** Ask for more files, reporting how many were finished since the last request. */
function requestFiles(done: number): Promise<TrailFile[] | null> {
  return new Promise((resolve) => {
    nextFiles = resolve;
    send({ t: "next", done });
  });
}

async function main(): Promise<void> {
  const acc = init.mode === "summary" ? new SummaryAccumulator() : null;
  const sessions = init.mode === "sessions" ? new SessionsAccumulator() : null;
  let files = 0;
  let done = 0;
  for (let batch = await requestFiles(0); batch !== null; batch = await requestFiles(done)) {
    done = batch.length;
    const skipped: Skipped[] = [];
    for (const file of batch) {
      files++;
      const ctx = acc
        ? {
            filter: init.filter,
            skipped,
            fast: (f: FastFields) => acc.addFields(f),
          }
        : sessions
          ? { filter: init.filter, skipped, lifted: (f: FastFields) => sessions.addLifted(f) }
          : { filter: init.filter, skipped };
      const it = fileRecords(file, ctx);
      for (let r = await it.next(); !r.done; r = await it.next()) {
        if (sessions) {
          for (const rec of r.value) sessions.add(rec);
          continue;
        }
        while (inFlight >= MAX_IN_FLIGHT) {
          await new Promise<void>((res) => {
            acked = res;
          });
          acked = null;
        }
        inFlight++;
        sendBatch(r.value, file.path, skipped);
      }
    }
    if (skipped.length > 0) send({ t: "skipped", items: skipped });
  }
  if (acc) send({ t: "summary", state: acc.state(), files });
  if (sessions) send({ t: "state", state: sessions.state() });
  port.close();
}

main().catch((err: unknown) => {
  send({ t: "error", message: (err as Error)?.message ?? String(err) });
  port.close();
});
