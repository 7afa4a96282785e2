// The MCP server's tools: bounded input schemas, and handlers that call the same library functions as the
// commands and return the same JSON as `--json` (plus a short text). Read-only; live calls only when allowed.

import { z } from "zod";
import { InputError } from "../core/input-error.js";
import { redactText } from "../core/redact.js";
import { makeStyle } from "../report/style.js";
import { checkPath, checkPaths, type PathPolicy } from "./paths.js";

/** Largest error text, inline note or inline policy a tool takes (characters). */
export const MAX_TEXT = 256 * 1024;
/** Largest number of paths in one list. */
export const MAX_PATHS = 64;
/** Largest number of requests in one `can` call. */
export const MAX_REQUESTS = 1000;
const MAX_INLINE_JSON = 1024 * 1024;

/** What every tool handler gets besides its arguments. */
export interface ToolContext {
  paths: PathPolicy;
  allowLive: boolean;
  profile?: string;
}

/** A tool's result before it goes on the wire: the `--json` object and a short text. */
export interface ToolOutput {
  json: Record<string, unknown>;
  text: string;
}

const plain = makeStyle(false);
const path = z.string().min(1).max(4096);
const paths = z.array(path).max(MAX_PATHS);
const iso = z.string().max(64).describe("ISO 8601 time, e.g. 2025-05-12T09:31:43Z");
const region = z
  .string()
  .max(32)
  .regex(/^[a-z]{2}(-[a-z0-9]+)+-\d$/, "a region such as eu-central-1");
const sdk = z.enum(["js", "python", "cli"]);
const arnish = z.string().min(1).max(2048);
const action = z
  .string()
  .max(256)
  .regex(/^[A-Za-z0-9_.-]+:[A-Za-z0-9_*?-]+$/, "an IAM action `service:Action`");
const policyDoc = z.record(z.string(), z.unknown()).describe("an IAM policy document ({Version, Statement})");
const contextValue = z.union([
  z.string().max(4096),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string().max(4096), z.number(), z.boolean()])).max(256),
]);

/** Throw when an inline JSON value is larger than the bound (zod does not bound nested objects). */
function bounded(value: unknown, field: string): void {
  if (value === undefined) return;
  if (JSON.stringify(value).length > MAX_INLINE_JSON)
    throw new InputError(field, `larger than ${MAX_INLINE_JSON / 1024} KiB`);
}

/** A result object as the matching `--json` output, after the one redaction point. */
function redacted(value: unknown): Record<string, unknown> {
  return JSON.parse(redactText(JSON.stringify(value))) as Record<string, unknown>;
}

// ---------------------------------------------------------------- explain

export const explainInput = z.object({
  text: z.string().min(1).max(MAX_TEXT).describe("the AWS error text exactly as printed"),
  region: region.optional().describe("the region the failing call went to, when the text does not say"),
});

export async function explainTool(a: z.infer<typeof explainInput>): Promise<ToolOutput> {
  const [{ explainText }, { renderText }] = await Promise.all([
    import("../diagnose/explain.js"),
    import("../report/text.js"),
  ]);
  const d = explainText(a.text, a.region ? { region: a.region } : {});
  return { json: redacted(d), text: redactText(renderText(d, { style: plain })) };
}

// ---------------------------------------------------------------- diagnose

export const diagnoseInput = z.object({
  bundle: path.optional().describe("a case bundle folder (docs/bundle.md); the other fields override it"),
  text: z.string().max(MAX_TEXT).optional().describe("the AWS error text (else the bundle's error.txt)"),
  principal: arnish.optional().describe("ARN of the caller, when the text does not say"),
  action: action.optional(),
  resource: arnish.optional().describe("ARN of the resource"),
  time: iso.optional().describe("when the failure happened"),
  region: region.optional(),
  sdk: sdk.optional().describe("whose credential chain to model"),
  profile: z.string().max(128).optional().describe("the AWS profile the failing program used"),
  authz: path.optional().describe("`aws iam get-account-authorization-details` output (file)"),
  policies: z
    .array(policyDoc)
    .max(32)
    .optional()
    .describe("identity policies of the principal, inline (when there is no snapshot)"),
  policyFiles: paths.optional().describe("identity policy files"),
  resourcePolicies: z.array(policyDoc).max(8).optional().describe("the resource's own policies, inline"),
  scp: paths.optional().describe("SCP files, one per level, root first"),
  rcp: paths.optional().describe("RCP files, one per level, root first"),
  trail: paths.optional().describe("CloudTrail files or folders"),
  notes: z
    .string()
    .max(MAX_TEXT)
    .optional()
    .describe("what you know, in your own words: where it runs, the tool, what works (docs/facts.md)"),
  facts: z
    .array(z.string().max(200))
    .max(32)
    .optional()
    .describe("facts from docs/facts.md as name[=value], e.g. runs-in=lambda, tool=aws-vault, mfa"),
  live: z
    .boolean()
    .optional()
    .describe("also ask AWS with read-only calls (only when the server was started with --allow-live)"),
});

export async function diagnoseTool(a: z.infer<typeof diagnoseInput>, ctx: ToolContext): Promise<ToolOutput> {
  if (a.live && !ctx.allowLive)
    throw new InputError("live", "live calls are off: start the server with `authdoctor mcp --allow-live`");
  if (a.time !== undefined && Number.isNaN(Date.parse(a.time)))
    throw new InputError("time", `not an ISO 8601 time: \`${a.time}\``);
  bounded(a.policies, "policies");
  bounded(a.resourcePolicies, "resourcePolicies");
  // the same facts as the CLI's --fact flags (issue 11), named after this tool's argument
  const { parseFactFlag } = await import("../diagnose/notes.js");
  const facts = (a.facts ?? []).map((spec) => {
    try {
      return parseFactFlag(spec);
    } catch (err) {
      throw new InputError("facts", (err as Error).message.replace(/^--fact /, ""));
    }
  });
  const bundleDir = a.bundle ? await checkPath(ctx.paths, a.bundle, "folder", "bundle") : undefined;
  const authz = a.authz ? await checkPath(ctx.paths, a.authz, "file", "authz") : undefined;
  const policyFiles = await checkPaths(ctx.paths, a.policyFiles, "file", "policyFiles");
  const scp = await checkPaths(ctx.paths, a.scp, "file", "scp");
  const rcp = await checkPaths(ctx.paths, a.rcp, "file", "rcp");
  const trail = await checkPaths(ctx.paths, a.trail, "any", "trail");
  const [{ loadBundle, resolveInputs, checkExplicitInputs }, { diagnose }, { renderDiagnoseText }] =
    await Promise.all([
      import("../diagnose/index.js"),
      import("../diagnose/run.js"),
      import("../report/diagnose.js"),
    ]);
  // Inline policies become files of a private temporary folder (the diagnosis reads policies by path).
  const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const inline = [...(a.policies ?? []), ...(a.resourcePolicies ?? [])];
  const tmp = inline.length > 0 ? await mkdtemp(join(tmpdir(), "authdoctor-mcp-")) : undefined;
  try {
    const write = async (docs: unknown[] | undefined, name: string) => {
      const out: string[] = [];
      for (const [i, d] of (docs ?? []).entries()) {
        const file = join(tmp!, `${name}-${i + 1}.json`);
        await writeFile(file, JSON.stringify(d), { mode: 0o600 });
        out.push(file);
      }
      return out;
    };
    const inlinePolicies = await write(a.policies, "policy");
    const inlineResource = await write(a.resourcePolicies, "resource-policy");
    const bundle = bundleDir ? await loadBundle(bundleDir) : undefined;
    const policy = [...policyFiles, ...inlinePolicies];
    const input = resolveInputs(
      {
        ...(a.text !== undefined && a.text.trim() !== "" ? { text: a.text, textOrigin: "arguments" } : {}),
        ...(a.principal ? { principal: a.principal } : {}),
        ...(a.action ? { action: a.action } : {}),
        ...(a.resource ? { resource: a.resource } : {}),
        ...(a.time ? { time: a.time } : {}),
        ...(a.region ? { region: a.region } : {}),
        ...(a.sdk ? { sdk: a.sdk } : {}),
        ...((a.profile ?? ctx.profile) ? { profile: a.profile ?? ctx.profile } : {}),
        ...(authz ? { authz } : {}),
        ...(scp.length ? { scp } : {}),
        ...(rcp.length ? { rcp } : {}),
        ...(policy.length ? { policy } : {}),
        ...(inlineResource.length ? { resourcePolicy: inlineResource } : {}),
        ...(trail.length ? { trail } : {}),
        ...(a.notes !== undefined ? { notes: a.notes } : {}),
        ...(facts.length > 0 ? { facts } : {}),
        live: a.live === true,
      },
      bundle,
    );
    if (input.text === undefined && !input.request.action && !input.request.principal)
      throw new InputError(
        "diagnose",
        "no error text: give `text`, a `bundle` with error.txt, or `action` and `principal`",
      );
    const errors = await checkExplicitInputs(input);
    if (errors.length > 0) throw errors[0]!;
    let audit = "";
    const { renderAudit } = await import("../report/live.js");
    const d = await diagnose(input, { onAudit: (entries) => (audit = renderAudit({ audit: entries })) });
    const text = renderDiagnoseText(d, { style: plain });
    return { json: redacted(d), text: redactText(audit ? `${text}\n\n${audit}` : text) };
  } finally {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- creds

export const credsInput = z.object({
  profile: z.string().max(128).optional().describe("the profile to resolve (else AWS_PROFILE, else default)"),
  sdk: sdk.optional().describe("show one SDK only"),
});

export async function credsTool(a: z.infer<typeof credsInput>, ctx: ToolContext): Promise<ToolOutput> {
  const [{ inspectCredentials }, { renderCredentialsText }] = await Promise.all([
    import("../credentials/inspect.js"),
    import("../report/credentials.js"),
  ]);
  const profile = a.profile ?? ctx.profile;
  const report = await inspectCredentials({
    env: { ...process.env },
    ...(profile !== undefined ? { profile } : {}),
  });
  const body = a.sdk
    ? {
        ...report,
        resolution: { [a.sdk]: report.resolution[a.sdk] },
        findings: report.findings.filter((f) => !f.sdks || f.sdks.includes(a.sdk!)),
      }
    : report;
  const text = renderCredentialsText(report, plain, a.sdk ? { sdk: a.sdk } : {});
  return { json: redacted(body), text: redactText(text) };
}

// ---------------------------------------------------------------- can

const canRequest = z.object({
  principal: arnish.describe("ARN of the caller (user, role session, root, service...)"),
  action,
  resource: arnish.optional().describe("ARN of the resource (default `*`)"),
  resourceAccount: z.string().max(12).optional().describe("account owning the resource, for S3 ARNs"),
  context: z.record(z.string().max(256), contextValue).optional().describe("request context keys"),
  resourcePolicy: z.array(policyDoc).max(8).optional().describe("the resource's policy, inline"),
});

export const canInput = z.object({
  requests: z.array(canRequest).min(1).max(MAX_REQUESTS).describe("one request, or many"),
  policies: z.array(policyDoc).max(64).optional().describe("identity policies, inline"),
  authz: paths.optional().describe("`get-account-authorization-details` output files"),
  policyFiles: paths.optional().describe("identity policy files"),
  scp: paths.optional().describe("SCP files, one per level, root first"),
  rcp: paths.optional().describe("RCP files, one per level, root first"),
  boundary: paths.optional().describe("permissions boundary files"),
  resourcePolicyFiles: paths.optional().describe("resource-based policy files"),
  sessionPolicyFiles: paths.optional().describe("session policy files"),
  vpcePolicyFiles: paths.optional().describe("VPC endpoint policy files"),
  managementAccount: z.string().max(12).optional(),
});

export async function canTool(a: z.infer<typeof canInput>, ctx: ToolContext): Promise<ToolOutput> {
  bounded(a.policies, "policies");
  for (const [i, r] of a.requests.entries()) bounded(r.resourcePolicy, `requests[${i}].resourcePolicy`);
  const files = {
    authz: await checkPaths(ctx.paths, a.authz, "file", "authz"),
    policy: await checkPaths(ctx.paths, a.policyFiles, "file", "policyFiles"),
    scp: await checkPaths(ctx.paths, a.scp, "file", "scp"),
    rcp: await checkPaths(ctx.paths, a.rcp, "file", "rcp"),
    boundary: await checkPaths(ctx.paths, a.boundary, "file", "boundary"),
    resourcePolicy: await checkPaths(ctx.paths, a.resourcePolicyFiles, "file", "resourcePolicyFiles"),
    sessionPolicy: await checkPaths(ctx.paths, a.sessionPolicyFiles, "file", "sessionPolicyFiles"),
    vpcePolicy: await checkPaths(ctx.paths, a.vpcePolicyFiles, "file", "vpcePolicyFiles"),
  };
  const [{ loadEvaluationEnv }, { evaluateRequest, PolicyInputError }, { renderEvaluation }] =
    await Promise.all([
      import("../iam/env.js"),
      import("../iam/request.js"),
      import("../report/evaluation.js"),
    ]);
  const { env } = await loadEvaluationEnv({
    ...files,
    ...(a.managementAccount ? { managementAccount: a.managementAccount } : {}),
  });
  if (a.policies?.length) {
    const given = env.identityPolicies;
    env.identityPolicies = [...(given ? (Array.isArray(given) ? given : [given]) : []), ...a.policies];
  }
  const results: Record<string, unknown>[] = [];
  const texts: string[] = [];
  for (const [i, r] of a.requests.entries()) {
    try {
      const res = evaluateRequest(
        {
          principal: r.principal,
          action: r.action,
          ...(r.resource ? { resource: r.resource } : {}),
          ...(r.resourceAccount ? { resourceAccount: r.resourceAccount } : {}),
          ...(r.context ? { context: r.context } : {}),
          ...(r.resourcePolicy ? { resourcePolicy: r.resourcePolicy } : {}),
        },
        env,
      );
      results.push(res as unknown as Record<string, unknown>);
      texts.push(renderEvaluation(res, plain));
    } catch (err) {
      if (!(err instanceof PolicyInputError)) throw err;
      // the same shape as an error line of `can --requests --json`
      results.push({ schema: "authdoctor.evaluation/v1", line: i + 1, error: err.message });
      texts.push(`request ${i + 1}: error: ${err.message}`);
    }
  }
  const json =
    results.length === 1 && !("error" in results[0]!)
      ? results[0]!
      : { schema: "authdoctor.evaluations/v1", results };
  return { json: redacted(json), text: redactText(texts.join("\n\n")) };
}

// ---------------------------------------------------------------- lint

export const lintInput = z.object({
  files: paths.optional().describe("policy files"),
  policy: z
    .union([z.string().max(MAX_TEXT), policyDoc])
    .optional()
    .describe("one policy inline: its JSON text (positions refer to it) or the document"),
});

export async function lintTool(a: z.infer<typeof lintInput>, ctx: ToolContext): Promise<ToolOutput> {
  if (!a.files?.length && a.policy === undefined)
    throw new InputError("lint", "give `files` or an inline `policy`");
  bounded(a.policy, "policy");
  const files = await checkPaths(ctx.paths, a.files, "file", "files");
  const [{ lintText, LINT_SCHEMA }, { readTextFile }] = await Promise.all([
    import("../iam/lint-files.js"),
    import("../io/read.js"),
  ]);
  const results = [];
  for (const [i, f] of files.entries()) results.push(await lintText(await readTextFile(f), a.files![i]!));
  if (a.policy !== undefined)
    results.push(
      await lintText(typeof a.policy === "string" ? a.policy : JSON.stringify(a.policy, null, 2), "inline"),
    );
  const lines = results.flatMap((r) =>
    r.findings.map(
      (f) => `${r.file}:${f.where.line}:${f.where.column}: ${f.severity} ${f.message} [${f.code}]`,
    ),
  );
  lines.push(`${lines.length} finding(s) in ${results.length} file(s)`);
  return { json: redacted({ schema: LINT_SCHEMA, files: results }), text: redactText(lines.join("\n")) };
}

// ---------------------------------------------------------------- trail

const trailBase = {
  paths: z.array(path).min(1).max(MAX_PATHS).describe("CloudTrail files or folders (S3 layout, JSON, JSONL)"),
  since: iso.optional().describe("only events at or after this time"),
  until: iso.optional().describe("only events before this time"),
  regions: z.array(region).max(40).optional().describe("only these regions"),
};
export const trailSummaryInput = z.object(trailBase);
export const trailSessionsInput = z.object({
  ...trailBase,
  limit: z.number().int().min(1).max(1000).optional().describe("sessions shown in the text (default 30)"),
});
export const trailExplainInput = z.object({
  ...trailBase,
  authz: path.optional().describe("`get-account-authorization-details` output, to evaluate each denial"),
  scp: paths.optional().describe("SCP files, one per level, root first"),
  rcp: paths.optional().describe("RCP files, one per level, root first"),
  limit: z.number().int().min(0).max(1000).optional().describe("denials explained (default 50)"),
});

async function readOpts(a: z.infer<typeof trailSummaryInput>, ctx: ToolContext) {
  const { parseTimeBound } = await import("../trail/files.js");
  for (const k of ["since", "until"] as const)
    if (a[k] !== undefined && parseTimeBound(a[k]) === undefined)
      throw new InputError(k, `cannot read time \`${a[k]}\``);
  const files = await checkPaths(ctx.paths, a.paths, "any", "paths");
  return {
    files,
    opts: {
      ...(a.since ? { since: a.since } : {}),
      ...(a.until ? { until: a.until } : {}),
      ...(a.regions?.length ? { regions: a.regions } : {}),
    },
  };
}

export async function trailSummaryTool(
  a: z.infer<typeof trailSummaryInput>,
  ctx: ToolContext,
): Promise<ToolOutput> {
  const { files, opts } = await readOpts(a, ctx);
  const [{ trailSummary }, { renderSummary }] = await Promise.all([
    import("../trail/analyses.js"),
    import("../report/trail.js"),
  ]);
  const r = await trailSummary(files, opts);
  return { json: redacted(r), text: redactText(renderSummary(r, plain)) };
}

export async function trailSessionsTool(
  a: z.infer<typeof trailSessionsInput>,
  ctx: ToolContext,
): Promise<ToolOutput> {
  const { files, opts } = await readOpts(a, ctx);
  const [{ trailSessions }, { renderSessions }] = await Promise.all([
    import("../trail/analyses.js"),
    import("../report/trail.js"),
  ]);
  const { result, files: n, skipped } = await trailSessions(files, opts);
  return {
    json: redacted({ ...result, files: n, skipped }),
    text: redactText(renderSessions(result, plain, skipped, a.limit ?? 30)),
  };
}

export async function trailExplainTool(
  a: z.infer<typeof trailExplainInput>,
  ctx: ToolContext,
): Promise<ToolOutput> {
  const { files, opts } = await readOpts(a, ctx);
  const authz = a.authz ? await checkPath(ctx.paths, a.authz, "file", "authz") : undefined;
  const scp = await checkPaths(ctx.paths, a.scp, "file", "scp");
  const rcp = await checkPaths(ctx.paths, a.rcp, "file", "rcp");
  const [{ trailExplain }, { loadEvaluationEnv }, { renderExplain }] = await Promise.all([
    import("../trail/analyses.js"),
    import("../iam/env.js"),
    import("../report/trail.js"),
  ]);
  const env =
    authz || scp.length || rcp.length
      ? (await loadEvaluationEnv({ ...(authz ? { authz: [authz] } : {}), scp, rcp })).env
      : null;
  const { result, files: n, skipped } = await trailExplain(files, env, a.limit ?? 50, opts);
  return {
    json: redacted({ ...result, files: n, skipped }),
    text: redactText(renderExplain(result, plain, skipped)),
  };
}

// ---------------------------------------------------------------- collect_guide

export const collectGuideInput = z.object({
  text: z.string().max(MAX_TEXT).optional().describe("the AWS error text, when there is one"),
  region: region.optional(),
  time: iso.optional().describe("when the failure happened (centres the CloudTrail lookups)"),
  profile: z.string().max(128).optional(),
  principal: arnish.optional(),
  resource: arnish.optional(),
  dir: z.string().max(256).optional().describe("the bundle folder the commands write into (default `case`)"),
});

export async function collectGuideTool(a: z.infer<typeof collectGuideInput>): Promise<ToolOutput> {
  if (a.time !== undefined && Number.isNaN(Date.parse(a.time)))
    throw new InputError("time", `not an ISO 8601 time: \`${a.time}\``);
  const [{ explainText }, { collectGuide }, { renderCollectGuide }] = await Promise.all([
    import("../diagnose/explain.js"),
    import("../collect/guide.js"),
    import("../report/collect.js"),
  ]);
  const explained = a.text?.trim() ? explainText(a.text, a.region ? { region: a.region } : {}) : null;
  const { text: _t, ...facts } = a;
  const g = collectGuide(explained, facts);
  return { json: redacted(g), text: redactText(renderCollectGuide(g)) };
}
