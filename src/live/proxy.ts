// Proxy variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY): which proxy, if any, a connection to a URL goes through.

/** The proxy chosen for a target, with its URL safe to print. */
export interface ProxyChoice {
  url: URL;
  /** `https://proxy.example:3128`: never the user name or password. */
  display: string;
  /** The variable it came from (`HTTPS_PROXY`, `http_proxy`...). */
  variable: string;
}

type Env = Record<string, string | undefined>;

function readVar(env: Env, name: string): { value: string; variable: string } | undefined {
  for (const variable of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[variable]?.trim();
    if (value) return { value, variable };
  }
  return undefined;
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

/** The `NO_PROXY` entry matching `host:port`, if any (`*`, exact host, `.suffix`, `suffix`, `host:port`, IPv4 CIDR). */
export function noProxyMatch(host: string, port: number, noProxy: string): string | undefined {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === "*") return entry;
    const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(entry);
    if (cidr) {
      const base = ipv4ToInt(cidr[1]!);
      const ip = ipv4ToInt(h);
      const bits = Number(cidr[2]);
      if (base !== undefined && ip !== undefined && bits <= 32) {
        const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        if ((base & mask) >>> 0 === (ip & mask) >>> 0) return entry;
      }
      continue;
    }
    const m = /^(.*?)(?::(\d+))?$/.exec(entry)!;
    const name = m[1]!.replace(/^\*?\./, ".");
    if (m[2] && Number(m[2]) !== port) continue;
    if (name.startsWith(".") ? h.endsWith(name) || h === name.slice(1) : h === name || h.endsWith(`.${name}`))
      return entry;
  }
  return undefined;
}

/**
 * The proxy a client honouring the usual variables would use for `target`: `HTTPS_PROXY` for https targets,
 * `HTTP_PROXY` for http ones (lower case first, as curl and botocore read them), unless `NO_PROXY` matches.
 */
export function chooseProxy(target: URL, env: Env): { proxy?: ProxyChoice; noProxyMatch?: string } {
  const found = readVar(env, target.protocol === "https:" ? "https_proxy" : "http_proxy");
  if (!found) return {};
  const port = Number(target.port || (target.protocol === "https:" ? 443 : 80));
  const noProxy = readVar(env, "no_proxy");
  const matched = noProxy ? noProxyMatch(target.hostname, port, noProxy.value) : undefined;
  if (matched) return { noProxyMatch: `${noProxy!.variable} entry \`${matched}\`` };
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(found.value) ? found.value : `http://${found.value}`);
  } catch {
    return {};
  }
  return { proxy: { url, display: `${url.protocol}//${url.host}`, variable: found.variable } };
}
