import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveSignals } from "../../src/diagnose/signals/live.js";
import { probeNetwork } from "../../src/live/network.js";
import type { LiveReport } from "../../src/live/types.js";
import { startConnectProxy } from "./fake-aws.js";

function reportWith(network: LiveReport["network"]): LiveReport {
  return {
    schema: "authdoctor.live/v1",
    startedAt: new Date().toISOString(),
    homeRegion: "us-east-1",
    credentials: { ok: false, outcome: "skipped", reason: "not resolved" },
    identity: {},
    network,
    audit: [],
    unknowns: [],
  };
}

const listen = (server: net.Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );

describe("probeNetwork", () => {
  const target = http.createServer((_req, res) => {
    res.writeHead(404, { date: new Date().toUTCString() });
    res.end("<UnknownOperationException/>");
  });
  let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
  let connects: Array<{ target: string; auth?: string }> = [];
  let targetPort = 0;
  let proxyPort = 0;
  let tlsServer: https.Server | undefined;
  let tlsPort = 0;
  let dir = "";
  beforeAll(async () => {
    targetPort = await listen(target);
    proxy = await startConnectProxy();
    proxyPort = proxy.port;
    connects = proxy.connects;
    // A self-signed certificate: what a TLS-intercepting proxy without a trusted CA looks like.
    dir = mkdtempSync(join(tmpdir(), "authdoctor-tls-"));
    try {
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-keyout",
          join(dir, "k.pem"),
          "-out",
          join(dir, "c.pem"),
          "-days",
          "1",
          "-subj",
          "/O=Corp Proxy/CN=127.0.0.1",
        ],
        { stdio: "ignore" },
      );
      tlsServer = https.createServer(
        { key: readFileSync(join(dir, "k.pem")), cert: readFileSync(join(dir, "c.pem")) },
        (_q, r) => r.end(),
      );
      tlsPort = await listen(tlsServer);
    } catch {
      tlsServer = undefined;
    }
  });
  afterAll(async () => {
    for (const s of [target, tlsServer]) if (s) await new Promise((r) => s.close(r));
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("resolves, connects and reads the Date of an unsigned GET, without a proxy", async () => {
    const n = await probeNetwork(`http://127.0.0.1:${targetPort}`, "us-east-1", 1000, {});
    expect(n.report).toMatchObject({
      host: "127.0.0.1",
      port: targetPort,
      dns: { ok: true, addresses: ["127.0.0.1"] },
      tcp: { ok: true },
      https: { ok: true, status: 404 },
    });
    expect(n.report.proxy).toBeUndefined();
    expect(n.report.tls).toBeUndefined();
    expect(n.exchange?.date).toBeDefined();
    expect(n.audit.map((a) => `${a.operation} ${a.outcome}`)).toEqual([
      "net:dns ok",
      "net:tcp ok",
      "net:http ok",
    ]);
    expect(liveSignals(reportWith({ ok: true, value: n.report }))).toContainEqual(
      expect.objectContaining({ cause: "NETWORK_PATH", effect: "weakens" }),
    );
  });

  it("tunnels the TCP step through HTTP_PROXY with CONNECT and never prints the proxy password", async () => {
    connects.length = 0;
    const n = await probeNetwork(`http://127.0.0.1:${targetPort}`, "us-east-1", 1000, {
      HTTP_PROXY: `http://bob:s3cretPass@127.0.0.1:${proxyPort}`,
    });
    expect(connects).toEqual([
      {
        target: `127.0.0.1:${targetPort}`,
        auth: `Basic ${Buffer.from("bob:s3cretPass").toString("base64")}`,
      },
    ]);
    expect(n.report.proxy).toEqual({ url: `http://127.0.0.1:${proxyPort}`, variable: "HTTP_PROXY" });
    expect(n.report.tcp).toMatchObject({ ok: true, detail: expect.stringContaining("tunnel through") });
    expect(n.report.https).toMatchObject({ ok: true, status: 404 });
    expect(JSON.stringify(n)).not.toContain("s3cretPass");
  });

  it("goes direct when NO_PROXY matches the host", async () => {
    connects.length = 0;
    const n = await probeNetwork(`http://127.0.0.1:${targetPort}`, "us-east-1", 1000, {
      http_proxy: `http://127.0.0.1:${proxyPort}`,
      NO_PROXY: "localhost,127.0.0.0/8",
    });
    expect(connects).toEqual([]);
    expect(n.report.proxy).toBeUndefined();
    expect(n.report.noProxyMatch).toBe("NO_PROXY entry `127.0.0.0/8`");
    expect(n.report.tcp?.ok).toBe(true);
  });

  it("reports a refused connection and confirms NETWORK_PATH", async () => {
    const closed = net.createServer();
    const port = await listen(closed);
    await new Promise((r) => closed.close(r));
    const n = await probeNetwork(`https://127.0.0.1:${port}`, "eu-west-1", 1000, {});
    expect(n.report.tcp).toMatchObject({ ok: false, code: "ECONNREFUSED" });
    expect(n.report.tls).toBeUndefined();
    expect(n.audit.at(-1)).toMatchObject({ operation: "net:tcp", outcome: "error", region: "eu-west-1" });
    expect(liveSignals(reportWith({ ok: true, value: n.report }))).toContainEqual(
      expect.objectContaining({
        cause: "NETWORK_PATH",
        effect: "confirms",
        text: expect.stringContaining("ECONNREFUSED"),
      }),
    );
  });

  it("reports a proxy that refuses the tunnel", async () => {
    const closed = net.createServer();
    const port = await listen(closed);
    await new Promise((r) => closed.close(r));
    const n = await probeNetwork(`https://127.0.0.1:${port}`, "eu-west-1", 1000, {
      HTTPS_PROXY: `127.0.0.1:${proxyPort}`,
    });
    expect(n.report.proxy?.variable).toBe("HTTPS_PROXY");
    expect(n.report.tcp).toMatchObject({ ok: false, code: "EPROXY", detail: expect.stringContaining("502") });
  });

  it("fails the TLS step on an untrusted certificate (an intercepting proxy)", async (ctx) => {
    if (!tlsServer) ctx.skip();
    const n = await probeNetwork(`https://127.0.0.1:${tlsPort}`, "us-east-1", 1000, {});
    expect(n.report.tcp?.ok).toBe(true);
    expect(n.report.tls).toMatchObject({ ok: false, code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    expect(liveSignals(reportWith({ ok: true, value: n.report }))).toContainEqual(
      expect.objectContaining({
        cause: "NETWORK_PATH",
        effect: "confirms",
        text: expect.stringContaining("TLS"),
      }),
    );
  });
});
