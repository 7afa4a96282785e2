// The `diagnose` command's implementation: gather inputs (flags over bundle), run, render, write.

import { InputError } from "../core/input-error.js";
import { redactText } from "../credentials/mask.js";
import { loadBundle } from "./bundle.js";
import { checkExplicitInputs, type DiagnoseFlags, resolveInputs, type Sdk } from "./inputs.js";

/** Options as commander parses them. */
export interface DiagnoseCliOptions {
  file?: string;
  authz?: string;
  scp?: string[];
  rcp?: string[];
  policy?: string[];
  resourcePolicy?: string[];
  trail?: string[];
  profile?: string;
  sdk?: string;
  region?: string;
  bundle?: string;
  live?: boolean;
  principal?: string;
  action?: string;
  resource?: string;
  time?: string;
  notes?: string;
  fact?: string[];
  format?: string;
  out?: string;
  json?: boolean;
  verbose?: boolean;
}

const FORMATS = new Set(["text", "json", "markdown", "html"]);
const SDKS = new Set(["js", "python", "cli"]);

/** Run `authdoctor diagnose`; returns the exit code (input errors are written here, one line each). */
export async function runDiagnoseCommand(words: string[], o: DiagnoseCliOptions): Promise<number> {
  const format = o.json ? "json" : (o.format ?? "text");
  if (!FORMATS.has(format))
    throw new InputError("--format", `unknown format \`${format}\` (text, json, markdown, html)`);
  if (o.sdk !== undefined && !SDKS.has(o.sdk))
    throw new InputError("--sdk", `unknown SDK \`${o.sdk}\` (js, python, cli)`);
  if (o.time !== undefined && Number.isNaN(Date.parse(o.time))) {
    throw new InputError("--time", `not an ISO 8601 time: \`${o.time}\``);
  }
  const { parseFactFlag } = await import("./notes.js");
  const facts = (o.fact ?? []).map((spec) => {
    try {
      return parseFactFlag(spec);
    } catch (err) {
      throw new InputError("--fact", (err as Error).message.replace(/^--fact /, ""));
    }
  });
  const io = await import("../cli/io.js");
  let text: string | undefined;
  let textOrigin: string | undefined;
  if (words.length > 0) {
    text = words.join(" ");
    textOrigin = "arguments";
  } else if (o.file) {
    text = await io.readTextFile(o.file);
    textOrigin = o.file === "-" ? "stdin" : o.file;
  } else if (!o.bundle && !process.stdin.isTTY) {
    text = await io.readStdin();
    textOrigin = "stdin";
  }
  const flags: DiagnoseFlags = {
    ...(text !== undefined ? { text } : {}),
    ...(textOrigin ? { textOrigin } : {}),
    ...(o.principal ? { principal: o.principal } : {}),
    ...(o.action ? { action: o.action } : {}),
    ...(o.resource ? { resource: o.resource } : {}),
    ...(o.time ? { time: o.time } : {}),
    ...(o.region ? { region: o.region } : {}),
    ...(o.sdk ? { sdk: o.sdk as Sdk } : {}),
    ...(o.profile ? { profile: o.profile } : {}),
    ...(o.authz ? { authz: o.authz } : {}),
    ...(o.scp ? { scp: o.scp } : {}),
    ...(o.rcp ? { rcp: o.rcp } : {}),
    ...(o.policy ? { policy: o.policy } : {}),
    ...(o.resourcePolicy ? { resourcePolicy: o.resourcePolicy } : {}),
    ...(o.trail ? { trail: o.trail } : {}),
    ...(o.notes !== undefined ? { notes: o.notes } : {}),
    ...(facts.length > 0 ? { facts } : {}),
    live: o.live === true,
  };
  const bundle = o.bundle ? await loadBundle(o.bundle) : undefined;
  const input = resolveInputs(flags, bundle);
  if (input.text === undefined && !input.request.action && !input.request.principal) {
    throw new InputError(
      "diagnose",
      "no error text: pass it as arguments, with --file, on stdin, or in a bundle (error.txt); or give --action and --principal",
    );
  }
  const errors = await checkExplicitInputs(input);
  if (errors.length > 0) {
    for (const e of errors.slice(0, -1)) process.stderr.write(`authdoctor: ${e.message}\n`);
    throw errors[errors.length - 1]!;
  }

  const { diagnose } = await import("./run.js");
  const diagnosis = await diagnose(input, {
    onAudit: (audit) => process.stderr.write(`${redactText(audit).replace(/\n?$/, "\n")}`),
  });

  let body: string;
  if (format === "json") {
    const { renderJson } = await import("../report/json.js");
    body = renderJson(diagnosis);
  } else if (format === "markdown") {
    const { renderMarkdown } = await import("../report/markdown.js");
    body = renderMarkdown(diagnosis);
  } else if (format === "html") {
    const { renderHtml } = await import("../report/html.js");
    body = renderHtml(diagnosis, { generatedAt: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") });
  } else {
    const [{ renderDiagnoseText }, { colourEnabled, makeStyle }] = await Promise.all([
      import("./text.js"),
      import("../report/style.js"),
    ]);
    const colour = o.out ? false : colourEnabled(process.stdout);
    body = renderDiagnoseText(diagnosis, { style: makeStyle(colour), verbose: o.verbose === true });
  }
  // INVARIANT: every report leaves through the one redaction point, whatever a source put in it.
  await io.writeOutput(redactText(body), o.out);
  return 0;
}
