// Regions and AWS endpoint host names: where a failure's region and service can be read from text.

const REGION_BODY =
  "(?:us-gov|us-iso|us-isob|us-isof|eu-isoe|eusc|us|eu|ap|sa|ca|me|af|il|mx|cn)-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\\d{1,2}";
const REGION_EXACT = new RegExp(`^${REGION_BODY}$`);
const REGION_ANY = new RegExp(`(?<![\\w-])(${REGION_BODY})(?![\\w-])`);

/** True for a region code such as `ap-east-1` or `us-gov-west-1`. */
export function isRegion(value: string): boolean {
  return REGION_EXACT.test(value);
}

/** The first region code in a text, if any. */
export function findRegion(text: string): string | undefined {
  return REGION_ANY.exec(text)?.[1];
}

/** Endpoint host labels whose IAM/SDK service name differs from the label (docs/aws-facts.md §6.4). */
const HOST_SERVICE: Record<string, string> = {
  monitoring: "cloudwatch",
  email: "ses",
  "appsync-api": "appsync",
  "appsync-realtime-api": "appsync",
  oidc: "sso-oidc",
  portal: "sso",
  "streams.dynamodb": "dynamodb",
};

/** What an AWS endpoint host says. */
export interface HostInfo {
  host: string;
  service?: string;
  region?: string;
  /** True for a global endpoint such as `sts.amazonaws.com` or `iam.amazonaws.com`. */
  global: boolean;
}

const AWS_SUFFIX = /\.(?:amazonaws\.com(?:\.cn)?|api\.aws|c2s\.ic\.gov|sc2s\.sgov\.gov)$/;
const SKIP_LABELS = new Set(["dualstack", "fips", "vpce", "s3-control", "s3-accesspoint"]);

/** Parse an AWS endpoint host (`sts.ap-east-1.amazonaws.com`, `bucket.s3.eu-west-1.amazonaws.com`...). */
export function parseHost(rawHost: string): HostInfo | undefined {
  const host = rawHost.toLowerCase().replace(/:\d{1,5}$/, "");
  const suffix = AWS_SUFFIX.exec(host);
  if (!suffix) return undefined;
  const labels = host.slice(0, suffix.index).split(".");
  if (labels.length === 0 || labels.some((l) => l.length === 0)) return undefined;
  let regionAt = -1;
  let region: string | undefined;
  for (let i = labels.length - 1; i >= 0; i--) {
    const label = labels[i]!;
    if (isRegion(label)) {
      regionAt = i;
      region = label;
      break;
    }
    // Legacy S3 hosts: `s3-eu-west-1.amazonaws.com`, `s3-website-us-east-1...`.
    const legacy = /^s3-(?:website-)?(.+)$/.exec(label);
    if (legacy && isRegion(legacy[1]!)) {
      return { host, service: "s3", region: legacy[1]!, global: false };
    }
  }
  let service: string | undefined;
  if (regionAt >= 0) {
    for (let i = regionAt - 1; i >= 0; i--) {
      const label = labels[i]!;
      if (SKIP_LABELS.has(label)) continue;
      service = label;
      break;
    }
  } else {
    service = labels[labels.length - 1];
  }
  if (service !== undefined) {
    if (regionAt >= 1 && labels[regionAt - 1] === "dynamodb" && labels[regionAt - 2] === "streams") {
      service = "dynamodb";
    }
    service = HOST_SERVICE[service] ?? service;
    if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(service)) service = undefined;
  }
  return { host, ...(service ? { service } : {}), ...(region ? { region } : {}), global: regionAt < 0 };
}

// Hosts after `://`, `Host: `, `endpoint URL: "` or carrying a region label; bounded so it stays linear.
const HOST_RE = /(?<![\w.-])((?:[a-z0-9-]{1,63}\.){1,8}(?:amazonaws\.com(?:\.cn)?|api\.aws))(?![\w-])/gi;

/** AWS endpoint hosts named in a text, in order (URLs, `Host:` headers, region-bearing host names). */
export function findHosts(text: string, limit = 20): HostInfo[] {
  const out: HostInfo[] = [];
  for (const m of text.matchAll(HOST_RE)) {
    const before = text.slice(Math.max(0, m.index - 8), m.index);
    const info = parseHost(m[1]!);
    if (!info) continue;
    const inUrl = /(?:\/\/|host:\s?|"|')$/i.test(before);
    if (!inUrl && info.region === undefined) continue;
    out.push(info);
    if (out.length >= limit) break;
  }
  return out;
}
