// `authdoctor creds`: options and help only; the credential model loads inside the action.
import { InputError } from "../core/input-error.js";
import type { RegisterCommand } from "./types.js";

const SDKS = ["js", "python", "cli"] as const;

export const registerCreds: RegisterCommand = (program, exit) => {
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
    .action(
      async (opts: {
        profile?: string;
        sdk?: string;
        json?: boolean;
        chain?: boolean;
        configFile?: string;
        credentialsFile?: string;
        ssoCache?: string;
      }) => {
        if (opts.sdk !== undefined && !(SDKS as readonly string[]).includes(opts.sdk))
          throw new InputError("--sdk", `expected js, python or cli, got \`${opts.sdk}\``);
        const sdk = opts.sdk as (typeof SDKS)[number] | undefined;
        // start loading the renderer while the model runs (text output only)
        const renderer = opts.json
          ? undefined
          : Promise.all([import("../credentials/render.js"), import("../report/style.js")]);
        const { writeResult } = await import("./output.js");
        const { inspectCredentials } = await import("../credentials/inspect.js");
        const report = await inspectCredentials({
          env: { ...process.env },
          ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
          ...(opts.configFile ? { configFile: opts.configFile } : {}),
          ...(opts.credentialsFile ? { credentialsFile: opts.credentialsFile } : {}),
          ...(opts.ssoCache ? { ssoCacheDir: opts.ssoCache } : {}),
        });
        if (opts.json) {
          const body = sdk
            ? {
                ...report,
                resolution: { [sdk]: report.resolution[sdk] },
                findings: report.findings.filter((f) => !f.sdks || f.sdks.includes(sdk)),
              }
            : report;
          await writeResult(JSON.stringify(body, null, 2), "json");
        } else {
          const [{ renderCredentialsText }, { colourEnabled, makeStyle }] = await renderer!;
          const text = renderCredentialsText(report, makeStyle(colourEnabled(process.stdout)), {
            ...(sdk ? { sdk } : {}),
            chain: opts.chain === true,
          });
          // values from the files (a region with a NUL or an escape sequence) are shown, not sent to the terminal
          await writeResult(text, "text");
        }
        exit.code = 0;
      },
    );
};
