// `authdoctor explain [TEXT...]`: options and help only; the implementation loads inside the action.
import type { RegisterCommand } from "./types.js";

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export const registerExplain: RegisterCommand = (program, exit) => {
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
    .action(
      async (
        words: string[],
        opts: {
          file?: string;
          region?: string;
          json?: boolean;
          verbose?: boolean;
          notes?: string;
          fact?: string[];
        },
      ) => {
        // Load input, engine and renderer in parallel: one module graph instead of three round trips.
        const [{ gatherText }, { explainText }, { parseFactFlag }, { InputError }, render] =
          await Promise.all([
            import("./io.js"),
            import("../diagnose/explain.js"),
            import("../diagnose/notes.js"),
            import("../core/input-error.js"),
            opts.json ? import("../report/json.js") : import("../report/text.js"),
          ]);
        const facts = (opts.fact ?? []).map((spec) => {
          try {
            return parseFactFlag(spec);
          } catch (err) {
            throw new InputError("--fact", (err as Error).message.replace(/^--fact /, ""));
          }
        });
        const text = await gatherText(words, opts.file);
        const diagnosis = explainText(text, {
          ...(opts.region ? { region: opts.region } : {}),
          ...(opts.notes !== undefined ? { notes: opts.notes } : {}),
          ...(facts.length > 0 ? { facts } : {}),
        });
        let body: string;
        if ("renderJson" in render) body = render.renderJson(diagnosis);
        else {
          const { colourEnabled, makeStyle, terminalSafe } = await import("../report/style.js");
          // the error text may quote names others chose (an S3 key, a user agent): their control characters are shown
          body = terminalSafe(
            render.renderText(diagnosis, {
              style: makeStyle(colourEnabled(process.stdout)),
              verbose: opts.verbose === true,
            }),
          );
        }
        process.stdout.write(body);
        exit.code = 0;
      },
    );
};
