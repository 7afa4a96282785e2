// Network ACL and security group decisions for one flow (protocol TCP, a port range, a peer).
// NACLs are stateless and ordered: the lowest-numbered matching entry decides, `*` denies the rest
// (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html). Security groups are stateful and allow-only:
// any rule of any group allows (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html).

import { covers, overlaps } from "./cidr.js";
import type { NaclEntry, NetworkAcl, SgRule } from "./types.js";

/** The other end of a flow: known blocks, or "some public AWS address" (unknown which). */
export type Peer = { kind: "blocks"; cidrs: string[] } | { kind: "public" };

/** Private and shared ranges: a public AWS address is never inside them (RFC 1918, RFC 6598). */
const NON_PUBLIC = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"];

/** Does a rule's block hold the peer: yes, no, or maybe (partly / unknown). */
export function blockMatches(block: string, peer: Peer): "yes" | "no" | "maybe" {
  if (peer.kind === "public") {
    if (block === "0.0.0.0/0") return "yes";
    if (NON_PUBLIC.some((p) => covers(p, block))) return "no";
    return "maybe";
  }
  if (peer.cidrs.length === 0) return "maybe";
  if (peer.cidrs.every((c) => covers(block, c))) return "yes";
  if (peer.cidrs.some((c) => overlaps(block, c))) return "maybe";
  return "no";
}

function tcp(protocol: string): boolean {
  return protocol === "-1" || protocol === "6" || protocol === "tcp" || protocol === "all";
}

/** Outcome of an ACL for one flow. */
export interface AclOutcome {
  status: "pass" | "block" | "unknown";
  /** The entry that decided (undefined: the implicit `*` deny when the output lists none). */
  entry?: NaclEntry;
  /** For a port range: the sub-ranges allowed. */
  allowed?: [number, number][];
  text: string;
}

function entryText(e: NaclEntry): string {
  const rule = e.ruleNumber >= 32767 ? "*" : String(e.ruleNumber);
  const proto = e.protocol === "-1" ? "all traffic" : e.protocol === "6" ? "TCP" : `protocol ${e.protocol}`;
  const ports =
    e.portFrom === undefined
      ? ""
      : e.portFrom === e.portTo
        ? ` port ${e.portFrom}`
        : ` ports ${e.portFrom}-${e.portTo}`;
  return `rule ${rule} ${e.action.toUpperCase()} ${proto}${ports} ${e.egress ? "to" : "from"} ${e.cidr ?? e.ipv6Cidr ?? "?"}`;
}

export { entryText as naclEntryText };

function decidePort(
  entries: NaclEntry[],
  port: number,
  peer: Peer,
): { action?: "allow" | "deny"; entry?: NaclEntry; maybe?: NaclEntry } {
  let maybe: NaclEntry | undefined;
  for (const e of entries) {
    if (!tcp(e.protocol)) continue;
    if (e.portFrom !== undefined && e.portTo !== undefined && (port < e.portFrom || port > e.portTo))
      continue;
    const block = e.cidr ?? e.ipv6Cidr;
    if (!block) continue;
    const m = blockMatches(block, peer);
    if (m === "no") continue;
    if (m === "maybe") {
      maybe ??= e;
      continue;
    }
    // An earlier entry that may match with another action makes the answer unknown.
    if (maybe && maybe.action !== e.action) return { maybe };
    return { action: e.action, entry: e };
  }
  return maybe && maybe.action === "allow" ? { maybe } : { action: "deny" };
}

/** Evaluate one ACL direction for TCP ports [lo, hi] to/from a peer. */
export function evaluateAcl(
  acl: NetworkAcl,
  egress: boolean,
  lo: number,
  hi: number,
  peer: Peer,
): AclOutcome {
  const entries = acl.entries.filter((e) => e.egress === egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
  // Split the range at every entry boundary: within a piece every port has the same answer.
  const cuts = new Set<number>([lo]);
  for (const e of entries)
    if (e.portFrom !== undefined && e.portTo !== undefined) {
      if (e.portFrom > lo && e.portFrom <= hi) cuts.add(e.portFrom);
      if (e.portTo + 1 > lo && e.portTo + 1 <= hi) cuts.add(e.portTo + 1);
    }
  const starts = [...cuts].sort((a, b) => a - b);
  const allowed: [number, number][] = [];
  let firstDeny: { entry?: NaclEntry } | undefined;
  let unknown: NaclEntry | undefined;
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]! - 1 : hi;
    const d = decidePort(entries, start, peer);
    if (d.action === "allow") {
      const last = allowed[allowed.length - 1];
      if (last && last[1] + 1 === start) last[1] = end;
      else allowed.push([start, end]);
    } else if (d.action === "deny") firstDeny ??= d.entry ? { entry: d.entry } : {};
    else unknown ??= d.maybe;
  });
  const range = lo === hi ? `port ${lo}` : `ports ${lo}-${hi}`;
  const dir = egress ? "outbound" : "inbound";
  if (unknown) {
    return {
      status: "unknown",
      entry: unknown,
      text: `${acl.id} ${dir}: ${entryText(unknown)} may or may not apply to the peer's address`,
    };
  }
  if (!firstDeny) {
    const allowEntry = entries.find((e) => e.action === "allow" && tcp(e.protocol));
    return {
      status: "pass",
      ...(allowEntry ? { entry: allowEntry } : {}),
      allowed,
      text: `${acl.id} ${dir} allows TCP ${range}`,
    };
  }
  const deny = firstDeny as { entry?: NaclEntry };
  const by = deny.entry ? entryText(deny.entry) : "the default rule * DENY all";
  const allowedText = allowed.length
    ? ` (allowed: ${allowed.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(", ")})`
    : "";
  return {
    status: "block",
    ...(deny.entry ? { entry: deny.entry } : {}),
    allowed,
    text: `${acl.id} ${dir} denies TCP ${range}: ${by}${allowedText}`,
  };
}

/** Does a security group rule allow TCP `port` to/from a peer or one of `groupIds`? */
export function ruleAllows(
  rule: SgRule,
  port: number,
  peer: Peer,
  groupIds: string[],
  prefixListIds: string[],
): "yes" | "no" | "maybe" {
  const proto = rule.protocol;
  if (!tcp(proto)) return "no";
  if (proto !== "-1" && rule.fromPort !== undefined && rule.toPort !== undefined && rule.fromPort !== -1) {
    if (port < rule.fromPort || port > rule.toPort) return "no";
  }
  if (rule.groupIds.some((g) => groupIds.includes(g))) return "yes";
  if (rule.prefixListIds.some((p) => prefixListIds.includes(p))) return "yes";
  let best: "yes" | "no" | "maybe" = "no";
  for (const c of [...rule.cidrs, ...rule.ipv6Cidrs]) {
    const m = blockMatches(c, peer);
    if (m === "yes") return "yes";
    if (m === "maybe") best = "maybe";
  }
  return best;
}

/** A short text of a rule for evidence lines. */
export function sgRuleText(rule: SgRule): string {
  const proto = rule.protocol === "-1" ? "all traffic" : rule.protocol.toUpperCase();
  const ports =
    rule.protocol === "-1" || rule.fromPort === undefined || rule.fromPort === -1
      ? ""
      : rule.fromPort === rule.toPort
        ? ` port ${rule.fromPort}`
        : ` ports ${rule.fromPort}-${rule.toPort}`;
  const peers = [...rule.cidrs, ...rule.ipv6Cidrs, ...rule.prefixListIds, ...rule.groupIds];
  return `${proto}${ports} ${peers.length ? peers.join(", ") : "(no peer)"}`;
}
