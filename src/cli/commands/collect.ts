// `authdoctor collect [DIR]`: error text and flags -> collect -> summary or JSON report.

import type { CollectOptions } from "../../collect/index.js";
import { InputError } from "../../core/input-error.js";
import { redactText } from "../../core/redact.js";
import type { RegisterCommand } from "../types.js";

export const register: RegisterCommand = (program, exit) => {
  program
    .command("collect")
    .description(
      "write a case bundle from this machine for someone else to diagnose: the error, the environment and AWS files with secrets REDACTED, case.json",
    )
    .argument("[dir]", "the bundle folder to create (default: authdoctor-case-<time>)")
    .option("-f, --file <path>", "the error text (`-` for stdin; default: stdin when it is not a terminal)")
    .option("--profile <name>", "the AWS profile the failing program used")
    .option("--region <region>", "the region the failing call went to")
    .option("--sdk <sdk>", "the SDK that made the call: js, python or cli")
    .option("--time <iso8601>", "when the failure happened (centres the CloudTrail lookups of --live)")
    .option("--notes <text>", "free text for the person who diagnoses the case (case.json `notes`)")
    .option(
      "--live",
      "also read what the caller may: policies, CloudTrail, region state, identity (read-only calls)",
    )
    .option(
      "--sso-refresh",
      "with --live: refresh an expired SSO token in memory (SSO OIDC CreateToken, audited; ~/.aws/sso/cache is never written)",
    )
    .option(
      "--instance <id>",
      "the failing EC2 instance (i-…); with --live its network evidence goes to network/",
    )
    .option("--eni <id>", "the failing network interface (eni-…), when not an instance's primary one")
    .option("--force", "write into an existing, non-empty folder (its files of the same names are replaced)")
    .option("--json", "print the authdoctor.collect/v1 report instead of the summary")
    .addHelpText(
      "after",
      `
Nothing secret is written: secret keys, session tokens, SSO tokens, client secrets, proxy passwords and
credential_process commands become REDACTED; a web identity token keeps its claims, not its signature.
With --live, each call is read-only (the same allow-list as diagnose --live) and printed as it is made;
calls AWS refuses are listed in the bundle's README.md with the permission that would allow each.

Examples:
  $ aws s3 ls s3://reports 2>&1 | authdoctor collect case-4711
  $ authdoctor collect case-4711 --file error.txt --profile prod --region eu-central-1
  $ authdoctor collect case-4711 --file error.txt --live --time 2025-05-12T09:31:43Z
  $ authdoctor collect case-4711 --file error.txt --live --region eu-west-1 --instance i-0123456789abcdef0
  $ authdoctor diagnose --bundle case-4711`,
    )
    .action(async (dir: string | undefined, opts: Record<string, unknown>) => {
      exit.code = await run(dir, opts);
    });
};

/** Options as commander parses them. */
export interface CollectCliOptions {
  file?: string;
  profile?: string;
  region?: string;
  sdk?: string;
  time?: string;
  notes?: string;
  instance?: string;
  eni?: string;
  ssoRefresh?: boolean;
  live?: boolean;
  force?: boolean;
  json?: boolean;
}

const SDKS = new Set(["js", "python", "cli"]);

/** Run `authdoctor collect`; returns the exit code. */
export async function run(dirArg: string | undefined, o: CollectCliOptions): Promise<number> {
  if (o.sdk !== undefined && !SDKS.has(o.sdk))
    throw new InputError("--sdk", `unknown SDK \`${o.sdk}\` (js, python, cli)`);
  if (o.time !== undefined && Number.isNaN(Date.parse(o.time)))
    throw new InputError("--time", `not an ISO 8601 time: \`${o.time}\``);
  if (o.instance !== undefined && !/^i-[0-9a-f]{8,17}$/.test(o.instance))
    throw new InputError("--instance", `not an instance id (i-…): \`${o.instance}\``);
  if (o.eni !== undefined && !/^eni-[0-9a-f]{8,17}$/.test(o.eni))
    throw new InputError("--eni", `not a network interface id (eni-…): \`${o.eni}\``);
  const io = { ...(await import("../../io/read.js")), ...(await import("../output.js")) };
  let text: string | undefined;
  if (o.file) text = await io.readTextFile(o.file);
  else if (!process.stdin.isTTY) text = await io.readStdin();
  const dir =
    dirArg ??
    `authdoctor-case-${new Date()
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}Z$/, "Z")}`;
  const opts: CollectOptions = {
    ...(text !== undefined ? { text } : {}),
    ...(o.profile ? { profile: o.profile } : {}),
    ...(o.region ? { region: o.region } : {}),
    ...(o.sdk ? { sdk: o.sdk as "js" | "python" | "cli" } : {}),
    ...(o.time ? { time: o.time } : {}),
    ...(o.notes ? { notes: o.notes } : {}),
    ...(o.instance ? { instance: o.instance } : {}),
    ...(o.eni ? { eni: o.eni } : {}),
    force: o.force === true,
    live: o.live === true,
    ...(o.ssoRefresh ? { liveOptions: { ssoRefresh: true } } : {}),
    onAudit: (line) => process.stderr.write(`${redactText(line)}\n`),
  };
  const { collect } = await import("../../collect/index.js");
  let report: Awaited<ReturnType<typeof collect>>;
  try {
    report = await collect(dir, opts);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code) throw new InputError(dir, `cannot write the bundle: ${e.code}`);
    throw err;
  }
  if (o.json) {
    await io.writeOutput(redactText(JSON.stringify(report, null, 2)));
  } else {
    const { renderCollectSummary } = await import("../../report/collect.js");
    await io.writeOutput(redactText(renderCollectSummary(report, dir)));
  }
  return 0;
}
