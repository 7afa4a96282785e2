// `authdoctor mcp`: options and help only; the server (and the MCP SDK) load inside the action.
import { VERSION } from "../../core/version.js";
import type { RegisterCommand } from "../types.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const register: RegisterCommand = (program, exit) => {
  program
    .command("mcp")
    .description(
      "serve authdoctor's read-only tools to an AI assistant over MCP (stdio): explain, diagnose, creds, can, lint, trail_*, collect_guide",
    )
    .option("--allow-live", "let `diagnose` make read-only AWS calls when a tool call asks for `live`")
    .option(
      "--root <dir>",
      "a folder the tools may read files from (repeatable; default: the working folder)",
      collect,
    )
    .option("--profile <name>", "the AWS profile `creds` and live calls use when a call names none")
    .addHelpText(
      "after",
      `
The server speaks MCP on stdin/stdout (both the 2026-07-28 protocol and the older initialize handshake);
messages go to stderr. Every tool is read-only; file paths must lie inside a --root folder.

Examples:
  $ authdoctor mcp
  $ authdoctor mcp --root ~/cases --root ~/infra/policies
  $ authdoctor mcp --allow-live --profile prod-readonly
  $ claude mcp add authdoctor -- authdoctor mcp --root "$PWD"`,
    )
    .action(async (opts: { allowLive?: boolean; root?: string[]; profile?: string }) => {
      const { runMcpServer } = await import("../../mcp/server.js");
      exit.code = await runMcpServer({
        ...(opts.allowLive ? { allowLive: true } : {}),
        ...(opts.root ? { roots: opts.root } : {}),
        ...(opts.profile ? { profile: opts.profile } : {}),
        version: VERSION,
        onError: (line: string) => process.stderr.write(`authdoctor ${line}\n`),
      });
    });
};
