// `authdoctor can`: policy files and one request (or a JSON Lines file of them) -> evaluateRequest -> renderer.
import { InputError } from "../../core/input-error.js";
import { contextValueProblem } from "../../iam/context.js";
import type { EnvFiles } from "../../iam/env.js";
import type { CanRequest, ContextValue } from "../../iam/types.js";
import type { RegisterCommand } from "../types.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Flags as commander hands them over. */
export interface CanFlags extends EnvFiles {
  principal?: string;
  action?: string;
  resource?: string;
  resourceAccount?: string;
  context?: string[];
  requests?: string;
  json?: boolean;
  /** `full` (default) or `decisions`: one short JSON line per request (decision, cause, layer). */
  output?: string;
  /** `deny`: exit 3 when a request is denied. */
  failOn?: string;
}

export const register: RegisterCommand = (program, exit) => {
  program
    .command("can")
    .description(
      "evaluate requests against IAM policies offline: decision, deciding statements, near misses, fix",
    )
    .option(
      "--principal <arn>",
      "caller: user, role session (assumed-role), root, service or identity provider",
    )
    .option("--action <svc:Action>", "the IAM action, e.g. s3:GetObject")
    .option("--resource <arn>", "the resource ARN (default `*`)")
    .option("--resource-account <id>", "account owning the resource, for ARNs that do not name it (S3)")
    .option("--context <key=value>", "a request context key (repeatable; `[...]` for a list)", collect)
    .option("--requests <file.jsonl>", "many requests, one JSON object per line; prints one result per line")
    .option("--authz <file>", "output of `aws iam get-account-authorization-details` (repeatable)", collect)
    .option("--policy <file>", "identity-based policy or array of policies (repeatable)", collect)
    .option(
      "--scp <file>",
      "SCPs of one level, root first (repeat per level; `[]` = nothing attached)",
      collect,
    )
    .option("--rcp <file>", "RCPs of one level, root first (repeat per level)", collect)
    .option("--boundary <file>", "permissions boundary", collect)
    .option(
      "--resource-policy <file>",
      "resource-based policy (bucket, key, queue, trust policy...)",
      collect,
    )
    .option("--session-policy <file>", "session policy passed at AssumeRole / federation", collect)
    .option("--vpce-policy <file>", "VPC endpoint policy", collect)
    .option("--management-account <id>", "the organization's management account (SCPs do not apply to it)")
    .option("--json", "print the authdoctor.evaluation/v1 object (JSON Lines with --requests)")
    .option(
      "--output <mode>",
      "`full` (default) or `decisions`: one short authdoctor.decision/v1 JSON line per request (fastest)",
    )
    .option("--fail-on <what>", "`deny`: exit 3 when a request is denied (for CI)")
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor can --policy role-policy.json --principal arn:aws:sts::111122223333:assumed-role/App/s1 \\
      --action appsync:GraphQL --resource arn:aws:appsync:us-east-1:111122223333:apis/abc/types/Query/fields/getPost
  $ authdoctor can --authz authz.json --scp root.json --scp ou.json --principal arn:aws:iam::111122223333:user/alice \\
      --action s3:GetObject --resource arn:aws:s3:::bucket/key --resource-account 111122223333 --context aws:SourceIp=203.0.113.9
  $ authdoctor can --authz authz.json --requests requests.jsonl --json
  $ authdoctor can --policy ci-role.json --requests expected.jsonl --output decisions --fail-on deny
    (each line: {"principal":"...","action":"...","resource":"...","context":{...},"resourcePolicy":{...}})`,
    )
    .action(async (flags: CanFlags) => {
      exit.code = await run(flags);
    });
};

/** Parse `key=value` (a value starting with `[` is a JSON list). */
export function parseContextFlag(text: string): [string, ContextValue] {
  const i = text.indexOf("=");
  if (i <= 0) throw new InputError("--context", `expected \`key=value\`, got \`${text}\``);
  const key = text.slice(0, i).trim();
  const raw = text.slice(i + 1);
  let value: ContextValue = raw;
  if (raw.trim().startsWith("[")) {
    try {
      const v = JSON.parse(raw) as unknown;
      if (Array.isArray(v) && v.every((x) => ["string", "number", "boolean"].includes(typeof x)))
        value = v as Array<string | number | boolean>;
    } catch {
      // taken as a plain string
    }
  }
  const problem = contextValueProblem(key, value);
  if (problem) throw new InputError("--context", problem);
  return [key, value];
}

export async function run(flags: CanFlags): Promise<number> {
  const output = flags.output ?? "full";
  if (output !== "full" && output !== "decisions")
    throw new InputError("--output", `expected \`full\` or \`decisions\`, got \`${output}\``);
  if (flags.failOn !== undefined && flags.failOn !== "deny")
    throw new InputError("--fail-on", `expected \`deny\`, got \`${flags.failOn}\``);
  const lean = output === "decisions";
  const [
    { loadEvaluationEnv },
    { checkRequest, requestLines },
    { evaluateRequest, RequestInputError },
    report,
    out,
  ] = await Promise.all([
    import("../../iam/env.js"),
    import("../../iam/requests.js"),
    import("../../iam/request.js"),
    import("../../report/evaluation.js"),
    import("../output.js"),
  ]);
  const { env, warnings } = await loadEvaluationEnv(flags);
  // entries of the wrong shape in a snapshot are left out, not fatal: one line says so (the evaluation goes on)
  for (const w of warnings) out.warn(w);
  const context: Record<string, ContextValue> = {};
  for (const c of flags.context ?? []) {
    const [k, v] = parseContextFlag(c);
    context[k] = v;
  }
  if (flags.requests) {
    if (flags.principal || flags.action)
      throw new InputError("--requests", "give either `--requests` or `--principal`/`--action`, not both");
    const { readTextFile } = await import("../../io/read.js");
    const style = out.stdoutStyle();
    const json = flags.json || lean;
    let denied = false;
    let internal = false;
    // Written in batches of about 1 MB as the lines are evaluated (one write each): memory stays bounded however
    // long the batch. JSON: one record a line, each redacted on its own (a repeated record reuses its redacted text).
    let chunk: string[] = [];
    let size = 0;
    let any = false;
    const flush = async () => {
      if (chunk.length === 0) return;
      if (json) await out.writeJsonRecords(chunk);
      // text: a blank line between evaluations (and after the last one)
      else await out.writeOutput(`${chunk.join("\n")}\n`);
      chunk = [];
      size = 0;
    };
    const lines = requestLines(
      await readTextFile(flags.requests),
      flags.requests,
      env,
      context,
      lean ? "decisions" : "full",
    );
    for (const l of lines) {
      any = true;
      let text: string;
      if ("error" in l) {
        if (l.internal) internal = true;
        text = json ? report.renderRequestLinesJson([l]) : report.renderRequestLines([l], style);
      } else {
        if (l.result.decision !== "Allowed") denied = true;
        text = lean
          ? report.renderDecisionLine(l.line, l.result)
          : flags.json
            ? report.renderEvaluationLine(l.result)
            : out.fitWidth(report.renderRequestLines([l], style));
      }
      chunk.push(text);
      size += text.length;
      if (size > 1 << 20) await flush();
    }
    if (any) await flush();
    if (internal) return 1;
    return flags.failOn === "deny" && denied ? 3 : 0;
  }
  if (!flags.principal)
    throw new InputError("--principal", "missing: give `--principal ARN` (or `--requests FILE.jsonl`)");
  if (!flags.action) throw new InputError("--action", "missing: give `--action service:Action`");
  const req: CanRequest = { principal: flags.principal, action: flags.action };
  const bad = checkRequest(req);
  if (bad) throw new InputError("--action", bad);
  if (flags.resource) req.resource = flags.resource;
  if (flags.resourceAccount) req.resourceAccount = flags.resourceAccount;
  if (Object.keys(context).length) req.context = context;
  let result: ReturnType<typeof evaluateRequest>;
  try {
    result = evaluateRequest(req, env);
  } catch (err) {
    if (err instanceof RequestInputError) throw new InputError("--context", err.message);
    throw err;
  }
  // JSON is written in pieces: a fix may carry a whole changed policy of any size
  if (flags.json && !lean) await out.writePieces(report.evaluationJsonPieces(result));
  else
    await out.writeOutput(
      lean
        ? report.renderDecisionLine(1, result)
        : out.fitWidth(report.renderEvaluation(result, out.stdoutStyle())),
    );
  return flags.failOn === "deny" && result.decision !== "Allowed" ? 3 : 0;
}
