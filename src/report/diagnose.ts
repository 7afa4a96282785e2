// Terminal rendering of a diagnose result: verdict first, then its evidence chain, the fix, runners-up,
// timeline and what could not be checked. Short, coloured through Style.

import type { Diagnosis, EvidenceLink } from "../core/diagnosis.js";
import { networkTextLines } from "./network.js";
import type { Style } from "./style.js";
import { failureHeadline, renderFactsAndQuestions, strengthAndScore } from "./text.js";

const MARK: Record<EvidenceLink["effect"], string> = {
  confirms: "✔ confirms",
  supports: "+ supports",
  "points-to": "+ points to",
  weakens: "- weakens",
  refutes: "✘ rules out",
};

/** Render the diagnosis for a terminal. `verbose` lists every timeline row, source and cause. */
export function renderDiagnoseText(d: Diagnosis, opts: { style: Style; verbose?: boolean }): string {
  const st = opts.style;
  const verbose = opts.verbose === true;
  const out: string[] = [];
  if (d.failure) out.push(st.bold(st.red(failureHeadline(d.failure))));
  else out.push(st.yellow("no AWS error recognised in the input"));
  const req = d.request;
  if (req) {
    const bits = (["principal", "action", "resource", "region", "time"] as const)
      .filter((k) => req[k])
      .map((k) => `${k} ${req[k]}`);
    if (bits.length > 0) out.push(st.dim(bits.join(" · ")));
  }
  out.push("");
  const v = d.verdict;
  if (!v) {
    out.push("no cause could be named from the input and evidence given");
  } else {
    const colour = v.strength === "confirmed" ? st.green : v.strength === "likely" ? st.cyan : st.yellow;
    out.push(
      // the score ranks causes against each other; a bare "likely, 1.00" reads as certainty, so it is verbose only
      `${st.bold("Verdict")}  ${st.bold(colour(v.cause))}  ${v.title}  ${st.dim(`${verbose ? strengthAndScore(v) : v.strength}${v.grade ? `, ${v.grade}` : ""}`)}`,
    );
    if (v.grade === "verified") out.push(st.green("AWS's own evaluation settles it (verified)"));
    out.push("");
    out.push(st.bold("Evidence"));
    const chain = verbose ? v.chain : v.chain.slice(0, 8);
    for (const l of chain) {
      const m = MARK[l.effect];
      const markStyled = l.effect === "refutes" || l.effect === "weakens" ? st.red(m) : st.green(m);
      const about = l.cause === v.cause ? "" : `${l.cause}: `;
      out.push(
        `  ${markStyled}  ${about}${l.text} ${st.dim(`(${l.source}${l.grade ? `; ${l.grade}` : ""})`)}`,
      );
    }
    if (chain.length < v.chain.length)
      out.push(st.dim(`  (${v.chain.length - chain.length} more: --verbose)`));
    out.push("");
    out.push(`${st.bold("Fix")}  ${st.green(v.fix.summary)}`);
    for (const s of v.fix.steps) out.push(`  - ${s}`);
    for (const c of v.fix.commands) out.push(`  ${st.cyan(`$ ${c}`)}`);
    const diff = v.fix.policyDiff ?? d.policyDiff;
    if (diff) {
      for (const line of diff.split("\n")) {
        out.push(`  ${line.startsWith("+") ? st.green(line) : line.startsWith("-") ? st.red(line) : line}`);
      }
    }
    if (v.runnersUp.length > 0) {
      out.push("");
      out.push(st.bold("Runners-up"));
      for (const r of v.runnersUp) {
        out.push(`  ${r.id}  ${r.title}${verbose ? `  ${st.dim(r.score.toFixed(2))}` : ""}`);
        out.push(`    ${st.dim("to separate:")} ${r.separate}`);
      }
    }
  }
  if (d.network) {
    const lines = networkTextLines(d.network, st, verbose);
    if (lines.length > 0) out.push("", ...lines);
  }
  if (d.signature) {
    out.push("");
    out.push(st.bold("Signature (SigV4, server vs client)"));
    for (const n of d.signature.notes) out.push(`  ${n}`);
    for (const x of d.signature.differences) {
      out.push(`  ${st.red("≠")} ${x.part}: ${x.cause}`);
      out.push(st.dim(`      server ${x.server}`));
      out.push(st.dim(`      client ${x.client}`));
    }
  }
  if (d.timeline && d.timeline.length > 0) {
    out.push("");
    out.push(st.bold("Timeline (CloudTrail)"));
    const rows = verbose ? d.timeline : d.timeline.slice(-12);
    for (const t of rows) {
      const line = `  ${t.time}  ${t.event}${t.region ? ` ${t.region}` : ""}${t.actor ? `  ${t.actor}` : ""}${t.error ? `  ${t.error}` : ""}`;
      out.push(
        t.kind === "diagnosed"
          ? st.bold(st.red(`${line}  <- the failure`))
          : t.kind === "change"
            ? st.yellow(line)
            : line,
      );
      if (t.detail && t.kind !== "diagnosed") out.push(st.dim(`      ${t.detail}`));
    }
    if (rows.length < d.timeline.length)
      out.push(st.dim(`  (${d.timeline.length - rows.length} earlier rows: --verbose)`));
  }
  out.push(...renderFactsAndQuestions(d, st));
  if (d.unknowns.length > 0) {
    out.push("");
    out.push(st.bold("Could not check"));
    for (const u of verbose ? d.unknowns : d.unknowns.slice(0, 6)) {
      out.push(`  - ${u.what}: ${u.why}${u.needs ? st.dim(` (needs ${u.needs})`) : ""}`);
    }
    if (!verbose && d.unknowns.length > 6) out.push(st.dim(`  (${d.unknowns.length - 6} more: --verbose)`));
  }
  if (verbose && d.checked) {
    out.push("");
    out.push(st.bold("Evidence sources"));
    for (const c of d.checked) out.push(`  ${c.source}: ${c.status} ${st.dim(c.detail)}`);
  }
  return `${out.join("\n")}\n`;
}
