// The only I/O of the credential model: reads the local files once into a Snapshot (no network, never throws).

import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { emptyIni, scanIni } from "./ini.js";
import type { FileSnapshot, InspectInput, Snapshot, SsoTokenInfo, TokenFileInfo } from "./types.js";

/** Files larger than this are not read (a config file is a few kilobytes). */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Home folder as the SDKs find it: HOME, USERPROFILE, HOMEDRIVE+HOMEPATH, then the OS. */
export function homeFromEnv(env: Record<string, string | undefined>): string {
  return (
    env.HOME || env.USERPROFILE || (env.HOMEPATH ? `${env.HOMEDRIVE ?? "C:\\"}${env.HOMEPATH}` : homedir())
  );
}

/** `~/x` -> `<home>/x`; relative paths resolved against the working folder. */
export function expandPath(p: string, home: string): string {
  if (p === "~") return home;
  if (p.startsWith("~/") || p.startsWith("~\\")) return join(home, p.slice(2));
  return isAbsolute(p) ? p : resolve(p);
}

/** A path for messages: `~/...` under the home folder. */
export function displayPath(p: string, home: string): string {
  if (home && (p === home || p.startsWith(`${home}/`) || p.startsWith(`${home}\\`)))
    return `~${p.slice(home.length).replace(/\\/g, "/")}`;
  return p;
}

type ReadResult = { ok: true; buf: Buffer } | { ok: false; status: "missing" | "unreadable"; error: string };

async function readBytes(path: string): Promise<ReadResult> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) return { ok: false, status: "unreadable", error: "is a folder, expected a file" };
    if (!st.isFile()) return { ok: false, status: "unreadable", error: "is not a regular file" };
    if (st.size > MAX_FILE_BYTES)
      return {
        ok: false,
        status: "unreadable",
        error: `is ${st.size} bytes, larger than the 4 MiB read limit`,
      };
    return { ok: true, buf: await readFile(path) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR")
      return { ok: false, status: "missing", error: "no such file" };
    if (code === "EACCES" || code === "EPERM")
      return { ok: false, status: "unreadable", error: "permission denied" };
    // INVARIANT: only the error code is kept; messages from fs name paths, never contents
    return { ok: false, status: "unreadable", error: `cannot read (${code ?? "error"})` };
  }
}

/** Decode bytes for our own scan, and name the encoding (docs/aws-facts.md: SDKs read files as UTF-8 only). */
export function decodeForScan(buf: Uint8Array): { text: string; encoding: string } {
  if (buf[0] === 0xff && buf[1] === 0xfe)
    return { text: new TextDecoder("utf-16le").decode(buf.subarray(2)), encoding: "utf-16le" };
  if (buf[0] === 0xfe && buf[1] === 0xff)
    return { text: new TextDecoder("utf-16be").decode(buf.subarray(2)), encoding: "utf-16be" };
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return { text: new TextDecoder("utf-8").decode(buf.subarray(3)), encoding: "utf-8-bom" };
  // UTF-16 without a BOM: every other byte is zero
  if (buf.length >= 4 && buf[1] === 0 && buf[3] === 0 && buf[0] !== 0)
    return { text: new TextDecoder("utf-16le").decode(buf), encoding: "utf-16le" };
  if (buf.length >= 4 && buf[0] === 0 && buf[2] === 0 && buf[1] !== 0)
    return { text: new TextDecoder("utf-16be").decode(buf), encoding: "utf-16be" };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(buf), encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("latin1").decode(buf), encoding: "latin1" };
  }
}

let interceptCounter = 0;

// Loaded on first use through CommonJS: one bundled file, faster to start than the ES module tree.
const requireLazy = createRequire(import.meta.url);
type IniLoader = typeof import("@smithy/shared-ini-file-loader");
type Crypto = typeof import("node:crypto");

/** sha1 hex (SSO cache names), loading node:crypto only when needed. */
export function sha1Hex(text: string): string {
  return (requireLazy("node:crypto") as Crypto).createHash("sha1").update(text).digest("hex");
}

/**
 * What JS v3 makes of the two files: smithy `loadSharedConfigFiles` on the bytes read as UTF-8, exactly as the
 * SDK's own `readFile` does. The texts are handed over through smithy's `externalDataInterceptor` under private
 * keys (removed afterwards), so smithy parses them without touching the disk again.
 */
async function jsView(
  configText: string | undefined,
  credentialsText: string | undefined,
): Promise<{
  config: Record<string, Record<string, string>>;
  credentials: Record<string, Record<string, string>>;
}> {
  if (!configText && !credentialsText) return { config: {}, credentials: {} };
  const { externalDataInterceptor, loadSharedConfigFiles } = requireLazy(
    "@smithy/shared-ini-file-loader",
  ) as IniLoader;
  const id = ++interceptCounter;
  const cfgKey = `authdoctor-intercept:${process.pid}:${id}:config`;
  const credKey = `authdoctor-intercept:${process.pid}:${id}:credentials`;
  externalDataInterceptor.interceptFile(cfgKey, configText ?? "");
  externalDataInterceptor.interceptFile(credKey, credentialsText ?? "");
  try {
    const files = await loadSharedConfigFiles({
      configFilepath: cfgKey,
      filepath: credKey,
      ignoreCache: true,
    });
    return {
      config: files.configFile as Record<string, Record<string, string>>,
      credentials: files.credentialsFile as Record<string, Record<string, string>>,
    };
  } finally {
    const record = externalDataInterceptor.getFileRecord() as Record<string, unknown>;
    delete record[cfgKey];
    delete record[credKey];
  }
}

function pythonErrorFor(
  encoding: string,
  scanErrors: { line: number; message: string }[],
): string | undefined {
  if (encoding === "utf-16le" || encoding === "utf-16be" || encoding === "latin1")
    return `cannot be decoded as UTF-8 (the file is ${encoding === "latin1" ? "not UTF-8" : "UTF-16"})`;
  if (encoding === "utf-8-bom") return "line 1: starts with a UTF-8 byte order mark (missing section header)";
  const first = scanErrors[0];
  return first ? `line ${first.line}: ${first.message}` : undefined;
}

async function loadIniFile(
  path: string,
  home: string,
  chosenBy: string,
): Promise<{ file: FileSnapshot; utf8?: string }> {
  const display = displayPath(path, home);
  const r = await readBytes(path);
  if (!r.ok) {
    return {
      file: {
        path,
        display,
        chosenBy,
        status: r.status,
        error: r.error,
        encoding: "-",
        scan: emptyIni(),
        js: {},
      },
    };
  }
  const { text, encoding } = decodeForScan(r.buf);
  const scan = scanIni(text);
  const pythonError = pythonErrorFor(encoding, scan.pyErrors);
  return {
    file: {
      path,
      display,
      chosenBy,
      status: "ok",
      encoding,
      scan,
      js: {},
      ...(pythonError ? { pythonError } : {}),
    },
    // what Node's fs.readFile(path, "utf8") gives the SDK
    utf8: r.buf.toString("utf8"),
  };
}

/** SSO cache file name (docs/aws-facts.md §1.22): sha1 of the sso-session name, or of the start URL for legacy profiles. */
export function ssoCacheFileName(key: string): string {
  return `${sha1Hex(key)}.json`;
}

async function loadSsoToken(key: string, dir: string, home: string): Promise<SsoTokenInfo> {
  const path = join(dir, ssoCacheFileName(key));
  const display = displayPath(path, home);
  const r = await readBytes(path);
  if (!r.ok) return { key, path, display, status: r.status, hasRefreshToken: false };
  try {
    const data = JSON.parse(decodeForScan(r.buf).text) as Record<string, unknown>;
    const expiresAt = typeof data.expiresAt === "string" ? data.expiresAt : undefined;
    const ok = typeof data.accessToken === "string" && expiresAt !== undefined;
    return {
      key,
      path,
      display,
      status: ok ? "ok" : "garbled",
      ...(expiresAt ? { expiresAt } : {}),
      hasRefreshToken: typeof data.refreshToken === "string",
    };
  } catch {
    // INVARIANT: JSON.parse messages quote the text; they are never kept
    return { key, path, display, status: "garbled", hasRefreshToken: false };
  }
}

/** Decode a JWT's claims without verifying it; undefined when it is not a JWT. */
export function decodeJwtClaims(token: string): { exp?: number; iss?: string; aud?: string } | undefined {
  const parts = token.trim().split(".");
  if (parts.length !== 3) return undefined;
  try {
    const json = Buffer.from(parts[1]!.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
    const claims = JSON.parse(json) as Record<string, unknown>;
    if (!claims || typeof claims !== "object") return undefined;
    const aud = Array.isArray(claims.aud) ? claims.aud.join(",") : claims.aud;
    return {
      ...(typeof claims.exp === "number" ? { exp: claims.exp } : {}),
      ...(typeof claims.iss === "string" ? { iss: claims.iss } : {}),
      ...(typeof aud === "string" ? { aud } : {}),
    };
  } catch {
    return undefined;
  }
}

async function loadTokenFile(rawPath: string, home: string): Promise<TokenFileInfo> {
  // the SDKs open the token file as written: no `~` expansion (JS readFileSync, botocore open())
  const path = isAbsolute(rawPath) ? rawPath : resolve(rawPath);
  const display = displayPath(path, home);
  const r = await readBytes(path);
  if (!r.ok) return { path, display, status: r.status, error: r.error };
  const text = r.buf.toString("utf8");
  if (text.trim() === "") return { path, display, status: "garbled", error: "is empty" };
  const claims = decodeJwtClaims(text);
  if (!claims)
    return { path, display, status: "garbled", error: "does not hold a JWT (three base64url parts)" };
  return { path, display, status: "ok", ...claims };
}

/** Every value of `key` in any section of both files (JS and botocore views). */
function valuesOf(files: FileSnapshot[], key: string): string[] {
  const out = new Set<string>();
  for (const f of files)
    for (const s of f.scan.sections) {
      for (const e of s.entries) if (e.key === key) out.add(e.value);
      for (const e of s.pyEntries) if (e.key === key) out.add(e.value);
    }
  return [...out];
}

/** Read everything the model needs. Never throws on bad files: their state is recorded in the snapshot. */
export async function takeSnapshot(input: InspectInput): Promise<Snapshot> {
  const env = input.env;
  const home = input.homeDir ?? homeFromEnv(env);
  const cfgChosen = input.configFile ? "input" : env.AWS_CONFIG_FILE ? "AWS_CONFIG_FILE" : "default";
  const credChosen = input.credentialsFile
    ? "input"
    : env.AWS_SHARED_CREDENTIALS_FILE
      ? "AWS_SHARED_CREDENTIALS_FILE"
      : "default";
  const cfgPath = expandPath(input.configFile || env.AWS_CONFIG_FILE || join(home, ".aws", "config"), home);
  const credPath = expandPath(
    input.credentialsFile || env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials"),
    home,
  );
  const [cfg, cred] = await Promise.all([
    loadIniFile(cfgPath, home, cfgChosen),
    loadIniFile(credPath, home, credChosen),
  ]);
  const js = await jsView(cfg.utf8, cred.utf8);
  cfg.file.js = js.config;
  cred.file.js = js.credentials;
  // JS parseIni refuses a `__proto__` profile and then drops the whole file
  for (const f of [cfg.file, cred.file])
    if (f.scan.sections.some((s) => s.header === "__proto__" || s.header === "profile __proto__")) f.js = {};

  const ssoDir = expandPath(input.ssoCacheDir ?? join(home, ".aws", "sso", "cache"), home);
  const ssoKeys = new Set([
    ...valuesOf([cfg.file, cred.file], "sso_session"),
    ...valuesOf([cfg.file, cred.file], "sso_start_url"),
  ]);
  const sso = new Map<string, SsoTokenInfo>();
  await Promise.all(
    [...ssoKeys].map(async (k) => {
      sso.set(k, await loadSsoToken(k, ssoDir, home));
    }),
  );

  const tokenPaths = new Set(valuesOf([cfg.file, cred.file], "web_identity_token_file"));
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE) tokenPaths.add(env.AWS_WEB_IDENTITY_TOKEN_FILE);
  const tokenFiles = new Map<string, TokenFileInfo>();
  await Promise.all(
    [...tokenPaths].map(async (p) => {
      tokenFiles.set(p, await loadTokenFile(p, home));
    }),
  );

  let containerTokenFile: Snapshot["containerTokenFile"];
  if (env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) {
    const p = expandPath(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, home);
    const r = await readBytes(p);
    containerTokenFile = { display: displayPath(p, home), status: r.ok ? "ok" : r.status };
  }

  return {
    env,
    now: input.now ?? new Date(),
    ...(input.profile !== undefined ? { explicitProfile: input.profile } : {}),
    homeDir: home,
    config: cfg.file,
    credentials: cred.file,
    sso,
    tokenFiles,
    ...(containerTokenFile ? { containerTokenFile } : {}),
  };
}
