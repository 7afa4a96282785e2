// `authdoctor creds`: environment and files -> inspectCredentials -> text or JSON renderer.
import { InputError } from "../../core/input-error.js";
import type { RegisterCommand } from "../types.js";

const SDKS = ["js", "python", "cli"] as const;

export interface CredsFlags {
  profile?: string;
  sdk?: string;
  json?: boolean;
  chain?: boolean;
  configFile?: string;
  credentialsFile?: string;
  ssoCache?: string;
}

export const register: RegisterCommand = (program, exit) => {
  program
    .command("creds")
    .description(
      "show which credentials each SDK (JS v3, boto3, AWS CLI v2) would use here, and what is wrong with them",
    )
    .option("--profile <name>", "select a profile as each SDK's own --profile / profile option would")
    .option("--sdk <sdk>", "only this SDK: js, python or cli")
    .option("--json", "print the authdoctor.credentials/v1 JSON object")
    .option("--chain", "show every link of each provider chain")
    .option("--config-file <path>", "read this config file instead of AWS_CONFIG_FILE / ~/.aws/config")
    .option("--credentials-file <path>", "read this credentials file instead of AWS_SHARED_CREDENTIALS_FILE")
    .option("--sso-cache <dir>", "read SSO tokens from this folder instead of ~/.aws/sso/cache")
    .addHelpText(
      "after",
      `
Offline: reads the environment and local files only, never the network; secrets are never printed.

Examples:
  $ authdoctor creds
  $ authdoctor creds --profile dev --sdk python
  $ authdoctor creds --json | jq '.resolution.js.winner'
  $ AWS_PROFILE=prod authdoctor creds --chain`,
    )
    .action(async (flags: CredsFlags) => {
      exit.code = await run(flags);
    });
};

export async function run(flags: CredsFlags): Promise<number> {
  if (flags.sdk !== undefined && !(SDKS as readonly string[]).includes(flags.sdk))
    throw new InputError("--sdk", `expected js, python or cli, got \`${flags.sdk}\``);
  const sdk = flags.sdk as (typeof SDKS)[number] | undefined;
  // the renderer and the output load while the model runs
  const rest = Promise.all([
    flags.json ? undefined : import("../../report/credentials.js"),
    import("../output.js"),
  ]);
  const { inspectCredentials } = await import("../../credentials/inspect.js");
  const report = await inspectCredentials({
    env: { ...process.env },
    ...(flags.profile !== undefined ? { profile: flags.profile } : {}),
    ...(flags.configFile ? { configFile: flags.configFile } : {}),
    ...(flags.credentialsFile ? { credentialsFile: flags.credentialsFile } : {}),
    ...(flags.ssoCache ? { ssoCacheDir: flags.ssoCache } : {}),
  });
  const [render, { writeOutput, stdoutStyle }] = await rest;
  if (!render) {
    const body = sdk
      ? {
          ...report,
          resolution: { [sdk]: report.resolution[sdk] },
          findings: report.findings.filter((f) => !f.sdks || f.sdks.includes(sdk)),
        }
      : report;
    await writeOutput(JSON.stringify(body, null, 2));
  } else {
    // values from the files (a region with a NUL or an escape sequence) are shown, not sent to the terminal
    await writeOutput(
      render.renderCredentialsText(report, stdoutStyle(), {
        ...(sdk ? { sdk } : {}),
        chain: flags.chain === true,
      }),
    );
  }
  return 0;
}
