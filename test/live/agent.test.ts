import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proxyAgents } from "../../src/live/agent.js";
import { startConnectProxy } from "./fake-aws.js";

describe("proxyAgents", () => {
  let dir = "";
  let cert: Buffer | undefined;
  let server: https.Server | undefined;
  let port = 0;
  let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
  beforeAll(async () => {
    proxy = await startConnectProxy();
    dir = mkdtempSync(join(tmpdir(), "authdoctor-agent-"));
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
          "/CN=127.0.0.1",
          "-addext",
          "subjectAltName=IP:127.0.0.1",
        ],
        { stdio: "ignore" },
      );
      cert = readFileSync(join(dir, "c.pem"));
      server = https.createServer({ key: readFileSync(join(dir, "k.pem")), cert }, (_q, r) =>
        r.end("tls ok"),
      );
      await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
      port = (server.address() as AddressInfo).port;
    } catch {
      server = undefined;
    }
  });
  afterAll(async () => {
    if (server) await new Promise((r) => server!.close(r));
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is not created when no proxy variable is set", () => {
    expect(proxyAgents({ NO_PROXY: "*" }, 1000)).toBeUndefined();
  });

  it("tunnels https through HTTPS_PROXY and verifies the endpoint's certificate end to end", async (ctx) => {
    if (!server || !cert) ctx.skip();
    const agents = proxyAgents({ HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` }, 1000)!;
    const get = (ca?: Buffer) =>
      new Promise<string>((resolve, reject) => {
        const req = https.get(
          { host: "127.0.0.1", port, path: "/", agent: agents.httpsAgent, ...(ca ? { ca } : {}) },
          (res) => {
            let body = "";
            res.on("data", (c) => (body += c));
            res.on("end", () => resolve(body));
          },
        );
        req.on("error", reject);
      });
    proxy.connects.length = 0;
    await expect(get(cert)).resolves.toBe("tls ok");
    expect(proxy.connects).toEqual([{ target: `127.0.0.1:${port}` }]);
    // Without the CA the same tunnel refuses the untrusted certificate.
    await expect(get()).rejects.toThrow(/self.signed|certificate/i);
  });

  it("connects directly when NO_PROXY matches", async (ctx) => {
    if (!server || !cert) ctx.skip();
    const agents = proxyAgents(
      { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: "127.0.0.1" },
      1000,
    )!;
    proxy.connects.length = 0;
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get({ host: "127.0.0.1", port, path: "/", agent: agents.httpsAgent, ca: cert }, (res) => {
          let b = "";
          res.on("data", (c) => (b += c));
          res.on("end", () => resolve(b));
        })
        .on("error", reject);
    });
    expect(body).toBe("tls ok");
    expect(proxy.connects).toEqual([]);
  });
});
