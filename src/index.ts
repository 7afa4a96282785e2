// Public library API of authdoctor: the same functions the commands use, returning plain data.

export { type CalibrationTable, calibration, useCalibration } from "./causes/calibration.js";
export type { CauseDef, CauseScore } from "./causes/index.js";
export { ALL_CAUSES, CAUSES, causeOf } from "./causes/index.js";
export * from "./core/index.js";
export type { CredentialsReport } from "./credentials/index.js";
export { inspectCredentials } from "./credentials/index.js";
export type { Bundle, DiagnoseFlags, DiagnoseInput, DiagnoseOptions } from "./diagnose/index.js";
export { diagnose, diagnoseFailure, explainText, loadBundle, resolveInputs } from "./diagnose/index.js";
export { FACT_NAMES, FACT_VOCABULARY, factKey, parseFactFlag, readNotes } from "./diagnose/notes.js";
export {
  credentialSignals,
  evaluationSignals,
  liveSignals,
  trailSignals,
} from "./diagnose/signals/index.js";
export { broadFamily, FAMILIES, type FamilyId, messageFamily } from "./errors/family.js";
export { parseFailure, parseFailures } from "./errors/index.js";
export type { AuthzSnapshot, EvaluationEnv, EvaluationResult } from "./iam/index.js";
export {
  compilePolicySet,
  evaluate,
  evaluateRequest,
  lintPolicy,
  lintText,
  loadAuthzSnapshot,
  parsePolicy,
  prepare,
} from "./iam/index.js";
export type { LiveReport } from "./live/index.js";
export { runLiveProbes } from "./live/index.js";
export type { NetworkEvidence, NetworkReport, ReachResult } from "./network/index.js";
export {
  checkEndpointOverride,
  checkImds,
  checkProxies,
  checkReachability,
  mergeNetworkEvidence,
  readNetworkDocument,
} from "./network/index.js";
export { renderHtml } from "./report/html.js";
export { renderJson } from "./report/json.js";
export { renderMarkdown } from "./report/markdown.js";
export type { Style } from "./report/style.js";
export { makeStyle } from "./report/style.js";
export { renderText } from "./report/text.js";
export type { CloudTrailRecord, TrailSummary } from "./trail/index.js";
export { changes, readTrail, sessions, summarize, timeline } from "./trail/index.js";
