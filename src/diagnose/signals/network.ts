// Signals from the network report: a blocked hop, an IMDS/proxy/endpoint finding, the live IMDS probe.

import type { CauseId } from "../../core/cause-ids.js";
import type { Signal } from "../../core/diagnosis.js";
import type { Failure } from "../../core/failure.js";
import type { NetworkFinding, NetworkReport } from "../../core/network.js";

/** The request got no HTTP answer: connection, DNS or endpoint resolution failed. */
const CONNECTION =
  /could not connect to the endpoint url|connect timeout on endpoint url|read timeout on endpoint url|\bETIMEDOUT\b|\bECONNREFUSED\b|\bECONNRESET\b|\bENOTFOUND\b|\bEAI_AGAIN\b|getaddrinfo|socket hang up|UnknownEndpoint|timed out|i\/o timeout|no such host|dial tcp/i;

/** The credential chain found nothing, or the metadata service failed. */
const NO_CREDENTIALS =
  /unable to locate credentials|could not load credentials from any providers|NoCredentialsError|CredentialsProviderError|EC2MetadataError|EC2RoleRequestError|no EC2 IMDS role found|failed to refresh cached credentials|InstanceMetadata|169\.254\.169\.254/i;

const FINDING_CAUSE: Partial<Record<NetworkFinding["code"], CauseId>> = {
  "imds-endpoint-disabled": "NETWORK_PATH",
  "imds-hop-limit": "NETWORK_PATH",
  "imds-hop-limit-fallback": "NETWORK_PATH",
  "imds-disabled-by-env": "NETWORK_PATH",
  "imds-proxied": "NETWORK_PATH",
  "proxy-bypasses-endpoint": "NETWORK_PATH",
  "proxy-in-path": "SIGNING_ERROR",
  "proxy-intercepts-tls": "SIGNING_ERROR",
  "endpoint-wrong-region": "REGION_MISMATCH",
  "endpoint-wrong-service": "SIGNING_ERROR",
  "endpoint-local": "NETWORK_PATH",
};

function isImds(code: NetworkFinding["code"]): boolean {
  return code.startsWith("imds-");
}

/** Signals for the ranker and, when one item settles the call, its fix filled from the evidence. */
export function networkSignals(
  report: NetworkReport,
  ctx: { text: string; failure: Failure | null | undefined },
): { signals: Signal[]; evidenceFix?: { cause: CauseId; summary: string; commands: string[] } } {
  const signals: Signal[] = [];
  let evidenceFix: { cause: CauseId; summary: string; commands: string[] } | undefined;
  const text = `${ctx.failure?.code ?? ""} ${ctx.failure?.message ?? ""} ${ctx.text}`;
  const connection = CONNECTION.test(text);
  const noCredentials = NO_CREDENTIALS.test(text);
  const reach = report.reach;

  if (reach?.blocked) {
    const b = reach.blocked;
    const cause: CauseId = b.kind === "endpoint-policy" ? "VPC_ENDPOINT_POLICY" : "NETWORK_PATH";
    const confirms = cause === "VPC_ENDPOINT_POLICY" ? !connection : connection || !ctx.failure;
    signals.push({
      cause,
      effect: confirms ? "confirms" : "supports",
      text: `${b.kind} blocks the path to ${reach.target.host}: ${b.text}`,
      source: `network: ${b.evidence ?? b.subject ?? b.kind}`,
    });
    if (reach.fix && confirms) evidenceFix = { cause, ...reach.fix };
  } else if (reach?.verdict === "reachable" && !noCredentials) {
    signals.push({
      cause: "NETWORK_PATH",
      effect: "weakens",
      text: `the VPC path from ${reach.source?.interfaceId ?? "the interface"} to ${reach.target.host} is open (${reach.path})`,
      source: "network: reachability",
    });
  }

  for (const f of report.findings) {
    const cause = FINDING_CAUSE[f.code];
    if (!cause || f.severity === "info") continue;
    // IMDS findings speak to credential failures; the rest to the failures their cause covers.
    if (isImds(f.code) && !noCredentials && !connection) continue;
    const settles =
      f.severity === "blocks" &&
      ((isImds(f.code) && noCredentials) ||
        (f.code === "endpoint-wrong-region" && /signature|credential should be scoped|region/i.test(text)) ||
        (f.code === "proxy-bypasses-endpoint" && /vpce|SourceVpc|AccessDenied|connect|timeout/i.test(text)));
    signals.push({
      cause,
      effect: settles ? "confirms" : "supports",
      text: f.text,
      source: `network: ${f.evidence}`,
    });
    if (settles && f.fix && !evidenceFix) evidenceFix = { cause, ...f.fix };
  }

  const probe = report.imds;
  if (probe && (noCredentials || connection)) {
    if (probe.outcome === "token")
      signals.push({
        cause: "NETWORK_PATH",
        effect: "weakens",
        text: `the IMDSv2 token request was answered from this machine (${probe.endpoint})`,
        source: "live: imds",
      });
    else if (probe.outcome === "timeout")
      signals.push({
        cause: "NETWORK_PATH",
        effect: "supports",
        text: `no answer to the IMDSv2 token request within the timeout (${probe.endpoint}): hop limit, disabled metadata or not on EC2`,
        source: "live: imds",
      });
  }
  return { signals, ...(evidenceFix ? { evidenceFix } : {}) };
}
