// Signals in one place: each evidence source's plain data turned into cause signals (docs/pipeline.md).
// Domain folders (credentials, iam, trail, live) return plain data; only these modules name causes for them.

export { authorizationSignals } from "./authorization.js";
export { credentialSignals } from "./credentials.js";
export { decodedSignals } from "./decoded.js";
export { evaluationSignals } from "./iam.js";
export { liveSignals } from "./live.js";
export type { TrailSignalsInput } from "./trail.js";
export { trailSignals } from "./trail.js";
