// Public API of the CloudTrail module: readers, analyses (pure functions and accumulators), signals.

export type { ActionMapping } from "./actions.js";
export { actionsFor, loadActionTable } from "./actions.js";
export type { ChangesOptions, ChangeWithEffects, NewFailure, TrailChanges } from "./changes.js";
export { ChangesAccumulator, changes, TRAIL_CHANGES_SCHEMA } from "./changes.js";
export type { Change, ChangeCategory, Issuance, IssuanceKind } from "./classify.js";
export {
  changeOf,
  errorCodeOf,
  essentialRecord,
  isAccessDenied,
  isFailure,
  issuanceOf,
  principalOf,
  roleNameOf,
  serviceOf,
  timeOf,
} from "./classify.js";
export type { ExplainedDenial, RequestContextFromTrail, TrailExplain } from "./explain.js";
export {
  conditionKeysOf,
  contextOf,
  ExplainAccumulator,
  explainDenials,
  readDenyMessage,
  resourceOf,
  TRAIL_EXPLAIN_SCHEMA,
} from "./explain.js";
export type { TrailFile } from "./files.js";
export { expandInputs, keepFileName, keepFolder, parseEventTime, parseTimeBound } from "./files.js";
export { isRecord, toRecord } from "./normalize.js";
export type { FileStats, TrailReader } from "./read.js";
export { fileRecords, readTrail } from "./read.js";
export { RecordScanner, ScanError } from "./scanner.js";
export type {
  FailedCall,
  FailedIssuance,
  SessionsState,
  TrailSession,
  TrailSessions,
  Usage,
} from "./sessions.js";
export { SessionsAccumulator, sessions, TRAIL_SESSIONS_SCHEMA } from "./sessions.js";
export { sessionsTrail } from "./sessions-files.js";
export { summarizeTrail } from "./summarize-files.js";
export type { SummaryState, TrailSummary } from "./summary.js";
export { SummaryAccumulator, summarize, TRAIL_SUMMARY_SCHEMA } from "./summary.js";
export type { TimelineEntry, TimelineOptions, TrailTimeline } from "./timeline.js";
export { parseWindow, TimelineAccumulator, TRAIL_TIMELINE_SCHEMA, timeline } from "./timeline.js";
export type { CloudTrailRecord, CloudTrailUserIdentity, FastFields, ReadOptions, Skipped } from "./types.js";
