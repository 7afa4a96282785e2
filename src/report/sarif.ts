// SARIF 2.1.0 logs of a diagnosis and of `trail explain`, for code scanning (GitHub upload-sarif and others):
// one result per verdict or explained denial, the root-cause id as rule id.
// Format: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
// GitHub's use of it: https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning

import { createHash } from "node:crypto";
import { causeOf } from "../causes/index.js";
import { type CauseId, OTHER_CAUSE } from "../core/cause-ids.js";
import type { Diagnosis, VerdictStrength } from "../core/diagnosis.js";
import type { TrailExplain } from "../trail/explain.js";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

type Level = "error" | "warning" | "note";

interface SarifResult {
  ruleId: string;
  level: Level;
  message: { text: string };
  locations: Array<Record<string, unknown>>;
  partialFingerprints: Record<string, string>;
  properties?: Record<string, unknown>;
}

/** A file the results point at (SARIF wants a path relative to the checkout, with forward slashes). */
function artifact(path: string): Record<string, unknown> {
  return {
    physicalLocation: {
      artifactLocation: { uri: path.replace(/\\/g, "/").replace(/^\.\//, "") },
      region: { startLine: 1 },
    },
  };
}

function fingerprint(...parts: Array<string | undefined>): string {
  return createHash("sha256")
    .update(parts.map((p) => p ?? "").join("\u0000"))
    .digest("hex")
    .slice(0, 32);
}

function rule(id: CauseId) {
  const def = causeOf(id);
  return {
    id,
    name: id
      .toLowerCase()
      .split("_")
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(""),
    shortDescription: { text: def.title },
    fullDescription: { text: def.summary },
    help: { text: `${def.summary} (authdoctor docs/causes/${id}.md)` },
  };
}

function log(rules: CauseId[], results: SarifResult[], version: string): Record<string, unknown> {
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "authdoctor",
            version,
            rules: [...new Set(rules)].map(rule),
          },
        },
        results,
      },
    ],
  };
}

const LEVEL: Record<VerdictStrength, Level> = {
  confirmed: "error",
  likely: "error",
  possible: "warning",
  undecided: "note",
};

/**
 * A diagnosis as SARIF: one result for the verdict (level by its strength), pointing at `file` (the error text's
 * file, or the bundle's error.txt) when there is one, else at the principal and action as a logical location.
 */
export function diagnosisToSarif(
  d: Diagnosis,
  opts: { file?: string; version: string },
): Record<string, unknown> {
  const v = d.verdict;
  const top = d.causes[0];
  if (!v && !top) return log([], [], opts.version);
  const id = v?.cause ?? top!.id;
  const req = d.request;
  const principal = req?.principal ?? d.failure?.principal?.raw;
  const action = req?.action ?? d.failure?.action;
  const resource = req?.resource ?? d.failure?.resource;
  const fix = v?.fix ?? top!.fix;
  const head = v ? v.summary : `${top!.title} (most likely cause of ${d.failure?.code ?? "the failure"})`;
  const text = [
    head,
    [d.failure?.code, action, resource && `on ${resource}`, principal && `by ${principal}`]
      .filter(Boolean)
      .join(" "),
    fix.summary && `Fix: ${fix.summary}`,
    ...fix.commands.map((c) => `$ ${c}`),
  ]
    .filter(Boolean)
    .join("\n");
  const logical = { logicalLocations: [{ name: action ?? id, fullyQualifiedName: principal ?? "" }] };
  return log(
    [id],
    [
      {
        ruleId: id,
        level: v ? LEVEL[v.strength] : "note",
        message: { text },
        locations: [opts.file ? { ...artifact(opts.file), ...logical } : logical],
        partialFingerprints: { "authdoctor/v1": fingerprint(id, principal, action, resource) },
        properties: {
          strength: v?.strength ?? "undecided",
          score: v?.score ?? top!.score,
          ...(d.failure?.code ? { errorCode: d.failure.code } : {}),
          ...(fix.policyDiff ? { policyDiff: fix.policyDiff } : {}),
        },
      },
    ],
    opts.version,
  );
}

/**
 * Explained denials as SARIF: one result per denial, the cause as rule (OTHER when none is known), pointing at
 * `file` (the authorization snapshot the fix goes into, or the trail input).
 */
export function trailExplainToSarif(
  r: TrailExplain,
  opts: { file?: string; version: string },
): Record<string, unknown> {
  const results: SarifResult[] = r.explained.map((e) => {
    const id: CauseId = e.cause ?? e.message?.cause ?? OTHER_CAUSE;
    const decided = e.evaluations.length > 0;
    const text = [
      `${e.errorCode}: ${e.actions.join(", ")} on ${e.resource} by ${e.context.principal} at ${e.time}`,
      e.fix && `Fix: ${e.fix}`,
      e.uncertain && `(uncertain: ${e.uncertain})`,
    ]
      .filter(Boolean)
      .join("\n");
    const logical = {
      logicalLocations: [{ name: e.actions[0] ?? e.eventName, fullyQualifiedName: e.context.principal }],
    };
    return {
      ruleId: id,
      level: id === OTHER_CAUSE ? "note" : decided ? "error" : "warning",
      message: { text },
      locations: [opts.file ? { ...artifact(opts.file), ...logical } : logical],
      partialFingerprints: {
        "authdoctor/v1": fingerprint(id, e.context.principal, e.actions.join(","), e.resource),
      },
      properties: {
        eventTime: e.time,
        eventName: e.eventName,
        eventSource: e.eventSource,
        ...(e.context.region ? { region: e.context.region } : {}),
      },
    };
  });
  return log(
    results.map((x) => x.ruleId as CauseId),
    results,
    opts.version,
  );
}
