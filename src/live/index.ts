// Live, read-only probes (`--live`): load lazily, only when the user asked for live mode.

export {
  isReadOnlyOperation,
  LiveRefusedError,
  READ_ONLY_OPERATIONS,
  type ReadOnlyOperation,
} from "./allowlist.js";
export { createReadOnlyClient, type LiveService } from "./clients.js";
export { runLiveProbes } from "./run.js";
export * from "./types.js";
