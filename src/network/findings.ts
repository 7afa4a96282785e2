// The shape every network finding shares (IMDS, proxies, endpoint overrides).

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
