// Short human rendering of a CredentialsReport: per SDK what wins and from where, then findings by severity.

import { count } from "../core/plural.js";
import { sourceLabel } from "../credentials/chains.js";
import type { CredentialsReport, Finding, LinkOutcome, SdkId, SdkResolution } from "../credentials/types.js";
import type { Style } from "./style.js";

const OUTCOME_MARK: Record<LinkOutcome["outcome"], string> = {
  won: "won",
  skipped: "skip",
  halted: "STOP",
  unusable: "bad",
  "not-checked": "net?",
};

function identityLine(r: SdkResolution): string | undefined {
  const id = r.winner?.identity;
  if (!id) return undefined;
  const parts = [
    id.accessKeyId === "unknown" ? "key issued at run time" : `${id.accessKeyId} (${id.kind})`,
    id.account
      ? `account ${id.account}${id.accountFrom === "key-id" ? " (decoded from key id)" : ` (${id.accountFrom})`}`
      : "account unknown",
  ];
  if (id.roleArn) parts.push(`role ${id.roleArn}`);
  if (r.winner?.sourceIdentity && r.winner.sourceIdentity.accessKeyId !== "unknown")
    parts.push(`signed by ${r.winner.sourceIdentity.accessKeyId}`);
  if (id.expires) parts.push(`expires ${id.expires}`);
  return parts.join(", ");
}

function renderSdk(r: SdkResolution, st: Style, showChain: boolean): string[] {
  const lines: string[] = [];
  const status =
    r.result === "credentials"
      ? st.green("ok")
      : r.result === "network"
        ? st.yellow("network")
        : st.red(r.result === "none" ? "none" : "error");
  lines.push(`${st.bold(r.label)}  ${status}  ${st.dim(`profile ${r.profile.value} (${r.profile.from})`)}`);
  lines.push(`  source   ${r.summary}`);
  if (r.decidedBy && r.decidedBy.where !== "-") lines.push(`           ${st.dim(`at ${r.decidedBy.where}`)}`);
  if (r.profileChain.length > 1) lines.push(`  chain    ${r.profileChain.join(" -> ")}`);
  const id = identityLine(r);
  if (id) lines.push(`  key      ${id}`);
  lines.push(
    `  region   ${r.region ? `${r.region.value} ${st.dim(`(${r.region.from === r.region.where ? r.region.from : `${r.region.from}: ${r.region.where}`})`)}` : st.yellow("none")}`,
  );
  lines.push(`  sts      ${r.sts.mode} ${r.sts.endpoint} ${st.dim(`(${r.sts.why})`)}`);
  for (const o of r.endpointOverrides)
    lines.push(`  endpoint ${st.yellow(o.from)} ${st.dim(`(${o.where})`)}`);
  if (r.next) lines.push(`  next     ${sourceLabel(r.next.source)}: ${r.next.reason}`);
  if (showChain)
    for (const o of r.chain)
      lines.push(
        // a source after the winner is not reached: it neither won nor failed, so it gets no outcome mark
        `    ${o.reached ? OUTCOME_MARK[o.outcome].padEnd(13) : st.dim("not reached".padEnd(13))} ${sourceLabel(o.source)}: ${st.dim(o.reason)}`,
      );
  return lines;
}

function renderFinding(f: Finding, st: Style): string[] {
  const sev =
    f.severity === "error"
      ? st.red("error  ")
      : f.severity === "warning"
        ? st.yellow("warning")
        : st.cyan("info   ");
  return [
    `${sev} ${f.message} ${st.dim(`[${f.code} -> ${f.cause}]`)}`,
    `        ${st.dim(`at ${f.where}`)}`,
    `        fix: ${f.fix}`,
  ];
}

/** Text for the terminal. `sdk` limits the output to one SDK and the findings that concern it. */
export function renderCredentialsText(
  report: CredentialsReport,
  st: Style,
  opts: { sdk?: SdkId; chain?: boolean } = {},
): string {
  const sdks: SdkId[] = opts.sdk ? [opts.sdk] : ["js", "python", "cli"];
  const out: string[] = [];
  for (const s of sdks) {
    out.push(...renderSdk(report.resolution[s], st, opts.chain === true));
    out.push("");
  }
  const findings = report.findings.filter((f) => !opts.sdk || !f.sdks || f.sdks.includes(opts.sdk));
  if (findings.length === 0) out.push(st.green("no findings"));
  else {
    const n = (sev: Finding["severity"]) => findings.filter((f) => f.severity === sev).length;
    out.push(
      st.bold(
        `Findings: ${count(n("error"), "error")}, ${count(n("warning"), "warning")}, ${n("info")} info`,
      ),
    );
    for (const f of findings) out.push(...renderFinding(f, st));
  }
  return out.join("\n");
}
