// `authdoctor can --requests` END TO END through the built CLI (dist/cli/bin.js: Node start-up, reading the files,
// parsing every line, evaluating, writing every result), side by side with @cloud-copilot/iam-simulate's
// runSimulation in-process on the same requests (its best case: no start-up, no output). Peak RSS of the CLI, and
// of `can` on a 50,000-statement policy given as --policy and --scp together.
// Run `npm run build` and `npm install --prefix bench/tmp @cloud-copilot/iam-simulate` first (AGPL: only in the
// git-ignored bench/tmp/, imported from there by path, never from src/).
// Usage: node bench/iam-cli.mjs [--requests 100000] [--sample 3000] [--out bench/results/iam-cli.md]

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { policies, requests } from "./iam-workload.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const dataDir = path.resolve(root, "../shared/data");
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const N = Number(opt("requests", "100000"));
const SAMPLE = Number(opt("sample", "3000"));
const OUT = opt("out", path.join(root, "bench/results/iam-cli.md"));
const bin = path.join(root, "dist/cli/bin.js");
const tmp = path.join(root, "bench/tmp/iam-cli");
mkdirSync(tmp, { recursive: true });

const simPath = path.join(root, "bench/tmp/node_modules/@cloud-copilot/iam-simulate/dist/esm/index.js");
const sim = existsSync(simPath) ? await import(pathToFileURL(simPath).href) : undefined;
if (!sim)
  console.error("iam-simulate not installed: npm install --prefix bench/tmp @cloud-copilot/iam-simulate");

// --- the workload as files the CLI reads ------------------------------------------------------------------------
const P = policies(dataDir);
const ACCOUNT = "111122223333";
const OTHER = "444455556666";
const managedArn = (name) => `arn:aws:iam::aws:policy/${name}`;
const customerArn = (acct, name) => `arn:aws:iam::${acct}:policy/${name}`;
/** A get-account-authorization-details snapshot for one account: its users, roles and their policies. */
function snapshot(acct, principals) {
  const pol = new Map();
  const attach = (list) =>
    list.map((x) => {
      const arn = x.name === "AppInline" ? customerArn(acct, x.name) : managedArn(x.name);
      pol.set(arn, x);
      return { PolicyName: x.name, PolicyArn: arn };
    });
  const boundaryArn = customerArn(acct, "DevBoundary");
  const users = [];
  const roles = [];
  for (const p of principals) {
    const attached = attach(P.identity[p.key]);
    const pb = p.boundary
      ? { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: boundaryArn }
      : undefined;
    if (p.user)
      users.push({
        UserName: p.name,
        Arn: `arn:aws:iam::${acct}:user/${p.name}`,
        Path: "/",
        UserId: `AIDA${p.name.toUpperCase()}`,
        AttachedManagedPolicies: attached,
        ...(pb ? { PermissionsBoundary: pb } : {}),
      });
    else
      roles.push({
        RoleName: p.name,
        Arn: `arn:aws:iam::${acct}:role/${p.name}`,
        Path: "/",
        RoleId: `AROA${p.name.toUpperCase()}`,
        AssumeRolePolicyDocument: {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        },
        AttachedManagedPolicies: attached,
        ...(pb ? { PermissionsBoundary: pb } : {}),
      });
  }
  if (principals.some((p) => p.boundary)) pol.set(boundaryArn, P.boundary);
  const Policies = [...pol].map(([arn, x]) => ({
    PolicyName: x.name,
    Arn: arn,
    DefaultVersionId: "v1",
    PolicyVersionList: [{ VersionId: "v1", IsDefaultVersion: true, Document: x.policy }],
  }));
  return { UserDetailList: users, RoleDetailList: roles, GroupDetailList: [], Policies };
}
const authzMain = path.join(tmp, "authz-main.json");
const authzPartner = path.join(tmp, "authz-partner.json");
writeFileSync(
  authzMain,
  JSON.stringify(
    snapshot(ACCOUNT, [
      { key: "alice", name: "alice", user: true, boundary: false },
      { key: "bob", name: "bob", user: true, boundary: true },
      { key: "app", name: "app-role", user: false, boundary: true },
      { key: "power", name: "PowerUsers", user: false, boundary: false },
    ]),
  ),
);
writeFileSync(
  authzPartner,
  JSON.stringify(snapshot(OTHER, [{ key: "partner", name: "partner", user: true, boundary: false }])),
);
const scpFiles = P.scps.map((lvl, i) => {
  const f = path.join(tmp, `scp-${i}.json`);
  writeFileSync(f, JSON.stringify(lvl.policies.map((x) => x.policy)));
  return f;
});
const work = requests(N);
const jsonl = path.join(tmp, "requests.jsonl");
writeFileSync(
  jsonl,
  `${work
    .map((r) =>
      JSON.stringify({
        principal: r.principal,
        action: r.action,
        resource: r.resource,
        resourceAccount: r.resourceAccount,
        context: r.context,
        ...(r.bucketPolicy ? { resourcePolicy: P.bucketPolicy } : {}),
      }),
    )
    .join("\n")}\n`,
);

// --- the CLI, end to end ----------------------------------------------------------------------------------------
const hasTime = existsSync("/usr/bin/time");
/** The 1-minute load average at the start of each run (the machine is shared: CPU-time ratios are the figure). */
const loads = [];
/** Run the CLI once; wall seconds, peak RSS (MB, from /usr/bin/time when present) and stdout. */
function runCli(cliArgs, { keep = false } = {}) {
  loads.push(loadavg()[0]);
  const outFile = path.join(tmp, "out.txt");
  const cmd = hasTime ? "/usr/bin/time" : process.execPath;
  const argv = hasTime ? ["-f", "%M %U %S", process.execPath, bin, ...cliArgs] : [bin, ...cliArgs];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, {
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 4 << 30,
    env: { ...process.env, NO_COLOR: "1" },
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && r.status !== 3) throw new Error(`CLI exit ${r.status}: ${r.stderr}`);
  const errLines = r.stderr.toString().trim().split("\n");
  const [rss, user, sys] = hasTime ? errLines[errLines.length - 1].split(" ").map(Number) : [];
  const rssMb = hasTime ? rss / 1024 : Number.NaN;
  // CPU seconds of the CLI process (user + system): the steadier figure on a shared machine.
  const cpu = hasTime ? user + sys : Number.NaN;
  if (keep) writeFileSync(outFile, r.stdout);
  return { seconds, cpu, rssMb, stdout: keep ? r.stdout.toString() : "", bytes: r.stdout.length };
}
const common = [
  "can",
  "--authz",
  authzMain,
  "--authz",
  authzPartner,
  ...scpFiles.flatMap((f) => ["--scp", f]),
];
const canFull = [...common, "--requests", jsonl, "--json"];
const canLean = [...common, "--requests", jsonl, "--output", "decisions"];
runCli([...common, "--principal", work[0].principal, "--action", "s3:GetObject", "--json"]); // warm the disk cache
const full = runCli(canFull);
const lean = runCli(canLean, { keep: true });
const fullRate = N / full.seconds;
const leanRate = N / lean.seconds;
const fullCpuRate = N / full.cpu;
const leanCpuRate = N / lean.cpu;
console.log(
  `CLI full JSON: ${N} in ${full.seconds.toFixed(2)} s = ${Math.round(fullRate)}/s, ${full.rssMb.toFixed(0)} MB, ${(full.bytes / 1e6).toFixed(0)} MB out`,
);
console.log(
  `CLI decisions: ${N} in ${lean.seconds.toFixed(2)} s = ${Math.round(leanRate)}/s, ${lean.rssMb.toFixed(0)} MB`,
);
const cliDecisions = lean.stdout
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l));
const counts = { Allowed: 0, ImplicitDeny: 0, ExplicitDeny: 0 };
for (const d of cliDecisions) counts[d.decision]++;

// --- iam-simulate on the same requests --------------------------------------------------------------------------
let simRate;
let simCpuRate;
let agree = 0;
let simN = 0;
const classes = new Map();
if (sim) {
  const sample = work.slice(0, Math.min(SAMPLE, N));
  const sims = sample.map((r) => {
    const s = {
      request: {
        principal: r.principal,
        action: r.action,
        resource: { resource: r.resource, accountId: r.resourceAccount },
        contextVariables: r.context,
      },
      identityPolicies: P.identity[r.principalKey],
      serviceControlPolicies: P.scps,
      resourceControlPolicies: [],
    };
    if (r.boundary) s.permissionBoundaryPolicies = [P.boundary];
    if (r.bucketPolicy) s.resourcePolicy = P.bucketPolicy;
    return s;
  });
  for (let i = 0; i < Math.min(200, sims.length); i++) await sim.runSimulation(sims[i], {});
  const theirs = new Array(sims.length);
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (let i = 0; i < sims.length; i++) theirs[i] = await sim.runSimulation(sims[i], {});
  simRate = sims.length / (Number(process.hrtime.bigint() - t0) / 1e9);
  const cu = process.cpuUsage(c0);
  simCpuRate = sims.length / ((cu.user + cu.system) / 1e6);
  const MAP = { Allowed: "Allowed", ImplicitlyDenied: "ImplicitDeny", ExplicitlyDenied: "ExplicitDeny" };
  for (let i = 0; i < sims.length; i++) {
    const t = MAP[theirs[i]?.overallResult] ?? theirs[i]?.resultType ?? "error";
    simN++;
    if (t === cliDecisions[i].decision) agree++;
    else {
      const k = `${sample[i].action} by ${sample[i].principalKey}: authdoctor ${cliDecisions[i].decision}, iam-simulate ${t}`;
      classes.set(k, (classes.get(k) ?? 0) + 1);
    }
  }
  console.log(
    `iam-simulate runSimulation (in-process): ${Math.round(simRate)}/s wall, ${Math.round(simCpuRate)}/s CPU on ${sims.length}`,
  );
  console.log(`agreement ${agree}/${simN}`);
}

// --- peak RSS on a 50,000-statement policy given as --policy and --scp -----------------------------------------
const big = path.join(tmp, "big-50k.json");
const statements = [];
for (let i = 0; i < 50000; i++)
  statements.push({
    Sid: `S${i}`,
    Effect: i % 10 === 0 ? "Deny" : "Allow",
    Action: ["s3:GetObject", "ec2:Describe*", "dynamodb:Query"][i % 3],
    Resource: `arn:aws:s3:::bucket-${i}/*`,
    ...(i % 5 === 0 ? { Condition: { StringEquals: { "aws:PrincipalTag/team": `t${i}` } } } : {}),
  });
writeFileSync(big, JSON.stringify({ Version: "2012-10-17", Statement: statements }, null, 1));
const bigArgs = (action) => [
  "can",
  "--policy",
  big,
  "--scp",
  big,
  "--principal",
  `arn:aws:iam::${ACCOUNT}:user/alice`,
  "--action",
  action,
  "--resource",
  "arn:aws:s3:::bucket-3/k",
  "--json",
];
const bigAllowed = runCli(bigArgs("s3:GetObject"));
const bigDenied = runCli(bigArgs("s3:PutObject"));
// `can` with the policy alone, and `lint` on the same file (its time compared with `can`'s)
const bigAlone = runCli([
  "can",
  "--policy",
  big,
  "--principal",
  `arn:aws:iam::${ACCOUNT}:user/alice`,
  "--action",
  "s3:PutObject",
  "--resource",
  "arn:aws:s3:::bucket-3/k",
  "--json",
]);
const bigLint = runCli(["lint", big]);
console.log(
  `50k statements: can alone ${bigAlone.rssMb.toFixed(0)} MB ${bigAlone.cpu.toFixed(2)} s CPU; lint ${bigLint.rssMb.toFixed(0)} MB ${bigLint.cpu.toFixed(2)} s CPU`,
);
console.log(`50k statements, allowed: ${bigAllowed.rssMb.toFixed(0)} MB, ${bigAllowed.seconds.toFixed(1)} s`);
console.log(
  `50k statements, denied (fix carries the whole 50k-statement document): ${bigDenied.rssMb.toFixed(0)} MB, ${bigDenied.seconds.toFixed(1)} s`,
);

const ratio = (x) => (simRate ? `${(x / simRate).toFixed(1)}x` : "n/a");
const cpuRatio = (x) => (simCpuRate ? `${(x / simCpuRate).toFixed(1)}x` : "n/a");
const md = [
  "# `authdoctor can --requests` end to end vs iam-simulate",
  "",
  `Run: \`node bench/iam-cli.mjs --requests ${N} --sample ${SAMPLE}\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}.`,
  "",
  "The CLI is timed as a user runs it: `node dist/cli/bin.js can --authz ... --scp ... --requests FILE` (process",
  "start-up, reading the snapshot, SCP files and the JSONL file, every line parsed, evaluated and written to a pipe).",
  "iam-simulate is timed in-process (`runSimulation` in a loop after a warm-up: no start-up, no output), which",
  "flatters it. The workload is `bench/iam-workload.mjs` (seeded), given to the CLI as two authorization snapshots",
  "(the principals, their managed policies and boundaries), three SCP level files, and the bucket policy inline",
  "in the lines that need it. Both sides get the same SCPs for every request.",
  "",
  "| run | requests | wall s | decisions/s (wall) | vs iam-simulate (wall) | CPU s | decisions/s (CPU) | vs iam-simulate (CPU) | peak RSS |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  `| \`can --requests --json\` (full authdoctor.evaluation/v1 per line: near misses, proven fix, notes) | ${N} | ${full.seconds.toFixed(2)} | ${Math.round(fullRate).toLocaleString("en")} | **${ratio(fullRate)}** | ${full.cpu.toFixed(2)} | ${Math.round(fullCpuRate).toLocaleString("en")} | **${cpuRatio(fullCpuRate)}** | ${full.rssMb.toFixed(0)} MB |`,
  `| \`can --requests --output decisions\` (lean line per request) | ${N} | ${lean.seconds.toFixed(2)} | ${Math.round(leanRate).toLocaleString("en")} | **${ratio(leanRate)}** | ${lean.cpu.toFixed(2)} | ${Math.round(leanCpuRate).toLocaleString("en")} | **${cpuRatio(leanCpuRate)}** | ${lean.rssMb.toFixed(0)} MB |`,
  `| iam-simulate \`runSimulation\`, in-process | ${simN} | | ${simRate ? Math.round(simRate).toLocaleString("en") : "n/a"} | 1x | | ${simCpuRate ? Math.round(simCpuRate).toLocaleString("en") : "n/a"} | 1x | |`,
  "",
  `Full output size: ${(full.bytes / 1e6).toFixed(1)} MB. Decision mix (CLI): ${JSON.stringify(counts)}.`,
  "",
  `Agreement with iam-simulate on the first ${simN} requests: **${agree}/${simN}${simN ? ` = ${((100 * agree) / simN).toFixed(2)}%` : ""}**.`,
  "",
  ...[...classes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `- ${n}: ${k}`),
  "",
  "## 50,000-statement policy as `--policy` and `--scp` together",
  "",
  "| run | peak RSS | wall s | CPU s |",
  "|---|---:|---:|---:|",
  `| \`can --policy X --scp X\`, allowed (\`s3:GetObject\`) | ${bigAllowed.rssMb.toFixed(0)} MB | ${bigAllowed.seconds.toFixed(1)} | ${bigAllowed.cpu.toFixed(2)} |`,
  `| \`can --policy X --scp X\`, denied (\`s3:PutObject\`; the proven fix carries the whole changed 50,000-statement document, ${(bigDenied.bytes / 1e6).toFixed(0)} MB of JSON) | ${bigDenied.rssMb.toFixed(0)} MB | ${bigDenied.seconds.toFixed(1)} | ${bigDenied.cpu.toFixed(2)} |`,
  `| \`can --policy X\` alone, denied | ${bigAlone.rssMb.toFixed(0)} MB | ${bigAlone.seconds.toFixed(1)} | ${bigAlone.cpu.toFixed(2)} |`,
  `| \`lint X\` (${(bigLint.bytes / 1e6).toFixed(1)} MB of findings; CPU ${(bigLint.cpu / bigAlone.cpu).toFixed(1)}x \`can\` alone) | ${bigLint.rssMb.toFixed(0)} MB | ${bigLint.seconds.toFixed(1)} | ${bigLint.cpu.toFixed(2)} |`,
  "",
  `Load average (1 min) at the start of each CLI run: ${loads.map((x) => x.toFixed(1)).join(", ")} (2 cores).`,
  "",
  "## How the batch path works (round 3) and history",
  "",
  "- A batch answers a request asked again from a memo (src/iam/requests.ts, `BatchMemo`): keyed by the compiled",
  "  policies of the set (by identity), the caller, action, resource, owner account, exemptions and notes, then by",
  "  a decision tree over the context keys the evaluation actually read (in the order read) and the values found.",
  "  `test/iam/batch.test.ts` checks memoised results against fresh evaluations on generated policies and batches.",
  "- The JSON text of a result is kept per result object; records are redacted one by one and a repeated record",
  "  reuses its redacted text; one write per ~1 MB batch. `test/cli/can-requests.test.ts` checks the CLI output",
  "  equals JSON.stringify of a fresh evaluation of every line (full and `--output decisions`).",
  "- Redaction finds spans of 20+ base64/URL characters before judging runs (same result, ~4x faster on this",
  "  output): it had become half of the full-output CPU once every output went through it.",
  "- On this workload ~76% of lines are served from the memo; the rest (fresh EC2 instance ids, source IPs that",
  "  the identity policy reads) pay the full evaluation, near misses and the proven fix (a changed policy compiled",
  "  and the request evaluated again). Those misses are now most of the CPU: the 50x target is not met.",
  "- One request with `--json` is written in 64 KB pieces (src/report/evaluation.ts `evaluationJsonPieces`), so",
  "  the fix's whole changed 50,000-statement document never exists as one string.",
  "- `lint` answers a pattern against a format of another literal service at once and remembers intersections,",
  "  glob resolutions and formats: linear, the same findings.",
  "",
  "| date | full JSON (CPU ratio) | decisions (CPU ratio) | 50k denied RSS | lint 50k | load |",
  "|---|---:|---:|---:|---:|---:|",
  "| 2026-12-03 before round 3 | 8.0x (5,747/s vs 722/s) | 39.6x | 328 MB | 19 s | ~18 |",
  "| 2026-12-03 round 3 start, after redaction at the output boundary was merged | 3.4x (3,003/s vs 882/s, 20k requests) | 16.2x | 481 MB | 14.7 s CPU | ~7 |",
  "| 2026-12-03 round 3, first memo run | 10.5x (6,729/s vs 643/s) | 40.7x | 378 MB | | ~10 |",
  "",
];
writeFileSync(OUT, md.join("\n"));
console.log(`written ${path.relative(root, OUT)}`);
