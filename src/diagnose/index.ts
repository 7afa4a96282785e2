// Public API of `diagnose`: case bundles, inputs (flags over a bundle), the orchestrator and its verdict.

export type { Bundle, BundleProblem, CaseFile } from "./bundle.js";
export { loadBundle, parseCaseFile, parseEnvListing } from "./bundle.js";
export { diagnoseFailure, explainText } from "./explain.js";
export type { CredentialScope, DiagnoseFlags, DiagnoseInput, Sdk } from "./inputs.js";
export { bundleCredentialScope, checkExplicitInputs, resolveInputs } from "./inputs.js";
export type { EvidenceSource, ParsedInput, PipelineInput, SourceContext } from "./pipeline.js";
export { gatherSources, parseInput, rankOnce } from "./pipeline.js";
export { fillPlaceholders, placeholderValues } from "./placeholders.js";
export type { DiagnoseOptions, DiagnoseRequestInput } from "./run.js";
export { completeInput, diagnose } from "./run.js";
export type { CorrelateInput } from "./signals/correlate.js";
export { changeBeforeDenial, correlate, failingSession } from "./signals/correlate.js";
export { buildVerdict } from "./verdict.js";
