// The audit list as text lines: what live mode asked AWS, where, and what came back.

import { redactText } from "../credentials/mask.js";
import type { LiveReport } from "../live/types.js";

/** One line per call: outcome, operation, account and region, endpoint, time, attempts, detail. No secrets. */
export function renderAudit(report: Pick<LiveReport, "audit">): string {
  if (report.audit.length === 0) return "live: no calls made\n";
  const lines = [`live: ${report.audit.length} read-only calls`];
  for (const e of report.audit) {
    const where = `${e.account ? `account ${e.account}, ` : ""}${e.region}`;
    const tries = e.attempts > 1 ? `, ${e.attempts} attempts` : "";
    lines.push(
      redactText(
        `  ${e.outcome.padEnd(7)} ${e.operation} (${where}) ${e.endpoint} ${e.ms} ms${tries}: ${e.detail}`,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
