// `trail explain` command glue: load --authz/--scp/--rcp, read the trail, explain, print.

import { InputError } from "../core/input-error.js";
import { redactText } from "../credentials/mask.js";
import type { Style } from "../report/style.js";
import { ExplainAccumulator, type TrailExplain } from "./explain.js";
import { readTrail } from "./read.js";
import type { TrailCliOptions } from "./run.js";
import type { ReadOptions, Skipped } from "./types.js";

/** Run `trail explain` and return the text to print. */
export async function runExplain(
  paths: string[],
  o: TrailCliOptions,
  opts: ReadOptions,
  style: Style,
): Promise<string> {
  let env = null;
  if (o.authz || o.scp?.length || o.rcp?.length) {
    const { loadEnv } = await import("../iam/can-command.js");
    env = await loadEnv({
      ...(o.authz ? { authz: [o.authz] } : {}),
      ...(o.scp ? { scp: o.scp } : {}),
      ...(o.rcp ? { rcp: o.rcp } : {}),
    });
  }
  const limit = o.limit ? Number(o.limit) : 50;
  if (!Number.isInteger(limit) || limit < 0)
    throw new InputError("--limit", `expected a whole number, got \`${o.limit}\``);
  const acc = new ExplainAccumulator();
  // Only access denials and access changes matter here: the others are never parsed.
  const reader = readTrail(paths, { ...opts, only: ["denied", "change"] });
  for await (const r of reader) acc.add(r);
  if (reader.files === 0 && !(o.since || o.until || o.region?.length)) {
    const first = reader.skipped[0];
    throw new InputError(first?.file ?? paths.join(" "), first?.reason ?? "no CloudTrail files found");
  }
  const res = await acc.result(env, limit);
  if (o.json) return JSON.stringify({ ...res, files: reader.files, skipped: reader.skipped }, null, 2);
  return renderExplain(res, style, reader.skipped);
}

/** Text of explained denials. */
export function renderExplain(r: TrailExplain, s: Style, skipped: Skipped[]): string {
  const lines = [
    s.bold(`${r.denied} access-denied events`) +
      (r.explained.length < r.denied ? s.dim(` (first ${r.explained.length} explained)`) : ""),
  ];
  for (const e of r.explained) {
    lines.push(`${e.time} ${s.bold(e.eventName)} ${s.red(e.errorCode)} by ${e.context.principal}`);
    const sure = e.uncertain ? s.yellow(` (uncertain: ${e.uncertain})`) : s.dim(` (from ${e.actionFrom})`);
    lines.push(`  action ${e.actions.join(", ")}${sure} on ${e.resource}`);
    const c = e.context;
    const ctx = [
      c.region && `region ${c.region}`,
      c.sourceIp && `ip ${c.sourceIp}`,
      c.vpcEndpoint && `via ${c.vpcEndpoint}`,
      c.mfa !== undefined && `mfa ${c.mfa}`,
      c.tlsVersion && c.tlsVersion,
    ].filter(Boolean);
    if (ctx.length > 0) lines.push(s.dim(`  context: ${ctx.join(", ")}`));
    const ev = e.evaluations[0];
    if (ev)
      lines.push(
        `  engine: ${ev.decision === "Allowed" ? s.yellow(ev.decision) : s.red(ev.decision)}${ev.deniedBy ? ` by ${ev.deniedBy}` : ""}`,
      );
    if (e.cause) lines.push(`  cause: ${s.bold(e.cause)}`);
    if (e.fix) lines.push(`  fix: ${redactText(e.fix)}`);
    for (const p of e.policyAsOf) lines.push(s.dim(`  as of event: ${p}`));
    for (const n of e.notes) lines.push(s.dim(`  note: ${n}`));
  }
  if (skipped.length > 0)
    lines.push(
      s.yellow(
        `skipped ${skipped.length}: ${skipped
          .slice(0, 3)
          .map((k) => `${k.file}: ${k.reason}`)
          .join("; ")}`,
      ),
    );
  return lines.join("\n");
}
