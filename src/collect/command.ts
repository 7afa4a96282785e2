// The `collect` command's implementation: read the error text, collect, print the summary or the JSON report.

import { InputError } from "../core/input-error.js";
import { redactText } from "../credentials/mask.js";
import { type CollectOptions, collect } from "./index.js";

/** Options as commander parses them. */
export interface CollectCliOptions {
  file?: string;
  profile?: string;
  region?: string;
  sdk?: string;
  time?: string;
  notes?: string;
  live?: boolean;
  force?: boolean;
  json?: boolean;
}

const SDKS = new Set(["js", "python", "cli"]);

/** Run `authdoctor collect`; returns the exit code. */
export async function runCollectCommand(dirArg: string | undefined, o: CollectCliOptions): Promise<number> {
  if (o.sdk !== undefined && !SDKS.has(o.sdk))
    throw new InputError("--sdk", `unknown SDK \`${o.sdk}\` (js, python, cli)`);
  if (o.time !== undefined && Number.isNaN(Date.parse(o.time)))
    throw new InputError("--time", `not an ISO 8601 time: \`${o.time}\``);
  const io = await import("../cli/io.js");
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
    force: o.force === true,
    live: o.live === true,
    onAudit: (line) => process.stderr.write(`${redactText(line)}\n`),
  };
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
    const { renderCollectSummary } = await import("../report/collect.js");
    await io.writeOutput(redactText(renderCollectSummary(report, dir)));
  }
  return 0;
}
