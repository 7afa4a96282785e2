// Profile views as each SDK family sees the two files (docs/aws-facts.md §2.2, §2.4), with `file:line` for every value.

import { jsConfigProfileName, jsCredentialsProfileName, jsSsoSessionName, pyConfigSection } from "./ini.js";
import type { FileSnapshot } from "./types.js";

/** A value and where it was read. Values may be secrets: print only through mask.ts. */
export interface Value {
  value: string;
  where: string;
  /** Which file it came from. */
  file: "config" | "credentials";
}

/** A profile: key -> value (the credentials file wins over the config file for the same key). */
export type Profile = Record<string, Value>;

/** The profiles and sso-sessions one SDK family reads from the two files. */
export interface ProfileStore {
  family: "js" | "python";
  profiles: Map<string, Profile>;
  ssoSessions: Map<string, Profile>;
  /** The first line of each profile's section(s), for `where` of a whole profile. */
  sectionWhere: Map<string, string>;
  /** Set when the SDK refuses a file as a whole (botocore ConfigParseError). */
  fileError?: { file: FileSnapshot; message: string };
}

function at(f: FileSnapshot, line: number): string {
  return `${f.display}:${line}`;
}

/** Per section name (as `nameOf` gives it; undefined: ignored): its first line and the last line of each key. */
function sectionLines(
  f: FileSnapshot,
  nameOf: (header: string) => string | undefined,
): Map<string, { first: number; keys: Map<string, number> }> {
  const out = new Map<string, { first: number; keys: Map<string, number> }>();
  for (const s of f.scan.sections) {
    const name = nameOf(s.header);
    if (name === undefined) continue;
    let e = out.get(name);
    if (!e) {
      e = { first: s.line, keys: new Map() };
      out.set(name, e);
    }
    for (const x of s.entries) e.keys.set(x.key, x.line);
  }
  return out;
}

/**
 * JS v3 view: values from smithy's parse (`FileSnapshot.js`), lines from our scan. Section rules: config
 * `[default]`/`[profile x]` only, credentials `[x]` (and `[profile x]` stored as `profile.x`) [SMITHY-CFG].
 */
export function jsStore(config: FileSnapshot, credentials: FileSnapshot): ProfileStore {
  const profiles = new Map<string, Profile>();
  const ssoSessions = new Map<string, Profile>();
  const sectionWhere = new Map<string, string>();
  // one pass per file: the last line of each key and the first line of each section, by the name JS gives it
  // (looking them up per key was O(profiles x keys x lines): seconds for a few thousand profiles)
  const profileLines = sectionLines(config, jsConfigProfileName);
  const ssoLines = sectionLines(config, jsSsoSessionName);
  const credentialLines = sectionLines(credentials, jsCredentialsProfileName);

  for (const [name, data] of Object.entries(config.js)) {
    const sso = name.startsWith("sso-session.") ? name.slice("sso-session.".length) : undefined;
    // smithy keeps typed sections as `type.name` next to bare profile names (a profile may contain dots)
    if (name.startsWith("services.")) continue;
    const lines = sso ? ssoLines.get(sso) : profileLines.get(name);
    const p: Profile = Object.create(null);
    for (const [k, v] of Object.entries(data))
      p[k] = { value: v, where: at(config, lines?.keys.get(k) ?? 0), file: "config" };
    if (sso) ssoSessions.set(sso, p);
    else {
      profiles.set(name, p);
      if (lines) sectionWhere.set(name, at(config, lines.first));
    }
  }
  for (const [name, data] of Object.entries(credentials.js)) {
    const lines = credentialLines.get(name);
    const p: Profile = profiles.get(name) ?? Object.create(null);
    for (const [k, v] of Object.entries(data))
      p[k] = { value: v, where: at(credentials, lines?.keys.get(k) ?? 0), file: "credentials" };
    profiles.set(name, p);
    if (lines && !sectionWhere.has(name)) sectionWhere.set(name, at(credentials, lines.first));
  }
  return { family: "js", profiles, ssoSessions, sectionWhere };
}

/**
 * botocore view (also AWS CLI v2): configparser rules; config `[default]`/`[profile x]`/`[sso-session x]`,
 * credentials sections named raw and merged over the config's keys [BOTO-CFGLOADER][BOTO-SESSION].
 */
export function pyStore(config: FileSnapshot, credentials: FileSnapshot): ProfileStore {
  const profiles = new Map<string, Profile>();
  const ssoSessions = new Map<string, Profile>();
  const sectionWhere = new Map<string, string>();
  const store: ProfileStore = { family: "python", profiles, ssoSessions, sectionWhere };
  for (const f of [config, credentials]) {
    if (f.status === "ok" && f.pythonError) {
      store.fileError = { file: f, message: f.pythonError };
      return store;
    }
  }
  for (const s of config.scan.sections) {
    const kind = pyConfigSection(s.header);
    if (!kind || kind.kind === "services") continue;
    const target = kind.kind === "profile" ? profiles : ssoSessions;
    const p: Profile = target.get(kind.name) ?? Object.create(null);
    for (const e of s.pyEntries) p[e.key] = { value: e.value, where: at(config, e.line), file: "config" };
    target.set(kind.name, p);
    if (kind.kind === "profile" && !sectionWhere.has(kind.name))
      sectionWhere.set(kind.name, at(config, s.line));
  }
  for (const s of credentials.scan.sections) {
    const p: Profile = profiles.get(s.header) ?? Object.create(null);
    for (const e of s.pyEntries)
      p[e.key] = { value: e.value, where: at(credentials, e.line), file: "credentials" };
    profiles.set(s.header, p);
    if (!sectionWhere.has(s.header)) sectionWhere.set(s.header, at(credentials, s.line));
  }
  return store;
}

/** Value of `key` in `profile`, or undefined. */
export function val(profile: Profile | undefined, key: string): string | undefined {
  return profile?.[key]?.value;
}
