// `authdoctor diagnose [TEXT...]`: flags over a case bundle -> diagnose -> text, JSON, Markdown or HTML renderer.
import { InputError } from "../../core/input-error.js";
import type { DiagnoseFlags, Sdk } from "../../diagnose/inputs.js";
import type { RegisterCommand } from "../types.js";

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
const FORMATS = new Set(["text", "json", "markdown", "html", "sarif"]);
const SDKS = new Set(["js", "python", "cli"]);

/** Options as commander parses them. */
export interface DiagnoseCliFlags {
  file?: string;
  authz?: string;
  authorizationDetails?: string;
  authorizationPolicy?: string[];
  clientRequest?: string;
  scp?: string[];
  rcp?: string[];
  policy?: string[];
  resourcePolicy?: string[];
  trail?: string[];
  athena?: string;
  lake?: string;
  workgroup?: string;
  outputLocation?: string;
  partitioning?: string;
  maxScanGb?: string;
  printSql?: boolean;
  queryRegion?: string;
  network?: string[];
  instance?: string;
  eni?: string;
  container?: boolean;
  profile?: string;
  sdk?: string;
  region?: string;
  bundle?: string;
  ssoRefresh?: boolean;
  live?: boolean;
  principal?: string;
  action?: string;
  resource?: string;
  resourceAccount?: string;
  time?: string;
  notes?: string;
  fact?: string[];
  format?: string;
  out?: string;
  json?: boolean;
  verbose?: boolean;
  failOn?: string[];
}

export const register: RegisterCommand = (program, exit) => {
  program
    .command("diagnose")
    .description(
      "the main job: from an AWS error to a verdict, using every piece of evidence given (credentials, policies, CloudTrail, live probes)",
    )
    .argument("[text...]", "the error text (else --file, else the bundle's error.txt, else stdin)")
    .option("-f, --file <path>", "read the error text from a file (`-` for stdin)")
    .option("--bundle <dir>", "a case bundle folder (docs/bundle.md); flags override its contents")
    .option("--principal <arn>", "who made the failing call, when the text does not say")
    .option("--action <svc:Action>", "the IAM action of the failing call")
    .option("--resource <arn>", "the resource of the failing call")
    .option("--resource-account <id>", "the account that owns the resource (S3 ARNs do not name it)")
    .option("--time <iso8601>", "when the failure happened (centres the CloudTrail timeline)")
    .option("--region <region>", "the region the failing call went to")
    .option("--authz <file>", "`aws iam get-account-authorization-details` output")
    .option(
      "--authorization-details <file>",
      "`aws iam-toolbox get-request-authorization-details` output: AWS's own evaluation of the denied request",
    )
    .option(
      "--authorization-policy <file>",
      "`aws iam-toolbox get-request-authorization-policy` output: a policy as it was at denial time (repeatable)",
      collect,
    )
    .option(
      "--client-request <file>",
      "SignatureDoesNotMatch: the client's canonical request, or a botocore/CLI --debug or JS SDK log",
    )
    .option("--policy <file>", "an identity policy of the principal (repeatable)", collect)
    .option("--scp <file>", "service control policies of one level, root first (repeatable)", collect)
    .option("--rcp <file>", "resource control policies of one level, root first (repeatable)", collect)
    .option("--resource-policy <file>", "the resource's own policy (repeatable)", collect)
    .option("--trail <path>", "CloudTrail files or folders, `-` for stdin (repeatable)", collect)
    .option(
      "--athena <db.table>",
      "read the trail with an Athena query over this CloudTrail table (needs --live)",
    )
    .option(
      "--lake <event-data-store>",
      "read the trail with a CloudTrail Lake query (ARN or id; needs --live)",
    )
    .option("--workgroup <name>", "Athena workgroup (default: primary)")
    .option("--output-location <s3-uri>", "Athena query result location, when the workgroup sets none")
    .option("--partitioning <kind>", "Athena table partitions: auto, projection, partitions, none", "auto")
    .option("--max-scan-gb <n>", "stop the trail query before or once it scans more than this")
    .option("--query-region <region>", "the region the Athena table or event data store is in")
    .option("--print-sql", "print the trail query --athena/--lake would run, and send nothing")
    .option(
      "--network <files...>",
      "EC2 describe outputs of the failing machine's network: describe-instances, -security-groups, -network-acls, -route-tables, -vpc-endpoints, prefix lists (docs/network.md)",
    )
    .option("--instance <id>", "the failing EC2 instance (i-…), for the network and IMDS checks")
    .option("--eni <id>", "the failing network interface (eni-…), when not an instance's primary one")
    .option("--container", "the failing program runs in a container on the instance (IMDS hop limit)")
    .option("--profile <name>", "the AWS profile the failing program used")
    .option("--sdk <sdk>", "the SDK that made the call: js, python or cli")
    .option(
      "--notes <text>",
      "what you know, in your own words: where it runs, the tool, what works (docs/facts.md)",
    )
    .option(
      "--fact <name[=value]>",
      "one fact from docs/facts.md, e.g. runs-in=lambda, tool=aws-vault, mfa (repeatable)",
      collect,
    )
    .option("--live", "also ask AWS with read-only calls (never implied)")
    .option(
      "--sso-refresh",
      "with --live: refresh an expired SSO token in memory (SSO OIDC CreateToken, audited; ~/.aws/sso/cache is never written)",
    )
    .option(
      "--format <format>",
      "text, json, markdown, html or sarif (SARIF 2.1.0 for code scanning)",
      "text",
    )
    .option("--json", "same as --format json (authdoctor.diagnosis/v1)")
    .option("-o, --out <file>", "write the report to a file instead of stdout")
    .option("-v, --verbose", "text: every evidence line, timeline row and source")
    .option(
      "--fail-on <conditions>",
      "exit 3 when the verdict meets one: any, confirmed, likely, possible, or a root-cause id (comma-separated, repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addHelpText(
      "after",
      `
Examples:
  $ authdoctor diagnose --bundle examples/appsync-unauthorized
  $ authdoctor diagnose --bundle examples/rotated-key --format html --out report.html
  $ authdoctor diagnose "An error occurred (AuthFailure) when calling the DescribeInstances operation: AWS was not able to validate the provided access credentials" --region ap-east-1 --trail ./AWSLogs --time 2024-10-15T06:42:19Z
  $ authdoctor diagnose --file error.txt --authz authz.json --scp root.json --scp ou-prod.json --json
  $ aws lambda create-function ... 2>&1 | authdoctor diagnose --authz authz.json --sdk cli
  $ authdoctor diagnose --file error.txt --authorization-details authorization-details.json
  $ aws s3api put-object ... --debug 2>debug.log; authdoctor diagnose --file error.xml --client-request debug.log
  $ authdoctor diagnose --file error.txt --profile prod --live
  $ authdoctor diagnose --file error.txt --notes "works locally, fails in GitHub Actions since we rotated the keys"
  $ authdoctor diagnose --file error.txt --fact runs-in=lambda --fact works-elsewhere=region
  $ authdoctor diagnose --bundle examples/passrole-missing --athena security.cloudtrail_logs --print-sql
  $ authdoctor diagnose --file error.txt --time 2025-05-12T09:31:43Z --lake arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE --live --max-scan-gb 20
  $ authdoctor diagnose --bundle case-4711 --format sarif --out diagnosis.sarif --fail-on likely
  $ authdoctor diagnose --file error.txt --region eu-west-1 --instance i-0123456789abcdef0 --network instances.json groups.json acls.json routes.json endpoints.json
  $ authdoctor diagnose --bundle test/fixtures/network/container-hop-limit-1`,
    )
    .action(async (words: string[], flags: DiagnoseCliFlags) => {
      exit.code = await run(words, flags);
    });
};

/** `--athena`/`--lake` and their options, checked for consistency. */
function trailQueryFlags(o: DiagnoseCliFlags): Pick<DiagnoseFlags, "trailQuery"> {
  const queryOnly = ["workgroup", "outputLocation", "maxScanGb", "queryRegion", "printSql"] as const;
  if (o.athena === undefined && o.lake === undefined) {
    const stray = queryOnly.find((k) => o[k] !== undefined);
    if (stray)
      throw new InputError(
        `--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
        "only applies with --athena or --lake",
      );
    return {};
  }
  if (o.athena !== undefined && o.lake !== undefined)
    throw new InputError("--athena", "give --athena or --lake, not both");
  if (o.trail?.length) throw new InputError("--trail", "give --trail files or --athena/--lake, not both");
  return {
    trailQuery: {
      ...(o.athena !== undefined ? { athena: o.athena } : {}),
      ...(o.lake !== undefined ? { lake: o.lake } : {}),
      ...(o.workgroup ? { workgroup: o.workgroup } : {}),
      ...(o.outputLocation ? { outputLocation: o.outputLocation } : {}),
      ...(o.partitioning ? { partitioning: o.partitioning } : {}),
      ...(o.maxScanGb !== undefined ? { maxScanGb: o.maxScanGb } : {}),
      ...(o.queryRegion ? { queryRegion: o.queryRegion } : {}),
      ...(o.profile ? { profile: o.profile } : {}),
    },
  };
}

/** Read the error text (arguments, --file, else stdin unless a bundle gives it); undefined when none. */
async function errorText(
  words: string[],
  o: DiagnoseCliFlags,
): Promise<{ text?: string; textOrigin?: string }> {
  if (words.length > 0) return { text: words.join(" "), textOrigin: "arguments" };
  const io = await import("../../io/read.js");
  // read by their ends when long (bounded memory; the error is at one end of a pasted log)
  if (o.file) return { text: await io.readErrorText(o.file), textOrigin: o.file === "-" ? "stdin" : o.file };
  if (!o.bundle && !process.stdin.isTTY) return { text: await io.readStdinEnds(), textOrigin: "stdin" };
  return {};
}

export async function run(words: string[], o: DiagnoseCliFlags): Promise<number> {
  const format = o.json ? "json" : (o.format ?? "text");
  if (!FORMATS.has(format))
    throw new InputError("--format", `unknown format \`${format}\` (text, json, markdown, html, sarif)`);
  const { parseFailOn, failOnMet } = await import("../../diagnose/fail-on.js");
  const failOn = parseFailOn(o.failOn ?? []);
  if (o.sdk !== undefined && !SDKS.has(o.sdk))
    throw new InputError("--sdk", `unknown SDK \`${o.sdk}\` (js, python, cli)`);
  if (o.time !== undefined && Number.isNaN(Date.parse(o.time))) {
    throw new InputError("--time", `not an ISO 8601 time: \`${o.time}\``);
  }
  const { factFlags } = await import("../../diagnose/notes.js");
  const facts = factFlags(o.fact ?? []);
  const flags: DiagnoseFlags = {
    ...(await errorText(words, o)),
    ...(o.principal ? { principal: o.principal } : {}),
    ...(o.action ? { action: o.action } : {}),
    ...(o.resource ? { resource: o.resource } : {}),
    ...(o.resourceAccount ? { resourceAccount: o.resourceAccount } : {}),
    ...(o.time ? { time: o.time } : {}),
    ...(o.region ? { region: o.region } : {}),
    ...(o.sdk ? { sdk: o.sdk as Sdk } : {}),
    ...(o.profile ? { profile: o.profile } : {}),
    ...(o.authz ? { authz: o.authz } : {}),
    ...(o.authorizationDetails ? { authorizationDetails: o.authorizationDetails } : {}),
    ...(o.clientRequest ? { clientRequest: o.clientRequest } : {}),
    ...(o.authorizationPolicy ? { authorizationPolicy: o.authorizationPolicy } : {}),
    ...(o.scp ? { scp: o.scp } : {}),
    ...(o.rcp ? { rcp: o.rcp } : {}),
    ...(o.policy ? { policy: o.policy } : {}),
    ...(o.resourcePolicy ? { resourcePolicy: o.resourcePolicy } : {}),
    ...(o.trail ? { trail: o.trail } : {}),
    ...trailQueryFlags(o),
    ...(o.network ? { network: o.network } : {}),
    ...(o.instance ? { instance: o.instance } : {}),
    ...(o.eni ? { eni: o.eni } : {}),
    ...(o.container ? { container: true } : {}),
    ...(o.notes !== undefined ? { notes: o.notes } : {}),
    ...(facts.length > 0 ? { facts } : {}),
    live: o.live === true,
  };
  const [
    { loadBundle },
    { checkExplicitInputs, resolveInputs },
    { diagnose, diagnoseTrailSql },
    out,
    audits,
  ] = await Promise.all([
    import("../../diagnose/bundle.js"),
    import("../../diagnose/inputs.js"),
    import("../../diagnose/run.js"),
    import("../output.js"),
    import("../../report/live.js"),
  ]);
  const bundle = o.bundle ? await loadBundle(o.bundle) : undefined;
  const input = resolveInputs(flags, bundle);
  if (input.text === undefined && !input.request.action && !input.request.principal) {
    throw new InputError(
      "diagnose",
      "no error text: pass it as arguments, with --file, on stdin, or in a bundle (error.txt); or give --action and --principal",
    );
  }
  if (input.trailQuery) {
    // names, partitioning and limits checked offline first: a bad one is a usage error (exit 2)
    const sql = await diagnoseTrailSql(input);
    if (o.printSql) {
      await out.writeOutput(`${sql}\n`, o.out);
      return 0;
    }
    if (!input.live)
      throw new InputError(
        o.lake !== undefined ? "--lake" : "--athena",
        "the trail query runs in your AWS account: add --live to run it, or --print-sql to see it",
      );
  }
  const errors = await checkExplicitInputs(input);
  if (errors.length > 0) {
    for (const e of errors.slice(0, -1)) out.warn(e.message);
    throw errors[errors.length - 1]!;
  }

  const diagnosis = await diagnose(input, {
    ...(o.ssoRefresh ? { liveOptions: { ssoRefresh: true } } : {}),
    onAudit: (audit) => out.writeStderr(audits.renderAudit({ audit })),
    onLog: (line) => out.writeStderr(`${line}\n`),
  });

  let body: string;
  if (format === "json") {
    const { renderJson } = await import("../../report/json.js");
    body = renderJson(diagnosis);
  } else if (format === "markdown") {
    const { renderMarkdown } = await import("../../report/markdown.js");
    body = renderMarkdown(diagnosis);
    for (const [abs, rel] of await sharedPaths(o.bundle)) body = body.split(abs).join(rel);
  } else if (format === "sarif") {
    const [{ diagnosisToSarif }, { VERSION }] = await Promise.all([
      import("../../report/sarif.js"),
      import("../../core/version.js"),
    ]);
    // results point at the file the error text came from: --file, or the bundle's error.txt
    const file =
      words.length === 0 && o.file && o.file !== "-"
        ? o.file
        : input.textOrigin === "bundle error.txt" && o.bundle
          ? `${o.bundle.replace(/\/+$/, "")}/error.txt`
          : undefined;
    body = JSON.stringify(
      diagnosisToSarif(diagnosis, { ...(file ? { file } : {}), version: VERSION }),
      null,
      2,
    );
  } else if (format === "html") {
    const { renderHtml } = await import("../../report/html.js");
    body = renderHtml(diagnosis, {
      generatedAt: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      paths: await sharedPaths(o.bundle),
    });
  } else {
    const { renderDiagnoseText } = await import("../../report/diagnose.js");
    body = renderDiagnoseText(diagnosis, {
      style: out.stdoutStyle(o.out !== undefined),
      verbose: o.verbose === true,
    });
    // a file gets the width of a terminal that is not one (100): wrapped the same way on every machine
    body = out.fitWidth(body, o.out !== undefined ? 100 : out.outputWidth());
  }
  // INVARIANT: every report leaves through the one output boundary (redaction, escaping), whatever a source put in it.
  await out.writeOutput(
    body,
    o.out,
    format === "json" || format === "sarif" ? "json" : format === "text" ? "text" : (format as "html"),
  );
  const met = failOn.length > 0 ? failOnMet(diagnosis, failOn) : undefined;
  if (met) {
    out.warn(`--fail-on met: ${met}`);
    return 3;
  }
  return 0;
}

/**
 * Reports meant to be shared (HTML, Markdown) name files relative to the bundle, not by the diagnosing machine's
 * absolute paths: the bundle folder, then the working directory, then the home folder (`~`), longest first.
 */
async function sharedPaths(bundle: string | undefined): Promise<Array<[string, string]>> {
  const [{ resolve, sep }, { homedir }] = await Promise.all([import("node:path"), import("node:os")]);
  const out: Array<[string, string]> = [];
  if (bundle) out.push([resolve(bundle) + sep, ""]);
  out.push([process.cwd() + sep, ""]);
  const home = homedir();
  if (home && home !== sep) out.push([home + sep, `~${sep}`]);
  return out.sort((a, b) => b[0].length - a[0].length);
}
