// Self-contained HTML report of a Diagnosis: one file, inline CSS, no scripts, no network, everything escaped.

import type { Diagnosis, EvidenceLink, TimelineEntry } from "../core/diagnosis.js";
import { reachHeadline } from "./network.js";
import { sameCall } from "./text.js";

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const EFFECT_LABEL: Record<EvidenceLink["effect"], string> = {
  confirms: "confirms",
  supports: "supports",
  "points-to": "points to",
  weakens: "weakens",
  refutes: "rules out",
};

const CSS = `
:root{color-scheme:light dark;--fg:#1d232a;--muted:#5b6670;--line:#d7dde3;--bg:#fff;--soft:#f3f5f7;--card:#f2f7fd;--ok:#17663a;--okbg:#e6f6ec;--bad:#a4161a;--badbg:#fdecec;--warn:#8a5a00;--warnbg:#fdf1d8;--accent:#0b5cad}
@media (prefers-color-scheme:dark){:root{--fg:#e3e8ee;--muted:#9aa6b2;--line:#37414b;--bg:#14181c;--soft:#1f252b;--card:#182430;--ok:#6fd49a;--okbg:#143222;--bad:#ff8a8f;--badbg:#3a1a1c;--warn:#f2c56b;--warnbg:#33280f;--accent:#7ab8ff}}
*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:break-word}
main{max-width:960px;margin:0 auto;padding:16px 16px 40px}
.kicker{font-size:12px;color:var(--muted);margin:0 0 2px;letter-spacing:.02em}
h1{font-size:17px;line-height:1.35;margin:0 0 12px;font-weight:600}
h2{font-size:16px;margin:22px 0 6px}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{background:var(--soft);padding:0 3px;border-radius:3px;overflow-wrap:anywhere}
pre{background:var(--soft);padding:8px 10px;border-radius:6px;margin:6px 0;white-space:pre-wrap;overflow-wrap:anywhere;max-width:100%}
.verdict{border:2px solid var(--accent);border-radius:8px;padding:10px 14px;background:var(--card)}
.verdict .id{font-weight:700;font-size:17px;overflow-wrap:anywhere}.verdict .title{margin:2px 0 0}
.strength{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;font-weight:600;text-transform:uppercase;margin-left:8px;vertical-align:2px;background:var(--soft)}
.strength-confirmed{background:var(--okbg);color:var(--ok)}.strength-likely{background:var(--card);color:var(--accent)}.strength-possible,.strength-undecided{background:var(--warnbg);color:var(--warn)}
#fix{margin-top:14px}#fix h2{margin-top:0}#fix ol{margin:4px 0;padding-left:22px}
ul.plain{list-style:none;padding:0;margin:0}ul.plain>li{padding:6px 0;border-bottom:1px solid var(--line)}
.effect{display:inline-block;min-width:78px;font-size:11px;font-weight:700;text-transform:uppercase}
.effect-confirms,.effect-supports,.effect-points-to{color:var(--ok)}.effect-refutes,.effect-weakens{color:var(--bad)}
.src{display:block;font-size:12px;color:var(--muted)}.muted{color:var(--muted)}
dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 12px;margin:4px 0}dl.facts dt{color:var(--muted);font-size:13px}dl.facts dd{margin:0;min-width:0}
ol.timeline{list-style:none;padding:0;margin:0}ol.timeline>li{display:grid;grid-template-columns:5.5em minmax(0,1fr);gap:0 8px;padding:4px 6px;border-bottom:1px solid var(--line)}
ol.timeline .when{font:12px/1.6 ui-monospace,Menlo,Consolas,monospace;color:var(--muted)}ol.timeline .who{font-size:12px;color:var(--muted);overflow-wrap:anywhere}
li.kind-diagnosed{background:var(--badbg);font-weight:600}li.kind-change{background:var(--warnbg)}li.kind-failure{background:var(--badbg)}
.err{color:var(--bad);font-weight:600}.legend{font-size:12px;color:var(--muted);margin:4px 0}
pre.diff .add{color:var(--ok);background:var(--okbg);display:block}pre.diff .del{color:var(--bad);background:var(--badbg);display:block}pre.diff .hunk{color:var(--muted);display:block}
details{border:1px solid var(--line);border-radius:6px;padding:4px 10px;margin:8px 0}details>summary{cursor:pointer;font-weight:600;padding:2px 0}
footer{margin-top:24px;font-size:12px;color:var(--muted)}
@media print{:root{--fg:#000;--bg:#fff;--soft:#f3f3f3;--card:#fff;--muted:#444}main{max-width:none;padding:0}.verdict{border-width:1px}
details{border:0;padding:0}details::details-content{content-visibility:visible;display:block}li,pre,.verdict{break-inside:avoid}h2{break-after:avoid}}
`;

/** Escaped text whose `backtick spans` become <code> elements. */
function rich(s: string | undefined): string {
  if (s === undefined) return "";
  return s
    .split(/`([^`\n]+)`/)
    .map((part, i) => (i % 2 === 1 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part)))
    .join("");
}

function e(s: string | number | undefined): string {
  return s === undefined ? "" : escapeHtml(String(s));
}

function diffHtml(diff: string): string {
  const lines = diff.replace(/\n$/, "").split("\n");
  return lines
    .map((l) => {
      const cls =
        l.startsWith("+++") || l.startsWith("---") || l.startsWith("@@")
          ? "hunk"
          : l.startsWith("+")
            ? "add"
            : l.startsWith("-")
              ? "del"
              : "";
      return cls ? `<span class="${cls}">${e(l)}</span>` : `${e(l)}\n`;
    })
    .join("");
}

/** A short form of an actor for the timeline: the part after the last `/` of an ARN, the whole in a title. */
function shortActor(a: string | undefined): string {
  if (!a) return "";
  const m = /^arn:[^:]+:(?:sts|iam)::\d{12}:(?:assumed-role|role|user)\/(.+)$/.exec(a);
  return m ? m[1]! : a;
}

function timelineRow(t: TimelineEntry, prevDay: string | undefined): string {
  const day = t.time.slice(0, 10);
  const clock = t.time.slice(11, 19) || t.time;
  const result =
    t.kind === "diagnosed"
      ? `<span class="err">${e(t.error ?? "failed")}: the failure diagnosed</span>`
      : t.error
        ? `<span class="err">${e(t.error)}</span>`
        : "";
  return `<li class="timeline-row kind-${e(t.kind)}"><span class="when" title="${e(t.time)}">${day !== prevDay ? `${e(day)}<br>` : ""}${e(clock)}</span><span><strong>${e(t.event)}</strong>${t.region ? ` <span class="muted">${e(t.region)}</span>` : ""} ${result}${
    t.actor ? `<span class="who" title="${e(t.actor)}">${e(shortActor(t.actor))}</span>` : ""
  }${t.detail && t.kind !== "diagnosed" ? `<span class="who">${e(t.detail)}</span>` : ""}</span></li>`;
}

/** A failure's headline: code, the call's service and operation, the denied action apart (a Lambda call can be refused iam:PassRole). */
function headline(d: Diagnosis): string {
  const f = d.failure;
  if (!f) return "No AWS error recognised in the input";
  const call = [f.service, f.operation].filter(Boolean).join(" ");
  return [
    `${f.code ?? "error"}${f.httpStatus ? ` (${f.httpStatus})` : ""}`,
    call,
    f.region,
    f.action && !sameCall(f) ? `denied ${f.action}` : undefined,
  ]
    .filter(Boolean)
    .join(" · ");
}

/** A collapsed section: closed by default, open when printed. */
function details(id: string, summary: string, body: string): string {
  return `<details id="${id}"><summary>${summary}</summary>${body}</details>`;
}

/**
 * Render a Diagnosis as one self-contained HTML document (no scripts, no external resources): the verdict and
 * what to do first, then the evidence with where each piece came from, the request, a compact timeline, and the
 * rest collapsed. `paths` rewrites absolute paths of the diagnosing machine (the bundle folder) to what the
 * reader of a shared report can use (relative to the bundle).
 */
export function renderHtml(
  d: Diagnosis,
  opts: { title?: string; generatedAt?: string; paths?: Array<[string, string]> } = {},
): string {
  const v = d.verdict;
  const top = d.causes[0];
  const parts: string[] = [];
  const title = opts.title ?? (v ? `authdoctor: ${v.cause}` : "authdoctor diagnosis");

  parts.push(`<p class="kicker">authdoctor diagnosis</p><h1 id="headline">${e(headline(d))}</h1>`);
  if (v) {
    parts.push(
      `<section class="verdict" id="verdict"><div><span class="id">${e(v.cause)}</span><span class="strength strength-${e(v.strength)}">${e(v.strength)}</span></div><p class="title">${rich(v.summary)}</p></section>`,
    );
  } else if (top) {
    parts.push(
      `<section class="verdict" id="verdict"><div><span class="id">${e(top.id)}</span><span class="strength strength-undecided">not settled</span></div><p class="title">${e(top.title)}</p></section>`,
    );
  } else {
    parts.push(
      `<section class="verdict" id="verdict"><p>No cause could be named: the input held no recognisable AWS error and no evidence.</p></section>`,
    );
  }

  const fix = v?.fix ?? top?.fix;
  const diff = fix?.policyDiff ?? d.policyDiff;
  if (fix) {
    parts.push(`<section id="fix"><h2>What to do first</h2><p><strong>${rich(fix.summary)}</strong></p>`);
    if (fix.steps.length > 0) parts.push(`<ol>${fix.steps.map((s) => `<li>${rich(s)}</li>`).join("")}</ol>`);
    if (fix.commands.length > 0)
      parts.push(`<pre class="commands">${fix.commands.map((c) => `$ ${e(c)}`).join("\n")}</pre>`);
    if (diff)
      parts.push(
        `<p class="muted">The policy change, against the policy as it is now:</p><pre class="diff" id="policy-diff">${diffHtml(diff)}</pre>`,
      );
    parts.push("</section>");
  }

  if (v && v.chain.length > 0) {
    parts.push(
      `<h2>Evidence</h2><ul class="plain" id="evidence">${v.chain
        .map(
          (l) =>
            `<li><span class="effect effect-${e(l.effect)}">${e(EFFECT_LABEL[l.effect])}</span> ${
              l.cause === v.cause ? "" : `<code>${e(l.cause)}</code> `
            }${rich(l.text)}<span class="src">from ${e(l.source)}${l.grade ? ` (${e(l.grade)})` : ""}</span></li>`,
        )
        .join("")}</ul>`,
    );
  }

  const req = d.request;
  const reqKeys = req
    ? (["principal", "action", "resource", "region", "time"] as const).filter((k) => req[k])
    : [];
  if (req && reqKeys.length > 0) {
    parts.push(
      `<h2>The request</h2><dl class="facts" id="request">${reqKeys
        .map(
          (k) =>
            `<dt>${k}</dt><dd><code>${e(req[k])}</code>${req.origins[k] ? ` <span class="muted">(${e(req.origins[k])})</span>` : ""}</dd>`,
        )
        .join("")}</dl>`,
    );
  }

  if (d.network?.reach || d.network?.findings.length) {
    const n = d.network;
    const body: string[] = [];
    const head = reachHeadline(n);
    if (head && n.reach) {
      body.push(
        `<p>${e(head)}</p><ol class="plain" id="network-path">${n.reach.hops
          .map(
            (h) =>
              `<li class="hop-${e(h.status)}"><code>${e(h.kind)}</code> ${e(h.status)}: ${e(h.text)}${
                (h.evidence ?? h.needs) ? ` <span class="src">${e(h.evidence ?? h.needs ?? "")}</span>` : ""
              }</li>`,
          )
          .join(
            "",
          )}</ol><p class="muted not-modelled">Not modelled: ${e(n.reach.notModelled.join("; "))}.</p>`,
      );
    }
    if (n.findings.length > 0)
      body.push(
        `<ul class="plain" id="network-findings">${n.findings
          .map(
            (f) =>
              `<li><strong>${e(f.severity)}</strong> <code>${e(f.code)}</code> ${e(f.text)} <span class="src">${e(f.evidence)}</span></li>`,
          )
          .join("")}</ul>`,
      );
    if (n.imds)
      body.push(
        `<p>IMDS (live): <code>${e(n.imds.outcome)}</code> ${e(`${n.imds.endpoint}: ${n.imds.detail}`)}</p>`,
      );
    parts.push(`<section id="network"><h2>Network</h2>${body.join("")}</section>`);
  }

  if (d.questions && d.questions.length > 0) {
    parts.push(
      `<h2>Questions that would separate the leading causes</h2><ul class="plain" id="questions">${d.questions
        .map(
          (q) =>
            `<li>${rich(q.ask)} <span class="muted">if so: <code>--fact ${e(q.fact)}</code> (separates ${e(q.separates.join(" / "))})</span></li>`,
        )
        .join("")}</ul>`,
    );
  }

  if (d.timeline && d.timeline.length > 0) {
    let prev: string | undefined;
    const rows = d.timeline.map((t) => {
      const row = timelineRow(t, prev);
      prev = t.time.slice(0, 10);
      return row;
    });
    parts.push(
      `<h2>Timeline</h2><p class="legend">CloudTrail records around the failure (UTC). Highlighted: <span class="err">the failure</span>; changes to access in amber.</p><ol class="timeline" id="timeline">${rows.join("")}</ol>`,
    );
  }

  if (v && v.runnersUp.length > 0) {
    parts.push(
      details(
        "runners-up",
        `Other causes considered (${v.runnersUp.length})`,
        `<ul class="plain">${v.runnersUp
          .map(
            (r) =>
              `<li><code>${e(r.id)}</code> ${e(r.title)}<span class="src">${rich(r.separate)}</span></li>`,
          )
          .join("")}</ul>`,
      ),
    );
  }
  if (d.unknowns.length > 0) {
    parts.push(
      details(
        "unknowns",
        `What could not be checked (${d.unknowns.length})`,
        `<ul class="plain">${d.unknowns
          .map(
            (u) =>
              `<li><strong>${rich(u.what)}</strong>: ${rich(u.why)}${u.needs ? `<span class="src">needs ${rich(u.needs)}</span>` : ""}</li>`,
          )
          .join("")}</ul>`,
      ),
    );
  }
  if (d.failure) {
    const f = d.failure;
    const rows: Array<[string, string | number | undefined]> = [
      ["code", f.code],
      ["message", f.message],
      ["HTTP status", f.httpStatus],
      ["access key id", f.accessKeyId?.masked],
      ["request id", f.requestId],
    ];
    parts.push(
      details(
        "failure",
        "The error as reported",
        `<dl class="facts">${rows
          .filter(([, val]) => val !== undefined && val !== "")
          .map(([k, val]) => `<dt>${e(k)}</dt><dd>${e(val)}</dd>`)
          .join("")}</dl>`,
      ),
    );
  }
  if (d.checked && d.checked.length > 0) {
    parts.push(
      details(
        "sources",
        "Evidence sources",
        `<ul class="plain">${d.checked
          .map(
            (c) =>
              `<li><strong>${e(c.source)}</strong> ${e(c.status)}<span class="src">${rich(c.detail)}</span></li>`,
          )
          .join("")}</ul>`,
      ),
    );
  }
  if (d.causes.length > 0) {
    parts.push(
      details(
        "causes",
        "All causes ranked",
        `<ol>${d.causes
          .slice(0, 10)
          .map(
            (c) =>
              `<li><code>${e(c.id)}</code> ${e(c.title)} <span class="muted">${e(c.score.toFixed(2))}</span></li>`,
          )
          .join("")}</ol>`,
      ),
    );
  }
  parts.push(
    `<footer>authdoctor · schema ${e(d.schema)}${opts.generatedAt ? ` · ${e(opts.generatedAt)}` : ""}</footer>`,
  );
  let body = parts.join("\n");
  // longest first, so a path inside another is not cut short
  for (const [abs, rel] of [...(opts.paths ?? [])].sort((a, b) => b[0].length - a[0].length))
    if (abs) body = body.split(e(abs)).join(e(rel));

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${e(title)}</title>
<style>${CSS}</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}
