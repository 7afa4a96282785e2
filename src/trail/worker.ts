// Worker-thread entry: reads the files the pool hands out and sends back record batches or a summary state.

import { parentPort, workerData } from "node:worker_threads";
import type { TrailFile } from "./files.js";
import type { FromWorker, ToWorker, WorkerInit } from "./pool.js";
import { fileRecords } from "./read.js";
import { SummaryAccumulator } from "./summary.js";
import type { Skipped } from "./types.js";

const port = parentPort!;
const init = workerData as WorkerInit;
/** Batches sent but not yet acknowledged: at most this many in flight per worker. */
const MAX_IN_FLIGHT = 4;
let inFlight = 0;
let acked: (() => void) | null = null;
let nextFile: ((f: TrailFile | null) => void) | null = null;

port.on("message", (m: ToWorker) => {
  if (m.t === "ack") {
    inFlight--;
    acked?.();
  } else if (m.t === "file") nextFile?.(m.file);
  else if (m.t === "end") nextFile?.(null);
});

function send(m: FromWorker): void {
  port.postMessage(m);
}

function requestFile(): Promise<TrailFile | null> {
  return new Promise((resolve) => {
    nextFile = resolve;
    send({ t: "next" });
  });
}

async function main(): Promise<void> {
  const acc = init.mode === "summary" ? new SummaryAccumulator() : null;
  let files = 0;
  for (let file = await requestFile(); file !== null; file = await requestFile()) {
    files++;
    const skipped: Skipped[] = [];
    let bytes = 0;
    const ctx = acc
      ? {
          filter: init.filter,
          skipped,
          fast: (f: Parameters<SummaryAccumulator["addFields"]>[0]) => acc.addFields(f),
        }
      : { filter: init.filter, skipped };
    const it = fileRecords(file, { ...ctx, onBytes: (n) => (bytes += n) });
    for (let r = await it.next(); !r.done; r = await it.next()) {
      while (inFlight >= MAX_IN_FLIGHT) {
        await new Promise<void>((res) => {
          acked = res;
        });
        acked = null;
      }
      inFlight++;
      send({ t: "batch", records: r.value });
    }
    if (skipped.length > 0) send({ t: "skipped", items: skipped });
    send({ t: "bytes", n: bytes });
  }
  if (acc) send({ t: "summary", state: acc.state(), files });
  port.close();
}

main().catch((err: unknown) => {
  send({ t: "error", message: (err as Error)?.message ?? String(err) });
  port.close();
});
