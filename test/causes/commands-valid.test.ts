// Every `aws ...` command authdoctor prints is checked against the AWS CLI's own service models (botocore's
// data folder, installed with the CLI): the service exists, the operation exists, every `--parameter` is an input
// of that operation (or a global CLI option) and every required input is given. Commands are collected from every
// cause's checks and fix over the corpus cases (test/causes/cases.json) and from the diagnoses of the example
// bundles, whose commands must also have no `<placeholder>` left for a value the input holds.
// Skipped, with one line saying so, where botocore's data is not installed (CI without the AWS CLI).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { Diagnosis } from "../../src/core/diagnosis.js";
import { loadBundle } from "../../src/diagnose/bundle.js";
import { explainText } from "../../src/diagnose/explain.js";
import { resolveInputs } from "../../src/diagnose/inputs.js";
import { diagnose } from "../../src/diagnose/run.js";

const root = resolve(import.meta.dirname, "../..");

function botocoreData(): string | undefined {
  const env = process.env.AUTHDOCTOR_BOTOCORE_DATA;
  if (env && existsSync(env)) return env;
  try {
    const dir = execFileSync(
      "python3",
      ["-c", "import botocore,os;print(os.path.dirname(botocore.__file__))"],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      },
    ).trim();
    const data = join(dir, "data");
    return existsSync(data) ? data : undefined;
  } catch {
    return undefined;
  }
}

const DATA = botocoreData();
if (!DATA)
  process.stderr.write(
    "commands-valid.test: skipped: botocore's data folder not found (install the AWS CLI, or set AUTHDOCTOR_BOTOCORE_DATA)\n",
  );

interface Shape {
  type: string;
  members?: Record<string, unknown>;
  required?: string[];
}
interface Model {
  operations: Record<string, { input?: { shape: string } }>;
  shapes: Record<string, Shape>;
}

const models = new Map<string, Model | null>();

/** The CLI's name for a service model folder (`s3api` is the `s3` model). */
function modelOf(service: string): Model | null {
  const folder = service === "s3api" ? "s3" : service;
  if (models.has(folder)) return models.get(folder)!;
  let model: Model | null = null;
  const dir = join(DATA!, folder);
  if (existsSync(dir)) {
    const version = readdirSync(dir).sort().pop()!;
    const base = join(dir, version, "service-2.json");
    const text = existsSync(`${base}.gz`)
      ? gunzipSync(readFileSync(`${base}.gz`)).toString("utf8")
      : readFileSync(base, "utf8");
    model = JSON.parse(text) as Model;
  }
  models.set(folder, model);
  return model;
}

/** botocore's xform_name with `-`: `GetGraphqlApi` -> `get-graphql-api`, `AssumeRoleWithSAML` -> `assume-role-with-saml`. */
function kebab(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase();
}

/** Options every `aws` command takes (https://docs.aws.amazon.com/cli/latest/reference/#options). */
const GLOBAL = new Set([
  "query",
  "output",
  "region",
  "profile",
  "debug",
  "endpoint-url",
  "no-paginate",
  "no-cli-pager",
  "cli-input-json",
  "no-verify-ssl",
  "color",
  "cli-read-timeout",
  "cli-connect-timeout",
]);

/** The AWS CLI's own commands (customizations), not in the service models: checked by name only. */
const CUSTOM = new Set([
  "configure list",
  "configure get",
  "configure",
  "sso login",
  "s3 ls",
  "s3 cp",
  "configure export-credentials",
  "login",
]);

/** Shell words of a command line; `$(...)` and quoted text are kept whole. */
function words(cmd: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < cmd.length) {
    while (cmd[i] === " ") i++;
    if (i >= cmd.length) break;
    let w = "";
    let depth = 0;
    let quote = "";
    while (i < cmd.length && (depth > 0 || quote !== "" || cmd[i] !== " ")) {
      const ch = cmd[i]!;
      if (quote !== "") {
        if (ch === quote) quote = "";
      } else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === "(" && cmd[i - 1] === "$") depth++;
      else if (ch === ")" && depth > 0) depth--;
      w += ch;
      i++;
    }
    out.push(w);
  }
  return out;
}

/** Every `aws ...` command in a text: the command itself, commands inside `$(...)`, and ones after `|`, `&&`. */
function awsCommands(text: string): string[] {
  const out: string[] = [];
  const inner = [...text.matchAll(/\$\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g)].map((m) => m[1]!);
  for (const piece of [text, ...inner]) {
    for (const m of piece.matchAll(/(?:^|[`|&;(]\s*|\$ )(aws [^`|&;]*)/g)) out.push(m[1]!.trim());
  }
  return [...new Set(out.map((c) => balanced(c.replace(/\s+(?:2>|>).*$/, "").trim())))];
}

/** A command without the `)` that closed the `$(...)` or `(...)` around it. */
function balanced(cmd: string): string {
  let c = cmd;
  const count = (ch: string) => c.split(ch).length - 1;
  while (c.endsWith(")") && count(")") > count("(")) c = c.slice(0, -1).trimEnd();
  return c;
}

/** Why a command is not valid for the AWS CLI, or undefined. */
function invalid(cmd: string): string | undefined {
  const w = words(cmd);
  if (w[0] !== "aws") return "not an aws command";
  const [service, op] = [w[1] ?? "", w[2] ?? ""];
  if (CUSTOM.has(`${service} ${op}`) || CUSTOM.has(service)) return undefined;
  const model = modelOf(service);
  if (!model) return `no service \`${service}\``;
  const opName = Object.keys(model.operations).find((o) => kebab(o) === op);
  if (!opName) return `no operation \`${service} ${op}\``;
  const shapeName = model.operations[opName]!.input?.shape;
  const shape = shapeName ? model.shapes[shapeName] : undefined;
  const members = new Map(Object.keys(shape?.members ?? {}).map((m) => [kebab(m), m]));
  const given = new Set<string>();
  for (const x of w.slice(3)) {
    if (!x.startsWith("--")) continue;
    const name = x.slice(2).split("=")[0]!;
    const plain = name.startsWith("no-") && members.has(name.slice(3)) ? name.slice(3) : name;
    if (GLOBAL.has(plain)) continue;
    if (!members.has(plain)) return `\`${service} ${op}\` has no parameter --${name}`;
    given.add(members.get(plain)!);
  }
  for (const r of shape?.required ?? []) if (!given.has(r)) return `\`${service} ${op}\` needs --${kebab(r)}`;
  return undefined;
}

/** Every command a diagnosis prints: each cause's checks and fix, the verdict's fix, runners-up, unknowns. */
function commandsOf(d: Diagnosis): string[] {
  const texts: string[] = [];
  for (const c of d.causes) {
    for (const k of c.checks) texts.push(k.text, k.command ?? "");
    texts.push(...c.fix.steps, ...c.fix.commands);
  }
  if (d.verdict) {
    texts.push(...d.verdict.fix.commands, ...d.verdict.fix.steps);
    for (const r of d.verdict.runnersUp) texts.push(r.separate);
  }
  for (const u of d.unknowns) texts.push(u.needs ?? "");
  return texts.flatMap(awsCommands);
}

const cases = JSON.parse(readFileSync(join(root, "test/causes/cases.json"), "utf8")) as {
  id: string;
  text: string;
}[];
const EXAMPLES = readdirSync(join(root, "examples"), { withFileTypes: true })
  .filter((x) => x.isDirectory())
  .map((x) => x.name);

describe("awsCommands / words", () => {
  it("finds commands in backticks, after `$ ` and inside $(...)", () => {
    const t =
      "read it: `aws iam get-policy-version --policy-arn arn:aws:iam::1:policy/p --version-id $(aws iam get-policy --policy-arn arn:aws:iam::1:policy/p --query Policy.DefaultVersionId --output text)`";
    const got = awsCommands(t);
    expect(got).toContain(
      "aws iam get-policy --policy-arn arn:aws:iam::1:policy/p --query Policy.DefaultVersionId --output text",
    );
    expect(got.some((c) => c.startsWith("aws iam get-policy-version"))).toBe(true);
  });
});

describe.skipIf(!DATA)("printed aws commands against botocore's service models", () => {
  it("the checker rejects what the issue found: get-policy-version on an SCP, a made-up parameter", () => {
    if (!DATA) return;
    expect(invalid("aws organizations describe-policy --policy-id p-abc")).toBeUndefined();
    expect(invalid("aws iam get-policy-version --policy-arn x")).toMatch(/needs --version-id/);
    expect(invalid("aws iam get-policy --policy-id x")).toMatch(/no parameter --policy-id/);
    expect(invalid("aws iam get-polcy --policy-arn x")).toMatch(/no operation/);
  });

  it("every cause's commands over the corpus cases are valid", () => {
    const bad: string[] = [];
    let n = 0;
    for (const c of cases) {
      for (const cmd of commandsOf(explainText(c.text))) {
        n++;
        const why = invalid(cmd);
        if (why) bad.push(`${c.id}: ${cmd} -> ${why}`);
      }
    }
    expect(n).toBeGreaterThan(50);
    expect([...new Set(bad)]).toEqual([]);
  });

  it.each(EXAMPLES)("example %s: commands valid and filled from the evidence", async (name) => {
    const d = await diagnose(resolveInputs({}, await loadBundle(join(root, "examples", name)), {}));
    const cmds = commandsOf(d);
    expect(cmds.length).toBeGreaterThan(0);
    expect(cmds.map((c) => [c, invalid(c)]).filter(([, why]) => why)).toEqual([]);
    // what the verdict tells the user to run holds no placeholder: the bundle has the values
    const printed = [
      ...(d.verdict?.fix.commands ?? []),
      ...(d.verdict?.runnersUp.map((r) => r.separate) ?? []),
    ];
    // placeholders stay only for what the bundle does not hold (DescribeInstances names no resource)
    const known = new Set([
      "profile",
      "role-name",
      "user-name",
      "access-key-id",
      "principal-arn",
      "account-id",
      "region",
      "p-id",
    ]);
    if (d.request?.resource) known.add("resource-arn");
    for (const c of printed)
      for (const m of c.matchAll(/<([a-z][a-z0-9-]*)>/g))
        expect(known.has(m[1]!), `${m[0]} in ${c}`).toBe(false);
  });
});
