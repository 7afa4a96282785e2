// HTTP(S) agents for the SDK clients that honour HTTPS_PROXY / HTTP_PROXY / NO_PROXY per connection.

import * as http from "node:http";
import * as https from "node:https";
import type { Duplex } from "node:stream";
import * as tls from "node:tls";
import { chooseProxy } from "./proxy.js";
import { connectThroughProxy } from "./tunnel.js";

type Env = Record<string, string | undefined>;
type Callback = (err: Error | null, stream: Duplex) => void;

interface ConnectOptions {
  host?: string | null;
  hostname?: string | null;
  port?: number | string | null;
  servername?: string;
}

function target(options: ConnectOptions, secure: boolean): { host: string; port: number } {
  const host = (options.hostname ?? options.host ?? "localhost").replace(/^\[|\]$/g, "");
  return { host, port: Number(options.port || (secure ? 443 : 80)) };
}

/**
 * An https agent that tunnels through the proxy the environment names for each host (CONNECT, then TLS to the
 * AWS endpoint end to end), or connects directly when no proxy applies.
 */
class ProxyHttpsAgent extends https.Agent {
  constructor(
    private readonly env: Env,
    private readonly timeoutMs: number,
  ) {
    super({ keepAlive: false });
  }
  override createConnection(options: https.RequestOptions, callback?: Callback): Duplex | null | undefined {
    const { host, port } = target(options, true);
    const { proxy } = chooseProxy(
      new URL(`https://${host.includes(":") ? `[${host}]` : host}:${port}`),
      this.env,
    );
    if (!proxy) return super.createConnection(options, callback);
    connectThroughProxy(proxy.url, host, port, this.timeoutMs).then(
      (socket) => {
        const servername = options.servername ?? (/^[\d.:]+$/.test(host) ? undefined : host);
        // The request's TLS options (ca, rejectUnauthorized...) apply end to end, as in a direct connection.
        const t = tls.connect({
          ...(options as tls.ConnectionOptions),
          socket,
          ...(servername ? { servername } : {}),
        });
        t.once("secureConnect", () => callback?.(null, t));
        t.once("error", (err) => callback?.(err, t));
      },
      (err: Error) => callback?.(err, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/** The plain-http counterpart (endpoint overrides such as local emulators), tunnelled with CONNECT as well. */
class ProxyHttpAgent extends http.Agent {
  constructor(
    private readonly env: Env,
    private readonly timeoutMs: number,
  ) {
    super({ keepAlive: false });
  }
  override createConnection(options: http.ClientRequestArgs, callback?: Callback): Duplex | null | undefined {
    const { host, port } = target(options, false);
    const { proxy } = chooseProxy(
      new URL(`http://${host.includes(":") ? `[${host}]` : host}:${port}`),
      this.env,
    );
    if (!proxy) return super.createConnection(options, callback);
    connectThroughProxy(proxy.url, host, port, this.timeoutMs).then(
      (socket) => callback?.(null, socket),
      (err: Error) => callback?.(err, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/** Agents for `requestHandler.{httpAgent,httpsAgent}`, or undefined when no proxy variable is set at all. */
export function proxyAgents(
  env: Env,
  timeoutMs: number,
): { httpAgent: http.Agent; httpsAgent: https.Agent } | undefined {
  const any = ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"].some((v) => env[v]?.trim());
  if (!any) return undefined;
  return { httpAgent: new ProxyHttpAgent(env, timeoutMs), httpsAgent: new ProxyHttpsAgent(env, timeoutMs) };
}
