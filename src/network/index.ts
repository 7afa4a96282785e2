// Public API of the network model: EC2 describe outputs in, reachability and IMDS/proxy/endpoint findings out.

export type {
  Hop,
  HopKind,
  HopStatus,
  ImdsProbeResult,
  NetworkReport,
  ReachFix,
  ReachPath,
  ReachResult,
  ReachTarget,
} from "../core/network.js";
export { covers, overlaps, parseBlock } from "./cidr.js";
export { endpointService, isEndpointDnsName, privateDnsCovers, regionalHost } from "./endpoint.js";
export type { NetworkFinding, NetworkFindingCode } from "./findings.js";
export { checkImds, IMDS_HOST, type ImdsInput } from "./imds.js";
export { mergeNetworkEvidence, type NetworkDocument, readNetworkDocument } from "./load.js";
export { evaluateAcl, ruleAllows } from "./nacl.js";
export {
  activeOverride,
  type ConfiguredEndpoint,
  checkEndpointOverride,
  checkProxies,
  type EndpointInPlay,
  hostLabels,
  maskProxy,
  proxyFor,
} from "./proxy.js";
export {
  checkReachability,
  defaultTarget,
  type EndpointPolicyCheck,
  type ReachOptions,
  type ReachSource,
} from "./reach.js";
export * from "./types.js";
