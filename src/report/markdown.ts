// Markdown report of a Diagnosis (explain or diagnose): verdict, evidence chain, fix, timeline, unknowns.

import type { Diagnosis, EvidenceLink, RankedCause } from "../core/diagnosis.js";
import type { Failure } from "../core/failure.js";
import { reachHeadline } from "./network.js";
import { strengthAndScore } from "./text.js";

const EFFECT_MARK: Record<EvidenceLink["effect"], string> = {
  confirms: "✅ confirms",
  supports: "➕ supports",
  "points-to": "➕ points to",
  weakens: "➖ weakens",
  refutes: "❌ rules out",
};

/** Text for a Markdown table cell: one line, pipes and markup neutralised. */
export function mdCell(s: string): string {
  return mdText(s)
    .replace(/\|/g, "\\|")
    .replace(/\s*\n\s*/g, " ");
}

/** Inline Markdown text: characters with a Markdown meaning are escaped, HTML is neutralised. */
export function mdText(s: string): string {
  return s.replace(/[\\`*_{}[\]<>#!~]/g, (c) => `\\${c}`);
}

/** Text whose `backtick spans` become code spans; the rest is escaped like mdText. */
export function mdRich(s: string, cell = false): string {
  return s
    .split(/`([^`\n]+)`/)
    .map((part, i) => {
      if (i % 2 === 1) return cell ? mdCode(part).replace(/\|/g, "\\|") : mdCode(part);
      return cell ? mdCell(part) : mdText(part);
    })
    .join("");
}

/** An inline code span that survives backticks in the value. */
export function mdCode(s: string): string {
  const one = s.replace(/\s*\n\s*/g, " ");
  const longest = Math.max(0, ...(one.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(longest + 1);
  const pad = one.startsWith("`") || one.endsWith("`") ? " " : "";
  return `${fence}${pad}${one}${pad}${fence}`;
}

/** A fenced block that survives fences in the value. */
export function mdBlock(s: string, lang = ""): string {
  const longest = Math.max(2, ...(s.match(/`{3,}/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${lang}\n${s.replace(/\n$/, "")}\n${fence}`;
}

function failureRows(f: Failure): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const add = (k: string, v: string | number | undefined) => {
    if (v !== undefined && v !== "") rows.push([k, String(v)]);
  };
  add("code", f.code);
  add("message", f.message);
  add("service", f.service);
  add("operation", f.operation);
  add("action", f.action);
  add("principal", f.principal?.raw);
  add("resource", f.resource);
  add("region", f.region);
  add("HTTP status", f.httpStatus);
  add("access key id", f.accessKeyId?.masked);
  add("request id", f.requestId);
  add("format", f.format);
  return rows;
}

/** Render a Diagnosis as a Markdown document. Every value from the input is escaped. */
export function renderMarkdown(d: Diagnosis): string {
  const out: string[] = ["# authdoctor diagnosis", ""];
  const v = d.verdict;
  const top: RankedCause | undefined = d.causes[0];
  if (v) {
    out.push(`**Verdict: ${mdCode(v.cause)}** (${strengthAndScore(v)})`);
    out.push("", mdRich(v.summary), "");
  } else if (top) {
    out.push(`**Most likely: ${mdCode(top.id)} — ${mdText(top.title)}** (score ${top.score.toFixed(2)})`, "");
  } else {
    out.push("**No cause could be named**: the input held no recognisable AWS error and no evidence.", "");
  }

  if (d.failure) {
    out.push("## The failure", "", "| | |", "|---|---|");
    for (const [k, val] of failureRows(d.failure)) out.push(`| ${k} | ${mdCell(val)} |`);
    out.push("");
  }
  if (d.request && Object.keys(d.request.origins).length > 0) {
    out.push("## The request diagnosed", "", "| field | value | from |", "|---|---|---|");
    for (const key of ["principal", "action", "resource", "region", "time"] as const) {
      const val = d.request[key];
      if (val) out.push(`| ${key} | ${mdCell(val)} | ${mdCell(d.request.origins[key] ?? "")} |`);
    }
    out.push("");
  }

  if (v && v.chain.length > 0) {
    out.push("## Evidence chain", "");
    for (const link of v.chain) {
      const about = link.cause === v.cause ? "" : ` ${mdCode(link.cause)}:`;
      out.push(
        `- ${EFFECT_MARK[link.effect]}${about} ${mdRich(link.text)} _(${mdText(link.source)}${link.grade ? `; ${link.grade}` : ""})_`,
      );
    }
    out.push("");
  }

  const fix = v?.fix ?? top?.fix;
  if (fix) {
    out.push("## Fix", "", mdRich(fix.summary), "");
    for (const step of fix.steps) out.push(`1. ${mdRich(step)}`);
    if (fix.steps.length > 0) out.push("");
    if (fix.commands.length > 0) out.push(mdBlock(fix.commands.join("\n"), "sh"), "");
  }
  const diff = fix?.policyDiff ?? d.policyDiff;
  if (diff) out.push("## Policy change (near miss)", "", mdBlock(diff, "diff"), "");

  if (d.network?.reach || d.network?.findings.length) {
    const n = d.network;
    out.push("## Network", "");
    const head = reachHeadline(n);
    if (head && n.reach) {
      out.push(mdText(head), "", "| hop | status | what | evidence |", "|---|---|---|---|");
      for (const h of n.reach.hops)
        out.push(
          `| ${mdCode(h.kind)} | ${h.status} | ${mdCell(h.text)} | ${mdCell(h.evidence ?? h.needs ?? "")} |`,
        );
      out.push("", `Not modelled: ${mdText(n.reach.notModelled.join("; "))}.`, "");
    }
    for (const f of n.findings)
      out.push(`- **${f.severity}** ${mdCode(f.code)} ${mdText(f.text)} _(${mdText(f.evidence)})_`);
    if (n.findings.length > 0) out.push("");
    if (n.imds)
      out.push(
        `IMDS (live): ${mdCode(n.imds.outcome)} ${mdText(`${n.imds.endpoint}: ${n.imds.detail}`)}`,
        "",
      );
  }

  if (v && v.runnersUp.length > 0) {
    out.push("## Runners-up", "", "| cause | score | what would separate it |", "|---|---|---|");
    for (const r of v.runnersUp) {
      out.push(
        `| ${mdCode(r.id)} ${mdCell(r.title)} | ${r.score.toFixed(2)} | ${mdRich(r.separate, true)} |`,
      );
    }
    out.push("");
  }

  if (d.timeline && d.timeline.length > 0) {
    out.push("## Timeline (CloudTrail around the failure)", "");
    out.push("| time | event | who | region | result |", "|---|---|---|---|---|");
    for (const t of d.timeline) {
      const result = t.kind === "diagnosed" ? "**the failure diagnosed**" : t.error ? mdCell(t.error) : "ok";
      const event = t.detail ? `${mdCell(t.event)} — ${mdCell(t.detail)}` : mdCell(t.event);
      out.push(
        `| ${mdCell(t.time)} | ${event} | ${mdCell(t.actor ?? "")} | ${mdCell(t.region ?? "")} | ${result} |`,
      );
    }
    out.push("");
  }

  if (d.facts && d.facts.length > 0) {
    out.push("## What you told us", "");
    for (const f of d.facts)
      out.push(`- \`${f.value ? `${f.name}=${f.value}` : f.name}\` (${mdRich(f.quote)})`);
    out.push("");
  }
  if (d.questions && d.questions.length > 0) {
    out.push("## Questions that would separate the leading causes", "");
    for (const q of d.questions)
      out.push(`- ${mdRich(q.ask)} If so: \`--fact ${q.fact}\` (separates ${q.separates.join(" / ")})`);
    out.push("");
  }
  if (d.unknowns.length > 0) {
    out.push("## What could not be checked", "");
    for (const u of d.unknowns) {
      out.push(`- **${mdRich(u.what)}**: ${mdRich(u.why)}${u.needs ? `. Needs: ${mdRich(u.needs)}` : ""}`);
    }
    out.push("");
  }

  if (d.checked && d.checked.length > 0) {
    out.push("## Evidence sources", "", "| source | status | detail |", "|---|---|---|");
    for (const c of d.checked) out.push(`| ${mdCell(c.source)} | ${c.status} | ${mdRich(c.detail, true)} |`);
    out.push("");
  }

  if (d.causes.length > 0) {
    out.push("## All causes considered", "", "| # | cause | score | checks |", "|---|---|---|---|");
    d.causes.slice(0, 10).forEach((c, i) => {
      const check = c.checks[0];
      const text = check
        ? `${mdCell(check.text)}${check.command ? ` ${mdCode(check.command).replace(/\|/g, "\\|")}` : ""}`
        : "";
      out.push(`| ${i + 1} | ${mdCode(c.id)} ${mdCell(c.title)} | ${c.score.toFixed(2)} | ${text} |`);
    });
    out.push("");
  }
  return `${out.join("\n").replace(/\n+$/, "")}\n`;
}
