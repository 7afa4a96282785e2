// Policy files named on the command line (or in a case bundle) read into an evaluation environment.

import { InputError } from "../core/input-error.js";
import { readTextFile } from "../io/read.js";
import { type AuthzSnapshot, loadAuthzSnapshot } from "./authz.js";
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

async function policiesOf(files: string[] | undefined): Promise<Policy[] | undefined> {
  if (!files || files.length === 0) return undefined;
  const out: Policy[] = [];
  for (const f of files) out.push(...policiesFromText(await readTextFile(f), f));
  return out;
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
  env.identityPolicies = await policiesOf(o.policy);
  if (o.scp?.length)
    env.scps = await Promise.all(o.scp.map(async (f) => policiesFromText(await readTextFile(f), f)));
  if (o.rcp?.length)
    env.rcps = await Promise.all(o.rcp.map(async (f) => policiesFromText(await readTextFile(f), f)));
  env.boundary = await policiesOf(o.boundary);
  env.resourcePolicy = await policiesOf(o.resourcePolicy);
  env.sessionPolicy = await policiesOf(o.sessionPolicy);
  env.vpcEndpointPolicy = await policiesOf(o.vpcePolicy);
  if (o.managementAccount) env.managementAccount = o.managementAccount;
  return { env, warnings };
}
