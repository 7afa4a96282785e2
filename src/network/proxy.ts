// Proxies and endpoint overrides of the failing program, against the endpoints in play.
// Proxy variables: HTTPS_PROXY for https URLs, HTTP_PROXY for http, NO_PROXY a comma list of hosts, domain
// suffixes, IPs or `*` (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-proxy.html).
// Endpoint overrides: AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE_ID>, `endpoint_url` in a profile, turned off
// by AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).

import { covers, familyOf } from "./cidr.js";
import { sh } from "./endpoint.js";
import type { NetworkFinding } from "./findings.js";

type Env = Record<string, string | undefined>;

function envVar(env: Env, name: string): { variable: string; value: string } | undefined {
  for (const v of [name, name.toLowerCase()]) {
    const value = env[v]?.trim();
    if (value) return { variable: v, value };
  }
  return undefined;
}

/** The proxy a URL goes through, or why it does not. */
export interface ProxyChoice {
  proxy?: string;
  variable?: string;
  /** The NO_PROXY entry that bypasses the proxy. */
  bypassedBy?: string;
  noProxyRaw?: string;
}

/** Show a proxy URL without its password. */
export function maskProxy(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:****@");
}

/** Which proxy the environment sends `url` to (NO_PROXY honoured: hosts, `.suffix`, IPs, CIDRs, `*`). */
export function proxyFor(url: string, env: Env): ProxyChoice {
  const m = /^(https?):\/\/(\[[^\]]+\]|[^/:]+)/i.exec(url);
  if (!m) return {};
  const scheme = m[1]!.toLowerCase();
  const host = m[2]!.replace(/^\[|\]$/g, "").toLowerCase();
  const chosen = envVar(env, scheme === "https" ? "HTTPS_PROXY" : "HTTP_PROXY");
  const np = envVar(env, "NO_PROXY");
  if (!chosen) return np ? { noProxyRaw: np.value } : {};
  for (const raw of (np?.value ?? "").split(",")) {
    const entry = raw.trim().toLowerCase().replace(/:\d+$/, "");
    if (!entry) continue;
    if (entry === "*") return { bypassedBy: entry, noProxyRaw: np!.value };
    if (familyOf(host) && familyOf(entry) && covers(entry, host))
      return { bypassedBy: entry, noProxyRaw: np!.value };
    const suffix = entry.replace(/^\*?\./, "");
    if (host === suffix || host.endsWith(`.${suffix}`))
      return { bypassedBy: raw.trim(), noProxyRaw: np!.value };
  }
  return {
    proxy: maskProxy(chosen.value),
    variable: chosen.variable,
    ...(np ? { noProxyRaw: np.value } : {}),
  };
}

/** One endpoint the call may use, with why it matters. */
export interface EndpointInPlay {
  host: string;
  /** `vpce-…` when this host reaches a VPC endpoint. */
  endpointId?: string;
  why: string;
}

export interface ProxyInput {
  env: Env;
  envOrigin: string;
  endpoints: EndpointInPlay[];
  /** The error is a signature mismatch. */
  signatureFailure?: boolean;
}

const CA_VARS = [
  "AWS_CA_BUNDLE",
  "REQUESTS_CA_BUNDLE",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "CURL_CA_BUNDLE",
];

/** Proxy findings for the endpoints in play. */
export function checkProxies(input: ProxyInput): NetworkFinding[] {
  const out: NetworkFinding[] = [];
  const ca = CA_VARS.find((v) => input.env[v]);
  for (const ep of input.endpoints) {
    const p = proxyFor(`https://${ep.host}/`, input.env);
    if (!p.proxy) continue;
    const evidence = `${input.envOrigin} ${p.variable}=${p.proxy}; NO_PROXY=${p.noProxyRaw ?? "(not set)"}`;
    const noProxy = [p.noProxyRaw, ep.endpointId ? ep.host : ep.host].filter(Boolean).join(",");
    if (ep.endpointId) {
      out.push({
        code: "proxy-bypasses-endpoint",
        severity: "blocks",
        text: `${ep.host} (${ep.why}) is not in NO_PROXY: the call goes to the proxy, which resolves the name from its own network and sends it out past ${ep.endpointId}; the endpoint (and conditions on aws:SourceVpce or aws:SourceVpc) never sees it`,
        evidence,
        fix: { summary: `add ${ep.host} to NO_PROXY`, commands: [`export NO_PROXY=${sh(noProxy)}`] },
      });
    } else if (input.signatureFailure) {
      out.push({
        code: ca ? "proxy-intercepts-tls" : "proxy-in-path",
        severity: "risk",
        text: ca
          ? `${ep.host} goes through ${p.proxy} and ${ca} trusts an extra CA: a TLS-intercepting proxy can rewrite signed headers or the body, which breaks the signature`
          : `${ep.host} goes through ${p.proxy}: a proxy that intercepts TLS and rewrites headers breaks the signature (a plain CONNECT tunnel cannot)`,
        evidence: `${evidence}${ca ? `; ${ca} set` : ""}`,
        fix: {
          summary: `bypass the proxy for ${ep.host} and retry`,
          commands: [`NO_PROXY=${sh(noProxy)} <the failing command>`],
        },
      });
    } else {
      out.push({
        code: "proxy-in-path",
        severity: "info",
        text: `${ep.host} goes through the proxy ${p.proxy}`,
        evidence,
      });
    }
  }
  return out;
}

// ---- endpoint overrides ------------------------------------------------------------------------------------

const REGION_LABEL = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** Region and service labels of an AWS host (`sts.eu-west-1.amazonaws.com`, `vpce-…-….sts.eu-west-1.vpce.amazonaws.com`). */
export function hostLabels(host: string): { region?: string; service?: string; aws: boolean } {
  const h = host.toLowerCase();
  const aws = /\.(?:amazonaws\.com(?:\.cn)?|api\.aws)$/.test(h);
  const labels = h.split(".");
  const at = labels.findIndex((l) => REGION_LABEL.test(l));
  if (at < 0) return { aws };
  const before = labels
    .slice(0, at)
    .filter((l) => !["fips", "dualstack", "vpce"].includes(l) && !l.startsWith("vpce-"));
  const svc = before[before.length - 1]?.replace(/-fips$/, "");
  return { region: labels[at]!, ...(svc ? { service: svc } : {}), aws };
}

/** An `endpoint_url` setting from the shared config (profile or its `services` section). */
export interface ConfiguredEndpoint {
  url: string;
  /** The service it is for; none for a profile-wide `endpoint_url`. */
  service?: string;
  origin: string;
}

export interface OverrideInput {
  env: Env;
  envOrigin: string;
  configured?: ConfiguredEndpoint[];
  /** The service being called (endpoint prefix: `sts`, `s3`…) and the region the request is meant for. */
  service?: string;
  region?: string;
}

function squash(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** The endpoint override that applies to the service, by precedence, or undefined. */
export function activeOverride(input: OverrideInput): ConfiguredEndpoint | undefined {
  if (/^true$/i.test(input.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "")) return undefined;
  const svc = input.service ? squash(input.service) : undefined;
  if (svc)
    for (const [k, v] of Object.entries(input.env))
      if (v && k.startsWith("AWS_ENDPOINT_URL_") && squash(k.slice(17)) === svc)
        return { url: v, service: input.service!, origin: `${input.envOrigin} ${k}` };
  if (input.env.AWS_ENDPOINT_URL)
    return { url: input.env.AWS_ENDPOINT_URL, origin: `${input.envOrigin} AWS_ENDPOINT_URL` };
  const cfg = input.configured ?? [];
  return (
    (svc ? cfg.find((c) => c.service && squash(c.service) === svc) : undefined) ?? cfg.find((c) => !c.service)
  );
}

/** Does an override send the call to the wrong place? */
export function checkEndpointOverride(input: OverrideInput): NetworkFinding[] {
  const o = activeOverride(input);
  if (!o) return [];
  const host = /^[a-z]+:\/\/(\[[^\]]+\]|[^/:?#]+)/i.exec(o.url.trim())?.[1]?.toLowerCase();
  const evidence = `${o.origin} = ${maskProxy(o.url)}`;
  const unset = o.origin.includes(" AWS_ENDPOINT_URL")
    ? `unset ${o.origin.split(" ").pop()}`
    : "remove endpoint_url from the profile, or export AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true";
  if (!host)
    return [
      { code: "endpoint-override", severity: "risk", text: `the endpoint override is not a URL`, evidence },
    ];
  if (/^(localhost|127\.|0\.0\.0\.0|\[?::1\]?|host\.docker\.internal)/.test(host) || /:4566\b/.test(o.url)) {
    return [
      {
        code: "endpoint-local",
        severity: "risk",
        text: `calls go to a local endpoint (${host}), not to AWS: an emulator does not know real keys, and AWS does not know emulator keys`,
        evidence,
        fix: { summary: "remove the override to call AWS", commands: [unset] },
      },
    ];
  }
  const l = hostLabels(host);
  const out: NetworkFinding[] = [];
  if (l.aws && l.region && input.region && l.region !== input.region) {
    out.push({
      code: "endpoint-wrong-region",
      severity: "blocks",
      text: `the endpoint override points at ${l.region}, but the request is for ${input.region}: the signature's region and the endpoint's differ`,
      evidence,
      fix: { summary: `point the override at ${input.region} or remove it`, commands: [unset] },
    });
  }
  if (l.aws && l.service && input.service && squash(l.service) !== squash(input.service)) {
    out.push({
      code: "endpoint-wrong-service",
      severity: "blocks",
      text: `the endpoint override sends ${input.service} calls to a ${l.service} endpoint`,
      evidence,
      fix: { summary: `remove the override or point it at ${input.service}`, commands: [unset] },
    });
  }
  if (out.length === 0)
    out.push({
      code: "endpoint-override",
      severity: "info",
      text: `calls to ${input.service ?? "the service"} go to ${host}`,
      evidence,
    });
  return out;
}
