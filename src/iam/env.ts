// Policy files named on the command line (or in a case bundle) read into an evaluation environment.

import { InputError } from "../core/input-error.js";
import { readTextFile } from "../io/read.js";
import { type AuthzSnapshot, loadAuthzSnapshot } from "./authz.js";
import { valueChecks } from "./checks.js";
import { parseJsonText, policiesFromText } from "./files.js";
import type { EvaluationEnv } from "./request.js";
import type { Policy } from "./types.js";

/** The policy files of one evaluation, by the part each plays (SCP/RCP lists: one file per level, root first). */
export interface EnvFiles {
  authz?: string[];
  policy?: string[];
  scp?: string[];
  rcp?: string[];
  boundary?: string[];
  resourcePolicy?: string[];
  sessionPolicy?: string[];
  vpcePolicy?: string[];
  managementAccount?: string;
}

/** The environment and one line per snapshot whose entries were partly unusable. */
export interface LoadedEnv {
  env: EvaluationEnv;
  warnings: string[];
}

/**
 * The policies of one file, read and parsed once per load: a file given to two options (`--policy` and `--scp`) is
 * one parse (a 50,000-statement file costs its parse once); each option compiles it for its own role.
 */
async function policiesOfFile(cache: Map<string, Policy[]>, f: string): Promise<Policy[]> {
  let hit = cache.get(f);
  if (!hit) {
    hit = policiesFromText(await readTextFile(f), f);
    cache.set(f, hit);
  }
  return hit;
}

async function policiesOf(
  cache: Map<string, Policy[]>,
  files: string[] | undefined,
): Promise<Policy[] | undefined> {
  if (!files || files.length === 0) return undefined;
  const out: Policy[] = [];
  for (const f of files) out.push(...(await policiesOfFile(cache, f)));
  return out;
}

/**
 * One line per problem of the policies an evaluation uses (values that never match, unknown variables,
 * placeholders, lenient readings): the evaluation goes on, but its answer may not be what the author meant.
 */
export function policyWarnings(policies: Policy[]): string[] {
  const lines: string[] = [];
  let more = 0;
  for (const p of new Set(policies)) {
    const found = [...(p.warnings ?? []).filter((w) => w.code !== "policy_no_version"), ...valueChecks(p)];
    for (const f of found) {
      if (lines.length >= 20) {
        more++;
        continue;
      }
      const at = f.where.line > 0 ? ` (line ${f.where.line}, column ${f.where.column})` : "";
      lines.push(`${p.name}${at}: warning: ${f.message}`);
    }
  }
  if (more) lines.push(`... ${more} more policy warnings (run \`authdoctor lint\` on the files)`);
  return lines;
}

/**
 * Build the evaluation environment from policy files; every unreadable or malformed input is one InputError.
 * Snapshot entries of the wrong shape are left out and returned as warnings (the evaluation goes on).
 */
export async function loadEvaluationEnv(o: EnvFiles): Promise<LoadedEnv> {
  const warnings: string[] = [];
  const env: EvaluationEnv = {};
  if (o.authz?.length) {
    const snaps: AuthzSnapshot[] = [];
    for (const f of o.authz) {
      const snap = loadAuthzSnapshot(parseJsonText(await readTextFile(f), f), f);
      const fatal = snap.errors.find((e) => e.message.startsWith("$:"));
      if (fatal) throw new InputError(f, fatal.message.slice(3));
      // entries of the wrong shape are left out, not fatal: one line says so (the evaluation goes on)
      const n = snap.errors.length;
      if (n > 0)
        warnings.push(
          `${f}: warning: ${n} ${n === 1 ? "entry" : "entries"} not used (${snap.errors[0]!.message}${n > 1 ? "; ..." : ""})`,
        );
      snaps.push(snap);
    }
    env.authz = snaps;
  }
  const cache = new Map<string, Policy[]>();
  env.identityPolicies = await policiesOf(cache, o.policy);
  if (o.scp?.length) {
    const levels: Policy[][] = [];
    for (const f of o.scp) levels.push(await policiesOfFile(cache, f));
    env.scps = levels;
  }
  if (o.rcp?.length) {
    const levels: Policy[][] = [];
    for (const f of o.rcp) levels.push(await policiesOfFile(cache, f));
    env.rcps = levels;
  }
  env.boundary = await policiesOf(cache, o.boundary);
  env.resourcePolicy = await policiesOf(cache, o.resourcePolicy);
  env.sessionPolicy = await policiesOf(cache, o.sessionPolicy);
  env.vpcEndpointPolicy = await policiesOf(cache, o.vpcePolicy);
  if (o.managementAccount) env.managementAccount = o.managementAccount;
  warnings.push(...policyWarnings([...cache.values()].flat()));
  return { env, warnings };
}
