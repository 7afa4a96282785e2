// The network part of a diagnosis as plain data: the hop-by-hop reachability check and the IMDS, proxy and
// endpoint findings (computed in src/network, shown by src/report; docs/network.md).

/** What the client called. */
export interface ReachTarget {
  host: string;
  /** Endpoint service prefix (`sts`, `s3`, `ecr.api`), when known. */
  service?: string;
  region?: string;
  /** Where the host came from, for the report (`error text`, `AWS_ENDPOINT_URL_STS`, `region + service`). */
  origin: string;
}

export type HopKind =
  | "source"
  | "dns"
  | "security-group-egress"
  | "nacl-outbound"
  | "route"
  | "endpoint-security-group"
  | "endpoint-nacl"
  | "nacl-inbound-return"
  | "endpoint-policy";

export type HopStatus = "pass" | "block" | "unknown";

export interface Hop {
  kind: HopKind;
  status: HopStatus;
  /** The resource the hop is about (`sg-…`, `acl-…`, `rtb-…`, `vpce-…`). */
  subject?: string;
  text: string;
  /** The rule, route or ACL entry that decided, in words. */
  evidence?: string;
  /** What would decide an unknown hop. */
  needs?: string;
}

export interface ReachFix {
  summary: string;
  commands: string[];
}

export type ReachPath =
  | "interface-endpoint"
  | "gateway-endpoint"
  | "internet-gateway"
  | "nat-gateway"
  | "transit-gateway"
  | "peering"
  | "virtual-private-gateway"
  | "other"
  | "none";

export interface ReachResult {
  verdict: "reachable" | "blocked" | "undecided";
  target: ReachTarget;
  source?: {
    interfaceId: string;
    instanceId?: string;
    subnetId?: string;
    vpcId?: string;
    groupIds: string[];
    privateIp?: string;
    chosen: string;
  };
  path: ReachPath;
  endpointId?: string;
  hops: Hop[];
  /** The first hop that blocks. */
  blocked?: Hop;
  fix?: ReachFix;
  /** What this check does not look at. */
  notModelled: string[];
}

export type NetworkFindingCode =
  | "imds-endpoint-disabled"
  | "imds-hop-limit"
  | "imds-hop-limit-fallback"
  | "imds-disabled-by-env"
  | "imds-v1-disabled"
  | "imds-proxied"
  | "imds-endpoint-override"
  | "imds-token-timeout"
  | "imds-token-ok"
  | "imds-token-refused"
  | "container-credentials"
  | "proxy-bypasses-endpoint"
  | "proxy-in-path"
  | "proxy-intercepts-tls"
  | "endpoint-wrong-region"
  | "endpoint-wrong-service"
  | "endpoint-local"
  | "endpoint-override";

export interface NetworkFinding {
  code: NetworkFindingCode;
  /** `blocks`: this alone stops the call; `risk`: it can, depending on what the text says; `info`: context. */
  severity: "blocks" | "risk" | "info";
  text: string;
  /** Where the fact came from (`describe-instances i-… MetadataOptions`, `env.txt HTTPS_PROXY`…). */
  evidence: string;
  fix?: { summary: string; commands: string[] };
}

/** What `diagnose` reports about the network (`network` in authdoctor.diagnosis/v1). */
export interface NetworkReport {
  /** The EC2 describe documents read: origin, kind, items. */
  documents: { origin: string; kind: string; items: number }[];
  /** The reachability check, when there was network evidence and a target. */
  reach?: ReachResult;
  /** IMDS, proxy and endpoint-override findings, strongest first. */
  findings: NetworkFinding[];
  /** The live IMDSv2 token probe, when `--live` ran it. */
  imds?: ImdsProbeResult;
}

/** The outcome of one IMDSv2 token request (the token itself is never kept). */
export interface ImdsProbeResult {
  endpoint: string;
  outcome: "token" | "timeout" | "refused" | "http-error" | "error";
  /** HTTP status when there was an answer. */
  status?: number;
  detail: string;
}
