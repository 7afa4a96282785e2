// IAM Access Troubleshooter (service `iam-toolbox`, API 2018-05-10): AWS's own evaluation of a denied request.
// No SDK client package exists for it, so requests are signed here with @smithy/signature-v4 and the run's
// credential provider, checked against the same read-only allow-list and recorded in the same audit.
// https://docs.aws.amazon.com/iam-toolbox/latest/APIReference/API_GetRequestAuthorizationDetails.html
// https://docs.aws.amazon.com/iam-toolbox/latest/APIReference/API_GetRequestAuthorizationPolicy.html

import { createHash, createHmac } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import { redactText } from "../../core/redact.js";
import { isReadOnlyOperation, LiveRefusedError } from "../allowlist.js";
import { type CallResult, classifyError, type LiveContext } from "../call.js";
import type { AuthorizationEvidence, Probed } from "../types.js";
import { notRun } from "./util.js";

/** The signing name and endpoint prefix of the service. */
const SIGNING_NAME = "iam-toolbox";
/** Bounds: pages of evaluations, policies fetched, bytes of one response. */
const MAX_PAGES = 20;
const MAX_POLICIES = 40;
const MAX_BYTES = 8 * 1024 * 1024;

/** sha256 / HMAC-sha256 in the shape @smithy/signature-v4 expects (a Checksum constructor). */
class Sha256 {
  private readonly h;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret !== undefined ? createHmac("sha256", bytes(secret)) : createHash("sha256");
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {}
}

function bytes(d: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof d === "string") return d;
  if (d instanceof ArrayBuffer) return new Uint8Array(d);
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

export function toolboxEndpoint(region: string, override?: string): string {
  if (override) return override.replace(/\/+$/, "");
  return `https://${SIGNING_NAME}.${region}.${region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com"}`;
}

/** One signed GET to the service, bounded and audited. Never throws. */
export async function toolboxGet(
  ctx: LiveContext,
  operation: "GetRequestAuthorizationDetails" | "GetRequestAuthorizationPolicy",
  path: string,
  query: Record<string, string>,
  region: string,
): Promise<CallResult<unknown>> {
  const started = Date.now();
  const name = `iam:${operation}`;
  const endpoint = toolboxEndpoint(region, ctx.endpointOverride);
  let result: CallResult<unknown>;
  let attempts = 0;
  try {
    if (!isReadOnlyOperation(name)) throw new LiveRefusedError(name);
    if (ctx.budgetEnd !== undefined && Date.now() >= ctx.budgetEnd)
      throw Object.assign(new Error("not sent: the time budget of live mode is spent"), {
        name: "TimeoutError",
      });
    const url = new URL(endpoint);
    const { SignatureV4 } = await import("@smithy/signature-v4");
    const signer = new SignatureV4({
      service: SIGNING_NAME,
      region,
      credentials: ctx.credentials,
      sha256: Sha256,
    });
    const request = {
      method: "GET",
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: `${url.pathname.replace(/\/+$/, "")}${path}`,
      query,
      headers: { host: url.host, accept: "application/json" },
    };
    const signed = await signer.sign(request);
    attempts = 1;
    const res = await send(ctx, url, signed.path, query, signed.headers as Record<string, string>);
    if (res.status >= 200 && res.status < 300) result = { ok: true, value: JSON.parse(res.body) as unknown };
    else result = { ok: false, ...errorOf(res.status, res.headers, res.body), httpStatus: res.status };
  } catch (err) {
    result = { ok: false, ...classifyError(err) };
  }
  if (!result.ok && result.outcome === "denied") result.needs = name;
  result.endpoint = endpoint;
  ctx.audit.push({
    operation: name,
    region,
    endpoint,
    outcome: result.ok ? "ok" : result.outcome,
    ms: Date.now() - started,
    attempts,
    detail: result.ok ? "read" : redactText(result.reason),
  });
  return result;
}

function errorOf(
  status: number,
  headers: http.IncomingHttpHeaders,
  body: string,
): { outcome: "denied" | "error"; code: string; reason: string } {
  let code = String(headers["x-amzn-errortype"] ?? "").split(":")[0] || `HTTP${status}`;
  let message = "";
  try {
    const j = JSON.parse(body) as { message?: string; Message?: string; __type?: string };
    message = j.message ?? j.Message ?? "";
    if (j.__type) code = j.__type.split("#").pop()!.split(":")[0]!;
  } catch {
    /* not JSON: the status code says enough */
  }
  const denied = status === 403 || code === "AccessDeniedException";
  return {
    outcome: denied ? "denied" : "error",
    code,
    reason: redactText(`${code}${message ? `: ${message.split("\n")[0]!.slice(0, 300)}` : ""}`),
  };
}

function send(
  ctx: LiveContext,
  url: URL,
  path: string,
  query: Record<string, string>,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  // RFC 3986 encoding, as in the canonical query string that was signed.
  const enc = (v: string) =>
    encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const qs = Object.keys(query)
    .sort()
    .map((k) => `${enc(k)}=${enc(query[k]!)}`)
    .join("&");
  const lib = url.protocol === "http:" ? http : https;
  return new Promise((resolve, reject) => {
    const timeout = Math.min(
      ctx.timeoutMs,
      ctx.budgetEnd !== undefined ? Math.max(1, ctx.budgetEnd - Date.now()) : ctx.timeoutMs,
    );
    const req = lib.request(
      {
        method: "GET",
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: `${path}${qs ? `?${qs}` : ""}`,
        headers,
        timeout,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > MAX_BYTES) req.destroy(new Error(`response larger than ${MAX_BYTES} bytes`));
          else chunks.push(c);
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () =>
      req.destroy(Object.assign(new Error(`no answer within ${timeout} ms`), { name: "TimeoutError" })),
    );
    req.on("error", reject);
    req.end();
  });
}

/**
 * AWS's evaluation of the denied request with `authorizationId`, every page, and each policy it names as it was at
 * denial time. Not found (past retention), unsupported or denied each become a reason naming what would decide it.
 */
export async function probeAuthorizationDetails(
  ctx: LiveContext,
  authorizationId: string,
  region: string,
): Promise<Probed<AuthorizationEvidence>> {
  if (!/^[0-9a-z]{1,256}$/.test(authorizationId))
    return notRun("skipped", `the authorization id \`${authorizationId}\` is not of the documented form`);
  const id = encodeURIComponent(authorizationId);
  const pages: unknown[] = [];
  let token: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const r = await toolboxGet(
      ctx,
      "GetRequestAuthorizationDetails",
      `/authorization-details/${id}`,
      token ? { nextToken: token } : {},
      region,
    );
    if (!r.ok) {
      const notFound = r.code === "ResourceNotFoundException" || r.httpStatus === 404;
      const unsupported =
        r.code === "ValidationException" || /UnknownOperation|UnrecognizedClient/.test(r.code);
      return {
        ok: false,
        outcome: r.outcome,
        code: r.code,
        reason: notFound
          ? `AWS has no authorization details for ${authorizationId} in ${region}: past the retention (at least 24 hours) or another region`
          : unsupported
            ? `the authorization details could not be read (${r.reason}): the service or region may not support them`
            : `could not read the authorization details: ${r.outcome === "denied" ? "needs iam:GetRequestAuthorizationDetails" : r.reason}`,
        ...(r.outcome === "denied" ? { needs: "iam:GetRequestAuthorizationDetails" } : {}),
      };
    }
    pages.push(r.value);
    const next = (r.value as { nextToken?: unknown }).nextToken;
    token = typeof next === "string" && next ? next : undefined;
    if (!token) break;
  }
  const uris = new Set<string>();
  for (const p of pages) {
    const list = (p as { policies?: unknown }).policies;
    if (Array.isArray(list))
      for (const x of list) {
        const uri = (x as { uri?: unknown })?.uri;
        if (typeof uri === "string") uris.add(uri);
      }
  }
  const policies: AuthorizationEvidence["policies"] = [];
  const missing: string[] = [];
  for (const uri of [...uris].slice(0, MAX_POLICIES)) {
    const r = await toolboxGet(
      ctx,
      "GetRequestAuthorizationPolicy",
      `/authorization-details/${id}/policy`,
      { policyUri: uri },
      region,
    );
    if (r.ok) policies.push({ uri, output: r.value });
    else
      missing.push(
        `${uri}: ${r.outcome === "denied" ? "needs iam:GetRequestAuthorizationPolicy" : r.reason}`,
      );
  }
  return { ok: true, value: { authorizationId, region, pages, policies, missingPolicies: missing } };
}
