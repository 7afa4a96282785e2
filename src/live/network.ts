// DNS, TCP, TLS and HTTPS reachability of one endpoint, through the proxy the environment names (docs/aws-facts.md §7).

import { promises as dns } from "node:dns";
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import * as tls from "node:tls";
import { redactText } from "../core/redact.js";
import type { Exchange } from "./clients.js";
import { chooseProxy } from "./proxy.js";
import { connectThroughProxy } from "./tunnel.js";
import type { AuditEntry, NetworkReport, NetworkStep } from "./types.js";

/** What the network probe returns: the report plus its audit lines and the HTTP exchange (for clock skew). */
export interface NetworkProbe {
  report: NetworkReport;
  audit: AuditEntry[];
  exchange?: Exchange;
}

function errCode(err: unknown): string {
  const e = err as { code?: string; name?: string };
  return e.code ?? e.name ?? "Error";
}

function errText(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return redactText(`${e.code ? `${e.code}: ` : ""}${(e.message ?? String(err)).split("\n")[0]}`);
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`${what} took longer than ${ms} ms`), { code: "ETIMEDOUT" })),
      ms,
    );
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

function directConnect(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(Object.assign(new Error(`no TCP connection within ${timeoutMs} ms`), { code: "ETIMEDOUT" }));
    });
    socket.once("error", (err) => {
      socket.destroy();
      reject(err);
    });
    socket.once("connect", () => {
      socket.setTimeout(0);
      socket.removeAllListeners("error");
      resolve(socket);
    });
  });
}

function tlsHandshake(
  socket: net.Socket,
  host: string,
  timeoutMs: number,
): Promise<{ socket: tls.TLSSocket; protocol?: string; issuer?: string; subject?: string }> {
  return new Promise((resolve, reject) => {
    const servername = net.isIP(host) ? undefined : host;
    const t = tls.connect({ socket, ...(servername ? { servername } : {}) });
    t.setTimeout(timeoutMs, () => {
      t.destroy();
      reject(Object.assign(new Error(`no TLS handshake within ${timeoutMs} ms`), { code: "ETIMEDOUT" }));
    });
    t.once("error", (err) => {
      t.destroy();
      reject(err);
    });
    t.once("secureConnect", () => {
      t.setTimeout(0);
      t.removeAllListeners("error");
      const cert = t.getPeerCertificate();
      const name = (n: unknown): string | undefined => {
        const o = n as Record<string, string | string[] | undefined> | undefined;
        const v = o?.O ?? o?.CN;
        return Array.isArray(v) ? v.join(", ") : v;
      };
      resolve({
        socket: t,
        protocol: t.getProtocol() ?? undefined,
        issuer: name(cert?.issuer),
        subject: name(cert?.subject),
      });
    });
  });
}

function httpGet(
  socket: net.Socket,
  secure: boolean,
  host: string,
  port: number,
  timeoutMs: number,
): Promise<{ status: number; date?: string }> {
  return new Promise((resolve, reject) => {
    const lib = secure ? https : http;
    const req = lib.request({
      host,
      port,
      path: "/",
      method: "GET",
      agent: false,
      createConnection: () => socket,
      headers: { "user-agent": "authdoctor-live", connection: "close" },
      timeout: timeoutMs,
    });
    req.once("timeout", () =>
      req.destroy(Object.assign(new Error(`no HTTP answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })),
    );
    req.once("error", reject);
    req.once("response", (res) => {
      const date = res.headers.date;
      res.resume();
      res.once("end", () => socket.destroy());
      resolve({ status: res.statusCode ?? 0, ...(date ? { date } : {}) });
    });
    req.end();
  });
}

/**
 * Resolve, connect to, handshake with and send one unsigned `GET /` to `endpoint`. With a proxy variable set
 * (and no `NO_PROXY` match), the TCP step is a `CONNECT` tunnel through the proxy. Each step is bounded by
 * `timeoutMs`; a failed step ends the probe. Never throws.
 */
export async function probeNetwork(
  endpoint: string,
  region: string,
  timeoutMs: number,
  env: Record<string, string | undefined>,
): Promise<NetworkProbe> {
  const url = new URL(endpoint);
  const secure = url.protocol === "https:";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port || (secure ? 443 : 80));
  const { proxy, noProxyMatch } = chooseProxy(url, env);
  const audit: AuditEntry[] = [];
  const origin = `${url.protocol}//${url.host}`;
  const record = (operation: string, step: NetworkStep) =>
    audit.push({
      operation,
      region,
      endpoint: operation === "net:tcp" && proxy ? `${origin} via ${proxy.display}` : origin,
      outcome: step.ok ? "ok" : step.code === "ETIMEDOUT" ? "timeout" : "error",
      ms: step.ms,
      attempts: 1,
      detail: step.detail,
    });

  // DNS: through a proxy the proxy resolves the name, so a local failure is reported but does not stop us.
  let t = Date.now();
  let dnsStep: NetworkReport["dns"];
  try {
    const addrs = await withTimeout(dns.lookup(host, { all: true }), timeoutMs, "DNS lookup");
    const addresses = addrs.map((a) => a.address);
    dnsStep = { ok: true, ms: Date.now() - t, detail: addresses.join(", "), addresses };
  } catch (err) {
    dnsStep = { ok: false, ms: Date.now() - t, detail: errText(err), code: errCode(err), addresses: [] };
  }
  record("net:dns", dnsStep);
  const report: NetworkReport = {
    host,
    port,
    ...(proxy ? { proxy: { url: proxy.display, variable: proxy.variable } } : {}),
    ...(noProxyMatch ? { noProxyMatch } : {}),
    dns: dnsStep,
  };
  if (!dnsStep.ok && !proxy) return { report, audit };

  t = Date.now();
  let socket: net.Socket;
  try {
    socket = proxy
      ? await connectThroughProxy(proxy.url, host, port, timeoutMs)
      : await directConnect(host, port, timeoutMs);
    report.tcp = {
      ok: true,
      ms: Date.now() - t,
      detail: proxy ? `tunnel through ${proxy.display} (${proxy.variable})` : `connected to ${host}:${port}`,
    };
    record("net:tcp", report.tcp);
  } catch (err) {
    report.tcp = { ok: false, ms: Date.now() - t, detail: errText(err), code: errCode(err) };
    record("net:tcp", report.tcp);
    return { report, audit };
  }

  let stream: net.Socket = socket;
  if (secure) {
    t = Date.now();
    try {
      const h = await tlsHandshake(socket, host, timeoutMs);
      stream = h.socket;
      report.tls = {
        ok: true,
        ms: Date.now() - t,
        detail: `${h.protocol ?? "TLS"}, certificate issued by ${h.issuer ?? "?"}`,
        ...(h.protocol ? { protocol: h.protocol } : {}),
        ...(h.issuer ? { issuer: h.issuer } : {}),
        ...(h.subject ? { subject: h.subject } : {}),
      };
      record("net:tls", report.tls);
    } catch (err) {
      socket.destroy();
      report.tls = { ok: false, ms: Date.now() - t, detail: errText(err), code: errCode(err) };
      record("net:tls", report.tls);
      return { report, audit };
    }
  }

  t = Date.now();
  const sentAt = t;
  try {
    const res = await withTimeout(
      httpGet(stream, secure, host, port, timeoutMs),
      timeoutMs + 100,
      "HTTP GET",
    );
    const receivedAt = Date.now();
    report.https = {
      ok: true,
      ms: receivedAt - t,
      detail: `unsigned GET / answered HTTP ${res.status}${res.date ? `, Date ${res.date}` : ""}`,
      status: res.status,
      ...(res.date ? { date: res.date } : {}),
    };
    record(secure ? "net:https" : "net:http", report.https);
    return {
      report,
      audit,
      exchange: {
        endpoint: origin,
        sentAt,
        receivedAt,
        status: res.status,
        ...(res.date ? { date: res.date } : {}),
      },
    };
  } catch (err) {
    stream.destroy();
    report.https = { ok: false, ms: Date.now() - t, detail: errText(err), code: errCode(err) };
    record(secure ? "net:https" : "net:http", report.https);
    return { report, audit };
  }
}
