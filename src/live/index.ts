// Live, read-only probes (`--live`): load lazily, only when the user asked for live mode.

export {
  isAllowedHttpRequest,
  isReadOnlyOperation,
  LiveRefusedError,
  READ_ONLY_HTTP_REQUESTS,
  READ_ONLY_OPERATIONS,
  type ReadOnlyOperation,
} from "./allowlist.js";
export { createReadOnlyClient, type LiveService } from "./clients.js";
export { imdsEndpoint, probeImdsToken } from "./imds.js";
export {
  collectNetworkEvidence,
  type NetworkDocumentOut,
  type NetworkEvidenceResult,
} from "./network-evidence.js";
export { runLiveProbes } from "./run.js";
export * from "./types.js";
