// One IMDSv2 token request from this machine (the failing one, when the user runs `--live` there): does the
// metadata service answer, and within the hop limit? The token is read and dropped, never kept or printed.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html (PUT /latest/api/token,
// X-aws-ec2-metadata-token-ttl-seconds), endpoint settings:
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-imds-client.html (AWS_EC2_METADATA_SERVICE_ENDPOINT,
// AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE).

import * as http from "node:http";
import type { ImdsProbeResult } from "../core/network.js";
import { redactText } from "../core/redact.js";
import { isAllowedHttpRequest, LiveRefusedError } from "./allowlist.js";
import type { AuditEntry } from "./types.js";

export interface ImdsProbeOptions {
  /** Environment for the endpoint settings (default: this process's). */
  env?: Record<string, string | undefined>;
  /** Milliseconds to wait for the answer (default 1000). */
  timeoutMs?: number;
}

const TOKEN_PATH = "/latest/api/token";

/** The metadata endpoint the SDKs would use with this environment. */
export function imdsEndpoint(env: Record<string, string | undefined>): string {
  const given = env.AWS_EC2_METADATA_SERVICE_ENDPOINT?.trim();
  if (given) return given.replace(/\/+$/, "");
  return /^ipv6$/i.test(env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE ?? "")
    ? "http://[fd00:ec2::254]"
    : "http://169.254.169.254";
}

/** Send the token request once and report what came back. Never throws for network failures. */
export async function probeImdsToken(
  opts: ImdsProbeOptions = {},
): Promise<{ result: ImdsProbeResult; audit: AuditEntry }> {
  const env = opts.env ?? process.env;
  const timeoutMs = opts.timeoutMs ?? 1000;
  const endpoint = imdsEndpoint(env);
  // INVARIANT: only the allow-listed request is ever sent.
  if (!isAllowedHttpRequest("PUT", TOKEN_PATH)) throw new LiveRefusedError("imds:GetToken");
  let url: URL;
  try {
    url = new URL(TOKEN_PATH, `${endpoint}/`);
  } catch {
    const result: ImdsProbeResult = {
      endpoint,
      outcome: "error",
      detail: `not a URL: ${redactText(endpoint)}`,
    };
    return { result, audit: auditOf(endpoint, result, 0, 0) };
  }
  if (url.protocol !== "http:") {
    const result: ImdsProbeResult = {
      endpoint,
      outcome: "error",
      detail: "the metadata endpoint must be http://",
    };
    return { result, audit: auditOf(endpoint, result, 0, 0) };
  }
  const started = Date.now();
  const result = await new Promise<ImdsProbeResult>((resolve) => {
    let done = false;
    const finish = (r: ImdsProbeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const req = http.request(url, {
      method: "PUT",
      headers: { "X-aws-ec2-metadata-token-ttl-seconds": "1" },
      agent: false,
    });
    const timer = setTimeout(
      () =>
        finish({
          endpoint,
          outcome: "timeout",
          detail: `no answer within ${timeoutMs} ms (IMDS off, a PUT response hop limit too low for this container, or not on EC2)`,
        }),
      timeoutMs,
    );
    req.on("response", (res) => {
      // The body is the token: read it to completion and drop it.
      res.on("data", () => {});
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        if (status === 200)
          finish({
            endpoint,
            outcome: "token",
            status,
            detail: "IMDSv2 token issued (not kept): the metadata service answers from here",
          });
        else
          finish({
            endpoint,
            outcome: "http-error",
            status,
            detail:
              status === 403
                ? "403: the metadata service is turned off for this instance"
                : status === 405
                  ? "405: PUT not allowed (a proxy or an IMDSv1-only emulator answered)"
                  : `HTTP ${status}`,
          });
      });
      res.on("error", () =>
        finish({ endpoint, outcome: "error", status: res.statusCode ?? 0, detail: "the answer broke off" }),
      );
    });
    req.on("error", (err: NodeJS.ErrnoException) =>
      finish({
        endpoint,
        outcome:
          err.code === "ECONNREFUSED" || err.code === "EHOSTUNREACH" || err.code === "ENETUNREACH"
            ? "refused"
            : "error",
        detail: redactText(`${err.code ?? "Error"}: ${err.message.split("\n")[0]}`),
      }),
    );
    req.end();
  });
  return { result, audit: auditOf(endpoint, result, Date.now() - started, 1) };
}

function auditOf(endpoint: string, r: ImdsProbeResult, ms: number, attempts: number): AuditEntry {
  return {
    operation: "imds:GetToken",
    region: "-",
    endpoint: `${endpoint}${TOKEN_PATH}`,
    outcome:
      r.outcome === "token" || r.outcome === "http-error"
        ? r.outcome === "token"
          ? "ok"
          : "error"
        : r.outcome === "timeout"
          ? "timeout"
          : r.outcome === "refused"
            ? "refused"
            : "error",
    ms,
    attempts,
    detail: r.detail,
  };
}
