// A CONNECT tunnel through an HTTP(S) proxy, for the network probe and the SDK clients' agents.

import * as net from "node:net";
import * as tls from "node:tls";

/** Open a TCP tunnel to `host:port` through an HTTP(S) proxy with `CONNECT`; resolves with the tunnelled socket. */
export function connectThroughProxy(
  proxy: URL,
  host: string,
  port: number,
  timeoutMs: number,
): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const proxyPort = Number(proxy.port || (proxy.protocol === "https:" ? 443 : 80));
    const socket: net.Socket =
      proxy.protocol === "https:"
        ? tls.connect({ host: proxy.hostname, port: proxyPort, servername: proxy.hostname })
        : net.connect({ host: proxy.hostname, port: proxyPort });
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(timeoutMs, () =>
      fail(Object.assign(new Error(`proxy did not answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })),
    );
    socket.once("error", fail);
    socket.once(proxy.protocol === "https:" ? "secureConnect" : "connect", () => {
      const auth = proxy.username
        ? `Proxy-Authorization: Basic ${Buffer.from(
            `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`,
          ).toString("base64")}\r\n`
        : "";
      socket.write(`CONNECT ${host}:${port} HTTP/1.1\r\nHost: ${host}:${port}\r\n${auth}\r\n`);
    });
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) {
        if (head.length > 16_384) fail(new Error("proxy sent an oversized CONNECT response"));
        return;
      }
      socket.removeListener("data", onData);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head.subarray(0, end).toString("latin1"));
      if (status?.[1] !== "200") {
        fail(
          Object.assign(new Error(`proxy refused CONNECT ${host}:${port}: HTTP ${status?.[1] ?? "?"}`), {
            code: "EPROXY",
          }),
        );
        return;
      }
      const rest = head.subarray(end + 4);
      if (rest.length) socket.unshift(rest);
      socket.setTimeout(0);
      socket.removeListener("error", fail);
      resolve(socket);
    };
    socket.on("data", onData);
  });
}
