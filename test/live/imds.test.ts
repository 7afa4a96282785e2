// The live IMDSv2 token request against a local fake metadata service (AWS_EC2_METADATA_SERVICE_ENDPOINT).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAllowedHttpRequest, READ_ONLY_HTTP_REQUESTS } from "../../src/live/allowlist.js";
import { imdsEndpoint, probeImdsToken } from "../../src/live/imds.js";
import { renderAudit } from "../../src/report/live.js";

const TOKEN = "AQAEAFAKEimdsTOKENvalueNEVERprintedXYZ==";
let server: Server;
let base = "";
const seen: { method?: string; url?: string; ttl?: string }[] = [];
let mode: "ok" | "forbidden" | "silent" = "ok";

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({
      method: req.method,
      url: req.url,
      ttl: req.headers["x-aws-ec2-metadata-token-ttl-seconds"] as string,
    });
    if (mode === "silent") return; // never answers: like a hop limit that drops the response
    if (mode === "forbidden") {
      res.writeHead(403).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/plain" }).end(TOKEN);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("probeImdsToken", () => {
  it("sends only the allow-listed PUT with a 1 s TTL, and never keeps the token", async () => {
    mode = "ok";
    const r = await probeImdsToken({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: base } });
    expect(seen.at(-1)).toEqual({ method: "PUT", url: "/latest/api/token", ttl: "1" });
    expect(r.result).toMatchObject({ outcome: "token", status: 200, endpoint: base });
    expect(r.audit).toMatchObject({ operation: "imds:GetToken", outcome: "ok", attempts: 1 });
    expect(JSON.stringify(r)).not.toContain(TOKEN);
    expect(renderAudit({ audit: [r.audit] })).toContain(`imds:GetToken (-) ${base}/latest/api/token`);
    expect(READ_ONLY_HTTP_REQUESTS).toEqual([
      { operation: "imds:GetToken", method: "PUT", path: "/latest/api/token" },
    ]);
    expect(isAllowedHttpRequest("GET", "/latest/meta-data/iam/security-credentials/")).toBe(false);
  });

  it("403: the metadata service is off", async () => {
    mode = "forbidden";
    const r = await probeImdsToken({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: `${base}/` } });
    expect(r.result).toMatchObject({ outcome: "http-error", status: 403 });
    expect(r.result.detail).toMatch(/turned off/);
  });

  it("no answer within the timeout: reported as a timeout, no hang", async () => {
    mode = "silent";
    const r = await probeImdsToken({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: base }, timeoutMs: 200 });
    expect(r.result.outcome).toBe("timeout");
    expect(r.audit.outcome).toBe("timeout");
  });

  it("refused connections and bad endpoints are outcomes, not throws", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const r = await probeImdsToken({
      env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${port}` },
    });
    expect(r.result.outcome).toBe("refused");
    expect(
      (await probeImdsToken({ env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: "https://x.example" } })).result
        .outcome,
    ).toBe("error");
  });

  it("endpoint settings: override, IPv6 mode, default", () => {
    expect(imdsEndpoint({})).toBe("http://169.254.169.254");
    expect(imdsEndpoint({ AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: "IPv6" })).toBe("http://[fd00:ec2::254]");
    expect(imdsEndpoint({ AWS_EC2_METADATA_SERVICE_ENDPOINT: "http://10.0.0.1:1338/" })).toBe(
      "http://10.0.0.1:1338",
    );
  });
});
