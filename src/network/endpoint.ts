// Which host a client calls for a service and region, and which VPC endpoint serves that host.
// Host names: https://docs.aws.amazon.com/general/latest/gr/rande.html (regional, FIPS `<svc>-fips`, dual-stack);
// private DNS of interface endpoints answers for the service's default regional name:
// https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#private-dns

import type { VpcEndpoint } from "./types.js";

/** Quote a value for a POSIX shell when it needs it. */
export function sh(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** What the client is configured to use besides service and region. */
export interface EndpointVariant {
  fips?: boolean;
  dualstack?: boolean;
}

/** The service's regional host for a region (`sts.eu-west-1.amazonaws.com`, FIPS or dual-stack when asked). */
export function regionalHost(service: string, region: string, variant: EndpointVariant = {}): string {
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  const name = variant.fips ? `${service}-fips` : service;
  if (variant.dualstack) return `${name}.${region}.api.aws`;
  return `${name}.${region}.${suffix}`;
}

/** The last label of `com.amazonaws.<region>.<service>` (`sts`, `s3`, `ecr.api`), and its region. */
export function endpointService(serviceName: string): { region?: string; service: string } {
  const m = /^(?:com|cn\.com)\.amazonaws\.([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\.(.+)$/.exec(serviceName);
  return m ? { region: m[1]!, service: m[2]! } : { service: serviceName };
}

/** True when `host` is one of the names the endpoint's own DNS entries give (`vpce-…-….sts.<region>.vpce.amazonaws.com`). */
export function isEndpointDnsName(ep: VpcEndpoint, host: string): boolean {
  const h = host.toLowerCase();
  return ep.dnsNames.some((n) => n === h || (n.startsWith("*.") && h.endsWith(n.slice(1))));
}

/** True when the endpoint serves `service` in `region` (either may be unknown). */
export function servesService(
  ep: VpcEndpoint,
  service: string | undefined,
  region: string | undefined,
): boolean {
  const s = endpointService(ep.serviceName);
  if (region && s.region && s.region !== region) return false;
  if (!service) return false;
  return s.service === service || s.service === `${service}-fips`;
}

/**
 * True when private DNS of an interface endpoint for `service` makes `host` resolve to the endpoint: the
 * service's default regional name (and its FIPS name for a `-fips` endpoint service).
 */
export function privateDnsCovers(ep: VpcEndpoint, host: string): boolean {
  const s = endpointService(ep.serviceName);
  if (!s.region) return false;
  const h = host.toLowerCase();
  const base = s.service.endsWith("-fips") ? s.service.slice(0, -5) : s.service;
  const fips = s.service.endsWith("-fips");
  const name = regionalHost(base, s.region, { fips });
  if (h === name) return true;
  // S3 virtual-hosted names (`bucket.s3.<region>.amazonaws.com`) go to an S3 interface endpoint with private DNS.
  return base === "s3" && h.endsWith(`.${name}`);
}
