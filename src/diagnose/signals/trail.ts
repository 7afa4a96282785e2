// Evidence from CloudTrail for `diagnose`: turns issuances, access changes and failure patterns near the
// failure into Signals about taxonomy causes. Facts: docs/aws-facts.md §1.13, §3.2, §3.3, §3.5, §5.3, §6.2.

import type { CauseId } from "../../core/cause-ids.js";
import type { Signal } from "../../core/diagnosis.js";
import type { Failure } from "../../core/failure.js";
import { maskKeyId } from "../../core/redact.js";
import { OPT_IN_REGIONS } from "../../core/regions.js";
import {
  type Change,
  changeOf,
  type Issuance,
  isFailure,
  issuanceOf,
  roleNameOf,
  timeOf,
} from "../../trail/classify.js";
import { parseTimeBound } from "../../trail/files.js";
import type { CloudTrailRecord } from "../../trail/types.js";

/** What `trailSignals` can work from: records (preferred) and/or a `changes` result, plus the failure. */
export interface TrailSignalsInput {
  records?: Iterable<CloudTrailRecord>;
  /** Changes found by `changes()` (used when records are not given). */
  changes?: Change[];
  failure?: Failure;
  /** When the failure happened (ISO 8601); without it, the whole trail counts. */
  time?: string;
  /** The failing principal ARN (else the failure's). */
  principal?: string;
  /** The failing access key id, full or masked (else the failure's masked one). */
  keyId?: string;
}

/** How close to the failure an issuance must be to count as "at the failure time". */
const NEAR_MS = 15 * 60_000;
/** How long before the failure a change counts as "just before". */
const BEFORE_MS = 60 * 60_000;

const IDENTITY_CAUSES: CauseId[] = ["IAM_ACTION_NOT_ALLOWED", "IAM_RESOURCE_MISMATCH", "IAM_EXPLICIT_DENY"];

const CHANGE_CAUSES: Partial<Record<Change["category"], CauseId[]>> = {
  "identity-policy": IDENTITY_CAUSES,
  "policy-attachment": IDENTITY_CAUSES,
  "managed-policy-version": IDENTITY_CAUSES,
  "group-membership": IDENTITY_CAUSES,
  "identity-center": IDENTITY_CAUSES,
  "permissions-boundary": ["PERMISSION_BOUNDARY"],
  "trust-policy": ["TRUST_POLICY"],
  scp: ["SCP_DENY"],
  rcp: ["RCP_DENY"],
  "organization-policy": ["SCP_DENY", "RCP_DENY"],
  "key-policy": ["RESOURCE_POLICY"],
  "kms-grant": ["RESOURCE_POLICY"],
  "bucket-policy": ["RESOURCE_POLICY"],
  "public-access-block": ["RESOURCE_POLICY"],
  "resource-policy": ["RESOURCE_POLICY"],
  "vpc-endpoint-policy": ["VPC_ENDPOINT_POLICY"],
  "identity-pool": ["COGNITO_CONFIG"],
  "app-auth": ["APP_AUTH_MODE"],
  mfa: ["MFA_REQUIRED"],
  "federation-provider": ["TRUST_POLICY"],
  region: ["REGION_NOT_ENABLED"],
};

/** Categories that concern the whole account or organisation (no principal to match). */
const ACCOUNT_WIDE = new Set<Change["category"]>([
  "scp",
  "rcp",
  "organization-policy",
  "sts-preference",
  "region",
]);

/** Resource-side changes matter even when they do not name the principal. */
const RESOURCE_SIDE = new Set<Change["category"]>([
  "bucket-policy",
  "key-policy",
  "resource-policy",
  "vpc-endpoint-policy",
  "identity-pool",
  "app-auth",
]);

/** What the trail shows, read once. */
export interface TrailFacts {
  issuances: (Issuance & { t: number; src: string })[];
  changes: (Change & { t: number })[];
  /** Failures of the failing principal/key: region -> count; and successes per region. */
  failRegions: Map<string, number>;
  okRegions: Map<string, number>;
  firstFailure: number;
}

function src(r: CloudTrailRecord): string {
  return `trail: ${r.eventTime ?? "?"} ${r.eventName ?? "?"}${r.eventID ? ` (${r.eventID})` : ""}`;
}

/** What every trail finding reads: who failed, with which key, when, and what the trail shows. */
export interface TrailContext {
  /** The failing role's name (from an assumed-role or role ARN). */
  role?: string;
  /** The failing IAM user's name. */
  user?: string;
  /** The failing key, masked. */
  maskedKey?: string;
  /** When the failure happened (epoch ms): the given time, else the principal's first failure in the trail. */
  at?: number;
  facts: TrailFacts;
}

/** One finding: the signals one pattern in the trail gives (as ESLint lists rules: small, named, tested alone). */
export type TrailFinding = (c: TrailContext) => Signal[];

type Push = (cause: CauseId, effect: Signal["effect"], text: string, source: string) => void;

function collect(run: (push: Push) => void): Signal[] {
  const out: Signal[] = [];
  run((cause, effect, text, source) => out.push({ cause, effect, text, source }));
  return out;
}

/** Read the input once: the failing principal and key, the issuances, changes and failures the trail shows. */
export function trailContext(input: TrailSignalsInput): TrailContext {
  const f = input.failure;
  const principal = input.principal ?? f?.principal?.raw;
  const role = roleNameOf(principal);
  const user = principal ? /:user\/(?:.*\/)?([^/]+)$/.exec(principal)?.[1] : undefined;
  const maskedKey = input.keyId ? maskKeyId(input.keyId) : f?.accessKeyId?.masked;
  const time = input.time ? parseTimeBound(input.time) : undefined;
  const facts: TrailFacts = {
    issuances: [],
    changes: [],
    failRegions: new Map(),
    okRegions: new Map(),
    firstFailure: Number.POSITIVE_INFINITY,
  };
  const mine = (r: CloudTrailRecord): boolean => {
    const u = r.userIdentity;
    if (maskedKey && u?.accessKeyId && maskKeyId(u.accessKeyId) === maskedKey) return true;
    if (principal && (u?.arn === principal || u?.sessionContext?.sessionIssuer?.arn === principal))
      return true;
    return role !== undefined && roleNameOf(u?.arn) === role;
  };
  for (const r of input.records ?? []) {
    const t = timeOf(r);
    const iss = issuanceOf(r);
    if (iss) facts.issuances.push({ ...iss, t, src: src(r) });
    const ch = changeOf(r);
    if (ch) facts.changes.push({ ...ch, t });
    if ((principal || maskedKey) && mine(r) && !iss) {
      const region = r.awsRegion ?? "";
      const m = isFailure(r) ? facts.failRegions : facts.okRegions;
      m.set(region, (m.get(region) ?? 0) + 1);
      if (isFailure(r) && t < facts.firstFailure) facts.firstFailure = t;
    }
  }
  if (!input.records && input.changes) {
    for (const c of input.changes) facts.changes.push({ ...c, t: parseTimeBound(c.time) ?? Number.NaN });
  }
  const at = time ?? (Number.isFinite(facts.firstFailure) ? facts.firstFailure : undefined);
  return {
    ...(role !== undefined ? { role } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(maskedKey !== undefined ? { maskedKey } : {}),
    ...(at !== undefined ? { at } : {}),
    facts,
  };
}

/** The failing role was assumed (or refused) at the failure time (seed 001; docs/aws-facts.md §5.3, §1.14). */
export function roleAssumedAtFailure(c: TrailContext): Signal[] {
  return collect((push) => {
    const { role, at, facts } = c;
    if (role) {
      for (const iss of facts.issuances) {
        if (roleNameOf(iss.roleArn) !== role && roleNameOf(iss.sessionArn) !== role) continue;
        if (at !== undefined && !(Math.abs(iss.t - at) <= NEAR_MS)) continue;
        const cognito =
          /cognito-identity\.amazon(?:aws)?\.com/.test(iss.provider ?? "") ||
          iss.kind === "CognitoGetCredentials";
        if (iss.errorCode) {
          if (/AccessDenied/.test(iss.errorCode)) {
            push(
              "TRUST_POLICY",
              "supports",
              `${iss.kind} of role \`${role}\` was refused (${iss.errorCode}) by ${iss.caller}`,
              iss.src,
            );
          }
          continue;
        }
        const how = cognito
          ? `${iss.kind} by cognito-identity.amazonaws.com`
          : `${iss.kind} by ${iss.caller}`;
        const text = `role \`${role}\` was assumed successfully (${how}) at ${iss.time}: the trust policy let the caller in`;
        push("TRUST_POLICY", "refutes", text, iss.src);
        if (cognito)
          push("COGNITO_CONFIG", "refutes", `${text}; the identity pool handed out this role`, iss.src);
        for (const c of ["IAM_ACTION_NOT_ALLOWED", "IAM_RESOURCE_MISMATCH"] as const) {
          push(
            c,
            "supports",
            `the session of \`${role}\` exists, so the refusal comes from what the role's policies allow`,
            iss.src,
          );
        }
        break;
      }
    }
  });
}

/** The failing key was deactivated or deleted before the failure (docs/aws-facts.md §1.1). */
export function keyChangedBeforeFailure(c: TrailContext): Signal[] {
  return collect((push) => {
    const { maskedKey, at, facts } = c;
    if (maskedKey) {
      const keyChanges = facts.changes
        .filter((c) => c.category === "access-key" && c.succeeded && c.subjects.includes(maskedKey))
        .filter((c) => at === undefined || !(c.t > at))
        .sort((a, b) => a.t - b.t);
      const last = keyChanges[keyChanges.length - 1];
      if (last) {
        const s = `trail: ${last.time} ${last.eventName}`;
        if (last.eventName === "UpdateAccessKey" && /Inactive/i.test(last.detail ?? "")) {
          push(
            "KEY_INACTIVE",
            "confirms",
            `key ${maskedKey} was deactivated at ${last.time} by ${last.actor}`,
            s,
          );
        } else if (last.eventName === "DeleteAccessKey") {
          push(
            "KEY_INACTIVE",
            "confirms",
            `key ${maskedKey} was deleted at ${last.time} by ${last.actor}`,
            s,
          );
          push("KEY_INVALID_ID", "supports", `a deleted key id is unknown to AWS from then on`, s);
        } else if (last.eventName === "UpdateAccessKey" && /Active/i.test(last.detail ?? "")) {
          push("KEY_INACTIVE", "refutes", `key ${maskedKey} was (re)activated at ${last.time}`, s);
        }
      }
    }
  });
}

/** Access changes shortly before the failure (or before the failures began). */
export function accessChangedBeforeFailure(c: TrailContext): Signal[] {
  return collect((push) => {
    const { role, user, at, facts } = c;
    if (at !== undefined) {
      for (const c of facts.changes) {
        if (!c.succeeded || Number.isNaN(c.t) || c.t > at || at - c.t > BEFORE_MS) continue;
        const s = `trail: ${c.time} ${c.eventName}`;
        const minutes = Math.max(0, Math.round((at - c.t) / 60_000));
        if (c.category === "sts-preference") {
          const v1 = /v1Token/i.test(c.detail ?? "");
          push(
            "STS_TOKEN_VERSION_REGION",
            v1 ? "supports" : "weakens",
            `STS global endpoint token version set (${c.detail ?? "?"}) ${minutes} min before`,
            s,
          );
          continue;
        }
        if (
          c.category === "role-settings" &&
          /maxSessionDuration/.test(c.detail ?? "") &&
          role &&
          c.subjects.includes(role)
        ) {
          push(
            "ROLE_SESSION_LIMIT",
            "supports",
            `role \`${role}\` session limit changed (${c.detail}) ${minutes} min before`,
            s,
          );
          continue;
        }
        const causes = CHANGE_CAUSES[c.category];
        if (!causes) continue;
        const aboutMe = (role && c.subjects.includes(role)) || (user && c.subjects.includes(user));
        if (!aboutMe && !ACCOUNT_WIDE.has(c.category) && !RESOURCE_SIDE.has(c.category)) continue;
        const whom = aboutMe ? ` of the failing principal` : "";
        for (const cause of causes) {
          push(
            cause,
            "supports",
            `${c.eventName} (${c.category}${whom}: ${c.target}) ${minutes} min before the failure`,
            s,
          );
        }
      }
    }
  });
}

/** Failures only in opt-in Regions while the same principal works elsewhere (docs/aws-facts.md §3.2, §3.3). */
export function failuresOnlyInOptInRegions(c: TrailContext): Signal[] {
  return collect((push) => {
    const { facts } = c;
    if (facts.failRegions.size > 0) {
      const failIn = [...facts.failRegions.keys()];
      const okElsewhere = [...facts.okRegions.keys()].some((r) => !OPT_IN_REGIONS.has(r) && r !== "");
      if (failIn.every((r) => OPT_IN_REGIONS.has(r)) && okElsewhere) {
        const text = `the principal's failures are all in opt-in Regions (${failIn.join(", ")}) while its calls succeed in others`;
        push("STS_TOKEN_VERSION_REGION", "supports", text, "trail: failures by region");
        push("REGION_NOT_ENABLED", "supports", text, "trail: failures by region");
      }
    }
  });
}

/** The failing session: expired at the failure time, or a role chain capped at one hour (docs/aws-facts.md §3.5). */
export function sessionExpiredAtFailure(c: TrailContext): Signal[] {
  return collect((push) => {
    const { maskedKey, at, facts } = c;
    if (maskedKey && at !== undefined) {
      const iss = facts.issuances.find((i) => i.keyId && maskKeyId(i.keyId) === maskedKey && !i.errorCode);
      if (iss) {
        const expires = iss.expiration
          ? Date.parse(iss.expiration)
          : iss.t + (iss.durationSeconds ?? 3600) * 1000;
        if (!Number.isNaN(expires) && at > expires) {
          push(
            "TOKEN_EXPIRED",
            "supports",
            `the session ${maskedKey} (${iss.kind} at ${iss.time}) had expired by the failure time`,
            iss.src,
          );
          if (iss.kind === "AssumeRole" && iss.callerKeyId?.startsWith("ASIA")) {
            push(
              "ROLE_SESSION_LIMIT",
              "supports",
              `the session came from role chaining, which caps it at one hour`,
              iss.src,
            );
          }
        } else if (!Number.isNaN(expires)) {
          push(
            "TOKEN_EXPIRED",
            "weakens",
            `the session ${maskedKey} (${iss.kind} at ${iss.time}) was still valid at the failure time`,
            iss.src,
          );
        }
      }
    }
  });
}

/** Every trail finding, in the order their signals are listed. */
export const TRAIL_FINDINGS: readonly TrailFinding[] = [
  roleAssumedAtFailure,
  keyChangedBeforeFailure,
  accessChangedBeforeFailure,
  failuresOnlyInOptInRegions,
  sessionExpiredAtFailure,
];

/** Signals about the failure's causes from what the trail shows. Pure; never throws on odd records. */
export function trailSignals(input: TrailSignalsInput): Signal[] {
  const c = trailContext(input);
  return dedupe(TRAIL_FINDINGS.flatMap((finding) => finding(c)));
}

function dedupe(signals: Signal[]): Signal[] {
  const seen = new Set<string>();
  return signals.filter((s) => {
    const k = `${s.cause}|${s.effect}|${s.source}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
