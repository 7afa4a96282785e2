// `authdoctor collect [DIR]`: write a case bundle (docs/bundle.md) from this machine, with every secret value
// replaced by REDACTED, for someone else to diagnose; with `live`, add what read-only AWS calls may read.

import { lstat, mkdir, open, readdir, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { InputError } from "../core/input-error.js";
import { redactSecretValues } from "../core/redact.js";
import type { CollectLiveResult } from "../live/collect.js";
import { type CollectGuide, collectGuide } from "./guide.js";
import { envListing, type Redacted, redactIni, redactJwt, redactSsoCache } from "./redact.js";

export const COLLECT_SCHEMA = "authdoctor.collect/v1" as const;

/** Largest file copied into a bundle (config files, SSO cache entries, tokens). */
const COPY_LIMIT = 1024 * 1024;

/** Options of {@link collect}. */
export interface CollectOptions {
  /** The error text (from `--file` or stdin), when there is one. */
  text?: string;
  profile?: string;
  region?: string;
  sdk?: "js" | "python" | "cli";
  /** When the failure happened (ISO 8601). */
  time?: string;
  notes?: string;
  /** The failing EC2 instance or interface: with `live`, its network evidence goes to `network/`. */
  instance?: string;
  eni?: string;
  /** Replace the files of an existing, non-empty folder. */
  force?: boolean;
  live?: boolean;
  /** The environment to copy (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Tests: options passed to the live calls (endpoint, credentials). */
  liveOptions?: Record<string, unknown>;
  /** Called with each live call as it is made (the audit). */
  onAudit?: (line: string) => void;
}

/** One file written. */
export interface WrittenFile {
  path: string;
  what: string;
  /** Secret values replaced in it. */
  redacted: number;
}

/** What {@link collect} did (`authdoctor.collect/v1`, also `collect.json` in the bundle). */
export interface CollectReport {
  schema: typeof COLLECT_SCHEMA;
  dir: string;
  collectedAt: string;
  files: WrittenFile[];
  /** What was looked for and not found, one line each. */
  missing: string[];
  live?: {
    identity?: { arn: string; account: string };
    regionStatus?: { region: string; status: string; enabled: boolean };
    /** Every call made: operation, region, outcome. */
    calls: Array<{ operation: string; region: string; outcome: string; detail: string }>;
    /** Calls AWS refused, with the permission that would allow each. */
    denied: Array<{ operation: string; region: string; permission: string }>;
    gaps: string[];
  };
  /** What else would help, from the error (the guide's steps not covered by the bundle). */
  next: CollectGuide["steps"];
}

/** `~/x` and `~` expanded against `home`. */
function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/") || path.startsWith("~\\")) return join(home, path.slice(2));
  return path;
}

/** Read a regular file of at most {@link COPY_LIMIT} bytes as text; undefined when absent, a reason otherwise. */
async function readSmall(path: string): Promise<{ text?: string; why?: string }> {
  let st: Awaited<ReturnType<typeof lstat>>;
  try {
    st = await lstat(path);
  } catch {
    return {};
  }
  if (st.isSymbolicLink()) {
    try {
      const { stat } = await import("node:fs/promises");
      st = await stat(path);
    } catch {
      return { why: "a broken symbolic link" };
    }
  }
  if (!st.isFile()) return { why: "not a regular file" };
  if (st.size > COPY_LIMIT) return { why: `larger than ${COPY_LIMIT / 1024} KiB` };
  const { readFile } = await import("node:fs/promises");
  try {
    return { text: (await readFile(path)).toString("utf8") };
  } catch (err) {
    return { why: (err as NodeJS.ErrnoException).code ?? "unreadable" };
  }
}

/** Make the bundle folder: new, empty, or (with force) an existing one. */
async function prepareDir(dir: string, force: boolean): Promise<void> {
  let st: Awaited<ReturnType<typeof lstat>> | undefined;
  try {
    st = await lstat(dir);
  } catch {
    // does not exist yet
  }
  if (st && !st.isDirectory()) throw new InputError(dir, "exists and is not a folder");
  if (st && (await readdir(dir)).length > 0 && !force)
    throw new InputError(
      dir,
      "exists and is not empty: choose another folder, or add --force to replace its files",
    );
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/**
 * Write `text` to `dir/rel`, never through a symbolic link or over a file of someone else's: an existing entry
 * is removed first (only in a folder the user gave with --force), then the file is created anew, mode 0600.
 */
async function writeNew(dir: string, rel: string, text: string): Promise<void> {
  const path = join(dir, rel);
  await mkdir(join(path, ".."), { recursive: true, mode: 0o700 });
  await rm(path, { force: true, recursive: true });
  const fh = await open(path, "wx", 0o600);
  try {
    await fh.writeFile(text);
  } finally {
    await fh.close();
  }
}

/** Collect a bundle into `dir`; returns the report (also written as `collect.json` and `README.md`). */
export async function collect(dirArg: string, o: CollectOptions = {}): Promise<CollectReport> {
  const env = o.env ?? process.env;
  const dir = resolve(dirArg);
  if (o.time !== undefined && Number.isNaN(Date.parse(o.time)))
    throw new InputError("--time", `not an ISO 8601 time: \`${o.time}\``);
  await prepareDir(dir, o.force === true);
  const report: CollectReport = {
    schema: COLLECT_SCHEMA,
    dir,
    collectedAt: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    files: [],
    missing: [],
    next: [],
  };
  const put = async (rel: string, what: string, r: Redacted) => {
    // INVARIANT: every file of the bundle also passes the one redaction point (a secret pasted anywhere).
    await writeNew(dir, rel, redactSecretValues(r.text));
    report.files.push({ path: rel, what, redacted: r.replaced });
  };

  // The error text.
  let explained: import("../core/diagnosis.js").Diagnosis | null = null;
  if (o.text !== undefined && o.text.trim() !== "") {
    await put("error.txt", "the error text", { text: o.text.replace(/\n?$/, "\n"), replaced: 0 });
    const { explainText } = await import("../diagnose/explain.js");
    explained = explainText(o.text, o.region ? { region: o.region } : {});
  } else report.missing.push("error.txt: no error text given (use --file, or pipe it on stdin)");

  // The environment.
  const listing = envListing(env);
  if (listing.text) await put("env.txt", "the AWS environment variables", listing);
  else report.missing.push("env.txt: no AWS_* variable is set");

  // Shared config and credentials files, where the SDKs look for them.
  const home = env.HOME || env.USERPROFILE || homedir();
  const configPath = expandHome(env.AWS_CONFIG_FILE || join(home, ".aws", "config"), home);
  const credsPath = expandHome(env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials"), home);
  for (const [rel, path, what] of [
    ["aws/config", configPath, "the shared config file"],
    ["aws/credentials", credsPath, "the shared credentials file"],
  ] as const) {
    const r = await readSmall(path);
    if (r.text !== undefined) await put(rel, `${what} (${path})`, redactIni(r.text));
    else report.missing.push(`${rel}: ${r.why ?? "none"} at ${path}`);
  }

  // SSO cache: metadata only.
  const ssoDir = join(home, ".aws", "sso", "cache");
  let ssoNames: string[] = [];
  try {
    ssoNames = (await readdir(ssoDir)).filter((n) => n.endsWith(".json")).slice(0, 200);
  } catch {
    report.missing.push(`sso-cache/: no SSO cache at ${ssoDir}`);
  }
  for (const name of ssoNames) {
    const r = await readSmall(join(ssoDir, name));
    const red = r.text !== undefined ? redactSsoCache(r.text) : undefined;
    if (red) await put(`sso-cache/${name}`, "an SSO cache entry, tokens removed", red);
    else report.missing.push(`sso-cache/${name}: ${r.why ?? "not a JSON object"}`);
  }

  // The web identity token, claims only.
  const wit = env.AWS_WEB_IDENTITY_TOKEN_FILE;
  if (wit) {
    const r = await readSmall(expandHome(wit, home));
    const red = r.text !== undefined ? redactJwt(r.text) : undefined;
    if (red) await put("web-identity-token", "the web identity token, signature removed", red);
    else report.missing.push(`web-identity-token: ${r.why ?? "not a JWT"} at ${wit}`);
  }

  // Live: what the caller may read.
  let live: CollectLiveResult | undefined;
  if (o.live) {
    const { collectLive } = await import("../live/collect.js");
    live = await collectLive({
      ...(o.profile ? { profile: o.profile } : {}),
      ...(o.region || explained?.failure?.region
        ? { region: (o.region ?? explained?.failure?.region)! }
        : {}),
      ...(o.time ? { time: new Date(o.time) } : {}),
      ...(o.instance || o.eni
        ? { network: { ...(o.instance ? { instance: o.instance } : {}), ...(o.eni ? { eni: o.eni } : {}) } }
        : {}),
      env,
      ...(o.liveOptions ?? {}),
    });
    for (const a of live.audit)
      o.onAudit?.(
        `live: ${a.operation} ${a.region} ${a.outcome}${a.outcome === "ok" ? "" : `: ${a.detail}`}`,
      );
    if (live.authorization) {
      const a = live.authorization;
      await put(
        "authz.json",
        a.scope === "full"
          ? "the account's authorization details (iam:GetAccountAuthorizationDetails)"
          : `the policies of ${a.principal.kind} \`${a.principal.name}\` only (narrow reads)`,
        { text: `${JSON.stringify(a.details, null, 2)}\n`, replaced: 0 },
      );
    }
    for (const d of live.network ?? [])
      await put(`network/${d.file}`, `the failing machine's network (${d.operation})`, {
        text: `${JSON.stringify(d.value, null, 2)}\n`,
        replaced: 0,
      });
    for (const t of live.trail)
      await put(
        `trail/lookup-${t.region}.json`,
        `CloudTrail ${t.region} ${t.window.start} .. ${t.window.end}: ${t.records.length} events${t.truncated ? " (first pages only)" : ""}`,
        { text: `${JSON.stringify({ Records: t.records }, null, 2)}\n`, replaced: 0 },
      );
    report.live = {
      ...(live.identity ? { identity: { arn: live.identity.arn, account: live.identity.account } } : {}),
      ...(live.regionStatus
        ? {
            regionStatus: {
              region: live.regionStatus.region,
              status: live.regionStatus.status,
              enabled: live.regionStatus.enabled,
            },
          }
        : {}),
      calls: live.audit.map((a) => ({
        operation: a.operation,
        region: a.region,
        outcome: a.outcome,
        detail: a.detail,
      })),
      denied: live.denied,
      gaps: live.noCredentials ? [`no AWS call made: ${live.noCredentials}`, ...live.gaps] : live.gaps,
    };
  }

  // case.json: what the error does not say.
  const profile = o.profile ?? env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE;
  const region = o.region ?? explained?.failure?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const principal = explained?.failure?.principal?.raw ? undefined : live?.identity?.arn;
  const caseFile = {
    ...(principal ? { principal } : {}),
    ...(o.time ? { time: o.time } : {}),
    ...(region ? { region } : {}),
    ...(o.sdk ? { sdk: o.sdk } : {}),
    ...(profile ? { profile } : {}),
    ...(o.notes ? { notes: o.notes } : {}),
    ...(o.instance ? { instance: o.instance } : {}),
    ...(o.eni ? { eni: o.eni } : {}),
  };
  await put("case.json", "what is known besides the error", {
    text: `${JSON.stringify(caseFile, null, 2)}\n`,
    replaced: 0,
  });

  // What else would help: the guide's steps whose files the bundle does not have.
  const guide = collectGuide(explained, {
    ...(region ? { region } : {}),
    ...(o.time ? { time: o.time } : {}),
    ...(profile ? { profile } : {}),
    dir: dirArg,
  });
  const have = new Set(report.files.map((f) => f.path.split("/")[0]));
  report.next = guide.steps.filter(
    (s) =>
      !s.file.startsWith("error.txt") &&
      !(s.file === "authz.json" && have.has("authz.json")) &&
      !(s.file === "policies/" && have.has("authz.json")) &&
      !(s.file === "trail/" && have.has("trail")) &&
      !(s.file.startsWith("case.json") && report.live?.regionStatus),
  );

  const { renderCollectReadme } = await import("../report/collect.js");
  await writeNew(dir, "collect.json", `${redactSecretValues(JSON.stringify(report, null, 2))}\n`);
  await writeNew(dir, "README.md", redactSecretValues(renderCollectReadme(report)));
  return report;
}
