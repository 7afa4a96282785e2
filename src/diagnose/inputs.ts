// The inputs of one diagnosis: CLI flags merged over a case bundle (flags win), with the origin of each value.

import { access, stat } from "node:fs/promises";
import { join } from "node:path";
import type { UserFact } from "../core/diagnosis.js";
import { InputError } from "../core/input-error.js";
import { offer, type Request } from "../core/request.js";
import type { Bundle, BundleProblem } from "./bundle.js";
import type { PolicyRead } from "./sources/files.js";
import type { TrailQuery } from "./sources/trail.js";

export type Sdk = "js" | "python" | "cli";

/** What the command line gave; every field optional. Paths are as the user typed them. */
export interface DiagnoseFlags {
  text?: string;
  /** `--file` path, `-` for stdin, or `arguments`. */
  textOrigin?: string;
  principal?: string;
  action?: string;
  resource?: string;
  resourceAccount?: string;
  time?: string;
  region?: string;
  sdk?: Sdk;
  profile?: string;
  authz?: string;
  /** `--authorization-details`: a saved get-request-authorization-details output. */
  authorizationDetails?: string;
  /** `--authorization-policy`: saved get-request-authorization-policy outputs. */
  authorizationPolicy?: string[];
  /** `--client-request`: the client's canonical request or SDK debug log (SignatureDoesNotMatch). */
  clientRequest?: string;
  scp?: string[];
  rcp?: string[];
  policy?: string[];
  resourcePolicy?: string[];
  trail?: string[];
  /** `--athena`/`--lake` and their options: the trail read by a query where it is stored. */
  trailQuery?: TrailQuery;
  /** `--network`: EC2 describe outputs (docs/network.md). */
  network?: string[];
  /** `--instance` / `--eni`: the failing machine, for the network and IMDS checks. */
  instance?: string;
  eni?: string;
  /** `--container`: the failing program runs in a container. */
  container?: boolean;
  live?: boolean;
  /** `--notes`: what the user knows, in their own words (docs/facts.md). */
  notes?: string;
  /** `--fact NAME[=VALUE]` values, already checked against the vocabulary. */
  facts?: UserFact[];
}

/** The failing machine as the network checks see it (flags over case.json). */
export interface FailingMachine {
  instance?: string;
  eni?: string;
  container?: boolean;
}

/** Where the credential inspection looks: this machine, or only a bundle's copies. */
export interface CredentialScope {
  origin: "machine" | "bundle";
  env: Record<string, string | undefined>;
  homeDir?: string;
  configFile?: string;
  credentialsFile?: string;
  ssoCacheDir?: string;
  /** Set when the bundle holds no credential evidence at all (no aws/ files, no env.txt). */
  empty?: boolean;
}

/** Everything one diagnosis reads. */
export interface DiagnoseInput {
  text?: string;
  /** Where the error text came from (`arguments`, a path, `stdin`, `bundle error.txt`). */
  textOrigin?: string;
  /** The request fields given outside the text (flags over case.json), each with its origin. */
  request: Request;
  authz?: string;
  /** AWS's own evaluation (get-request-authorization-details output). */
  authorizationDetails?: string;
  /** Denial-time policies (get-request-authorization-policy outputs). */
  authorizationPolicies?: string[];
  /** The client's canonical request / SDK debug log, for SignatureDoesNotMatch. */
  clientRequest?: string;
  scp: string[];
  rcp: string[];
  policies: string[];
  resourcePolicies: string[];
  trail: string[];
  /** The trail read by a query (Athena, CloudTrail Lake) instead of files; needs `live`. */
  trailQuery?: TrailQuery;
  /** EC2 describe outputs of the failing machine's network. */
  network: string[];
  /** Which instance or interface failed, and whether the program runs in a container. */
  machine: FailingMachine;
  live: boolean;
  credentials: CredentialScope;
  /** Input file kind -> where it came from (`--policy`, `bundle`). */
  origins: Record<string, string>;
  /** Paths the user named on the command line: unreadable ones are usage errors (exit 2). */
  explicit: Set<string>;
  /** Policy files read so far, by path (each is read and parsed once per run). */
  policyFiles?: Map<string, PolicyRead>;
  /** Bundle files that could not be used. */
  problems: BundleProblem[];
  /** The bundle folder, when one was given. */
  bundleDir?: string;
  /** Free-text notes (`--notes`, else case.json `notes`) and where they came from. */
  notes?: string;
  notesOrigin?: "--notes" | "case.json";
  /** `--fact` values (they win over facts read from the notes). */
  facts?: UserFact[];
}

const GIVEN_FIELDS = [
  "principal",
  "action",
  "resource",
  "resourceAccount",
  "time",
  "region",
  "sdk",
  "profile",
] as const;

/**
 * Merge flags over a bundle. The credential scope of a bundle uses only the bundle's files and environment
 * listing: the home folder points inside the bundle, and file-path variables of the listing are mapped into it.
 */
export function resolveInputs(
  flags: DiagnoseFlags,
  bundle: Bundle | undefined,
  machineEnv: Record<string, string | undefined> = process.env,
): DiagnoseInput {
  const origins: Record<string, string> = {};
  const explicit = new Set<string>();
  const c = bundle?.caseFile ?? {};
  const input: DiagnoseInput = {
    request: {},
    scp: [],
    rcp: [],
    policies: [],
    resourcePolicies: [],
    trail: [],
    network: [],
    machine: {},
    live: flags.live === true,
    credentials: { origin: "machine", env: machineEnv },
    origins,
    explicit,
    problems: bundle ? [...bundle.problems] : [],
  };
  if (bundle) input.bundleDir = bundle.dir;

  if (flags.text !== undefined && flags.text.trim() !== "") {
    input.text = flags.text;
    input.textOrigin = flags.textOrigin ?? "arguments";
  } else if (bundle?.errorText !== undefined) {
    input.text = bundle.errorText;
    input.textOrigin = "bundle error.txt";
  }
  // Flags first, then case.json: the first value offered wins.
  for (const key of GIVEN_FIELDS) offer(input.request, key, flags[key], "flag");
  for (const key of GIVEN_FIELDS) offer(input.request, key, c[key], "case.json");

  const pick = (name: string, flag: string[] | undefined, fromBundle: string[]): string[] => {
    if (flag && flag.length > 0) {
      for (const p of flag) explicit.add(p);
      origins[name] = `--${name}`;
      return [...flag];
    }
    if (fromBundle.length > 0) origins[name] = "bundle";
    return fromBundle;
  };
  if (flags.authz) {
    input.authz = flags.authz;
    explicit.add(flags.authz);
    origins.authz = "--authz";
  } else if (bundle?.authz) {
    input.authz = bundle.authz;
    origins.authz = "bundle";
  }
  if (flags.authorizationDetails) {
    input.authorizationDetails = flags.authorizationDetails;
    explicit.add(flags.authorizationDetails);
    origins["authorization-details"] = "--authorization-details";
  } else if (bundle?.authorizationDetails) {
    input.authorizationDetails = bundle.authorizationDetails;
    origins["authorization-details"] = "bundle";
  }
  const authzPolicies = pick(
    "authorization-policy",
    flags.authorizationPolicy,
    bundle?.authorizationPolicies ?? [],
  );
  if (authzPolicies.length > 0) input.authorizationPolicies = authzPolicies;
  if (flags.clientRequest) {
    input.clientRequest = flags.clientRequest;
    explicit.add(flags.clientRequest);
  } else if (bundle?.clientRequest) input.clientRequest = bundle.clientRequest;
  input.scp = pick("scp", flags.scp, bundle?.scp ?? []);
  input.rcp = pick("rcp", flags.rcp, bundle?.rcp ?? []);
  input.policies = pick("policy", flags.policy, bundle?.policies ?? []);
  input.resourcePolicies = pick("resource-policy", flags.resourcePolicy, bundle?.resourcePolicies ?? []);
  if (flags.trailQuery) {
    // a query replaces the bundle's trail folder: one trail source per run
    input.trailQuery = { ...flags.trailQuery };
    origins.trail = flags.trailQuery.lake !== undefined ? "--lake" : "--athena";
    input.trail = [];
  } else input.trail = pick("trail", flags.trail, bundle?.trail ? [bundle.trail] : []);
  input.network = pick("network", flags.network, bundle?.network ?? []);
  for (const key of ["instance", "eni", "container"] as const) {
    const v = flags[key] ?? c[key];
    if (v === undefined) continue;
    (input.machine as Record<string, unknown>)[key] = v;
    origins[key] = flags[key] !== undefined ? `--${key}` : "case.json";
  }

  if (typeof flags.notes === "string" && flags.notes.trim() !== "") {
    input.notes = flags.notes;
    input.notesOrigin = "--notes";
  } else if (typeof c.notes === "string" && c.notes.trim() !== "") {
    input.notes = c.notes;
    input.notesOrigin = "case.json";
  }
  if (flags.facts && flags.facts.length > 0) input.facts = [...flags.facts];

  if (bundle) input.credentials = bundleCredentialScope(bundle);
  return input;
}

/** Variables whose value is a path on the machine the bundle came from. */
const PATH_VARS: Record<string, string> = {
  AWS_CONFIG_FILE: "aws/config",
  AWS_SHARED_CREDENTIALS_FILE: "aws/credentials",
  AWS_WEB_IDENTITY_TOKEN_FILE: "web-identity-token",
};

/** The credential scope of a bundle: its own files and env listing only, never this machine's. */
export function bundleCredentialScope(bundle: Bundle): CredentialScope {
  const env: Record<string, string | undefined> = { ...(bundle.env ?? {}) };
  // INVARIANT: every path the credential inspection may open lies inside the bundle folder.
  for (const [name, rel] of Object.entries(PATH_VARS)) {
    if (env[name] !== undefined) env[name] = join(bundle.dir, rel);
  }
  const home = join(bundle.dir, ".bundle-home");
  env.HOME = home;
  env.USERPROFILE = home;
  const scope: CredentialScope = {
    origin: "bundle",
    env,
    homeDir: home,
    configFile: join(bundle.dir, "aws/config"),
    credentialsFile: join(bundle.dir, "aws/credentials"),
    ssoCacheDir: bundle.ssoCacheDir ?? join(bundle.dir, "sso-cache"),
  };
  if (!bundle.awsConfig && !bundle.awsCredentials && !bundle.env) scope.empty = true;
  return scope;
}

/** Check that every path named on the command line can be read; one InputError per bad path. */
/** Larger policy files are checked by their loader (which streams and caps), not here. */
const MAX_JSON_CHECK_BYTES = 64 << 20;

export async function checkExplicitInputs(input: DiagnoseInput): Promise<InputError[]> {
  const errors: InputError[] = [];
  for (const path of input.explicit) {
    if (path === "-") continue;
    try {
      await access(path);
      const st = await stat(path);
      // a FIFO, socket or device named on the command line would block or never end: a usage error (exit 2)
      if (!st.isFile() && !st.isDirectory())
        errors.push(
          new InputError(
            path,
            `cannot read: ${st.isFIFO() ? "a FIFO (named pipe)" : st.isSocket() ? "a socket" : "a device"}, not a regular file (use \`-\` to read stdin)`,
          ),
        );
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      errors.push(
        new InputError(
          path,
          `cannot read: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code}`,
        ),
      );
    }
  }
  // Policy files named on the command line must at least be JSON: a syntax error is a usage error with its
  // position, as in `can` (bundle files that fail become "could not check" instead).
  const { readJsonFile, readPolicyFile } = await import("./sources/files.js");
  input.policyFiles ??= new Map();
  const policyFiles = new Set([...input.scp, ...input.rcp, ...input.policies, ...input.resourcePolicies]);
  for (const path of new Set([input.authz, ...policyFiles, ...input.network])) {
    if (path === undefined || path === "-" || !input.explicit.has(path)) continue;
    if (errors.some((e) => e.input === path)) continue;
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile() || info.size > MAX_JSON_CHECK_BYTES) continue;
    // Policy files are read once here by the policy loader; the policy source reuses the result.
    const r = policyFiles.has(path)
      ? await readPolicyFile(path, input.policyFiles)
      : await readJsonFile(path);
    if (!r.ok && r.syntax)
      errors.push(new InputError(path, `invalid JSON: ${r.syntax.message}`, r.syntax.position));
    else if (r.ok && input.network.includes(path)) {
      const { readNetworkDocument } = await import("../network/load.js");
      const d = readNetworkDocument(r.value, path);
      if ("error" in d) errors.push(new InputError(path, d.error));
    }
  }
  for (const key of ["instance", "eni"] as const) {
    const v = input.machine[key];
    const re = key === "instance" ? /^i-[0-9a-f]{8,17}$/ : /^eni-[0-9a-f]{8,17}$/;
    if (v !== undefined && input.origins[key] === `--${key}` && !re.test(v))
      errors.push(
        new InputError(
          `--${key}`,
          `not ${key === "instance" ? "an instance id (i-…)" : "a network interface id (eni-…)"}: \`${v}\``,
        ),
      );
  }
  const time = input.request.time;
  if (time && time.origin === "flag" && Number.isNaN(Date.parse(time.value))) {
    errors.push(new InputError("--time", `not an ISO 8601 time: \`${time.value}\``));
  }
  return errors;
}
