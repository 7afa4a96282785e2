// Renderers of `collect`: the bundle's README.md, the summary printed after collecting, and the collect guide.

import type { CollectGuide } from "../collect/guide.js";
import type { CollectReport } from "../collect/index.js";
import { count } from "../core/plural.js";

/** The guide as short text: one block per step, its commands under it. */
export function renderCollectGuide(g: CollectGuide): string {
  const lines: string[] = [];
  if (g.failure)
    lines.push(
      [g.failure.code, g.failure.action ?? g.failure.service, g.failure.region, g.failure.principal]
        .filter(Boolean)
        .join(" · "),
    );
  if (g.likely.length > 0)
    lines.push(`likely: ${g.likely.map((c) => `${c.id} ${c.score.toFixed(2)}`).join(", ")}`);
  for (const s of g.steps) {
    lines.push(`${s.priority.padEnd(11)} ${s.file}: ${s.why}${s.needs ? ` (needs ${s.needs})` : ""}`);
    for (const c of s.commands) lines.push(`  $ ${c}`);
  }
  return lines.join("\n");
}

/** Markdown table cell: pipes and newlines escaped. */
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** The bundle's README.md: what is in it, what was removed, which live calls were made or refused, what next. */
export function renderCollectReadme(r: CollectReport): string {
  const out: string[] = [
    "# authdoctor case bundle",
    "",
    `Collected by \`authdoctor collect\` at ${r.collectedAt}. Diagnose it anywhere, offline:`,
    "",
    "```sh",
    "authdoctor diagnose --bundle .",
    "```",
    "",
    "Every secret value (secret access keys, session tokens, SSO tokens, client secrets, proxy passwords,",
    "`credential_process` commands) was replaced by `REDACTED` before anything was written. The layout is",
    "described in authdoctor's docs/bundle.md.",
    "",
    "## Files",
    "",
    "| file | what | secrets replaced |",
    "|---|---|---|",
    ...r.files.map((f) => `| \`${cell(f.path)}\` | ${cell(f.what)} | ${f.redacted} |`),
    "| `collect.json` | this collection, machine-readable (`authdoctor.collect/v1`) | 0 |",
  ];
  if (r.missing.length > 0) out.push("", "## Not found", "", ...r.missing.map((m) => `- ${cell(m)}`));
  if (r.live) {
    const l = r.live;
    out.push("", "## Live calls (read-only)", "");
    if (l.identity) out.push(`Caller: \`${l.identity.arn}\` (account ${l.identity.account}).`, "");
    if (l.regionStatus)
      out.push(
        `Region \`${l.regionStatus.region}\`: ${l.regionStatus.status} (${l.regionStatus.enabled ? "enabled" : "not enabled"} for the account).`,
        "",
      );
    if (l.calls.length > 0)
      out.push(
        "| call | region | outcome | detail |",
        "|---|---|---|---|",
        ...l.calls.map((c) => `| \`${c.operation}\` | ${c.region} | ${c.outcome} | ${cell(c.detail)} |`),
      );
    if (l.denied.length > 0) {
      out.push(
        "",
        "### Denied calls",
        "",
        "AWS refused these reads; the permission that would allow each:",
        "",
      );
      for (const d of l.denied) out.push(`- \`${d.operation}\` in ${d.region}: needs \`${d.permission}\``);
    }
    if (l.gaps.length > 0) out.push("", "### Could not read", "", ...l.gaps.map((g) => `- ${cell(g)}`));
  }
  if (r.next.length > 0) {
    out.push("", "## What else would help", "");
    for (const s of r.next) {
      out.push(
        `- **${cell(s.file)}** (${s.priority}): ${cell(s.why)}${s.needs ? ` (needs ${cell(s.needs)})` : ""}`,
      );
      for (const c of s.commands) out.push(`  \`${c}\``);
    }
  }
  return `${out.join("\n")}\n`;
}

/** What `collect` prints when it is done. */
export function renderCollectSummary(r: CollectReport, shownDir: string): string {
  const lines = [`wrote ${shownDir}/`];
  for (const f of r.files)
    lines.push(
      `  ${f.path.padEnd(28)} ${f.what}${f.redacted > 0 ? ` (${count(f.redacted, "secret value")} REDACTED)` : ""}`,
    );
  lines.push(`  ${"README.md, collect.json".padEnd(28)} what was collected and how`);
  if (r.live) {
    const ok = r.live.calls.filter((c) => c.outcome === "ok").length;
    lines.push(
      `live: ${count(r.live.calls.length, "read-only call")}, ${ok} answered, ${r.live.denied.length} denied`,
    );
    for (const d of r.live.denied) lines.push(`  denied ${d.operation} (${d.region}): needs ${d.permission}`);
    for (const g of r.live.gaps) lines.push(`  ${g}`);
  }
  if (r.missing.length > 0) lines.push(`not found: ${r.missing.map((m) => m.split(":")[0]).join(", ")}`);
  lines.push(`next: authdoctor diagnose --bundle ${shownDir}`);
  return lines.join("\n");
}
