// End-to-end: `authdoctor mcp` as a real stdio child process, driven by the MCP SDK's client (both protocol eras)
// and by raw JSON-RPC lines (initialize -> tools/list -> tools/call).

import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const bin = path.join(repoRoot, "dist/cli/bin.js");
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARYKEY1";
const TOKEN = `IQoJb3JpZ2luX2VjECANARYTOKEN${"Zm9vYmFy".repeat(20)}`;

const home = mkdtempSync(path.join(tmpdir(), "authdoctor-mcp-home-"));
writeFileSync(
  path.join(home, "credentials"),
  `[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n`,
);

function env(extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("AWS_")) out[k] = v;
  return {
    ...out,
    HOME: home,
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, "credentials"),
    AWS_CONFIG_FILE: path.join(home, "config"),
    AWS_ACCESS_KEY_ID: "ASIAQ3EGUXAMPLEVV7AB",
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_SESSION_TOKEN: TOKEN,
    NO_COLOR: "1",
    ...extra,
  };
}

async function connect(args: string[] = [], era?: "modern"): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, "mcp", "--root", repoRoot, ...args],
    env: env(),
    cwd: repoRoot,
    stderr: "pipe",
  });
  const client = new Client(
    { name: "authdoctor-test", version: "1.0.0" },
    era === "modern" ? { versionNegotiation: { mode: { pin: "2026-07-28" } } } : {},
  );
  await client.connect(transport);
  return client;
}

const textOf = (r: { content?: unknown }) =>
  ((r.content ?? []) as Array<{ type: string; text?: string }>).map((c) => c.text ?? "").join("\n");

describe("authdoctor mcp (SDK client, initialize handshake)", () => {
  let client: Client;
  beforeAll(async () => {
    client = await connect();
  }, 30_000);
  afterAll(async () => {
    await client?.close();
  });

  it("lists the read-only tools with bounded JSON schemas", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        "can",
        "collect_guide",
        "creds",
        "diagnose",
        "explain",
        "lint",
        "trail_explain",
        "trail_sessions",
        "trail_summary",
      ].sort(),
    );
    const explain = tools.find((t) => t.name === "explain")!;
    const text = (explain.inputSchema.properties as Record<string, { maxLength?: number }>).text!;
    expect(text.maxLength).toBe(256 * 1024);
    expect(explain.annotations?.readOnlyHint).toBe(true);
    const can = tools.find((t) => t.name === "can")!;
    expect((can.inputSchema.properties as Record<string, { maxItems?: number }>).requests!.maxItems).toBe(
      1000,
    );
  });

  it("explain returns the authdoctor.diagnosis/v1 object and a short text", async () => {
    const r = await client.callTool({
      name: "explain",
      arguments: {
        text: "An error occurred (AuthFailure) when calling the DescribeInstances operation: AWS was not able to validate the provided access credentials",
        region: "ap-east-1",
      },
    });
    expect(r.isError).toBeFalsy();
    const s = r.structuredContent as { schema: string; causes: Array<{ id: string }> };
    expect(s.schema).toBe("authdoctor.diagnosis/v1");
    expect(s.causes[0]!.id).toBe("STS_TOKEN_VERSION_REGION");
    expect(textOf(r)).toContain("STS_TOKEN_VERSION_REGION");
  });

  it("diagnose on a bundle gives the verdict", async () => {
    const r = await client.callTool({
      name: "diagnose",
      arguments: { bundle: "examples/passrole-missing" },
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    const s = r.structuredContent as { schema: string; verdict: { cause: string } };
    expect(s.schema).toBe("authdoctor.diagnosis/v1");
    expect(s.verdict.cause).toBe("PASSROLE_MISSING");
    expect(textOf(r)).toContain("PASSROLE_MISSING");
  });

  it("diagnose takes inline evidence: text, facts and policies", async () => {
    const r = await client.callTool({
      name: "diagnose",
      arguments: {
        text: "An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::111122223333:assumed-role/App/s1 is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::reports/q1.csv because no identity-based policy allows the s3:GetObject action",
        region: "eu-west-1",
        policies: [
          {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::reprots/*" }],
          },
        ],
      },
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    const s = r.structuredContent as {
      verdict: { cause: string };
      checked: Array<{ source: string; status: string }>;
    };
    expect(s.checked.find((c) => c.source === "policies")?.status).toBe("used");
    expect(["IAM_RESOURCE_MISMATCH", "IAM_ACTION_NOT_ALLOWED"]).toContain(s.verdict.cause);
  });

  it("diagnose refuses live calls unless the server was started with --allow-live", async () => {
    const r = await client.callTool({
      name: "diagnose",
      arguments: {
        text: "An error occurred (ExpiredToken) when calling the ListBuckets operation: The provided token has expired.",
        live: true,
      },
    });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain("--allow-live");
  });

  it("can evaluates many requests in one call", async () => {
    const r = await client.callTool({
      name: "can",
      arguments: {
        policies: [
          {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }],
          },
        ],
        requests: [
          {
            principal: "arn:aws:iam::111122223333:user/alice",
            action: "s3:GetObject",
            resource: "arn:aws:s3:::b/k",
            resourceAccount: "111122223333",
          },
          {
            principal: "arn:aws:iam::111122223333:user/alice",
            action: "s3:PutObject",
            resource: "arn:aws:s3:::b/k",
            resourceAccount: "111122223333",
          },
        ],
      },
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    const s = r.structuredContent as { schema: string; results: Array<{ schema: string; decision: string }> };
    expect(s.schema).toBe("authdoctor.evaluations/v1");
    expect(s.results.map((x) => x.decision)).toEqual(["Allowed", "ImplicitDeny"]);
    expect(s.results[0]!.schema).toBe("authdoctor.evaluation/v1");
  });

  it("lint checks an inline policy with positions", async () => {
    const r = await client.callTool({
      name: "lint",
      arguments: {
        policy:
          '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:ListBuckets", "Resource": "*"}]\n}',
      },
    });
    const s = r.structuredContent as {
      schema: string;
      files: Array<{ findings: Array<{ code: string; where: { line: number } }> }>;
    };
    expect(s.schema).toBe("authdoctor.lint/v1");
    const f = s.files[0]!.findings.find((x) => x.code === "unknown_action")!;
    expect(f.where.line).toBe(3);
  });

  it("trail tools read a bundle's CloudTrail folder", async () => {
    const trail = "examples/appsync-unauthorized/trail";
    const sum = await client.callTool({ name: "trail_summary", arguments: { paths: [trail] } });
    expect(sum.isError, textOf(sum)).toBeFalsy();
    expect((sum.structuredContent as { schema: string }).schema).toBe("authdoctor.trail-summary/v1");
    const exp = await client.callTool({ name: "trail_explain", arguments: { paths: [trail] } });
    expect((exp.structuredContent as { schema: string }).schema).toMatch(/^authdoctor\.trail-explain\//);
    const ses = await client.callTool({ name: "trail_sessions", arguments: { paths: [trail] } });
    expect((ses.structuredContent as { schema: string }).schema).toMatch(/^authdoctor\.trail-sessions\//);
  });

  it("collect_guide fills the commands from the error", async () => {
    const r = await client.callTool({
      name: "collect_guide",
      arguments: {
        text: "An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::111122223333:assumed-role/App/s1 is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::reports/q1.csv because no identity-based policy allows the s3:GetObject action",
        region: "eu-west-1",
        time: "2025-05-12T09:31:43Z",
      },
    });
    const s = r.structuredContent as { schema: string; steps: Array<{ file: string; commands: string[] }> };
    expect(s.schema).toBe("authdoctor.collect-guide/v1");
    const all = s.steps.flatMap((x) => x.commands).join("\n");
    expect(all).toContain(
      "aws cloudtrail lookup-events --region eu-west-1 --start-time 2025-05-12T09:01:43Z",
    );
    expect(all).toContain("aws s3api get-bucket-policy --bucket reports");
    expect(all).not.toMatch(/<[a-z-]+>/);
  });

  it("creds never returns the secret key or the session token", async () => {
    const r = await client.callTool({ name: "creds", arguments: {} });
    expect(r.isError, textOf(r)).toBeFalsy();
    const all = JSON.stringify(r);
    expect(all).toContain("ASIA****V7AB");
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain("CANARYTOKEN");
  });

  it("errors are tool errors, and the server keeps serving", async () => {
    const outside = await client.callTool({ name: "lint", arguments: { files: ["/etc/hostname"] } });
    expect(outside.isError).toBe(true);
    expect(textOf(outside)).toContain("outside the folders");
    const stdin = await client.callTool({ name: "trail_summary", arguments: { paths: ["-"] } });
    expect(stdin.isError).toBe(true);
    const big = await client.callTool({ name: "explain", arguments: { text: "x".repeat(300 * 1024) } });
    expect(big.isError).toBe(true);
    const missing = await client.callTool({
      name: "diagnose",
      arguments: { bundle: "examples/no-such-case" },
    });
    expect(missing.isError).toBe(true);
    const ok = await client.callTool({
      name: "explain",
      arguments: { text: "ExpiredToken: The security token included in the request is expired" },
    });
    expect(ok.isError).toBeFalsy();
  });
});

describe("authdoctor mcp (SDK client, 2026-07-28 protocol)", () => {
  it("serves the same tools to a modern client", async () => {
    const client = await connect([], "modern");
    try {
      const { tools } = await client.listTools();
      expect(tools.length).toBe(9);
      const r = await client.callTool({
        name: "explain",
        arguments: {
          text: "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.",
        },
      });
      expect((r.structuredContent as { causes: Array<{ id: string }> }).causes[0]!.id).toBe("KEY_INVALID_ID");
    } finally {
      await client.close();
    }
  }, 30_000);
});

describe("authdoctor mcp (raw JSON-RPC over stdio)", () => {
  it("answers initialize, tools/list and tools/call, and exits when stdin closes", async () => {
    const child = spawn(process.execPath, [bin, "mcp", "--root", repoRoot], { cwd: repoRoot, env: env() });
    const replies = new Map<number, Record<string, unknown>>();
    let buf = "";
    const waiters = new Map<number, (v: Record<string, unknown>) => void>();
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d: string) => {
      buf += d;
      let i = buf.indexOf("\n");
      while (i >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        i = buf.indexOf("\n");
        if (!line.trim()) continue;
        const msg = JSON.parse(line) as { id?: number };
        if (typeof msg.id === "number") {
          replies.set(msg.id, msg);
          waiters.get(msg.id)?.(msg);
        }
      }
    });
    const send = (m: unknown) => child.stdin.write(`${JSON.stringify(m)}\n`);
    const call = (id: number, method: string, params: unknown) =>
      new Promise<Record<string, unknown>>((resolve) => {
        waiters.set(id, resolve);
        send({ jsonrpc: "2.0", id, method, params });
      });
    const init = await call(1, "initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "raw", version: "1" },
    });
    expect((init.result as { serverInfo: { name: string } }).serverInfo.name).toBe("authdoctor");
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    const list = await call(2, "tools/list", {});
    expect((list.result as { tools: unknown[] }).tools).toHaveLength(9);
    const res = await call(3, "tools/call", {
      name: "explain",
      arguments: {
        text: "An error occurred (ExpiredToken) when calling the ListBuckets operation: The provided token has expired.",
      },
    });
    const result = res.result as { structuredContent: { schema: string; causes: Array<{ id: string }> } };
    expect(result.structuredContent.schema).toBe("authdoctor.diagnosis/v1");
    expect(result.structuredContent.causes[0]!.id).toBe("TOKEN_EXPIRED");
    const bad = await call(4, "tools/call", { name: "can", arguments: { requests: [] } });
    expect(JSON.stringify(bad)).toMatch(/isError|error/);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.stdin.end();
    expect(await exited).toBe(0);
  }, 30_000);
});

describe("authdoctor mcp --allow-live", () => {
  it("lets diagnose make read-only calls, listed in the result", async () => {
    const { FakeAws, queryOk, queryError, xml } = await import("../live/fake-aws.js");
    const fake = new FakeAws();
    const url = await fake.start();
    fake
      .on(
        "sts:GetCallerIdentity",
        xml(
          queryOk(
            "GetCallerIdentity",
            "<Arn>arn:aws:iam::111122223333:user/alice</Arn><UserId>AIDAEXAMPLE</UserId><Account>111122223333</Account>",
            "https://sts.amazonaws.com/doc/2011-06-15/",
          ),
        ),
      )
      .on("iam:GetAccountSummary", queryError(403, "AccessDenied", "not authorized"));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, "mcp", "--root", repoRoot, "--allow-live"],
      env: {
        ...env({ AWS_ENDPOINT_URL: url, AWS_REGION: "eu-west-1", AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE" }),
        AWS_SESSION_TOKEN: "",
      },
      cwd: repoRoot,
      stderr: "pipe",
    });
    const client = new Client({ name: "authdoctor-test", version: "1.0.0" });
    try {
      await client.connect(transport);
      const r = await client.callTool({
        name: "diagnose",
        arguments: {
          text: "An error occurred (AccessDenied) when calling the ListBuckets operation: Access Denied",
          live: true,
        },
      });
      expect(r.isError, textOf(r)).toBeFalsy();
      const s = r.structuredContent as { checked: Array<{ source: string; status: string }> };
      expect(s.checked.find((c) => c.source === "live")?.status).toBe("used");
      expect(textOf(r)).toContain("sts:GetCallerIdentity");
      expect(fake.count("sts:GetCallerIdentity")).toBeGreaterThan(0);
      for (const seen of fake.seen)
        expect(seen.route).toMatch(/^[a-z-]+:(Get|List|Describe|Lookup|Simulate|Decode)/);
      expect(JSON.stringify(r)).not.toContain(SECRET);
    } finally {
      await client.close();
      await fake.stop();
    }
  }, 60_000);
});
