// The selected profile: defined, in the right section form; profiles reached from it.

import type { ProfileStore } from "../profiles.js";
import type { SdkId, SdkResolution, Snapshot } from "../types.js";
import type { FindingDraft } from "./common.js";

/** Where a profile is defined in the wrong form, if it is. */
function wrongFormWhere(snap: Snapshot, name: string): string | undefined {
  const c = snap.config.scan.sections.find((s) => s.header === name && name !== "default");
  if (c) return `${snap.config.display}:${c.line}`;
  const k = snap.credentials.scan.sections.find(
    (s) => s.header.replace(/^profile\s+/, "") === name && s.header !== name,
  );
  if (k) return `${snap.credentials.display}:${k.line}`;
  return undefined;
}

export function checkSelectedProfiles(
  snap: Snapshot,
  res: Record<SdkId, SdkResolution>,
  stores: Record<"js" | "python", ProfileStore>,
  out: FindingDraft[],
): void {
  const missing = new Map<string, { sdks: SdkId[]; where: string }>();
  for (const sdk of ["js", "python", "cli"] as const) {
    const r = res[sdk];
    const store = sdk === "js" ? stores.js : stores.python;
    if (r.profile.from === "default" || store.fileError) continue;
    if (store.profiles.has(r.profile.value)) continue;
    const e = missing.get(r.profile.value) ?? { sdks: [], where: r.profile.where };
    e.sdks.push(sdk);
    missing.set(r.profile.value, e);
  }
  for (const [name, e] of missing) {
    const wrong = wrongFormWhere(snap, name);
    const effect = `${e.sdks.filter((s) => s !== "js").length > 0 ? "boto3/AWS CLI: `The config profile (" + name + ") could not be found`" : ""}${e.sdks.includes("js") ? `${e.sdks.length > 1 ? "; " : ""}JS v3 skips the profile and falls through the chain` : ""}`;
    out.push(
      wrong
        ? {
            code: "profile-wrong-section-form",
            severity: "error",
            message: `profile \`${name}\` (from ${e.where}) is written in the wrong section form at ${wrong}: ${effect}`,
            where: wrong,
            fix: `write it \`[profile ${name}]\` in the config file and \`[${name}]\` in the credentials file`,
            sdks: e.sdks,
          }
        : {
            code: "profile-not-found",
            severity: "error",
            message:
              name === ""
                ? `${e.where} is set but empty: ${effect}`
                : `profile \`${name}\` (from ${e.where}) is not defined in ${snap.config.display} or ${snap.credentials.display}: ${effect}`,
            where: e.where,
            fix: `check the name (profiles: ${[...stores.python.profiles.keys()].slice(0, 8).join(", ") || "none"}), AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, or run \`aws configure --profile ${name}\``,
            sdks: e.sdks,
          },
    );
  }
}

/** Profiles any SDK reaches from its selected profile through source_profile. */
export function profilesInUse(res: Record<SdkId, SdkResolution>): Set<string> {
  const s = new Set<string>();
  for (const r of Object.values(res)) {
    s.add(r.profile.value);
    for (const o of r.chain) for (const p of o.profiles ?? []) s.add(p);
  }
  return s;
}
