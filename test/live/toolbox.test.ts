// Live iam-toolbox calls against the fake endpoint: real SigV4, verified by recomputing the signature.

import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Failure } from "../../src/core/index.js";
import { liveSignals } from "../../src/diagnose/signals/live.js";
import { isReadOnlyOperation } from "../../src/live/allowlist.js";
import { runLiveProbes } from "../../src/live/index.js";
import { FAKE, FakeAws, json, restError, type Seen } from "./fake-aws.js";

const FIX = join(import.meta.dirname, "../fixtures/authorization-details/passrole");
const ID = "0k3m9x2q7w5t1z8c";
const creds = async () => ({ accessKeyId: FAKE.longTermKeyId, secretAccessKey: FAKE.secretAccessKey });
const details = JSON.parse(readFileSync(join(FIX, "authorization-details.json"), "utf8"));
const policy = JSON.parse(readFileSync(join(FIX, "authorization-policies/deployer-ecs.json"), "utf8"));
const POLICY_URI = "arn:aws:iam::111122223333:policy/deployer-ecs";

const bytes = (d: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
  typeof d === "string"
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

class Sha {
  private h;
  constructor(k?: string | ArrayBuffer | ArrayBufferView) {
    this.h = k !== undefined ? createHmac("sha256", bytes(k)) : createHash("sha256");
  }
  update(d: string | ArrayBuffer | ArrayBufferView) {
    this.h.update(bytes(d));
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
  reset() {}
}

/** Recompute the SigV4 signature of what the fake received; true when it matches the Authorization header. */
async function signatureValid(s: Seen, endpoint: string): Promise<boolean> {
  const url = new URL(`${endpoint}${s.path}`);
  const amzDate = String(s.headers["x-amz-date"]);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({
    service: "iam-toolbox",
    region: "eu-west-1",
    credentials: creds,
    sha256: Sha,
  });
  const signed = await signer.sign(
    {
      method: s.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: String(s.headers.host), accept: String(s.headers.accept) },
    },
    { signingDate },
  );
  return signed.headers.authorization === s.headers.authorization;
}

const failure: Failure = {
  format: "aws-cli",
  raw: "",
  code: "AccessDeniedException",
  action: "iam:PassRole",
  authorization: { id: ID, region: "eu-west-1" },
  notes: [],
};

describe("live: iam-toolbox authorization details", () => {
  const fake = new FakeAws();
  let endpoint = "";
  beforeAll(async () => {
    endpoint = await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  const run = () =>
    runLiveProbes({
      failure,
      endpointOverride: endpoint,
      credentials: creds,
      probes: ["authorization-details"],
      timeoutMs: 2000,
      maxAttempts: 1,
    });

  it("both operations are on the read-only allow-list", () => {
    expect(isReadOnlyOperation("iam:GetRequestAuthorizationDetails")).toBe(true);
    expect(isReadOnlyOperation("iam:GetRequestAuthorizationPolicy")).toBe(true);
  });

  it("calls both operations signed with SigV4 (verified), audits them, and gives verified signals", async () => {
    const policyRoute = `iam-toolbox:GET /authorization-details/${ID}/policy?policyUri=${encodeURIComponent(POLICY_URI)}`;
    fake.on(`iam-toolbox:GET /authorization-details/${ID}`, json(details, "application/json"));
    fake.on(policyRoute, json(policy, "application/json"));
    const report = await run();
    expect(report.authorizationDetails?.ok).toBe(true);
    expect(fake.seen.map((s) => s.route)).toEqual([
      `iam-toolbox:GET /authorization-details/${ID}`,
      policyRoute,
    ]);
    for (const s of fake.seen) {
      expect(s.headers.authorization).toMatch(
        /Credential=AKIA[^/]+\/\d{8}\/eu-west-1\/iam-toolbox\/aws4_request/,
      );
      expect(await signatureValid(s, endpoint)).toBe(true);
    }
    expect(report.audit.map((a) => a.operation)).toEqual([
      "iam:GetRequestAuthorizationDetails",
      "iam:GetRequestAuthorizationPolicy",
    ]);
    const signals = liveSignals(report, failure);
    const pass = signals.find((s) => s.cause === "PASSROLE_MISSING" && s.effect === "confirms");
    expect(pass?.grade).toBe("verified");
  });

  it("not found (past retention) and no permission become unknowns naming what would decide", async () => {
    fake.on(
      `iam-toolbox:GET /authorization-details/${ID}`,
      restError(404, "ResourceNotFoundException", "gone"),
    );
    const gone = await run();
    expect(gone.authorizationDetails?.ok).toBe(false);
    expect(gone.unknowns.find((u) => /authorization details/.test(u.what))?.why).toMatch(/retention/);

    fake.reset();
    fake.on(`iam-toolbox:GET /authorization-details/${ID}`, restError(403, "AccessDeniedException", "no"));
    const denied = await run();
    expect(denied.unknowns.find((u) => /authorization details/.test(u.what))?.needs).toBe(
      "iam:GetRequestAuthorizationDetails",
    );
  });
});
