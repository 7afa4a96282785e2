// The audit list as text lines: what live mode asked AWS, where, and what came back.

import type { LiveReport } from "../live/types.js";

/** One line per call: outcome, operation, account and region, endpoint, time, attempts, detail. No secrets. */
export function renderAudit(report: Pick<LiveReport, "audit">): string {
  if (report.audit.length === 0) return "live: no calls made\n";
  const provider = report.audit.filter((e) => e.operation.endsWith("(credential provider)")).length;
  const reads = report.audit.length - provider;
  const lines = [
    `live: ${reads} read-only calls${provider > 0 ? `, ${provider} credential-provider calls (resolving the credentials)` : ""}`,
  ];
  for (const e of report.audit) {
    const where = `${e.account ? `account ${e.account}, ` : ""}${e.region}`;
    const tries = e.attempts > 1 ? `, ${e.attempts} attempts` : "";
    lines.push(
      `  ${e.outcome.padEnd(7)} ${e.operation} (${where}) ${e.endpoint} ${e.ms} ms${tries}: ${e.detail}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
