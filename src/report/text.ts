// Text renderer for a Diagnosis: the failure in one line, then the likeliest causes with why / check / fix.

import type { Diagnosis, RankedCause } from "../core/diagnosis.js";
import type { Failure } from "../core/failure.js";
import type { Style } from "./style.js";

/** Causes shown without `--verbose`. */
const SHOWN = 3;

/** Render a diagnosis for a terminal. Short by default; `verbose` shows every cause, weight and source. */
export function renderText(d: Diagnosis, opts: { style: Style; verbose?: boolean }): string {
  const { style: st } = opts;
  const verbose = opts.verbose === true;
  const out: string[] = [];
  if (!d.failure) {
    if (d.unknowns[0]?.why === "no text was given") {
      out.push(`${st.yellow("no error text given:")} pass it as arguments, with --file or on stdin`);
      return `${out.join("\n")}\n`;
    }
    out.push(
      `${st.yellow("no sign of an AWS auth failure:")} the text does not look like a refused AWS call`,
    );
    for (const u of d.unknowns) out.push(`  ${u.why}${u.needs ? `; get ${u.needs}` : ""}`);
    return `${out.join("\n")}\n`;
  }
  out.push(st.bold(st.red(failureHeadline(d.failure))));
  if (verbose) {
    const detail = failureDetail(d.failure);
    if (detail) out.push(st.dim(detail));
  }
  if (d.failures.length > 1)
    out.push(st.dim(`(${d.failures.length} failures in the input; diagnosing the first)`));
  out.push("");

  const causes = verbose ? d.causes : d.causes.slice(0, SHOWN);
  if (causes.length === 0) out.push("no likely cause found");
  else out.push(st.bold(verbose ? "Causes, most likely first" : "Most likely causes"));
  causes.forEach((c, i) => {
    out.push(...renderCause(c, i, st, verbose));
  });
  const more = d.causes.length - causes.length;
  if (more > 0) out.push(st.dim(`  (${more} less likely cause${more > 1 ? "s" : ""}: --verbose to list)`));

  out.push(...renderFactsAndQuestions(d, st));

  if (d.unknowns.length > 0) {
    out.push("");
    out.push(st.bold("Not decidable from the text alone"));
    for (const u of verbose ? d.unknowns : d.unknowns.slice(0, 3))
      out.push(`  - ${u.what}: ${u.why}${u.needs ? st.dim(` (needs ${u.needs})`) : ""}`);
  }
  return `${out.join("\n")}\n`;
}

function renderCause(c: RankedCause, i: number, st: Style, verbose: boolean): string[] {
  const out: string[] = [];
  const first = i === 0;
  const label = `${i + 1}. ${c.id}`;
  out.push(
    ` ${first ? st.bold(st.yellow(label)) : st.bold(label)}  ${c.title}  ${st.dim(c.score.toFixed(2))}`,
  );
  const why = verbose ? c.why : c.why.filter((w) => w.weight > 0).slice(0, first ? 3 : 2);
  for (const w of why) {
    // what the line did to the score, plainly: raised by, lowered by, or nothing (a prior on a settled score)
    const effect = w.weight > 0 ? `+${w.weight}` : w.weight < 0 ? `${w.weight}` : "no effect,";
    const tail = verbose ? st.dim(` [${effect} ${w.source}]`) : "";
    out.push(`    ${st.dim("why")}    ${w.weight < 0 ? "(against) " : ""}${w.text}${tail}`);
  }
  const checks = verbose ? c.checks : c.checks.slice(0, first ? 2 : 1);
  for (const ch of checks) {
    out.push(`    ${st.dim("check")}  ${ch.text}`);
    if (ch.command) out.push(`           ${st.cyan(`$ ${ch.command}`)}`);
  }
  if (c.fix.summary) {
    out.push(`    ${st.dim("fix")}    ${st.green(c.fix.summary)}`);
    // the first cause says what to do (its first steps) even without --verbose: a command the evidence could
    // not fill is one of them, in prose
    for (const s of verbose ? c.fix.steps : first ? c.fix.steps.slice(0, 2) : [])
      out.push(`           - ${s}`);
    const cmds = verbose ? c.fix.commands : first ? c.fix.commands.slice(0, 1) : [];
    for (const cmd of cmds) out.push(`           ${st.cyan(`$ ${cmd}`)}`);
    if (c.fix.policyDiff && (first || verbose))
      for (const line of c.fix.policyDiff.split("\n")) out.push(`           ${st.green(line)}`);
  }
  return out;
}

/** What the user told us and, when the leading causes are close, the questions that would separate them. */
export function renderFactsAndQuestions(d: Diagnosis, st: Style): string[] {
  const out: string[] = [];
  if (d.facts && d.facts.length > 0) {
    out.push("");
    out.push(st.bold("What you told us"));
    for (const f of d.facts)
      out.push(`  - ${f.value ? `${f.name}=${f.value}` : f.name} ${st.dim(`(${f.quote})`)}`);
  }
  if (d.questions && d.questions.length > 0) {
    out.push("");
    out.push(st.bold("The leading causes are close; answering these would separate them"));
    for (const q of d.questions)
      out.push(`  - ${q.ask} ${st.dim(`(if so: --fact ${q.fact}; separates ${q.separates.join(" / ")})`)}`);
  }
  return out;
}

/**
 * The failure in one line: `AccessDenied (403) · lambda CreateFunction · eu-central-1 · denied iam:PassRole · by
 * arn:…:role/app`. The call's service and the denied action are shown apart: a Lambda call can be refused an
 * iam:PassRole.
 */
export function failureHeadline(f: Failure): string {
  const parts: string[] = [f.code ?? (f.message ? shorten(f.message, 60) : "error")];
  if (f.httpStatus) parts[0] += ` (${f.httpStatus})`;
  const call = [f.service, f.operation].filter(Boolean).join(" ");
  if (call) parts.push(call);
  if (f.region) parts.push(f.region);
  if (f.action && !sameCall(f)) parts.push(`denied ${f.action}`);
  if (f.principal) parts.push(`by ${f.principal.raw}`);
  if (f.accessKeyId) parts.push(`key ${f.accessKeyId.masked}`);
  if (parts.length === 1 && f.code && f.message) parts.push(shorten(withoutClass(f.message), 100));
  return parts.join(" · ");
}

/**
 * The message without the exception class an SDK prints before it (`com.amazonaws…KeyPairMismatchException: The
 * key pair does not match.` -> `The key pair does not match.`): the code already names it.
 */
function withoutClass(message: string): string {
  return message.replace(/^\s*(?:[A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*:\s+/, "") || message;
}

function shorten(text: string, max: number): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}

function failureDetail(f: Failure): string {
  const bits: string[] = [];
  if (f.principal) bits.push(`principal ${f.principal.raw}`);
  if (f.action) bits.push(`action ${f.action}`);
  if (f.resource) bits.push(`resource ${f.resource}`);
  if (f.policyType && f.policyType !== "unknown")
    bits.push(`${f.denyKind ?? ""} deny, ${f.policyType} policy`.trim());
  if (f.accessKeyId) bits.push(`key ${f.accessKeyId.masked}`);
  const lines: string[] = [];
  if (bits.length) lines.push(bits.join(" · "));
  if (f.message) lines.push(shorten(f.message, 220));
  return lines.join("\n");
}

/** Whether the action is the call itself (`ec2:DescribeInstances` for ec2 DescribeInstances): then it is not repeated. */
export function sameCall(f: Failure): boolean {
  if (!f.action) return true;
  if (!f.service) return false;
  const [svc, act] = f.action.toLowerCase().split(":");
  return svc === f.service.toLowerCase() && (!f.operation || act === f.operation.toLowerCase());
}

/**
 * The verdict's strength with its score, worded so they cannot read as a contradiction: the score only ranks causes
 * against each other, so a `likely` verdict at 1.00 says that nothing confirmed it.
 */
export function strengthAndScore(v: { strength: string; score: number }): string {
  const score = v.score.toFixed(2);
  if (v.strength === "confirmed") return `confirmed, score ${score}`;
  return `${v.strength}: ranks first at ${score}, no evidence confirms it`;
}
