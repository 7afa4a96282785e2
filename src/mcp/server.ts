// `authdoctor mcp`: an MCP server on stdio (official TypeScript SDK v2) exposing authdoctor's read-only tools.
// Both protocol eras are served: the 2026-07-28 opening and the older `initialize` handshake.
// Spec: https://modelcontextprotocol.io/specification/2026-07-28

import { McpServer } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { z } from "zod";
import { InputError } from "../core/input-error.js";
import { safeLine, safeOutput, safeValue } from "../core/output.js";
import { type PathPolicy, pathPolicy } from "./paths.js";
import {
  canInput,
  canTool,
  collectGuideInput,
  collectGuideTool,
  credsInput,
  credsTool,
  diagnoseInput,
  diagnoseTool,
  explainInput,
  explainTool,
  lintInput,
  lintTool,
  type ToolContext,
  type ToolOutput,
  trailExplainInput,
  trailExplainTool,
  trailSessionsInput,
  trailSessionsTool,
  trailSummaryInput,
  trailSummaryTool,
} from "./tools.js";

/** Options of `authdoctor mcp`. */
export interface McpOptions {
  /** Let `diagnose` make read-only AWS calls when a call asks for `live`. */
  allowLive?: boolean;
  /** Folders tools may read (default: the working folder). */
  roots?: string[];
  /** The AWS profile `creds` and live calls use when a call names none. */
  profile?: string;
  version: string;
  /** Where out-of-band protocol errors are reported (one line each, already redacted). */
  onError?: (line: string) => void;
}

/** Every result carries the versioned `schema` of the matching `--json` output. */
const outputSchema = z.looseObject({ schema: z.string() });

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** The tool table: name, description, input schema and handler. */
function tools(ctx: ToolContext) {
  return [
    {
      name: "explain",
      description:
        "Rank the likely root causes of an AWS error text (AccessDenied, InvalidClientTokenId, ExpiredToken, AuthFailure...) offline, with checks and fixes.",
      input: explainInput,
      run: (a: unknown) => explainTool(a as z.infer<typeof explainInput>),
    },
    {
      name: "diagnose",
      description:
        "The main job: from an AWS error to a verdict with its evidence, using a case bundle folder or inline evidence (text, facts, policies, SCP files, CloudTrail paths) and this machine's credential setup.",
      input: diagnoseInput,
      run: (a: unknown) => diagnoseTool(a as z.infer<typeof diagnoseInput>, ctx),
      openWorld: ctx.allowLive,
    },
    {
      name: "creds",
      description:
        "Which credentials the JS v3 SDK, boto3 and the AWS CLI would use on this machine, and what is wrong with them (secrets never shown).",
      input: credsInput,
      run: (a: unknown) => credsTool(a as z.infer<typeof credsInput>, ctx),
    },
    {
      name: "can",
      description:
        "Evaluate one or many requests (principal, action, resource, context) against IAM policies offline: decision, deciding statements, near misses, minimal fix.",
      input: canInput,
      run: (a: unknown) => canTool(a as z.infer<typeof canInput>, ctx),
    },
    {
      name: "lint",
      description:
        "Check IAM policies (files or one inline): grammar with positions, unknown actions, Resources that never match, condition keys.",
      input: lintInput,
      run: (a: unknown) => lintTool(a as z.infer<typeof lintInput>, ctx),
    },
    {
      name: "trail_summary",
      description: "Summarise CloudTrail files: events, failures by code, principal and action.",
      input: trailSummaryInput,
      run: (a: unknown) => trailSummaryTool(a as z.infer<typeof trailSummaryInput>, ctx),
    },
    {
      name: "trail_explain",
      description:
        "Explain the access-denied events of CloudTrail files: the IAM action, the context, and with policies the deciding statement.",
      input: trailExplainInput,
      run: (a: unknown) => trailExplainTool(a as z.infer<typeof trailExplainInput>, ctx),
    },
    {
      name: "trail_sessions",
      description:
        "Role sessions in CloudTrail files: who assumed which role, with which key, and what each session did.",
      input: trailSessionsInput,
      run: (a: unknown) => trailSessionsTool(a as z.infer<typeof trailSessionsInput>, ctx),
    },
    {
      name: "collect_guide",
      description:
        "Which commands gather the evidence for a case (bundle files, CloudTrail lookups, policies), ranked by the causes the error points to and filled from it.",
      input: collectGuideInput,
      run: (a: unknown) => collectGuideTool(a as z.infer<typeof collectGuideInput>),
    },
  ];
}

/** One tool error: a one-line message, through the redaction point. */
function toolError(err: unknown) {
  const msg =
    err instanceof InputError ? err.message : `internal error: ${(err as Error)?.message ?? String(err)}`;
  return { isError: true, content: [{ type: "text" as const, text: safeLine(msg) }] };
}

/** Build one server instance (the stdio entry asks for one per connection). */
export function buildServer(ctx: ToolContext, version: string): McpServer {
  const server = new McpServer(
    { name: "authdoctor", version },
    {
      capabilities: { tools: {} },
      instructions:
        "authdoctor finds out why an AWS call was refused and how to fix it. Start with `explain` on the error text; use `diagnose` with a bundle or the evidence at hand; `collect_guide` says what else to gather. Every tool is read-only.",
    },
  );
  for (const t of tools(ctx)) {
    server.registerTool(
      t.name,
      {
        description: t.description,
        inputSchema: t.input,
        outputSchema,
        annotations: { ...READ_ONLY, openWorldHint: t.openWorld === true },
      },
      async (args: unknown) => {
        try {
          const out: ToolOutput = await t.run(args);
          // the output boundary of the MCP tools: redacted, and every control character from an input escaped
          return {
            content: [{ type: "text" as const, text: safeOutput(out.text, "text", false) }],
            structuredContent: safeValue(out.json),
          };
        } catch (err) {
          return toolError(err);
        }
      },
    );
  }
  return server;
}

/** Serve on stdio until the client closes stdin. */
export async function runMcpServer(opts: McpOptions): Promise<number> {
  const paths: PathPolicy = await pathPolicy(opts.roots ?? []);
  const ctx: ToolContext = {
    paths,
    allowLive: opts.allowLive === true,
    ...(opts.profile ? { profile: opts.profile } : {}),
  };
  await new Promise<void>((resolveDone) => {
    process.stdin.once("end", () => resolveDone());
    process.stdin.once("close", () => resolveDone());
    serveStdio(() => buildServer(ctx, opts.version), {
      onerror: (err) => opts.onError?.(`mcp: ${safeLine(err.message)}`),
    });
  });
  return 0;
}
