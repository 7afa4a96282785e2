// Self-contained HTML report of a Diagnosis: one file, inline CSS, no scripts, no network, everything escaped.

import type { Diagnosis, EvidenceLink, TimelineEntry } from "../core/diagnosis.js";
import { reachHeadline } from "./network.js";

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
:root{--fg:#1d232a;--muted:#5b6670;--line:#d7dde3;--bg:#fff;--soft:#f4f6f8;--ok:#17663a;--bad:#a4161a;--warn:#8a5a00;--accent:#0b5cad}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1040px;margin:0 auto;padding:24px 20px 48px}h1{font-size:22px;margin:0 0 16px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}code{background:var(--soft);padding:1px 4px;border-radius:3px;overflow-wrap:anywhere}
pre{background:var(--soft);padding:10px 12px;border-radius:6px;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere}
.verdict{border:2px solid var(--accent);border-radius:8px;padding:14px 16px;background:#f2f7fd}.verdict .id{font-weight:700;font-size:18px}
.strength{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;text-transform:uppercase;margin-left:8px;background:var(--soft)}
.strength-confirmed{background:#dff3e6;color:var(--ok)}.strength-likely{background:#e5effa;color:var(--accent)}.strength-possible,.strength-undecided{background:#fdf1d8;color:var(--warn)}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid var(--line)}th{font-size:13px;color:var(--muted);font-weight:600}
td{overflow-wrap:anywhere}.muted{color:var(--muted)}ul.chain{list-style:none;padding:0;margin:0}ul.chain li{padding:5px 0;border-bottom:1px dashed var(--line)}
.effect{display:inline-block;min-width:84px;font-size:12px;font-weight:700;text-transform:uppercase}
.effect-confirms,.effect-supports,.effect-points-to{color:var(--ok)}.effect-refutes,.effect-weakens{color:var(--bad)}
tr.kind-diagnosed td{background:#fde8e8;font-weight:600}tr.kind-failure td{background:#fff4f4}tr.kind-change td{background:#fff9e6}tr.kind-issuance td{background:#eef6ff}
pre.diff .add{color:var(--ok);background:#e6f6ec;display:block}pre.diff .del{color:var(--bad);background:#fdecec;display:block}pre.diff .hunk{color:var(--muted);display:block}
td.origin,td.time{white-space:nowrap}.summary{margin:6px 0 0}footer{margin-top:32px;font-size:12px;color:var(--muted)}
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

function timelineRow(t: TimelineEntry): string {
  const result = t.kind === "diagnosed" ? "the failure diagnosed" : t.error ? t.error : "ok";
  return `<tr class="timeline-row kind-${e(t.kind)}"><td class="time"><code>${e(t.time)}</code></td><td>${e(t.event)}${
    t.detail ? `<div class="muted">${e(t.detail)}</div>` : ""
  }</td><td>${e(t.actor)}</td><td>${e(t.region)}</td><td>${e(result)}</td></tr>`;
}

/** Render a Diagnosis as one self-contained HTML document (no scripts, no external resources). */
export function renderHtml(d: Diagnosis, opts: { title?: string; generatedAt?: string } = {}): string {
  const v = d.verdict;
  const top = d.causes[0];
  const parts: string[] = [];
  const title = opts.title ?? (v ? `authdoctor: ${v.cause}` : "authdoctor diagnosis");

  parts.push(`<h1>${e(title)}</h1>`);
  if (v) {
    parts.push(
      `<section class="verdict" id="verdict"><div><span class="id">${e(v.cause)}</span><span class="strength strength-${e(v.strength)}">${e(v.strength)}</span> <span class="muted">score ${e(v.score.toFixed(2))}</span></div><p class="summary">${rich(v.summary)}</p></section>`,
    );
  } else if (top) {
    parts.push(
      `<section class="verdict" id="verdict"><div><span class="id">${e(top.id)}</span> <span class="muted">score ${e(top.score.toFixed(2))}</span></div><div class="title">${e(top.title)}</div></section>`,
    );
  } else {
    parts.push(
      `<section class="verdict" id="verdict"><p>No cause could be named: the input held no recognisable AWS error and no evidence.</p></section>`,
    );
  }

  if (d.failure) {
    const f = d.failure;
    const rows: Array<[string, string | number | undefined]> = [
      ["code", f.code],
      ["message", f.message],
      ["service", f.service],
      ["operation", f.operation],
      ["action", f.action],
      ["principal", f.principal?.raw],
      ["resource", f.resource],
      ["region", f.region],
      ["HTTP status", f.httpStatus],
      ["access key id", f.accessKeyId?.masked],
      ["request id", f.requestId],
    ];
    parts.push(
      `<h2>The failure</h2><table id="failure"><tbody>${rows
        .filter(([, val]) => val !== undefined && val !== "")
        .map(([k, val]) => `<tr><th>${e(k)}</th><td>${e(val)}</td></tr>`)
        .join("")}</tbody></table>`,
    );
  }
  if (d.request && Object.keys(d.request.origins).length > 0) {
    const req = d.request;
    const rows = (["principal", "action", "resource", "region", "time"] as const)
      .filter((k) => req[k])
      .map(
        (k) =>
          `<tr><th>${k}</th><td><code>${e(req[k])}</code></td><td class="muted origin">${e(req.origins[k])}</td></tr>`,
      );
    parts.push(`<h2>The request diagnosed</h2><table id="request"><tbody>${rows.join("")}</tbody></table>`);
  }

  if (v && v.chain.length > 0) {
    parts.push(
      `<h2>Evidence chain</h2><ul class="chain" id="evidence">${v.chain
        .map(
          (l) =>
            `<li><span class="effect effect-${e(l.effect)}">${e(EFFECT_LABEL[l.effect])}</span>${
              l.cause === v.cause ? "" : `<code>${e(l.cause)}</code> `
            }${rich(l.text)} <span class="muted">(${e(l.source)})</span></li>`,
        )
        .join("")}</ul>`,
    );
  }

  const fix = v?.fix ?? top?.fix;
  if (fix) {
    parts.push(`<h2>Fix</h2><section id="fix"><p>${rich(fix.summary)}</p>`);
    if (fix.steps.length > 0) parts.push(`<ol>${fix.steps.map((s) => `<li>${rich(s)}</li>`).join("")}</ol>`);
    if (fix.commands.length > 0) parts.push(`<pre class="commands">${e(fix.commands.join("\n"))}</pre>`);
    parts.push("</section>");
  }
  const diff = fix?.policyDiff ?? d.policyDiff;
  if (diff)
    parts.push(
      `<h2>Policy change (near miss)</h2><pre class="diff" id="policy-diff">${diffHtml(diff)}</pre>`,
    );

  if (d.network?.reach || d.network?.findings.length) {
    const n = d.network;
    parts.push(`<h2>Network</h2><section id="network">`);
    const head = reachHeadline(n);
    if (head && n.reach) {
      parts.push(
        `<p>${e(head)}</p><table id="network-path"><thead><tr><th>hop</th><th>status</th><th>what</th><th>evidence</th></tr></thead><tbody>${n.reach.hops
          .map(
            (h) =>
              `<tr class="hop-${e(h.status)}"><td><code>${e(h.kind)}</code></td><td>${e(h.status)}</td><td>${e(h.text)}</td><td>${e(h.evidence ?? h.needs ?? "")}</td></tr>`,
          )
          .join(
            "",
          )}</tbody></table><p class="not-modelled">Not modelled: ${e(n.reach.notModelled.join("; "))}.</p>`,
      );
    }
    if (n.findings.length > 0)
      parts.push(
        `<ul id="network-findings">${n.findings.map((f) => `<li><strong>${e(f.severity)}</strong> <code>${e(f.code)}</code> ${e(f.text)} <em>(${e(f.evidence)})</em></li>`).join("")}</ul>`,
      );
    if (n.imds)
      parts.push(
        `<p>IMDS (live): <code>${e(n.imds.outcome)}</code> ${e(`${n.imds.endpoint}: ${n.imds.detail}`)}</p>`,
      );
    parts.push("</section>");
  }

  if (v && v.runnersUp.length > 0) {
    parts.push(
      `<h2>Runners-up</h2><table id="runners-up"><thead><tr><th>cause</th><th>score</th><th>what would separate it</th></tr></thead><tbody>${v.runnersUp
        .map(
          (r) =>
            `<tr><td><code>${e(r.id)}</code> ${e(r.title)}</td><td>${e(r.score.toFixed(2))}</td><td>${rich(r.separate)}</td></tr>`,
        )
        .join("")}</tbody></table>`,
    );
  }

  if (d.timeline && d.timeline.length > 0) {
    parts.push(
      `<h2>Timeline: CloudTrail around the failure</h2><table id="timeline"><thead><tr><th>time</th><th>event</th><th>who</th><th>region</th><th>result</th></tr></thead><tbody>${d.timeline
        .map(timelineRow)
        .join("")}</tbody></table>`,
    );
  }

  if (d.unknowns.length > 0) {
    parts.push(
      `<h2>What could not be checked</h2><ul id="unknowns">${d.unknowns
        .map(
          (u) =>
            `<li><strong>${rich(u.what)}</strong>: ${rich(u.why)}${u.needs ? `<div class="muted">needs: ${rich(u.needs)}</div>` : ""}</li>`,
        )
        .join("")}</ul>`,
    );
  }
  if (d.checked && d.checked.length > 0) {
    parts.push(
      `<h2>Evidence sources</h2><table id="sources"><thead><tr><th>source</th><th>status</th><th>detail</th></tr></thead><tbody>${d.checked
        .map((c) => `<tr><td>${e(c.source)}</td><td>${e(c.status)}</td><td>${rich(c.detail)}</td></tr>`)
        .join("")}</tbody></table>`,
    );
  }
  if (d.causes.length > 0) {
    parts.push(
      `<h2>All causes considered</h2><table id="causes"><thead><tr><th>#</th><th>cause</th><th>score</th></tr></thead><tbody>${d.causes
        .slice(0, 10)
        .map(
          (c, i) =>
            `<tr><td>${i + 1}</td><td><code>${e(c.id)}</code> ${e(c.title)}</td><td>${e(c.score.toFixed(2))}</td></tr>`,
        )
        .join("")}</tbody></table>`,
    );
  }
  parts.push(
    `<footer>authdoctor · schema ${e(d.schema)}${opts.generatedAt ? ` · ${e(opts.generatedAt)}` : ""}</footer>`,
  );

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${e(title)}</title>
<style>${CSS}</style>
</head>
<body><main>
${parts.join("\n")}
</main></body>
</html>
`;
}
