// The network evidence source: EC2 describe outputs, the program's environment and shared config, and (only
// with --live) one IMDSv2 token request, turned into a NetworkReport plus signals (docs/network.md).

import { readFile, stat } from "node:fs/promises";
import type { CauseId } from "../../core/cause-ids.js";
import type { CheckedSource, Unknown } from "../../core/diagnosis.js";
import type { Failure } from "../../core/failure.js";
import type { ImdsProbeResult, NetworkReport, ReachTarget } from "../../core/network.js";
import { scanIni } from "../../credentials/ini.js";
import { findHosts } from "../../errors/region.js";
import { evaluateRequest } from "../../iam/index.js";
import type { AuditEntry } from "../../live/types.js";
import {
  activeOverride,
  type ConfiguredEndpoint,
  checkEndpointOverride,
  checkImds,
  checkProxies,
  checkReachability,
  defaultTarget,
  type EndpointInPlay,
  type EndpointPolicyCheck,
  hostLabels,
  mergeNetworkEvidence,
  type NetworkDocument,
  type NetworkEvidence,
  privateDnsCovers,
  readNetworkDocument,
  type VpcEndpoint,
} from "../../network/index.js";
import type { FailingMachine } from "../inputs.js";
import { networkSignals } from "../signals/network.js";
import { readJsonFile } from "./files.js";
import { loadModule } from "./modules.js";
import type { RequestFacts, SourceOutcome } from "./types.js";

export interface NetworkSourceInput {
  files: string[];
  /** `--network` or `bundle`. */
  origin?: string;
  machine: FailingMachine;
  env: Record<string, string | undefined>;
  /** `env.txt` for a bundle, `environment` for this machine. */
  envOrigin: string;
  configFile?: string;
  profile?: string;
  sdk?: string;
  text?: string;
  failure: Failure | null | undefined;
  request: RequestFacts;
  live: boolean;
  /** The environment for the live IMDS endpoint settings (default: this process's). */
  imdsEnv?: Record<string, string | undefined>;
  /** Runs the live IMDSv2 token request; default: the live module's, loaded only with --live (tests inject one). */
  probeImds?: () => Promise<{ result: ImdsProbeResult; audit: AuditEntry }>;
}

/** The network outcome: the usual source outcome plus the report and an evidence-filled fix. */
export interface NetworkOutcome extends SourceOutcome {
  network?: NetworkReport;
  evidenceFix?: { cause: CauseId; summary: string; commands: string[] };
}

const CONFIG_LIMIT = 1 << 20;

/** `endpoint_url` of the selected profile and of its `services` section (shared config file). */
async function configuredEndpoints(file: string | undefined, profile: string): Promise<ConfiguredEndpoint[]> {
  if (!file) return [];
  try {
    const st = await stat(file);
    if (!st.isFile() || st.size > CONFIG_LIMIT) return [];
    const ini = scanIni((await readFile(file)).toString("utf8"));
    const header = profile === "default" ? ["default", "profile default"] : [`profile ${profile}`];
    const section = ini.sections.find((s) => header.includes(s.header.replace(/\s+/g, " ")));
    if (!section) return [];
    const out: ConfiguredEndpoint[] = [];
    const url = section.entries.find((e) => e.key === "endpoint_url");
    if (url)
      out.push({ url: url.value, origin: `aws/config [${section.header}] endpoint_url (line ${url.line})` });
    const services = section.entries.find((e) => e.key === "services")?.value;
    if (services) {
      for (const s of ini.sections) {
        if (s.header.replace(/\s+/g, " ") !== `services ${services}`) continue;
        for (const e of s.entries)
          if (e.key.endsWith(".endpoint_url"))
            out.push({
              url: e.value,
              service: e.key.slice(0, -".endpoint_url".length),
              origin: `aws/config [services ${services}] ${e.key} (line ${e.line})`,
            });
      }
    }
    return out;
  } catch {
    return [];
  }
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && /^(true|1)$/i.test(v.trim());
}

/** Whether the program runs in a container: the flag or case.json, else what its environment shows. */
function inContainer(machine: FailingMachine, env: Record<string, string | undefined>): boolean | undefined {
  if (machine.container !== undefined) return machine.container;
  if (env.KUBERNETES_SERVICE_HOST || env.ECS_CONTAINER_METADATA_URI_V4 || env.ECS_CONTAINER_METADATA_URI)
    return true;
  if (env.container && /^(docker|podman|oci)$/i.test(env.container)) return true;
  return undefined;
}

/** The host the client called: an endpoint override, a host in the error text, or service + region. */
function chooseTarget(input: NetworkSourceInput, region: string | undefined): ReachTarget | undefined {
  const hosts = findHosts(input.text ?? "").filter((h) => h.service && !h.host.startsWith("169.254"));
  const fromText = hosts[0];
  const service = fromText?.service ?? input.failure?.service;
  const override = activeOverride({
    env: input.env,
    envOrigin: input.envOrigin,
    ...(service ? { service } : {}),
  });
  if (override) {
    const host = /^[a-z]+:\/\/(\[[^\]]+\]|[^/:?#]+)/i.exec(override.url.trim())?.[1]?.toLowerCase();
    if (host) {
      const l = hostLabels(host);
      return {
        host,
        ...(service ? { service } : l.service ? { service: l.service } : {}),
        ...((l.region ?? region) ? { region: (l.region ?? region)! } : {}),
        origin: override.origin,
      };
    }
  }
  if (fromText) {
    return {
      host: fromText.host,
      ...(fromText.service ? { service: fromText.service } : {}),
      ...((fromText.region ?? region) ? { region: (fromText.region ?? region)! } : {}),
      origin: "error text",
    };
  }
  if (service && region) {
    return {
      ...defaultTarget(service, region, {
        fips: truthy(input.env.AWS_USE_FIPS_ENDPOINT),
        dualstack: truthy(input.env.AWS_USE_DUALSTACK_ENDPOINT),
      }),
      origin: "the service and region of the request",
    };
  }
  return undefined;
}

/** Evaluate a VPC endpoint policy with the IAM engine: only the endpoint policy limits the call here. */
function endpointPolicyEvaluator(request: RequestFacts): (ep: VpcEndpoint) => EndpointPolicyCheck {
  return (ep) => {
    if (!request.principal || !request.action)
      return {
        decision: "unknown",
        detail: "the principal and action are needed to evaluate the endpoint policy (--principal, --action)",
      };
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(ep.policyDocument ?? "");
    } catch {
      return { decision: "unknown", detail: `the policy of ${ep.id} is not valid JSON` };
    }
    try {
      const r = evaluateRequest({
        principal: request.principal,
        action: request.action,
        ...(request.resource ? { resource: request.resource } : {}),
        // INVARIANT: the identity side allows everything, so the decision is the endpoint policy's alone.
        identityPolicies: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        },
        vpcEndpointPolicy: doc,
      });
      const by = r.decidedBy
        .filter((s) => s.policyType === "vpce")
        .map((s) => `statement ${s.sid ?? s.index + 1} (${s.effect})`)
        .join(", ");
      const near = r.nearMisses.find((n) => n.policyType === "vpce");
      const detail =
        r.decision === "Allowed"
          ? `${ep.id} policy: ${by || "allows"} ${request.action}`
          : `${ep.id} policy: ${r.decision === "ExplicitDeny" ? `denied by ${by}` : "no statement allows"} ${request.action}${near ? `; closest: statement ${near.sid ?? near.index + 1} (${near.failed.map((f) => f.detail).join("; ")})` : ""}`;
      return { decision: r.decision === "Allowed" ? "allowed" : "denied", detail };
    } catch (err) {
      return {
        decision: "unknown",
        detail: `the policy of ${ep.id} could not be evaluated: ${(err as Error).message}`,
      };
    }
  };
}

/** The live module's IMDS probe, loaded like the other live probes (sources/live.ts): only with --live. */
function liveImdsProbe(env: Record<string, string | undefined>) {
  return async (): Promise<{ result: ImdsProbeResult; audit: AuditEntry }> => {
    const loaded = await loadModule<Pick<typeof import("../../live/index.js"), "probeImdsToken">>(
      () => import("../../live/index.js"),
    );
    if (!loaded.ok) throw new Error(`live probes ${loaded.reason}`);
    return loaded.mod.probeImdsToken({ env });
  };
}

/** Read, check and report the network evidence. Never throws: problems become unknowns. */
export async function networkSource(input: NetworkSourceInput): Promise<NetworkOutcome> {
  const checked: CheckedSource[] = [];
  const unknowns: Unknown[] = [];
  const docs: NetworkDocument[] = [];
  for (const path of input.files) {
    const r = await readJsonFile(path);
    const d = r.ok ? readNetworkDocument(r.value, path) : { error: r.reason };
    if ("error" in d) {
      checked.push({ source: `network: ${path}`, status: "failed", detail: d.error });
      unknowns.push({ what: `network file \`${path}\` not used`, why: d.error });
      continue;
    }
    docs.push(d);
  }
  const ev: NetworkEvidence = mergeNetworkEvidence(docs);
  const region =
    input.request.region ?? input.failure?.region ?? input.env.AWS_REGION ?? input.env.AWS_DEFAULT_REGION;
  const target = chooseTarget(input, region);
  const report: NetworkReport = { documents: ev.documents, findings: [] };

  // Reachability: only with network evidence and a host.
  if (docs.length > 0 && target) {
    report.reach = checkReachability(
      ev,
      target,
      {
        ...(input.machine.instance ? { instance: input.machine.instance } : {}),
        ...(input.machine.eni ? { eni: input.machine.eni } : {}),
      },
      { evaluateEndpointPolicy: endpointPolicyEvaluator(input.request) },
    );
    for (const h of report.reach.hops)
      if (h.status === "unknown")
        unknowns.push({
          what: `network hop: ${h.kind}`,
          why: h.text,
          ...(h.needs ? { needs: h.needs } : {}),
        });
  } else if (docs.length > 0) {
    unknowns.push({
      what: "network reachability",
      why: "the error names no endpoint and the service or region is unknown",
      needs: "--region and an error text naming the endpoint (or --action)",
    });
  }
  if (docs.length > 0)
    checked.push({
      source: "network",
      status: "used",
      detail: `${docs.length} EC2 describe output${docs.length === 1 ? "" : "s"} (${[...new Set(ev.documents.map((d) => d.kind))].join(", ")})`,
    });
  else if (input.files.length === 0)
    checked.push({
      source: "network",
      status: "not-given",
      detail: "no network/*.json or --network (EC2 describe outputs of the failing machine)",
    });

  // IMDS: the failing instance's MetadataOptions and the program's environment.
  const instance = input.machine.instance
    ? ev.instances.find((i) => i.id === input.machine.instance)
    : ev.instances.length === 1
      ? ev.instances[0]
      : undefined;
  const container = inContainer(input.machine, input.env);
  report.findings.push(
    ...checkImds({
      ...(instance ? { instance } : {}),
      env: input.env,
      ...(container !== undefined ? { container } : {}),
      ...(input.sdk ? { sdk: input.sdk } : {}),
      envOrigin: input.envOrigin,
    }),
  );

  // Proxies against the endpoints in play, and endpoint overrides.
  const inPlay: EndpointInPlay[] = [];
  if (target) {
    const viaEndpoint = report.reach?.path === "interface-endpoint" ? report.reach.endpointId : undefined;
    inPlay.push({
      host: target.host,
      ...(viaEndpoint ? { endpointId: viaEndpoint } : {}),
      why: viaEndpoint ? `private DNS of ${viaEndpoint}` : `the endpoint from ${target.origin}`,
    });
    for (const ep of ev.endpoints) {
      if (ep.type !== "Interface" || ep.id === viaEndpoint) continue;
      if (ep.privateDnsEnabled && privateDnsCovers(ep, target.host))
        inPlay.push({ host: target.host, endpointId: ep.id, why: `private DNS of ${ep.id}` });
    }
  }
  const signature =
    /SignatureDoesNotMatch|InvalidSignatureException|signature we calculated does not match/i.test(
      `${input.failure?.code ?? ""} ${input.text ?? ""}`,
    );
  report.findings.push(
    ...checkProxies({
      env: input.env,
      envOrigin: input.envOrigin,
      endpoints: inPlay,
      signatureFailure: signature,
    }),
  );
  const configured = await configuredEndpoints(
    input.configFile,
    input.profile ?? input.env.AWS_PROFILE ?? "default",
  );
  const service = target?.service ?? input.failure?.service;
  report.findings.push(
    ...checkEndpointOverride({
      env: input.env,
      envOrigin: input.envOrigin,
      configured,
      ...(service ? { service } : {}),
      ...(region ? { region } : {}),
    }),
  );

  // Live: one IMDSv2 token request from this machine.
  let audit: AuditEntry[] | undefined;
  const imdsRelevant =
    instance !== undefined ||
    container === true ||
    /credential|metadata|imds|169\.254\.169\.254/i.test(input.text ?? "");
  if (input.live && imdsRelevant) {
    try {
      const probe = await (input.probeImds ?? liveImdsProbe(input.imdsEnv ?? process.env))();
      report.imds = probe.result;
      audit = [probe.audit];
      checked.push({ source: "live: imds", status: "used", detail: probe.result.detail });
    } catch (err) {
      checked.push({
        source: "live: imds",
        status: "failed",
        detail: (err as Error).message.split("\n")[0]!,
      });
    }
  }

  const { signals, evidenceFix } = networkSignals(report, { text: input.text ?? "", failure: input.failure });
  const hasNetwork = docs.length > 0 || report.findings.length > 0 || report.imds !== undefined;
  return {
    checked,
    signals,
    unknowns,
    ...(hasNetwork ? { network: report } : {}),
    ...(evidenceFix ? { evidenceFix } : {}),
    ...(audit ? { audit } : {}),
  };
}
