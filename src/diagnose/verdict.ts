// The verdict: the best-ranked cause with its chain of evidence, the runners-up and what would separate them.

import { POLICY_CAUSES } from "../core/cause-groups.js";
import {
  type EvidenceLink,
  type Fix,
  type Grade,
  gradeOfSource,
  type RankedCause,
  type RunnerUp,
  type Signal,
  strongerGrade,
  type Verdict,
  type VerdictStrength,
} from "../core/diagnosis.js";

/** Causes below this score are not named as runners-up. */
const RUNNER_UP_MIN = 0.05;
/** A gap this large between the first two causes makes the first `likely` even without a confirming signal. */
const CLEAR_GAP = 0.15;

/**
 * Build the verdict from ranked causes (best first) and every signal gathered. Returns undefined when there
 * is no cause at all. Pure.
 */
export function buildVerdict(
  causes: RankedCause[],
  signals: Signal[],
  extra: {
    policyDiff?: string;
    fill?: (text: string) => string;
    /** A fix filled from the evidence (network hops, IMDS settings) for one cause: used when it is the top one. */
    evidenceFix?: { cause: string; summary: string; commands: string[] };
  } = {},
): Verdict | undefined {
  const fill = extra.fill ?? ((t: string) => t);
  const top = causes[0];
  if (!top) return undefined;
  const mine = signals.filter((s) => s.cause === top.id);
  const chain: EvidenceLink[] = [];
  for (const w of top.why) {
    // Why lines that repeat a signal are shown once, as the signal.
    if (mine.some((s) => w.text === s.text)) continue;
    // a line that moved nothing (a prior when the text already settled the score) neither points to nor weakens
    if (w.weight === 0) continue;
    chain.push({
      cause: top.id,
      effect: w.weight > 0 ? "points-to" : "weakens",
      text: w.text,
      source: w.source,
      grade: w.grade ?? gradeOfSource(w.source),
    });
  }
  for (const s of mine) chain.push(link(s));
  // Signals that refute or weaken the runners-up are part of why this cause wins.
  const others = causes.slice(1).filter((c) => c.score >= RUNNER_UP_MIN || hasSignal(signals, c.id));
  for (const s of signals) {
    if (s.cause !== top.id && (s.effect === "refutes" || s.effect === "weakens")) {
      chain.push(link(s));
    }
  }
  // Verified evidence (AWS's own evaluation) leads the chain: a verdict resting on it says so first.
  chain.sort((a, b) => Number(b.grade === "verified") - Number(a.grade === "verified"));
  let grade: Grade | undefined;
  for (const l of chain) {
    if (l.cause === top.id && l.effect !== "weakens" && l.effect !== "refutes")
      grade = strongerGrade(grade, l.grade ?? gradeOfSource(l.source));
  }

  const second = others[0];
  const strength = strengthOf(top, mine, second);
  const runnersUp: RunnerUp[] = others.slice(0, 3).map((c) => ({
    id: c.id,
    title: c.title,
    score: round(c.score),
    separate: fill(separation(c, signals)),
  }));
  const fix: Fix = { ...top.fix, steps: top.fix.steps.map(fill), commands: top.fix.commands.map(fill) };
  // The diff computed from the real policies beats the cause's illustrative one (which has placeholders).
  if (extra.policyDiff && isPolicyCause(top.id)) fix.policyDiff = extra.policyDiff;
  if (extra.evidenceFix && extra.evidenceFix.cause === top.id) {
    // The cause's generic steps give way to the one change the evidence names.
    fix.summary = extra.evidenceFix.summary;
    fix.steps = [];
    fix.commands = [...extra.evidenceFix.commands];
  }
  return {
    cause: top.id,
    title: top.title,
    score: round(top.score),
    strength,
    summary: (grade === "verified" ? "AWS's own evaluation: " : "") + summaryOf(top, strength, mine),
    chain,
    runnersUp,
    fix,
    ...(grade ? { grade } : {}),
  };
}

function link(s: Signal): EvidenceLink {
  return {
    cause: s.cause,
    effect: s.effect,
    text: s.text,
    source: s.source,
    grade: s.grade ?? gradeOfSource(s.source),
  };
}

function hasSignal(signals: Signal[], id: string): boolean {
  return signals.some((s) => s.cause === id);
}

function strengthOf(top: RankedCause, mine: Signal[], second: RankedCause | undefined): VerdictStrength {
  if (top.score < 0.15) return "undecided";
  const confirmed = mine.some((s) => s.effect === "confirms");
  const refuted = mine.some((s) => s.effect === "refutes");
  if (confirmed && !refuted) return "confirmed";
  const gap = top.score - (second?.score ?? 0);
  if (top.score >= 0.5 && gap >= CLEAR_GAP && !refuted) return "likely";
  return "possible";
}

function summaryOf(top: RankedCause, strength: VerdictStrength, mine: Signal[]): string {
  const forIt = mine.filter((s) => s.effect === "confirms" || s.effect === "supports").length;
  const against = mine.filter((s) => s.effect === "refutes" || s.effect === "weakens").length;
  const label =
    strength === "confirmed"
      ? "confirmed"
      : strength === "likely"
        ? "likely"
        : strength === "possible"
          ? "possible, not settled"
          : "undecided";
  const counts =
    forIt + against === 0
      ? "from the error text alone"
      : `${forIt} piece${forIt === 1 ? "" : "s"} of evidence for it${against ? `, ${against} against` : ""}`;
  return `${top.title} (${label}; ${counts})`;
}

/** What would tell a runner-up apart from the verdict: a signal already against it, else its first check. */
function separation(c: RankedCause, signals: Signal[]): string {
  const against = signals.find((s) => s.cause === c.id && (s.effect === "refutes" || s.effect === "weakens"));
  const check = c.checks.find((k) => k.command) ?? c.checks[0];
  const parts: string[] = [];
  if (against)
    parts.push(`already ${against.effect === "refutes" ? "ruled out" : "weakened"}: ${against.text}`);
  if (check) parts.push(check.command ? `${check.text}: \`${check.command}\`` : check.text);
  return parts.length > 0 ? parts.join("; ") : "no check known";
}

function isPolicyCause(id: string): boolean {
  return POLICY_CAUSES.has(id);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
