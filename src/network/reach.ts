// Reachability from the failing interface to the service endpoint, hop by hop, from EC2 describe outputs.
// The hops follow how a packet leaves a VPC (https://docs.aws.amazon.com/vpc/latest/userguide/how-it-works.html):
// name resolution, the interface's security groups (stateful), the subnet's network ACL (stateless, both ways),
// the subnet's route table, and at a VPC endpoint its security group, its subnet's ACL and its policy
// (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html).

import type { Hop, ReachFix, ReachPath, ReachResult, ReachTarget } from "../core/network.js";
import { covers, prefixOf } from "./cidr.js";
import { isEndpointDnsName, privateDnsCovers, regionalHost, servesService, sh } from "./endpoint.js";
import { evaluateAcl, type Peer, ruleAllows, sgRuleText } from "./nacl.js";
import type {
  NetworkAcl,
  NetworkEvidence,
  NetworkInterface,
  Route,
  RouteTable,
  SecurityGroup,
  VpcEndpoint,
} from "./types.js";

/** Which interface failed: from case.json, or the only one in the evidence. */
export interface ReachSource {
  instance?: string;
  eni?: string;
}

/** The IAM engine's answer for a VPC endpoint policy (injected by the caller: this folder imports no engine). */
export interface EndpointPolicyCheck {
  decision: "allowed" | "denied" | "unknown";
  detail: string;
}

export interface ReachOptions {
  evaluateEndpointPolicy?: (endpoint: VpcEndpoint) => EndpointPolicyCheck;
}

const NOT_MODELLED = [
  "firewall appliances on the path (AWS Network Firewall, Gateway Load Balancer or third-party appliances)",
  "DNS resolvers beyond the VPC's own settings (Route 53 Resolver rules, custom DNS servers, /etc/hosts)",
  "networks past a transit gateway, peering connection, VPN or Direct Connect (on-premises included)",
  "host firewalls (iptables, Windows Firewall) and the container network of the failing machine",
];

const EPHEMERAL: [number, number] = [1024, 65535];
const HTTPS = 443;

// ---- step 1: which interface failed -------------------------------------------------------------------------

function chooseSource(
  ev: NetworkEvidence,
  given: ReachSource,
): { iface: NetworkInterface; chosen: string } | { problem: string } {
  const fromInstance = (id: string): NetworkInterface | undefined => {
    const inst = ev.instances.find((i) => i.id === id);
    if (!inst) return undefined;
    const enis = ev.interfaces.filter((n) => n.instanceId === id);
    const primary = enis.find((n) => n.deviceIndex === 0) ?? enis[0];
    if (primary) return primary;
    return {
      id: `${id} (primary interface)`,
      ...(inst.subnetId ? { subnetId: inst.subnetId } : {}),
      ...(inst.vpcId ? { vpcId: inst.vpcId } : {}),
      groupIds: inst.groupIds,
      ...(inst.privateIp ? { privateIp: inst.privateIp } : {}),
      ...(inst.publicIp ? { publicIp: inst.publicIp } : {}),
      ipv6Addresses: [],
      instanceId: id,
    };
  };
  if (given.eni) {
    const n = ev.interfaces.find((i) => i.id === given.eni);
    return n
      ? { iface: n, chosen: `the named interface ${given.eni}` }
      : { problem: `the network evidence has no interface ${given.eni}` };
  }
  if (given.instance) {
    const n = fromInstance(given.instance);
    return n
      ? { iface: n, chosen: `the named instance ${given.instance}` }
      : { problem: `the network evidence has no instance ${given.instance} (add describe-instances output)` };
  }
  if (ev.instances.length === 1) {
    const n = fromInstance(ev.instances[0]!.id)!;
    return { iface: n, chosen: `the only instance in the evidence (${ev.instances[0]!.id})` };
  }
  if (ev.instances.length > 1)
    return {
      problem: `the evidence holds ${ev.instances.length} instances: name the failing one in case.json ("instance")`,
    };
  const own = ev.interfaces.filter((n) => n.interfaceType === undefined || n.interfaceType === "interface");
  if (own.length === 1)
    return { iface: own[0]!, chosen: `the only network interface in the evidence (${own[0]!.id})` };
  return {
    problem:
      own.length > 1
        ? `the evidence holds ${own.length} network interfaces: name the failing one in case.json ("eni")`
        : "no instance or network interface of the failing machine in the evidence (describe-instances output)",
  };
}

// ---- helpers ----------------------------------------------------------------------------------------------

function routeTableOf(
  ev: NetworkEvidence,
  subnetId: string | undefined,
  vpcId: string | undefined,
): RouteTable | undefined {
  if (subnetId) {
    const explicit = ev.routeTables.find((t) => t.subnetIds.includes(subnetId));
    if (explicit) return explicit;
  }
  return ev.routeTables.find((t) => t.main && (!vpcId || !t.vpcId || t.vpcId === vpcId));
}

function aclOf(
  ev: NetworkEvidence,
  subnetId: string | undefined,
  vpcId: string | undefined,
): NetworkAcl | undefined {
  if (subnetId) {
    const explicit = ev.nacls.find((a) => a.subnetIds.includes(subnetId));
    if (explicit) return explicit;
  }
  // A subnet with no explicit association uses the VPC's default ACL; describe output lists the association on it.
  return subnetId ? undefined : ev.nacls.find((a) => a.isDefault && (!vpcId || a.vpcId === vpcId));
}

function vpcCidrs(ev: NetworkEvidence, vpcId: string | undefined, table: RouteTable | undefined): string[] {
  const fromVpc = ev.vpcs.find((v) => v.id === vpcId)?.cidrs ?? [];
  const local =
    table?.routes
      .filter((r) => r.target === "local" && r.destinationKind === "cidr")
      .map((r) => r.destination) ?? [];
  return [...new Set([...fromVpc, ...local])];
}

function routeText(r: Route): string {
  return `${r.destination} -> ${r.target}${r.state !== "active" ? ` (${r.state})` : ""}`;
}

/** A rule number below `below` that the ACL does not use yet (for a fix entry that must come first). */
function freeRuleNumber(acl: NetworkAcl, egress: boolean, below: number): number {
  const used = new Set(acl.entries.filter((e) => e.egress === egress).map((e) => e.ruleNumber));
  const start = Math.min(below - 1, 32766);
  for (const step of [100, 10, 1])
    for (let n = Math.floor(start / step) * step; n >= 1; n -= step) if (!used.has(n) && n < below) return n;
  return 1;
}

interface Ctx {
  ev: NetworkEvidence;
  target: ReachTarget;
  iface: NetworkInterface;
  hops: Hop[];
  fixes: Map<Hop, ReachFix>;
  regionFlag: string;
}

function addHop(c: Ctx, hop: Hop, fix?: ReachFix): Hop {
  c.hops.push(hop);
  if (fix) c.fixes.set(hop, fix);
  return hop;
}

function groupsOf(ev: NetworkEvidence, ids: string[]): { found: SecurityGroup[]; missing: string[] } {
  const found = ids.flatMap((id) => ev.securityGroups.find((g) => g.id === id) ?? []);
  return { found, missing: ids.filter((id) => !found.some((g) => g.id === id)) };
}

// ---- hop checks -------------------------------------------------------------------------------------------

function checkEgress(
  c: Ctx,
  peer: Peer,
  peerText: string,
  peerGroups: string[],
  prefixLists: string[],
  fixPeer: string,
): void {
  const { found, missing } = groupsOf(c.ev, c.iface.groupIds);
  if (c.iface.groupIds.length === 0 || found.length === 0) {
    addHop(c, {
      kind: "security-group-egress",
      status: "unknown",
      text: `security groups of ${c.iface.id} not in the evidence`,
      needs: `aws ec2 describe-security-groups --group-ids ${c.iface.groupIds.join(" ") || "<sg-id>"}${c.regionFlag} --output json`,
    });
    return;
  }
  let maybe: string | undefined;
  for (const g of found)
    for (const r of g.egress) {
      const m = ruleAllows(r, HTTPS, peer, peerGroups, prefixLists);
      if (m === "yes") {
        addHop(c, {
          kind: "security-group-egress",
          status: "pass",
          subject: g.id,
          text: `${g.id} allows TCP 443 out to ${peerText}`,
          evidence: `${g.id}${g.name ? ` (${g.name})` : ""} egress rule ${r.index + 1}: ${sgRuleText(r)}`,
        });
        return;
      }
      if (m === "maybe") maybe ??= `${g.id} egress rule ${r.index + 1}: ${sgRuleText(r)}`;
    }
  if (maybe || missing.length) {
    addHop(c, {
      kind: "security-group-egress",
      status: "unknown",
      subject: found[0]!.id,
      text: maybe
        ? `only a narrower rule may allow TCP 443 to ${peerText}`
        : `no rule of ${found.map((g) => g.id).join(", ")} allows TCP 443 to ${peerText}; ${missing.join(", ")} not in the evidence`,
      ...(maybe ? { evidence: maybe } : {}),
      needs: maybe
        ? "the addresses the endpoint resolves to on the failing machine (dig +short <host>)"
        : `aws ec2 describe-security-groups --group-ids ${missing.join(" ")}${c.regionFlag} --output json`,
    });
    return;
  }
  const g = found[0]!;
  const rules = found.flatMap((x) => x.egress.map((r) => `${x.id} rule ${r.index + 1}: ${sgRuleText(r)}`));
  addHop(
    c,
    {
      kind: "security-group-egress",
      status: "block",
      subject: g.id,
      text: `no egress rule of ${found.map((x) => x.id).join(", ")} allows TCP 443 to ${peerText}`,
      evidence: rules.length
        ? `egress rules: ${rules.join("; ")}`
        : `${found.map((x) => x.id).join(", ")} ha${found.length > 1 ? "ve" : "s"} no egress rules`,
    },
    {
      summary: `allow TCP 443 out of ${g.id} to ${peerText}`,
      commands: [
        `aws ec2 authorize-security-group-egress --group-id ${g.id} --ip-permissions ${sh(`IpProtocol=tcp,FromPort=443,ToPort=443,${fixPeer}`)}${c.regionFlag}`,
      ],
    },
  );
}

function checkAcl(
  c: Ctx,
  kind: "nacl-outbound" | "nacl-inbound-return" | "endpoint-nacl",
  acl: NetworkAcl | undefined,
  subnetId: string | undefined,
  egress: boolean,
  ports: [number, number],
  peer: Peer,
  peerText: string,
  fixCidr: string,
): void {
  if (!acl) {
    addHop(c, {
      kind,
      status: "unknown",
      text: `network ACL of ${subnetId ?? "the subnet"} not in the evidence`,
      needs: `aws ec2 describe-network-acls --filters Name=association.subnet-id,Values=${subnetId ?? "<subnet-id>"}${c.regionFlag} --output json`,
    });
    return;
  }
  const o = evaluateAcl(acl, egress, ports[0], ports[1], peer);
  const dir = egress ? "outbound" : "inbound";
  const what = ports[0] === ports[1] ? `TCP ${ports[0]}` : `TCP ${ports[0]}-${ports[1]} (return traffic)`;
  const hop: Hop = {
    kind,
    status: o.status,
    subject: acl.id,
    text: `${acl.id} (${subnetId ?? "subnet"}) ${dir} ${o.status === "pass" ? "allows" : o.status === "block" ? "denies" : "may deny"} ${what} ${egress ? "to" : "from"} ${peerText}`,
    evidence: o.text,
    ...(o.status === "unknown"
      ? { needs: "the addresses the endpoint resolves to on the failing machine" }
      : {}),
  };
  let fix: ReachFix | undefined;
  if (o.status === "block") {
    const n = freeRuleNumber(acl, egress, o.entry?.ruleNumber ?? 32767);
    fix = {
      summary: `add ${dir} ${acl.id} entry ${n} allowing ${what} ${egress ? "to" : "from"} ${fixCidr}${o.entry && o.entry.ruleNumber < 32767 ? ` before rule ${o.entry.ruleNumber}` : ""}`,
      commands: [
        `aws ec2 create-network-acl-entry --network-acl-id ${acl.id} ${egress ? "--egress" : "--ingress"} --rule-number ${n} --protocol tcp --port-range From=${ports[0]},To=${ports[1]} --cidr-block ${fixCidr} --rule-action allow${c.regionFlag}`,
      ],
    };
  }
  addHop(c, hop, fix);
}

function createEndpointFix(c: Ctx, table: RouteTable | undefined): ReachFix | undefined {
  const { service, region } = c.target;
  const vpcId = c.iface.vpcId ?? table?.vpcId;
  if (!service || !region || !vpcId) return undefined;
  const name = `com.amazonaws.${region}.${service}`;
  if ((service === "s3" || service === "dynamodb") && table) {
    return {
      summary: `add a gateway VPC endpoint for ${service} to ${table.id} (or route 0.0.0.0/0 to a NAT gateway)`,
      commands: [
        `aws ec2 create-vpc-endpoint --vpc-id ${vpcId} --vpc-endpoint-type Gateway --service-name ${name} --route-table-ids ${table.id}${c.regionFlag}`,
      ],
    };
  }
  if (!c.iface.subnetId) return undefined;
  // The endpoint's group must let the caller in on 443: reuse a group of the VPC that already does.
  const src: Peer = { kind: "blocks", cidrs: c.iface.privateIp ? [`${c.iface.privateIp}/32`] : [] };
  const group = c.ev.securityGroups.find(
    (g) =>
      (!g.vpcId || g.vpcId === vpcId) &&
      g.ingress.some((r) => ruleAllows(r, HTTPS, src, c.iface.groupIds, []) === "yes"),
  );
  return {
    summary: `add an interface VPC endpoint for ${service} with private DNS${group ? ` (group ${group.id} lets ${c.iface.id} in on 443)` : "; its security group must allow TCP 443 in from the caller"} (or route 0.0.0.0/0 to a NAT gateway)`,
    commands: [
      `aws ec2 create-vpc-endpoint --vpc-id ${vpcId} --vpc-endpoint-type Interface --service-name ${name} --subnet-ids ${c.iface.subnetId}${group ? ` --security-group-ids ${group.id}` : ""} --private-dns-enabled${c.regionFlag}`,
    ],
  };
}

/** The route a public address takes: the longest prefix among default and public routes. */
function publicRoute(table: RouteTable): { route?: Route; others: Route[] } {
  const cands = table.routes.filter(
    (r) => r.destinationKind === "cidr" && !r.destination.includes(":") && r.target !== "local",
  );
  const def = cands.filter((r) => r.destination === "0.0.0.0/0");
  const others = cands.filter(
    (r) =>
      r.destination !== "0.0.0.0/0" &&
      !["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].some((p) =>
        covers(p, r.destination),
      ),
  );
  return {
    ...(def[0] ? { route: def[0] } : {}),
    others: others.sort((a, b) => prefixOf(b.destination) - prefixOf(a.destination)),
  };
}

function pathOf(target: string): ReachPath {
  if (target.startsWith("igw-")) return "internet-gateway";
  if (target.startsWith("nat-")) return "nat-gateway";
  if (target.startsWith("tgw-")) return "transit-gateway";
  if (target.startsWith("pcx-")) return "peering";
  if (target.startsWith("vgw-")) return "virtual-private-gateway";
  return "other";
}

function checkPublicRoute(c: Ctx, table: RouteTable | undefined): ReachPath {
  if (!table) {
    addHop(c, {
      kind: "route",
      status: "unknown",
      text: `route table of ${c.iface.subnetId ?? "the subnet"} not in the evidence`,
      needs: `aws ec2 describe-route-tables --filters Name=association.subnet-id,Values=${c.iface.subnetId ?? "<subnet-id>"}${c.regionFlag} --output json (and the VPC's main table)`,
    });
    return "other";
  }
  const { route, others } = publicRoute(table);
  const routes = table.routes.map(routeText).join("; ");
  if (!route) {
    addHop(
      c,
      {
        kind: "route",
        status: "block",
        subject: table.id,
        text: `${table.id} has no route to ${c.target.host}'s public addresses (no 0.0.0.0/0 route)`,
        evidence: `routes: ${routes || "none"}${others.length ? ` (narrower routes ${others.map(routeText).join(", ")} may cover some AWS ranges; not modelled)` : ""}`,
      },
      createEndpointFix(c, table),
    );
    return "none";
  }
  const path = pathOf(route.target);
  if (route.state === "blackhole") {
    addHop(
      c,
      {
        kind: "route",
        status: "block",
        subject: table.id,
        text: `${table.id} sends public traffic to ${route.target}, which no longer exists (blackhole)`,
        evidence: `route ${routeText(route)}`,
      },
      createEndpointFix(c, table),
    );
    return path;
  }
  if (path === "internet-gateway" && !c.iface.publicIp) {
    addHop(
      c,
      {
        kind: "route",
        status: "block",
        subject: table.id,
        text: `${table.id} routes to the internet gateway ${route.target}, but ${c.iface.id} has no public IPv4 address: the gateway cannot translate its traffic`,
        evidence: `route ${routeText(route)}; ${c.iface.id} has only the private address ${c.iface.privateIp ?? "(unknown)"}`,
      },
      createEndpointFix(c, table),
    );
    return path;
  }
  const beyond =
    path === "nat-gateway"
      ? "; the NAT gateway's own subnet route to an internet gateway is not checked"
      : path === "internet-gateway"
        ? ""
        : `; past ${route.target} the path is not modelled`;
  addHop(c, {
    kind: "route",
    status: path === "internet-gateway" || path === "nat-gateway" ? "pass" : "unknown",
    subject: table.id,
    text: `${table.id} sends ${c.target.host} to ${route.target}${beyond}`,
    evidence: `route ${routeText(route)}`,
    ...(path === "internet-gateway" || path === "nat-gateway"
      ? {}
      : { needs: `the route tables and firewalls behind ${route.target}` }),
  });
  return path;
}

function checkEndpointPolicy(c: Ctx, ep: VpcEndpoint, opts: ReachOptions): void {
  if (!ep.policyDocument) {
    addHop(c, {
      kind: "endpoint-policy",
      status: "unknown",
      subject: ep.id,
      text: `the policy of ${ep.id} is not in the evidence`,
      needs: `aws ec2 describe-vpc-endpoints --vpc-endpoint-ids ${ep.id}${c.regionFlag} --output json`,
    });
    return;
  }
  const r = opts.evaluateEndpointPolicy?.(ep) ?? {
    decision: "unknown" as const,
    detail: "the principal and action are needed to evaluate the policy",
  };
  addHop(
    c,
    {
      kind: "endpoint-policy",
      status: r.decision === "allowed" ? "pass" : r.decision === "denied" ? "block" : "unknown",
      subject: ep.id,
      text: `the policy of ${ep.id} ${r.decision === "allowed" ? "allows" : r.decision === "denied" ? "does not allow" : "may not allow"} the call`,
      evidence: r.detail,
    },
    r.decision === "denied"
      ? {
          summary: `allow the call in the policy of ${ep.id}`,
          commands: [
            `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${ep.id} --policy-document file://endpoint-policy.json${c.regionFlag}`,
          ],
        }
      : undefined,
  );
}

// ---- the check --------------------------------------------------------------------------------------------

/**
 * Check the path from the failing interface to the target host over HTTPS. Never throws: missing evidence
 * makes a hop `unknown` with what would decide it.
 */
export function checkReachability(
  ev: NetworkEvidence,
  target: ReachTarget,
  given: ReachSource = {},
  opts: ReachOptions = {},
): ReachResult {
  const notModelled = [...NOT_MODELLED];
  const picked = chooseSource(ev, given);
  if ("problem" in picked) {
    return {
      verdict: "undecided",
      target,
      path: "other",
      hops: [{ kind: "source", status: "unknown", text: picked.problem }],
      notModelled,
    };
  }
  const iface = picked.iface;
  const c: Ctx = {
    ev,
    target,
    iface,
    hops: [],
    fixes: new Map(),
    regionFlag: target.region ? ` --region ${target.region}` : "",
  };
  addHop(c, {
    kind: "source",
    status: "pass",
    subject: iface.id,
    text: `from ${iface.id}${iface.privateIp ? ` (${iface.privateIp})` : ""} in ${iface.subnetId ?? "an unknown subnet"}, ${iface.vpcId ?? "an unknown VPC"}; groups ${iface.groupIds.join(", ") || "none known"}`,
    evidence: picked.chosen,
  });
  const table = routeTableOf(ev, iface.subnetId, iface.vpcId);
  const acl = aclOf(ev, iface.subnetId, iface.vpcId);
  const inVpc = (e: VpcEndpoint) =>
    (!iface.vpcId || !e.vpcId || e.vpcId === iface.vpcId) &&
    !["deleted", "deleting", "rejected", "failed", "expired"].includes(
      (e.state ?? "available").toLowerCase(),
    );
  const host = target.host.toLowerCase();
  const endpoints = ev.endpoints.filter(inVpc);
  const byDnsName = endpoints.find((e) => isEndpointDnsName(e, host));
  const serving = endpoints.filter((e) => servesService(e, target.service, target.region));
  const iep =
    byDnsName ??
    serving.find((e) => e.type === "Interface" && e.privateDnsEnabled && privateDnsCovers(e, host));
  const gwRoute = table?.routes.find(
    (r) =>
      r.destinationKind === "prefix-list" && serving.some((e) => e.type === "Gateway" && e.id === r.target),
  );
  const gep = gwRoute ? serving.find((e) => e.id === gwRoute.target) : undefined;
  const dnsOff = serving.find(
    (e) => e.type === "Interface" && !e.privateDnsEnabled && privateDnsCovers(e, host),
  );
  let path: ReachPath = "other";
  let endpointId: string | undefined;

  if (iep && !gep) {
    // ---- interface endpoint: ENIs inside the VPC -------------------------------------------------------------
    path = "interface-endpoint";
    endpointId = iep.id;
    const enis = ev.interfaces.filter((n) => iep.networkInterfaceIds.includes(n.id));
    const subnetCidrs = ev.subnets.filter((s) => iep.subnetIds.includes(s.id) && s.cidr).map((s) => s.cidr!);
    const cidrs = enis.length ? enis.flatMap((n) => (n.privateIp ? [`${n.privateIp}/32`] : [])) : subnetCidrs;
    const vpcBlocks = vpcCidrs(ev, iface.vpcId, table);
    const peer: Peer = { kind: "blocks", cidrs: cidrs.length ? cidrs : vpcBlocks };
    const peerText = `${iep.id}${cidrs.length ? ` (${cidrs.join(", ")})` : vpcBlocks.length ? ` (in ${vpcBlocks.join(", ")})` : ""}`;
    addHop(c, {
      kind: "dns",
      status: "pass",
      subject: iep.id,
      text: byDnsName
        ? `${target.host} is a DNS name of ${iep.id}`
        : `private DNS of ${iep.id} resolves ${target.host} to the endpoint inside the VPC`,
      evidence: `${iep.id} ${iep.serviceName}, PrivateDnsEnabled ${iep.privateDnsEnabled}`,
    });
    const fixPeer = iep.groupIds[0]
      ? `UserIdGroupPairs=[{GroupId=${iep.groupIds[0]}}]`
      : `IpRanges=[{CidrIp=${peer.kind === "blocks" && peer.cidrs[0] ? peer.cidrs[0] : "<vpc-cidr>"}}]`;
    checkEgress(c, peer, peerText, iep.groupIds, [], fixPeer);
    const sameSubnet = iface.subnetId !== undefined && enis.some((n) => n.subnetId === iface.subnetId);
    const srcBlock = iface.privateIp ? `${iface.privateIp}/32` : undefined;
    const fixCidr = vpcBlocks[0] ?? (peer.kind === "blocks" ? peer.cidrs[0] : undefined) ?? "<vpc-cidr>";
    if (sameSubnet) {
      addHop(c, {
        kind: "nacl-outbound",
        status: "pass",
        text: `the endpoint has an interface in ${iface.subnetId}: no network ACL is crossed`,
      });
    } else {
      checkAcl(c, "nacl-outbound", acl, iface.subnetId, true, [HTTPS, HTTPS], peer, peerText, fixCidr);
    }
    const local = table?.routes.find(
      (r) =>
        r.target === "local" && peer.kind === "blocks" && peer.cidrs.every((x) => covers(r.destination, x)),
    );
    addHop(c, {
      kind: "route",
      status: table ? "pass" : "unknown",
      ...(table ? { subject: table.id } : {}),
      text: `traffic to ${iep.id} stays in the VPC (local route)`,
      ...(local ? { evidence: `route ${routeText(local)}` } : {}),
    });
    // The endpoint's security groups must let the caller in on 443.
    const epGroups = groupsOf(ev, iep.groupIds);
    const srcPeer: Peer = { kind: "blocks", cidrs: srcBlock ? [srcBlock] : [] };
    if (epGroups.found.length === 0) {
      addHop(c, {
        kind: "endpoint-security-group",
        status: "unknown",
        subject: iep.id,
        text: `security groups of ${iep.id} (${iep.groupIds.join(", ") || "none listed"}) not in the evidence`,
        needs: `aws ec2 describe-security-groups --group-ids ${iep.groupIds.join(" ") || "<sg-id>"}${c.regionFlag} --output json`,
      });
    } else {
      let verdict: "yes" | "no" | "maybe" = "no";
      let by = "";
      for (const g of epGroups.found)
        for (const r of g.ingress) {
          const m = ruleAllows(r, HTTPS, srcPeer, iface.groupIds, []);
          if (m === "yes" || (m === "maybe" && verdict === "no")) {
            verdict = m;
            by = `${g.id} ingress rule ${r.index + 1}: ${sgRuleText(r)}`;
          }
          if (verdict === "yes") break;
        }
      const eg = epGroups.found[0]!;
      addHop(
        c,
        {
          kind: "endpoint-security-group",
          status: verdict === "yes" ? "pass" : verdict === "no" ? "block" : "unknown",
          subject: eg.id,
          text:
            verdict === "yes"
              ? `${eg.id} of ${iep.id} lets ${iface.id} in on TCP 443`
              : verdict === "no"
                ? `no ingress rule of ${epGroups.found.map((g) => g.id).join(", ")} (on ${iep.id}) lets ${iface.id} in on TCP 443`
                : `only a narrower ingress rule of ${eg.id} may let ${iface.id} in`,
          evidence:
            by ||
            `ingress rules: ${epGroups.found.flatMap((g) => g.ingress.map((r) => `${g.id} rule ${r.index + 1}: ${sgRuleText(r)}`)).join("; ") || "none"}`,
        },
        verdict === "no"
          ? {
              summary: `let ${iface.groupIds[0] ?? iface.id} in on TCP 443 in ${eg.id}`,
              commands: [
                iface.groupIds[0]
                  ? `aws ec2 authorize-security-group-ingress --group-id ${eg.id} --protocol tcp --port 443 --source-group ${iface.groupIds[0]}${c.regionFlag}`
                  : `aws ec2 authorize-security-group-ingress --group-id ${eg.id} --protocol tcp --port 443 --cidr ${srcBlock ?? fixCidr}${c.regionFlag}`,
              ],
            }
          : undefined,
      );
    }
    if (!sameSubnet) {
      const epSubnet = enis[0]?.subnetId ?? iep.subnetIds[0];
      const epAcl = aclOf(ev, epSubnet, iface.vpcId);
      const src: Peer = { kind: "blocks", cidrs: srcBlock ? [srcBlock] : vpcBlocks };
      const srcText = `${iface.id}${iface.privateIp ? ` (${iface.privateIp})` : ""}`;
      checkAcl(c, "endpoint-nacl", epAcl, epSubnet, false, [HTTPS, HTTPS], src, srcText, fixCidr);
      if (c.hops[c.hops.length - 1]?.status !== "block")
        checkAcl(c, "endpoint-nacl", epAcl, epSubnet, true, EPHEMERAL, src, srcText, fixCidr);
      checkAcl(c, "nacl-inbound-return", acl, iface.subnetId, false, EPHEMERAL, peer, peerText, fixCidr);
    }
    checkEndpointPolicy(c, iep, opts);
  } else if (gep && gwRoute) {
    // ---- gateway endpoint (S3, DynamoDB): a prefix-list route in the subnet's table -------------------------
    path = "gateway-endpoint";
    endpointId = gep.id;
    const pl = ev.prefixLists.find((p) => p.id === gwRoute.destination);
    const peer: Peer = pl?.cidrs.length ? { kind: "blocks", cidrs: pl.cidrs } : { kind: "public" };
    const peerText = `${gwRoute.destination}${pl?.name ? ` (${pl.name})` : ""}`;
    addHop(c, {
      kind: "dns",
      status: "pass",
      subject: gep.id,
      text: `${target.host} resolves to public ${target.service} addresses, which the gateway endpoint ${gep.id} carries`,
      evidence: `${gep.id} ${gep.serviceName} (Gateway), route tables ${gep.routeTableIds.join(", ") || "none"}`,
    });
    checkEgress(
      c,
      peer,
      peerText,
      [],
      [gwRoute.destination],
      `PrefixListIds=[{PrefixListId=${gwRoute.destination}}]`,
    );
    const fixCidr = "0.0.0.0/0";
    checkAcl(c, "nacl-outbound", acl, iface.subnetId, true, [HTTPS, HTTPS], peer, peerText, fixCidr);
    addHop(c, {
      kind: "route",
      status: "pass",
      subject: table!.id,
      text: `${table!.id} sends ${peerText} to ${gep.id}`,
      evidence: `route ${routeText(gwRoute)}`,
    });
    checkAcl(c, "nacl-inbound-return", acl, iface.subnetId, false, EPHEMERAL, peer, peerText, fixCidr);
    checkEndpointPolicy(c, gep, opts);
  } else {
    // ---- public endpoint: out through the route table ------------------------------------------------------
    const peer: Peer = { kind: "public" };
    const peerText = `${target.host} (public AWS addresses)`;
    const dnsHop = dnsOff
      ? addHop(c, {
          kind: "dns",
          status: "pass",
          subject: dnsOff.id,
          text: `the interface endpoint ${dnsOff.id} for ${dnsOff.serviceName} has private DNS off: ${target.host} resolves to public addresses and the call does not use the endpoint`,
          evidence: `${dnsOff.id} PrivateDnsEnabled false; its own names: ${dnsOff.dnsNames.slice(0, 2).join(", ") || "none listed"}`,
        })
      : undefined;
    if (!dnsOff && serving.some((e) => e.type === "Gateway"))
      notModelled.push(
        `a gateway endpoint for ${target.service} exists but ${table?.id ?? "the subnet's route table"} has no route to it`,
      );
    checkEgress(c, peer, peerText, [], [], "IpRanges=[{CidrIp=0.0.0.0/0}]");
    checkAcl(c, "nacl-outbound", acl, iface.subnetId, true, [HTTPS, HTTPS], peer, peerText, "0.0.0.0/0");
    path = checkPublicRoute(c, table);
    checkAcl(c, "nacl-inbound-return", acl, iface.subnetId, false, EPHEMERAL, peer, peerText, "0.0.0.0/0");
    notModelled.push("whether AWS's public address ranges fall inside CIDR rules narrower than 0.0.0.0/0");
    if (dnsHop && c.hops.some((h) => h.status === "block")) {
      // The endpoint was built to carry this call: with private DNS on, none of the public path matters.
      const later = c.hops.find((h) => h.status === "block")!;
      dnsHop.status = "block";
      dnsHop.text = `${dnsOff!.id} has private DNS off, so ${target.host} resolves to public addresses, and the public path is blocked (${later.text})`;
      c.fixes.set(dnsHop, {
        summary: `turn on private DNS for ${dnsOff!.id} (the VPC needs enableDnsSupport and enableDnsHostnames), or call the endpoint's own name`,
        commands: [
          `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${dnsOff!.id} --private-dns-enabled${c.regionFlag}`,
          ...(dnsOff!.dnsNames[0] && target.service
            ? [
                `export AWS_ENDPOINT_URL_${target.service.toUpperCase().replace(/[^A-Z0-9]/g, "_")}=https://${dnsOff!.dnsNames[0]}`,
              ]
            : []),
        ],
      });
    }
  }
  const blocked = c.hops.find((h) => h.status === "block");
  const fix = blocked ? c.fixes.get(blocked) : undefined;
  return {
    verdict: blocked ? "blocked" : c.hops.some((h) => h.status === "unknown") ? "undecided" : "reachable",
    target,
    source: {
      interfaceId: iface.id,
      ...(iface.instanceId ? { instanceId: iface.instanceId } : {}),
      ...(iface.subnetId ? { subnetId: iface.subnetId } : {}),
      ...(iface.vpcId ? { vpcId: iface.vpcId } : {}),
      groupIds: iface.groupIds,
      ...(iface.privateIp ? { privateIp: iface.privateIp } : {}),
      chosen: picked.chosen,
    },
    path,
    ...(endpointId ? { endpointId } : {}),
    hops: c.hops,
    ...(blocked ? { blocked } : {}),
    ...(fix ? { fix } : {}),
    notModelled,
  };
}

/** The target for a service and region when the error text names no host. */
export function defaultTarget(
  service: string,
  region: string,
  variant: { fips?: boolean; dualstack?: boolean } = {},
): ReachTarget {
  return { host: regionalHost(service, region, variant), service, region, origin: "region + service" };
}
