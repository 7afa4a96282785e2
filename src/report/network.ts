// The network section of a diagnosis report (text): the hop-by-hop path, the findings, the live IMDS probe.

import type { Hop, NetworkFinding, NetworkReport } from "../core/network.js";
import type { Style } from "./style.js";

const HOP_MARK: Record<Hop["status"], string> = { pass: "✔", block: "✘", unknown: "?" };
const FINDING_MARK: Record<NetworkFinding["severity"], string> = { blocks: "✘", risk: "!", info: "·" };

/** One line naming the path and its verdict. */
export function reachHeadline(n: NetworkReport): string | undefined {
  const r = n.reach;
  if (!r) return undefined;
  const from = r.source
    ? `${r.source.interfaceId}${r.source.privateIp ? ` (${r.source.privateIp})` : ""}`
    : "the failing machine";
  const state =
    r.verdict === "blocked"
      ? `blocked at ${r.blocked!.kind}`
      : r.verdict === "reachable"
        ? `open (${r.path})`
        : "undecided";
  return `${from} -> ${r.target.host}:443  ${state}`;
}

/** Text lines for the terminal; `verbose` adds the evidence of passing hops and what is not modelled. */
export function networkTextLines(n: NetworkReport, st: Style, verbose = false): string[] {
  const out: string[] = [];
  const r = n.reach;
  if (r) {
    const head = reachHeadline(n)!;
    out.push(
      `${st.bold("Network path")}  ${r.verdict === "blocked" ? st.red(head) : r.verdict === "reachable" ? st.green(head) : st.yellow(head)}`,
    );
    out.push(st.dim(`  target from ${r.target.origin}`));
    for (const h of r.hops) {
      const mark =
        h.status === "block"
          ? st.red(HOP_MARK.block)
          : h.status === "pass"
            ? st.green(HOP_MARK.pass)
            : st.yellow(HOP_MARK.unknown);
      out.push(`  ${mark} ${h.kind.padEnd(23)} ${h.text}`);
      if (h.evidence && (verbose || h.status !== "pass")) out.push(st.dim(`      ${h.evidence}`));
      if (h.needs && h.status === "unknown") out.push(st.dim(`      needs: ${h.needs}`));
    }
    if (verbose) for (const m of r.notModelled) out.push(st.dim(`  not modelled: ${m}`));
    else
      out.push(
        st.dim(
          `  not modelled: ${r.notModelled.length} items (firewall appliances, DNS resolvers, on-premises...; --verbose)`,
        ),
      );
  }
  const shown = n.findings.filter((f) => verbose || f.severity !== "info");
  if (shown.length > 0) {
    if (out.length > 0) out.push("");
    out.push(st.bold("Network findings"));
    for (const f of shown) {
      const m = FINDING_MARK[f.severity];
      out.push(
        `  ${f.severity === "blocks" ? st.red(m) : f.severity === "risk" ? st.yellow(m) : m} ${f.code}  ${f.text}`,
      );
      out.push(st.dim(`      ${f.evidence}`));
    }
  }
  if (n.imds) {
    if (out.length > 0) out.push("");
    out.push(
      `${st.bold("IMDS (live)")}  ${n.imds.outcome}  ${st.dim(`${n.imds.endpoint}: ${n.imds.detail}`)}`,
    );
  }
  return out;
}
