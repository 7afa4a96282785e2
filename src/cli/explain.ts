// `authdoctor explain [TEXT...]`: options and help only; the implementation loads inside the action.
import type { RegisterCommand } from "./types.js";

export const registerExplain: RegisterCommand = (program, exit) => {
  program
    .command("explain")
    .description(
      "explain an AWS error text offline: ranked root causes with why, how to check and how to fix",
    )
    .argument("[text...]", "the error text (else --file, else stdin)")
    .option("-f, --file <path>", "read the error text from a file (`-` for stdin)")
    .option("--region <region>", "the region the failing call went to (adds context)")
    .option("--json", "print the authdoctor.diagnosis/v1 JSON object")
    .option("-v, --verbose", "list every cause with the weight and source of each evidence line")
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor explain "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid" --region ap-east-1
  $ aws s3 cp s3://bucket/key . 2>&1 | authdoctor explain
  $ authdoctor explain --file error.txt --json`,
    )
    .action(
      async (
        words: string[],
        opts: { file?: string; region?: string; json?: boolean; verbose?: boolean },
      ) => {
        // Load input, engine and renderer in parallel: one module graph instead of three round trips.
        const [{ gatherText }, { explainText }, render, { writeResult }] = await Promise.all([
          import("./io.js"),
          import("../diagnose/explain.js"),
          opts.json ? import("../report/json.js") : import("../report/text.js"),
          import("./output.js"),
        ]);
        const text = await gatherText(words, opts.file);
        const diagnosis = explainText(text, opts.region ? { region: opts.region } : {});
        let body: string;
        if ("renderJson" in render) body = render.renderJson(diagnosis);
        else {
          const { colourEnabled, makeStyle } = await import("../report/style.js");
          body = render.renderText(diagnosis, {
            style: makeStyle(colourEnabled(process.stdout)),
            verbose: opts.verbose === true,
          });
        }
        // the error text may quote names others chose (an S3 key, a user agent): the writer escapes them
        await writeResult(body, opts.json ? "json" : "text");
        exit.code = 0;
      },
    );
};
