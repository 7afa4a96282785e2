// Public library API of authdoctor.
export * from "./core/index.js";
export { describeKeyId, maskKeyId, redactText } from "./credentials/mask.js";
