// Public API of the credential model: inspect the local setup as JS v3, boto3 and the AWS CLI would resolve it.

export { CLI_CHAIN, JS_CHAIN, PYTHON_CHAIN } from "./chains.js";
export { inspectCredentials } from "./inspect.js";
export { accountFromKeyId, checkKeyId, checkSecret } from "./keys.js";
export * from "./types.js";
