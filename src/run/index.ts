// `authdoctor run -- <command> [args...]`: run the command as it is; when it fails with what looks like an AWS
// auth error, diagnose its output with this machine's evidence and print the diagnosis on stderr after it.

import { basename } from "node:path";
import { OTHER_CAUSE } from "../core/cause-ids.js";
import type { Diagnosis } from "../core/diagnosis.js";
import { InputError } from "../core/input-error.js";
import { safeLine, safeOutput } from "../core/output.js";
import type { Sdk } from "../diagnose/inputs.js";
import { colourEnabled, makeStyle } from "../report/style.js";
import { type RunOutcome, runCommand } from "./wrap.js";

/** Options of `authdoctor run`. */
export interface RunOptions {
  /** Write the diagnosis (authdoctor.diagnosis/v1) to this file when one was made. */
  json?: string;
  profile?: string;
  region?: string;
  sdk?: string;
  /** Diagnose whenever the command fails, not only when its output looks like an AWS auth error. */
  always?: boolean;
}

const SDKS = new Set(["js", "python", "cli"]);

/** Whose credential chain the command uses, from its name: `aws` is the CLI, `python*` boto3, `node` JS. */
export function sdkOfCommand(command: string): Sdk | undefined {
  const name = basename(command)
    .toLowerCase()
    .replace(/\.exe$/, "");
  if (name === "aws") return "cli";
  if (/^python[0-9.]*$/.test(name) || name === "pytest" || name === "uv" || name === "poetry")
    return "python";
  if (["node", "npx", "npm", "tsx", "ts-node", "deno", "bun", "cdk", "sls", "serverless"].includes(name))
    return "js";
  return undefined;
}

/**
 * Whether an explained output looks like an AWS auth error worth a diagnosis: a failure with an error code that
 * authdoctor recognises, whose most likely cause is one of the taxonomy's (not OTHER, which covers AWS errors
 * that are no auth problem, such as throttling or a missing resource).
 */
export function looksLikeAuthError(explained: Diagnosis): boolean {
  const top = explained.causes[0];
  return explained.failures.some((f) => f.code !== undefined) && top !== undefined && top.id !== OTHER_CAUSE;
}

/** The text to diagnose: stderr (where errors usually go) first, then stdout. */
function capturedText(o: RunOutcome): string {
  return [o.stderrTail, o.stdoutTail].filter((t) => t.trim() !== "").join("\n");
}

/** Run the command and return the exit code to end with (the command's own). */
export async function runWrapped(
  argv: string[],
  o: RunOptions,
  writeStderr: (text: string) => void = () => {},
): Promise<number> {
  if (argv.length === 0)
    throw new InputError("run", "give the command after `--`: authdoctor run -- aws s3 ls");
  if (o.sdk !== undefined && !SDKS.has(o.sdk))
    throw new InputError("--sdk", `unknown SDK \`${o.sdk}\` (js, python, cli)`);
  const [command, ...args] = argv as [string, ...string[]];
  // Our own stdout reader going away (`authdoctor run -- cmd | head`) must not end us before the command ends.
  process.stdout.removeAllListeners("error");
  process.stdout.on("error", () => {});
  const outcome = await runCommand(command, args);
  const shown = [command, ...args].join(" ");
  if (outcome.spawnError) {
    const why = outcome.spawnError === "ENOENT" ? "no such command" : outcome.spawnError;
    writeStderr(`authdoctor: cannot run \`${safeLine(command)}\`: ${why}\n`);
    return outcome.exitCode;
  }
  if (outcome.exitCode === 0) return 0;
  const text = capturedText(outcome);
  if (text === "") return outcome.exitCode;

  try {
    const { explainText } = await import("../diagnose/explain.js");
    const explained = explainText(text, o.region ? { region: o.region } : {});
    if (!o.always && !looksLikeAuthError(explained)) return outcome.exitCode;
    const [{ resolveInputs }, { diagnose }, { renderDiagnoseText }] = await Promise.all([
      import("../diagnose/inputs.js"),
      import("../diagnose/run.js"),
      import("../report/diagnose.js"),
    ]);
    const sdk = (o.sdk as Sdk | undefined) ?? sdkOfCommand(command);
    const input = resolveInputs(
      {
        text,
        textOrigin: `output of \`${safeLine(shown).slice(0, 80)}\``,
        ...(o.profile ? { profile: o.profile } : {}),
        ...(o.region ? { region: o.region } : {}),
        ...(sdk ? { sdk } : {}),
        live: false,
      },
      undefined,
    );
    const diagnosis = await diagnose(input);
    const style = makeStyle(colourEnabled(process.stderr));
    const how = outcome.signal ? `was ended by ${outcome.signal}` : `failed (exit ${outcome.exitCode})`;
    const head = style.bold(`authdoctor: \`${safeLine(shown).slice(0, 120)}\` ${how}; diagnosis:`);
    // INVARIANT: the diagnosis leaves through the one output boundary (it quotes the command's output).
    const body = safeOutput(`${head}\n${renderDiagnoseText(diagnosis, { style })}`, "text", style.enabled);
    writeStderr(`\n${body.replace(/\n?$/, "\n")}`);
    if (o.json) {
      const { renderJson } = await import("../report/json.js");
      const { writeFile } = await import("node:fs/promises");
      try {
        await writeFile(o.json, `${safeOutput(renderJson(diagnosis), "json").replace(/\n?$/, "\n")}`);
      } catch (err) {
        writeStderr(`authdoctor: ${o.json}: cannot write: ${safeLine((err as Error).message)}\n`);
      }
    }
  } catch (err) {
    // The command's exit code is what this wrapper returns, whatever happened to the diagnosis.
    const msg = err instanceof InputError ? err.message : `internal error: ${(err as Error)?.message}`;
    writeStderr(`authdoctor: no diagnosis: ${safeLine(msg)}\n`);
  }
  return outcome.exitCode;
}
