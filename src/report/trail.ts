// Short coloured text for the trail analyses (JSON output is the objects themselves).

import { count } from "../core/plural.js";
import type { TrailChanges } from "../trail/changes.js";
import type { TrailExplain } from "../trail/explain.js";
import type { TrailSessions } from "../trail/sessions.js";
import type { TrailSummary } from "../trail/summary.js";
import type { TrailTimeline } from "../trail/timeline.js";
import type { Skipped } from "../trail/types.js";
import type { Style } from "./style.js";

function topLines(s: Style, title: string, m: Record<string, number>, n = 5): string[] {
  const entries = Object.entries(m).slice(0, n);
  if (entries.length === 0) return [];
  const width = Math.max(...entries.map(([, v]) => String(v).length));
  return [s.bold(title), ...entries.map(([k, v]) => `  ${String(v).padStart(width)}  ${k}`)];
}

function skippedLines(s: Style, skipped: Skipped[]): string[] {
  if (skipped.length === 0) return [];
  const lines = [s.yellow(`skipped ${skipped.length}:`)];
  for (const k of skipped.slice(0, 10)) lines.push(`  ${k.file}: ${k.reason}`);
  if (skipped.length > 10) lines.push(s.dim(`  ... and ${skipped.length - 10} more (see --json)`));
  return lines;
}

/** Text of a summary. */
export function renderSummary(r: TrailSummary, s: Style): string {
  const pct = r.events > 0 ? ` (${((100 * r.failures) / r.events).toFixed(1)}%)` : "";
  const lines = [
    `${s.bold(String(r.events))} ${r.events === 1 ? "event" : "events"} in ${count(r.files, "file")}, ${r.failures > 0 ? s.red(String(r.failures)) : "0"} failed${pct}`,
  ];
  const k = r.failuresByKind;
  if (r.failures > 0) {
    // access problems first: throttling and missing things are failures, not refusals
    const rest = [
      k.authentication > 0 && `${k.authentication} authentication`,
      k.throttling > 0 && `${k.throttling} throttling`,
      k["not-found"] > 0 && `${k["not-found"]} not found`,
      k.other > 0 && count(k.other, "other error"),
    ].filter(Boolean);
    lines.push(
      `  ${k.authorization > 0 ? s.red(count(k.authorization, "authorization failure")) : "0 authorization failures"}${rest.length ? s.dim(`; ${rest.join(", ")}`) : ""}`,
    );
  }
  if (r.firstSeen) lines.push(s.dim(`from ${r.firstSeen} to ${r.lastSeen}`));
  lines.push(
    ...topLines(s, "errors", r.byErrorCode, 8),
    ...topLines(s, "failing calls", r.failuresByEvent, 5),
    ...topLines(s, "failing principals", r.failuresByPrincipal, 5),
    ...topLines(s, "event sources", r.byEventSource, 5),
    ...topLines(s, "principals", r.byPrincipal, 5),
    ...topLines(s, "regions", r.byRegion, 5),
    ...topLines(s, "user agents", r.byUserAgent, 3),
    ...skippedLines(s, r.skipped),
  );
  return lines.join("\n");
}

/** Text of linked sessions. */
export function renderSessions(r: TrailSessions, s: Style, skipped: Skipped[], limit = 30): string {
  const lines: string[] = [];
  const temp = r.sessions.filter((x) => x.issuedBy !== "long-term");
  const longTerm = r.sessions.length - temp.length;
  lines.push(
    `${s.bold(String(r.sessions.length))} ${r.sessions.length === 1 ? "credential" : "credentials"} (${count(temp.length, "session")}, ${count(longTerm, "long-term key")})`,
  );
  const shown = [...r.sessions].sort((a, b) => b.failures - a.failures).slice(0, limit);
  for (const x of shown) {
    const fail = x.failures > 0 ? s.red(`${x.failures} failed`) : s.green("0 failed");
    lines.push(
      `${s.cyan(x.keyId)} ${x.issuedBy}${x.issuedAt ? ` at ${x.issuedAt}` : ""}: ${count(x.events, "call")}, ${fail}`,
    );
    lines.push(`  ${x.chain.join(s.dim(" -> "))}`);
    const flags = [
      x.crossAccount && "cross-account",
      x.identityCenter && "Identity Center",
      x.federation?.cognito && "Cognito",
      x.federation?.provider && `provider ${x.federation.provider}`,
      x.sourceIdentity && `sourceIdentity ${x.sourceIdentity}`,
      x.endpoint && `via ${x.endpoint}`,
    ].filter(Boolean);
    if (flags.length > 0) lines.push(s.dim(`  ${flags.join(", ")}`));
    for (const f of x.failedCalls.slice(0, 3)) {
      lines.push(`  ${s.red("x")} ${f.time} ${f.eventName} ${s.red(f.errorCode)}`);
    }
  }
  if (r.sessions.length > shown.length)
    lines.push(s.dim(`... ${r.sessions.length - shown.length} more (see --json)`));
  if (r.failedIssuances.length > 0) {
    lines.push(s.bold(`failed issuances: ${r.failedIssuances.length}`));
    for (const f of r.failedIssuances.slice(0, 10)) {
      lines.push(
        `  ${s.red("x")} ${f.time} ${f.kind} ${f.roleArn ?? ""} by ${f.caller}: ${s.red(f.errorCode)}`,
      );
    }
  }
  lines.push(...skippedLines(s, skipped));
  return lines.join("\n");
}

/** Text of a timeline. */
export function renderTimeline(r: TrailTimeline, s: Style, skipped: Skipped[]): string {
  const f = Object.entries(r.filter)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  const lines = [
    s.bold(
      `${count(r.entries.length, "event")} within ${r.windowSeconds}s of ${r.around}${f ? ` for ${f}` : ""}`,
    ),
  ];
  lines.push(
    s.dim(
      "first column: seconds from that time; x failure, K credentials issued, C access change; Nx: repeats in a row",
    ),
  );
  // a repeated call (a retry loop, a poller) is one row with its count and the time of its last repeat
  const rows: { e: TrailTimeline["entries"][number]; n: number; lastOffset: number }[] = [];
  for (const e of r.entries) {
    const prev = rows[rows.length - 1];
    // a cross-account call is recorded by both accounts (the caller's and the role's): one event, one row, shown
    // with the caller's identity rather than the other account's `(AWSAccount)` stand-in
    if (
      prev &&
      prev.n === 1 &&
      prev.e.time === e.time &&
      prev.e.eventName === e.eventName &&
      prev.e.errorCode === e.errorCode &&
      prev.e.kind === e.kind &&
      prev.e.detail === e.detail &&
      prev.e.principal !== e.principal &&
      // the same issued key, or one side is the other account's stand-in: two callers never share either
      ((e.kind === "issuance" && e.detail !== undefined) ||
        /^\(/.test(prev.e.principal) ||
        /^\(/.test(e.principal))
    ) {
      if (/^\(/.test(prev.e.principal) && !/^\(/.test(e.principal)) prev.e = e;
      continue;
    }
    if (
      prev &&
      prev.e.eventName === e.eventName &&
      prev.e.principal === e.principal &&
      prev.e.errorCode === e.errorCode &&
      prev.e.kind === e.kind &&
      prev.e.detail === e.detail
    ) {
      prev.n++;
      prev.lastOffset = e.offsetSeconds;
    } else rows.push({ e, n: 1, lastOffset: e.offsetSeconds });
  }
  for (const { e, n, lastOffset } of rows) {
    const off = `${e.offsetSeconds >= 0 ? "+" : ""}${e.offsetSeconds}s`.padStart(7);
    const mark =
      e.kind === "failure"
        ? s.red("x")
        : e.kind === "issuance"
          ? s.cyan("K")
          : e.kind === "change"
            ? s.yellow("C")
            : " ";
    let line = `${s.dim(off)} ${mark} ${e.time} ${e.eventName} ${s.dim(e.principal)}`;
    if (e.errorCode) line += ` ${s.red(e.errorCode)}`;
    if (e.detail) line += s.dim(` [${e.detail}]`);
    if (n > 1) line += ` ${s.bold(`${n}x`)}${s.dim(` until ${lastOffset >= 0 ? "+" : ""}${lastOffset}s`)}`;
    lines.push(line);
  }
  if (r.truncated > 0) lines.push(s.dim(`... ${r.truncated} farther events dropped`));
  lines.push(...skippedLines(s, skipped));
  return lines.join("\n");
}

/** Text of changes. */
export function renderChanges(r: TrailChanges, s: Style, skipped: Skipped[]): string {
  const lines = [
    s.bold(count(r.changes.length, "access change")) +
      s.dim(` (failures looked for ${r.windowSeconds}s after each)`),
  ];
  for (const c of r.changes) {
    const ok = c.succeeded ? "" : s.red(` (failed: ${c.errorCode ?? "error"})`);
    lines.push(
      `${c.time} ${s.yellow(c.eventName)} ${c.category}: ${c.target}${c.detail ? ` (${c.detail})` : ""}${ok}`,
    );
    lines.push(s.dim(`  by ${c.actor}`));
    const related = c.newFailures.filter((n) => n.relatedToTarget);
    const shown = related.length > 0 ? related : c.newFailures.slice(0, 2);
    for (const n of shown.slice(0, 3)) {
      const tag =
        n.matchedBy === "resource"
          ? s.red("new failures on the changed resource")
          : n.relatedToTarget
            ? s.red("new failures of the changed principal")
            : "new failures (same account and time only)";
      lines.push(
        `  ${tag}: ${n.count}x ${n.eventName} ${s.red(n.errorCode)} by ${n.principal} from ${n.first}`,
      );
    }
  }
  lines.push(...skippedLines(s, skipped));
  return lines.join("\n");
}

/** Text of explained denials. */
export function renderExplain(r: TrailExplain, s: Style, skipped: Skipped[]): string {
  const lines = [
    s.bold(count(r.denied, "access-denied event")) +
      (r.explained.length < r.denied ? s.dim(` (first ${r.explained.length} explained)`) : ""),
  ];
  // near-identical denials (same call, principal, action, verdict; other times, resources or addresses) are one
  // block: `12x` with the first and last time
  const groups = new Map<string, TrailExplain["explained"]>();
  for (const e of r.explained) {
    const ev = e.evaluations[0];
    const key = JSON.stringify([
      e.eventSource,
      e.eventName,
      e.errorCode,
      e.context.principal,
      e.actions,
      e.cause ?? "",
      e.message?.policyType ?? "",
      e.message?.denyKind ?? "",
      ev?.decision ?? "",
      ev?.deniedBy ?? "",
      e.fix ?? "",
    ]);
    const g = groups.get(key);
    if (g) g.push(e);
    else groups.set(key, [e]);
  }
  for (const group of groups.values()) {
    const e = group[0]!;
    const n = group.length;
    const last = group[n - 1]!;
    const when = n > 1 ? `${s.bold(`${n}x`)} ${e.time} .. ${last.time}` : e.time;
    lines.push(`${when} ${s.bold(e.eventName)} ${s.red(e.errorCode)} by ${e.context.principal}`);
    const sure = e.uncertain ? s.yellow(` (uncertain: ${e.uncertain})`) : s.dim(` (from ${e.actionFrom})`);
    const resources = [...new Set(group.map((x) => x.resource))];
    const on =
      resources.length === 1
        ? e.resource
        : `${resources.length} resources (${resources.slice(0, 2).join(", ")}${resources.length > 2 ? ", ..." : ""})`;
    lines.push(`  action ${e.actions.join(", ")}${sure} on ${on}`);
    if (e.message?.policyType)
      lines.push(
        `  message: ${e.message.denyKind ? `${e.message.denyKind} deny in ` : "refused by "}${e.message.policyType} policy`,
      );
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
    if (e.fix) lines.push(`  fix: ${e.fix}`);
    for (const p of e.policyAsOf) lines.push(s.dim(`  as of event: ${p}`));
    for (const n of e.notes) lines.push(s.dim(`  note: ${n}`));
  }
  lines.push(...skippedLines(s, skipped));
  return lines.join("\n");
}
