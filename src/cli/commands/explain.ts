// `authdoctor explain [TEXT...]`: error text -> explainText -> text or JSON renderer.
import type { RegisterCommand } from "../types.js";

export interface ExplainFlags {
  file?: string;
  region?: string;
  json?: boolean;
  verbose?: boolean;
  notes?: string;
  fact?: string[];
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export const register: RegisterCommand = (program, exit) => {
  program
    .command("explain")
    .description(
      "explain an AWS error text offline: ranked root causes with why, how to check and how to fix",
    )
    .argument("[text...]", "the error text (else --file, else stdin)")
    .option("-f, --file <path>", "read the error text from a file (`-` for stdin)")
    .option("--region <region>", "the region the failing call went to (adds context)")
    .option(
      "--notes <text>",
      "what you know, in your own words: where it runs, the tool, what works (docs/facts.md)",
    )
    .option(
      "--fact <name[=value]>",
      "one fact from docs/facts.md, e.g. runs-in=lambda, tool=aws-vault, mfa (repeatable)",
      collect,
    )
    .option("--json", "print the authdoctor.diagnosis/v1 JSON object")
    .option("-v, --verbose", "list every cause with the weight and source of each evidence line")
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor explain "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid" --region ap-east-1
  $ aws s3 cp s3://bucket/key . 2>&1 | authdoctor explain
  $ authdoctor explain --file error.txt --json
  $ authdoctor explain "The security token included in the request is invalid" --notes "works locally, fails in GitHub Actions"
  $ authdoctor explain --file error.txt --fact tool=aws-vault --fact mfa`,
    )
    .action(async (words: string[], flags: ExplainFlags) => {
      exit.code = await run(words, flags);
    });
};

export async function run(words: string[], flags: ExplainFlags): Promise<number> {
  // Load input, engine, renderer and output in parallel: one module graph instead of several round trips.
  const [{ gatherText }, { explainText }, { factFlags }, render, { writeOutput, stdoutStyle }] =
    await Promise.all([
      import("../../io/read.js"),
      import("../../diagnose/explain.js"),
      import("../../diagnose/notes.js"),
      flags.json ? import("../../report/json.js") : import("../../report/text.js"),
      import("../output.js"),
    ]);
  const facts = factFlags(flags.fact ?? []);
  const text = await gatherText(words, flags.file);
  const diagnosis = explainText(text, {
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.notes !== undefined ? { notes: flags.notes } : {}),
    ...(facts.length > 0 ? { facts } : {}),
  });
  await writeOutput(
    "renderJson" in render
      ? render.renderJson(diagnosis)
      : render.renderText(diagnosis, { style: stdoutStyle(), verbose: flags.verbose === true }),
  );
  return 0;
}
