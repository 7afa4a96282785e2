import { createHash, createHmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  addAllowList,
  isReadOnlyOperation,
  LiveRefusedError,
  operationOf,
  READ_ONLY_OPERATIONS,
} from "../../src/live/allowlist.js";
import { callAws, type LiveContext } from "../../src/live/call.js";
import { createReadOnlyClient, makeCommand } from "../../src/live/clients.js";
import { FAKE, FakeAws, queryOk, xml } from "./fake-aws.js";

const creds = { accessKeyId: FAKE.longTermKeyId, secretAccessKey: FAKE.secretAccessKey };

/** node:crypto behind the Checksum interface @smithy/signature-v4 expects. */
type Source = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: Source): string | Uint8Array =>
  typeof d === "string"
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
class NodeSha256 {
  private readonly h;
  constructor(secret?: Source) {
    this.h = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: Source): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {}
}

describe("READ_ONLY_OPERATIONS", () => {
  // The trail push-down's query operations: starting a generated SELECT (it writes only its own result) and
  // stopping the query the run started (src/live/allowlist.ts says why each is there).
  const QUERY_OPERATIONS = [
    "athena:StartQueryExecution",
    "athena:StopQueryExecution",
    "cloudtrail:StartQuery",
    "cloudtrail:CancelQuery",
  ];

  it("holds only reads: every operation is a Get, List, Describe, Lookup, Simulate or Decode, or a query one", () => {
    for (const op of READ_ONLY_OPERATIONS) {
      if (QUERY_OPERATIONS.includes(op)) continue;
      expect(op).toMatch(/^[a-z0-9-]+:(Get|List|Describe|Lookup|Simulate|Decode)[A-Za-z]+$/);
    }
    expect(READ_ONLY_OPERATIONS.filter((op) => QUERY_OPERATIONS.includes(op)).sort()).toEqual(
      [...QUERY_OPERATIONS].sort(),
    );
  });

  it.each([
    ["sts:GetCallerIdentity", true],
    ["iam:GetAccountSummary", true],
    ["iam:CreateAccessKey", false],
    ["iam:DeleteUser", false],
    ["iam:SetSecurityTokenServicePreferences", false],
    ["account:EnableRegion", false],
    ["sts:AssumeRole", false],
    ["IAM:GetUser", false],
  ])("isReadOnlyOperation(%s) is %s", (op, want) => {
    expect(isReadOnlyOperation(op)).toBe(want);
  });

  it("names the operation from the command name, else the smithy context, else refuses it", () => {
    expect(operationOf("iam", { commandName: "GetUserCommand" })).toBe("iam:GetUser");
    expect(operationOf("sts", { __smithy_context: { operation: "GetCallerIdentity" } })).toBe(
      "sts:GetCallerIdentity",
    );
    expect(operationOf("iam", {})).toBe("iam:?");
    expect(isReadOnlyOperation(operationOf("iam", {}))).toBe(false);
  });

  it("registers the middleware at the initialize step, before serialisation and signing", () => {
    const added: Array<{ step: string; priority: string }> = [];
    addAllowList({ add: (_mw, o) => added.push(o) }, "iam");
    expect(added).toEqual([expect.objectContaining({ step: "initialize", priority: "high" })]);
  });
});

describe("the allow-list on real SDK clients", () => {
  const fake = new FakeAws();
  let endpoint = "";
  let providerCalls = 0;
  const provider = async () => {
    providerCalls++;
    return creds;
  };
  beforeAll(async () => {
    endpoint = await fake.start();
    fake.on(
      "iam:GetUser",
      xml(
        queryOk(
          "GetUser",
          "<User><Path>/</Path><UserName>alice</UserName><UserId>AIDAEXAMPLE</UserId><Arn>arn:aws:iam::123456789012:user/alice</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate></User>",
        ),
      ),
    );
  });
  beforeEach(() => {
    fake.seen.length = 0;
    providerCalls = 0;
  });
  afterAll(() => fake.stop());

  it.each(["CreateAccessKey", "DeleteUser", "SetSecurityTokenServicePreferences"])(
    "refuses iam:%s before any request is built: the server receives nothing",
    async (op) => {
      const client = await createReadOnlyClient("iam", {
        region: "us-east-1",
        credentials: provider,
        endpoint,
        timeoutMs: 1000,
        maxAttempts: 2,
      });
      const command = await makeCommand("iam", op, {
        UserName: "alice",
        GlobalEndpointTokenVersion: "v2Token",
      });
      await expect(client.send(command)).rejects.toBeInstanceOf(LiveRefusedError);
      client.destroy();
      expect(fake.seen).toHaveLength(0);
      expect(providerCalls).toBe(0);
    },
  );

  it("refuses a write sent through callAws and records it as `refused` with no attempt", async () => {
    const ctx: LiveContext = {
      credentials: provider,
      timeoutMs: 1000,
      maxAttempts: 2,
      endpointOverride: endpoint,
      audit: [],
      exchanges: [],
    };
    const r = await callAws(ctx, "iam", "CreateAccessKey", { UserName: "alice" }, { region: "us-east-1" });
    expect(r).toMatchObject({ ok: false, outcome: "refused" });
    expect(ctx.audit).toEqual([
      expect.objectContaining({ operation: "iam:CreateAccessKey", outcome: "refused", attempts: 0 }),
    ]);
    expect(fake.seen).toHaveLength(0);
  });

  it("lets a read through, signed with a valid SigV4 Authorization header", async () => {
    const ctx: LiveContext = {
      credentials: provider,
      timeoutMs: 1000,
      maxAttempts: 2,
      endpointOverride: endpoint,
      audit: [],
      exchanges: [],
    };
    const r = await callAws<{ User?: { UserName?: string } }>(
      ctx,
      "iam",
      "GetUser",
      { UserName: "alice" },
      { region: "us-east-1" },
    );
    expect(r).toMatchObject({ ok: true, value: { User: { UserName: "alice" } } });
    expect(fake.seen).toHaveLength(1);
    const seen = fake.seen[0]!;
    const auth = seen.headers.authorization ?? "";
    const m =
      /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)\/(\d{8})\/us-east-1\/iam\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    expect(m).not.toBeNull();
    expect(m![1]).toBe(FAKE.longTermKeyId);
    expect(seen.headers["x-amz-date"]).toMatch(new RegExp(`^${m![2]}T\\d{6}Z$`));
    // Recompute the signature over what the server received.
    const signedHeaders = m![3]!.split(";");
    const headers: Record<string, string> = {};
    for (const h of signedHeaders) headers[h] = String(seen.headers[h]);
    const url = new URL(endpoint);
    const signer = new SignatureV4({
      service: "iam",
      region: "us-east-1",
      credentials: creds,
      sha256: NodeSha256,
    });
    const amzDate = seen.headers["x-amz-date"] as string;
    const signingDate = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    const signed = await signer.sign(
      {
        method: seen.method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path: seen.path,
        query: {},
        headers,
        body: seen.body,
      },
      { signingDate },
    );
    expect(signed.headers.authorization).toBe(auth);
  });
});
