// A fake AWS endpoint on 127.0.0.1 for the live-probe tests: routes SigV4-signed requests by service and operation.

import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake received. */
export interface Seen {
  /** `sts:GetCallerIdentity`, from the credential scope's service and the protocol's operation. */
  route: string;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Query-protocol parameters or the JSON body. */
  params: Record<string, unknown>;
}

/** A canned answer: a response, `hang` (never answer), or a function of the request. */
export type Reply =
  | { status?: number; body: string; headers?: Record<string, string> }
  | "hang"
  | ((seen: Seen) => { status?: number; body: string; headers?: Record<string, string> });

const JSON_TARGETS: Record<string, string> = {
  CognitoIdentityService: "cognito-identity",
  "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101": "cloudtrail",
};

function routeOf(
  req: http.IncomingMessage,
  body: string,
): { route: string; params: Record<string, unknown> } {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? "");
  const service = scope?.[1] ?? "?";
  const target = req.headers["x-amz-target"];
  if (typeof target === "string") {
    const [prefix, op] =
      target.split(".").length > 2
        ? [target.replace(/\.[^.]+$/, ""), target.split(".").pop()!]
        : target.split(".");
    return { route: `${JSON_TARGETS[prefix!] ?? service}:${op}`, params: body ? JSON.parse(body) : {} };
  }
  const type = req.headers["content-type"] ?? "";
  if (type.includes("x-www-form-urlencoded")) {
    const params = Object.fromEntries(new URLSearchParams(body));
    return { route: `${service}:${params.Action ?? "?"}`, params };
  }
  const url = req.url ?? "/";
  if (service === "account" && url.startsWith("/getRegionOptStatus"))
    return { route: "account:GetRegionOptStatus", params: body ? JSON.parse(body) : {} };
  const api = /^\/v1\/apis\/([^/?]+)$/.exec(url);
  if (service === "appsync" && api && req.method === "GET")
    return { route: "appsync:GetGraphqlApi", params: { apiId: api[1] } };
  return { route: `${service}:${req.method} ${url}`, params: {} };
}

/** XML success body of a Query-protocol operation (STS, IAM). */
export function queryOk(
  action: string,
  inner: string,
  ns = "https://iam.amazonaws.com/doc/2010-05-08/",
): string {
  return `<${action}Response xmlns="${ns}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></${action}Response>`;
}

/** XML error of a Query-protocol service. */
export function queryError(status: number, code: string, message: string): Reply {
  return {
    status,
    headers: { "content-type": "text/xml" },
    body: `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>4f1c-EXAMPLE</RequestId></ErrorResponse>`,
  };
}

/** XML error of EC2. */
export function ec2Error(status: number, code: string, message: string): Reply {
  return {
    status,
    headers: { "content-type": "text/xml" },
    body: `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-EXAMPLE</RequestID></Response>`,
  };
}

/** JSON (awsJson1_1) error. */
export function jsonError(status: number, type: string, message: string): Reply {
  return {
    status,
    headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": type },
    body: JSON.stringify({ __type: type, message }),
  };
}

/** REST-JSON error (account, AppSync). */
export function restError(status: number, type: string, message: string): Reply {
  return {
    status,
    headers: { "content-type": "application/json", "x-amzn-errortype": type },
    body: JSON.stringify({ message }),
  };
}

export function xml(body: string): Reply {
  return { headers: { "content-type": "text/xml" }, body };
}

export function json(value: unknown, type = "application/x-amz-json-1.1"): Reply {
  return { headers: { "content-type": type }, body: JSON.stringify(value) };
}

/** What AWS answers for an operation it does not know, in the request's protocol. */
function unknownOperation(
  route: string,
  req: http.IncomingMessage,
): { status?: number; body: string; headers?: Record<string, string> } {
  const r = (x: Reply) => x as Exclude<Reply, "hang" | ((s: Seen) => unknown)>;
  if (req.headers["x-amz-target"]) return r(jsonError(400, "UnknownOperationException", `no route ${route}`));
  if ((req.headers["content-type"] ?? "").includes("x-www-form-urlencoded"))
    return route.startsWith("ec2:")
      ? r(ec2Error(400, "InvalidAction", `no route ${route}`))
      : r(queryError(400, "InvalidAction", `no route ${route}`));
  return r(restError(404, "UnknownOperationException", `no route ${route}`));
}

/** The fake server: `on(route, ...replies)` queues answers (the last one repeats); `seen` lists requests. */
export class FakeAws {
  readonly seen: Seen[] = [];
  private readonly routes = new Map<string, Reply[]>();
  private server?: http.Server;
  private readonly sockets = new Set<import("node:net").Socket>();
  /** Offset of the `Date` header from the real time, in ms. */
  dateOffsetMs = 0;

  on(route: string, ...replies: Reply[]): this {
    this.routes.set(route, replies);
    return this;
  }

  /** Forget routes, requests and the date offset. */
  reset(): this {
    this.routes.clear();
    this.seen.length = 0;
    this.dateOffsetMs = 0;
    return this;
  }

  count(route: string): number {
    return this.seen.filter((s) => s.route === route).length;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const { route, params } = routeOf(req, body);
        const seen: Seen = {
          route,
          method: req.method ?? "",
          path: req.url ?? "",
          headers: req.headers,
          body,
          params,
        };
        this.seen.push(seen);
        const queue = this.routes.get(route);
        let reply: Reply | undefined;
        if (queue && queue.length > 1) reply = queue.shift();
        else reply = queue?.[0];
        if (reply === "hang") return;
        const r =
          reply === undefined
            ? unknownOperation(route, req)
            : typeof reply === "function"
              ? reply(seen)
              : reply;
        res.writeHead(r.status ?? 200, {
          date: new Date(Date.now() + this.dateOffsetMs).toUTCString(),
          "x-amzn-requestid": "req-0001",
          ...r.headers,
        });
        res.end(r.body);
      });
    });
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** Fake credentials: realistic shapes, never real. */
export const FAKE = {
  accessKeyId: "ASIAQQQQRRRRSSSS7XYZ",
  longTermKeyId: "AKIAQQQQRRRRSSSS7ABC",
  secretAccessKey: "fAkEsEcReTkEy0123456789abcdefGHIJKLMNOPq",
  sessionToken: `IQoJb3JpZ2luX2VjEFAKE${"x".repeat(120)}`,
};

/** A CONNECT proxy on 127.0.0.1 that records each tunnel it opens (target and Proxy-Authorization). */
export async function startConnectProxy(): Promise<{
  port: number;
  connects: Array<{ target: string; auth?: string }>;
  close: () => Promise<void>;
}> {
  const net = await import("node:net");
  const connects: Array<{ target: string; auth?: string }> = [];
  const sockets = new Set<import("node:net").Socket>();
  const proxy = http.createServer();
  proxy.on("connect", (req: http.IncomingMessage, client: import("node:net").Socket, head: Buffer) => {
    sockets.add(client);
    const auth = req.headers["proxy-authorization"];
    connects.push({ target: req.url ?? "", ...(auth ? { auth } : {}) });
    const [host, port] = (req.url ?? "").split(":");
    const upstream = net.connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("error", () => client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n"));
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    port: (proxy.address() as AddressInfo).port,
    connects,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
