// Case bundles: a folder holding one case's evidence (docs/bundle.md), read into paths and small values.

import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../core/input-error.js";
import { jsonSyntaxError } from "../iam/files.js";
import { decodeText } from "../io/read.js";

/** `case.json`: what the error text may not say. Every field is optional. */
export interface CaseFile {
  principal?: string;
  action?: string;
  resource?: string;
  /** The account that owns the resource (an S3 bucket's owner: its ARN does not say). */
  resourceAccount?: string;
  /** When the failure happened, ISO 8601. */
  time?: string;
  region?: string;
  sdk?: "js" | "python" | "cli";
  profile?: string;
  /** Free text for the humans handing the case over; not used by the diagnosis. */
  notes?: string;
  /** The failing EC2 instance (`i-…`), for the network and IMDS checks. */
  instance?: string;
  /** The failing network interface (`eni-…`), when it is not an instance's primary one. */
  eni?: string;
  /** The failing program runs in a container (Docker, ECS on EC2, a Kubernetes pod). */
  container?: boolean;
}

/** A problem with one file of a bundle: it becomes an Unknown, the rest goes on. */
export interface BundleProblem {
  path: string;
  reason: string;
}

/** What a bundle holds, as paths (files are read by the evidence sources) plus the small files parsed. */
export interface Bundle {
  dir: string;
  errorText?: string;
  errorFile?: string;
  caseFile?: CaseFile;
  authz?: string;
  /** SCP files, one per level, in name order (root first). */
  scp: string[];
  rcp: string[];
  policies: string[];
  resourcePolicies: string[];
  /** `network/*.json`: EC2 describe outputs, recognised by shape (docs/network.md). */
  network: string[];
  /** The `trail/` folder when it holds at least one file. */
  trail?: string;
  awsConfig?: string;
  awsCredentials?: string;
  /** `env.txt` parsed; undefined when the bundle has none. */
  env?: Record<string, string>;
  ssoCacheDir?: string;
  problems: BundleProblem[];
}

const SDKS = new Set(["js", "python", "cli"]);
const CASE_FIELDS = [
  "principal",
  "action",
  "resource",
  "resourceAccount",
  "time",
  "region",
  "profile",
  "notes",
  "instance",
  "eni",
] as const;

/** Read a bundle folder. Throws InputError only when `dir` itself is not a readable folder. */
export async function loadBundle(dir: string): Promise<Bundle> {
  let isDir = false;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(dir, code === "ENOENT" ? "bundle not found" : `cannot read bundle: ${code}`);
  }
  if (!isDir) throw new InputError(dir, "a bundle is a folder (see docs/bundle.md)");

  const b: Bundle = { dir, scp: [], rcp: [], policies: [], resourcePolicies: [], network: [], problems: [] };
  const rel = (p: string) => join(dir, p);

  const error = await readSmall(rel("error.txt"), b);
  if (error !== undefined) {
    b.errorText = error;
    b.errorFile = rel("error.txt");
  }
  const caseText = await readSmall(rel("case.json"), b);
  if (caseText !== undefined) b.caseFile = parseCaseFile(caseText, rel("case.json"), b.problems);
  if (await isFile(rel("authz.json"))) b.authz = rel("authz.json");
  b.scp = await jsonFiles(rel("scp"));
  b.rcp = await jsonFiles(rel("rcp"));
  b.policies = await jsonFiles(rel("policies"));
  b.resourcePolicies = await jsonFiles(rel("resource-policies"));
  b.network = await jsonFiles(rel("network"));
  if ((await listFiles(rel("trail"))).length > 0) b.trail = rel("trail");
  if (await isFile(rel("aws/config"))) b.awsConfig = rel("aws/config");
  if (await isFile(rel("aws/credentials"))) b.awsCredentials = rel("aws/credentials");
  const envText = await readSmall(rel("env.txt"), b);
  if (envText !== undefined) b.env = parseEnvListing(envText, rel("env.txt"), b.problems);
  if (await isDirectory(rel("sso-cache"))) b.ssoCacheDir = rel("sso-cache");
  return b;
}

/** Parse `case.json`; unknown fields and wrong types become problems, never errors. */
export function parseCaseFile(text: string, path: string, problems: BundleProblem[]): CaseFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    const e = jsonSyntaxError(text);
    const at = e.where.line > 0 ? ` (line ${e.where.line}, column ${e.where.column})` : "";
    problems.push({ path, reason: `not valid JSON: ${e.message}${at}` });
    return {};
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    problems.push({ path, reason: "expected a JSON object" });
    return {};
  }
  const obj = raw as Record<string, unknown>;
  const out: CaseFile = {};
  for (const key of CASE_FIELDS) {
    const v = obj[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string") {
      problems.push({ path, reason: `\`${key}\` must be a string` });
      continue;
    }
    out[key] = v;
  }
  if (obj.sdk !== undefined) {
    if (typeof obj.sdk === "string" && SDKS.has(obj.sdk)) out.sdk = obj.sdk as CaseFile["sdk"];
    else problems.push({ path, reason: "`sdk` must be one of js, python, cli" });
  }
  if (obj.container !== undefined) {
    if (typeof obj.container === "boolean") out.container = obj.container;
    else problems.push({ path, reason: "`container` must be true or false" });
  }
  if (out.instance !== undefined && !/^i-[0-9a-f]{8,17}$/.test(out.instance)) {
    problems.push({ path, reason: `\`instance\` is not an instance id (i-…): \`${out.instance}\`` });
    delete out.instance;
  }
  if (out.eni !== undefined && !/^eni-[0-9a-f]{8,17}$/.test(out.eni)) {
    problems.push({ path, reason: `\`eni\` is not a network interface id (eni-…): \`${out.eni}\`` });
    delete out.eni;
  }
  if (out.time !== undefined && Number.isNaN(Date.parse(out.time))) {
    problems.push({ path, reason: `\`time\` is not an ISO 8601 time: \`${out.time}\`` });
    delete out.time;
  }
  for (const key of Object.keys(obj)) {
    if (
      key !== "sdk" &&
      key !== "container" &&
      !(CASE_FIELDS as readonly string[]).includes(key) &&
      !key.startsWith("$")
    ) {
      problems.push({ path, reason: `unknown field \`${key}\` ignored` });
    }
  }
  return out;
}

/**
 * Parse an environment listing (`env.txt`): `KEY=VALUE` lines as `env` or `printenv` print them, optionally
 * prefixed with `export `; blank lines and `#` comments are skipped; surrounding quotes are kept as written
 * (they matter to the credential checks). Lines without `=` are reported.
 */
export function parseEnvListing(
  text: string,
  path: string,
  problems: BundleProblem[],
): Record<string, string> {
  const env: Record<string, string> = {};
  const lines = text.split(/\n/);
  lines.forEach((line0, i) => {
    const line = line0.replace(/\r$/, "");
    if (line.trim() === "" || line.trimStart().startsWith("#")) return;
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) {
      problems.push({ path: `${path}:${i + 1}`, reason: "expected KEY=VALUE" });
      return;
    }
    env[m[1]!] = m[2]!;
  });
  return env;
}

/** Largest bundle text file read whole (error text, case, env listing). */
const SMALL_LIMIT = 4 * 1024 * 1024;

async function readSmall(path: string, b: Bundle): Promise<string | undefined> {
  try {
    const st = await stat(path);
    if (!st.isFile()) {
      b.problems.push({ path, reason: "expected a file" });
      return undefined;
    }
    if (st.size > SMALL_LIMIT) {
      b.problems.push({ path, reason: `too large (${st.size} bytes, at most ${SMALL_LIMIT})` });
      return undefined;
    }
    return decodeText(await readFile(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ENOENT")
      b.problems.push({ path, reason: `cannot read: ${code ?? (err as Error).message}` });
    return undefined;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    return entries
      .filter((e) => e.isFile() && !e.name.startsWith("."))
      .map((e) => join(e.parentPath, e.name))
      .sort();
  } catch {
    return [];
  }
}

/** `*.json` files directly in `dir`, in name order (SCP levels: root first). */
async function jsonFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && e.name.toLowerCase().endsWith(".json"))
      .map((e) => e.name)
      .sort((a, c) => (a < c ? -1 : a > c ? 1 : 0))
      .map((n) => join(dir, n));
  } catch {
    return [];
  }
}
