// Checks over the snapshot and the three resolutions: each problem becomes one Finding (no secret in any text).
// One module per finding family; CHECKS lists them in the order their findings are reported (before sorting).

import { CREDENTIAL_FINDING_CAUSE } from "../../core/finding-causes.js";
import type { ProfileStore } from "../profiles.js";
import type { Finding, SdkId, SdkResolution, Snapshot } from "../types.js";
import type { FindingDraft } from "./common.js";
import { checkEnvironment } from "./environment.js";
import { checkFiles, checkInlineComments } from "./files.js";
import { checkDuplicateKeys, checkKeySet, type KeySet, keySetsFromEnv, keySetsFromFile } from "./keys.js";
import { checkOutcomes } from "./outcomes.js";
import { checkSelectedProfiles, profilesInUse } from "./profiles.js";
import { checkRegions } from "./regions.js";
import { checkRoleProfiles } from "./roles.js";
import { checkSso } from "./sso.js";
import { checkWebIdentity } from "./web-identity.js";

/** What every check may read: the snapshot, the resolutions, the profile stores and what is derived once from them. */
export interface CheckContext {
  snap: Snapshot;
  res: Record<SdkId, SdkResolution>;
  stores: Record<"js" | "python", ProfileStore>;
  /** Static key sets from the environment, then the credentials file, then the config file. */
  keySets: KeySet[];
  /** Profiles any SDK reaches from its selected profile. */
  inUse: Set<string>;
  /** The store profile checks read (botocore's, or JS's when botocore could not read the files). */
  store: ProfileStore;
}

export interface Check {
  name: string;
  run: (ctx: CheckContext, out: FindingDraft[]) => void;
}

/** Every check, in order. */
export const CHECKS: readonly Check[] = [
  { name: "files", run: (c, out) => checkFiles(c.snap, out) },
  {
    name: "key-sets",
    run: (c, out) => {
      for (const ks of c.keySets) checkKeySet(ks, c.snap.now, out);
    },
  },
  { name: "duplicate-keys", run: (c, out) => checkDuplicateKeys(c.keySets, out) },
  { name: "inline-comments-credentials", run: (c, out) => checkInlineComments(c.snap.credentials, out) },
  { name: "inline-comments-config", run: (c, out) => checkInlineComments(c.snap.config, out) },
  { name: "selected-profiles", run: (c, out) => checkSelectedProfiles(c.snap, c.res, c.stores, out) },
  { name: "role-profiles", run: (c, out) => checkRoleProfiles(c.store, c.inUse, out) },
  { name: "sso", run: (c, out) => checkSso(c.snap, c.store, c.inUse, out) },
  { name: "web-identity", run: (c, out) => checkWebIdentity(c.snap, c.res, out) },
  { name: "regions", run: (c, out) => checkRegions(c.res, out) },
  { name: "environment", run: (c, out) => checkEnvironment(c.snap, c.res, out) },
  { name: "outcomes", run: (c, out) => checkOutcomes(c.res, c.snap, out) },
];

/** Every finding for a snapshot and its resolutions, sorted by severity (errors first). */
export function collectFindings(
  snap: Snapshot,
  res: Record<SdkId, SdkResolution>,
  stores: Record<"js" | "python", ProfileStore>,
): Finding[] {
  const ctx: CheckContext = {
    snap,
    res,
    stores,
    keySets: [
      ...keySetsFromEnv(snap.env),
      ...keySetsFromFile(snap.credentials),
      ...keySetsFromFile(snap.config),
    ],
    inUse: profilesInUse(res),
    store: stores.python.fileError ? stores.js : stores.python,
  };
  const drafts: FindingDraft[] = [];
  for (const check of CHECKS) check.run(ctx, drafts);
  const out = drafts.map(
    ({ code, cause, ...rest }): Finding => ({
      code,
      cause: cause ?? CREDENTIAL_FINDING_CAUSE[code],
      ...rest,
    }),
  );
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const seen = new Set<string>();
  return out
    .filter((f) => {
      const k = `${f.code}|${f.where}|${f.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => rank[a.severity] - rank[b.severity]);
}
