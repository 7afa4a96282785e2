// Our own line scan of an AWS ini file (for `file:line`), and the section-name rules of JS v3 and botocore.

/** One `key = value` line as JS v3 reads it. Values are raw: callers must never print a secret value. */
export interface IniEntry {
  /** Key as JS v3 stores it (`s3.max_concurrent_requests` for nested keys). */
  key: string;
  /** Trimmed, inline ` #`/` ;` comments removed. */
  value: string;
  /** 1-based line number. */
  line: number;
}

/** One `key = value` (or `key: value`) as botocore's configparser reads it. */
export interface PyEntry {
  /** Lower-cased key. */
  key: string;
  /** Trimmed, inline comments kept, continuation lines joined with a newline. */
  value: string;
  line: number;
}

/** One `[header]` and its lines. */
export interface IniSection {
  /** Text between the brackets, trimmed (JS rule: inline comments removed first). */
  header: string;
  line: number;
  entries: IniEntry[];
  pyEntries: PyEntry[];
}

/** A file as scanned. */
export interface IniFile {
  sections: IniSection[];
  /** Lines ending in CR LF. */
  crlfLines: number;
  /** Lines with a CR that is not part of a line ending. */
  strayCrLines: number[];
  /** botocore (configparser) errors, with line numbers: it refuses the whole file on the first one. */
  pyErrors: { line: number; message: string }[];
}

/** An empty scan (for missing files). */
export function emptyIni(): IniFile {
  return { sections: [], crlfLines: 0, strayCrLines: [], pyErrors: [] };
}

// docs/aws-facts.md §2.4: JS v3 (smithy parseIni) only splits `prefix name` section headers of this shape.
const JS_PREFIX_RE = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/;
const JS_SECTION_TYPES = new Set(["profile", "sso-session", "services"]);

/**
 * Scan ini text (already decoded) line by line. Never throws. `entries` follow the rules of smithy `parseIni`
 * (JS v3); `pyEntries` and `pyErrors` those of Python configparser as botocore uses it.
 */
export function scanIni(text: string): IniFile {
  const out = emptyIni();
  const lines = text.split("\n");
  let section: IniSection | undefined;
  let jsSub: string | undefined;
  let pyLast: PyEntry | undefined;
  let pyIndent = 0;
  const seenSections = new Set<string>();
  let seenKeys = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const n = i + 1;
    if (line.endsWith("\r")) {
      out.crlfLines++;
      line = line.slice(0, -1);
    }
    // a CR inside a line: JS keeps it in the value, configparser (universal newlines) splits the line there
    if (line.replace(/\r+$/, "").includes("\r")) out.strayCrLines.push(n);
    scanJsLine(line, n);
    scanPyLine(line, n);
  }
  return out;

  function scanJsLine(line: string, n: number): void {
    const t = line.split(/(^|\s)[;#]/)[0]!.trim();
    if (t.startsWith("[") && t.endsWith("]")) {
      section = { header: t.slice(1, -1), line: n, entries: [], pyEntries: [] };
      out.sections.push(section);
      jsSub = undefined;
      return;
    }
    if (!section) return;
    const eq = t.indexOf("=");
    if (eq <= 0) return;
    const key = t.slice(0, eq).trim();
    const value = t.slice(eq + 1).trim();
    if (value === "") {
      jsSub = key;
      return;
    }
    if (jsSub && line.trimStart() === line) jsSub = undefined;
    section.entries.push({ key: jsSub ? `${jsSub}.${key}` : key, value, line: n });
  }

  function scanPyLine(line: string, n: number): void {
    const stripped = line.trim();
    if (stripped === "") {
      pyLast = undefined;
      return;
    }
    if (stripped.startsWith("#") || stripped.startsWith(";")) return;
    const indent = line.length - line.trimStart().length;
    if (pyLast && indent > pyIndent) {
      pyLast.value = `${pyLast.value}\n${stripped}`;
      return;
    }
    pyLast = undefined;
    const sm = /^\[(.+)\]/.exec(stripped);
    if (sm) {
      const header = sm[1]!;
      if (seenSections.has(header))
        out.pyErrors.push({ line: n, message: `section \`${header}\` already exists (duplicate section)` });
      seenSections.add(header);
      seenKeys = new Set();
      return;
    }
    const cur = out.sections[out.sections.length - 1];
    if (!cur) {
      out.pyErrors.push({
        line: n,
        message: "a line before any `[section]` header (missing section header)",
      });
      return;
    }
    const m = /^(.*?)\s*([=:])\s*(.*)$/.exec(stripped);
    if (!m || m[1] === "") {
      out.pyErrors.push({ line: n, message: "a line that is neither `key = value` nor a `[section]`" });
      return;
    }
    const key = m[1]!.toLowerCase();
    if (seenKeys.has(key)) out.pyErrors.push({ line: n, message: `key \`${key}\` set twice in one section` });
    seenKeys.add(key);
    pyLast = { key, value: m[3]!.trim(), line: n };
    pyIndent = indent;
    cur.pyEntries.push(pyLast);
  }
}

/** How JS v3 names a section of the config file (`default`, `dev` for `[profile dev]`), or undefined if it ignores it. */
export function jsConfigProfileName(header: string): string | undefined {
  if (header === "default") return "default";
  const m = JS_PREFIX_RE.exec(header);
  if (m && m[1] === "profile") return m[3];
  return undefined;
}

/** How JS v3 names a section of the credentials file: `[dev]` is `dev`; `[profile dev]` becomes `profile.dev`. */
export function jsCredentialsProfileName(header: string): string {
  const m = JS_PREFIX_RE.exec(header);
  if (m) return JS_SECTION_TYPES.has(m[1]!) ? `${m[1]}.${m[3]}` : header;
  return header;
}

/** How botocore names a config-file section: `{ kind, name }`, or undefined when the section is ignored. */
export function pyConfigSection(
  header: string,
): { kind: "profile" | "sso-session" | "services"; name: string } | undefined {
  if (header === "default") return { kind: "profile", name: "default" };
  const parts = shlexSplit(header);
  if (parts?.length !== 2) return undefined;
  if (parts[0] === "profile") return { kind: "profile", name: parts[1]! };
  if (parts[0] === "sso-session") return { kind: "sso-session", name: parts[1]! };
  if (parts[0] === "services") return { kind: "services", name: parts[1]! };
  return undefined;
}

/** JS v3's name of an `[sso-session x]` section of the config file, or undefined. */
export function jsSsoSessionName(header: string): string | undefined {
  const m = JS_PREFIX_RE.exec(header);
  return m && m[1] === "sso-session" ? m[3] : undefined;
}

// Python shlex.split, enough for section headers: whitespace-separated words, single or double quotes.
function shlexSplit(s: string): string[] | undefined {
  const out: string[] = [];
  let cur = "";
  let quote: string | undefined;
  let inWord = false;
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) return undefined;
  if (inWord) out.push(cur);
  return out;
}
