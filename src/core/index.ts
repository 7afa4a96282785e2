// Shared types and helpers of authdoctor's core.

export * from "./arn.js";
export * from "./cause-ids.js";
export * from "./diagnosis.js";
export * from "./failure.js";
export * from "./input-error.js";
export * from "./output.js";
export * from "./policy-kind.js";
export * from "./redact.js";
export * from "./regions.js";
export * from "./request.js";
export * from "./terminal.js";
