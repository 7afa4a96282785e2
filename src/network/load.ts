// One loader for network evidence: the AWS CLI's JSON output of the EC2 describe commands, recognised by shape.
// Field names follow the EC2 API reference (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/), which the
// AWS CLI prints in PascalCase: DescribeInstances, DescribeNetworkInterfaces, DescribeSecurityGroups,
// DescribeNetworkAcls, DescribeRouteTables, DescribeVpcEndpoints, DescribePrefixLists,
// DescribeManagedPrefixLists, GetManagedPrefixListEntries, DescribeSubnets, DescribeVpcs.

import {
  emptyEvidence,
  type Instance,
  type NaclEntry,
  type NetworkAcl,
  type NetworkDocumentKind,
  type NetworkEvidence,
  type NetworkInterface,
  type PrefixList,
  type Route,
  type RouteTable,
  type SecurityGroup,
  type SgRule,
  type Subnet,
  type Vpc,
  type VpcEndpoint,
} from "./types.js";

type Obj = Record<string, unknown>;

/** At most this many items of one kind are read from one document (bounded memory on hostile input). */
const MAX_ITEMS = 10_000;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v.slice(0, MAX_ITEMS) : [];
}

function objs(v: unknown): Obj[] {
  return arr(v).filter(isObj);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 && v.length < 4096 ? v : undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^-?\d{1,6}$/.test(v)) return Number(v);
  return undefined;
}

function strs(v: unknown): string[] {
  return arr(v).flatMap((x) => (str(x) ? [x as string] : []));
}

function field(items: unknown, key: string): string[] {
  return objs(items).flatMap((o) => (str(o[key]) ? [o[key] as string] : []));
}

function sgRules(v: unknown): SgRule[] {
  return objs(v).map((p, index) => {
    const fromPort = num(p.FromPort);
    const toPort = num(p.ToPort);
    return {
      protocol: String(str(p.IpProtocol) ?? num(p.IpProtocol) ?? "-1").toLowerCase(),
      ...(fromPort !== undefined ? { fromPort } : {}),
      ...(toPort !== undefined ? { toPort } : {}),
      cidrs: field(p.IpRanges, "CidrIp"),
      ipv6Cidrs: field(p.Ipv6Ranges, "CidrIpv6"),
      prefixListIds: field(p.PrefixListIds, "PrefixListId"),
      groupIds: field(p.UserIdGroupPairs, "GroupId"),
      index,
    };
  });
}

function securityGroup(o: Obj): SecurityGroup | undefined {
  const id = str(o.GroupId);
  if (!id) return undefined;
  return {
    id,
    ...(str(o.GroupName) ? { name: o.GroupName as string } : {}),
    ...(str(o.VpcId) ? { vpcId: o.VpcId as string } : {}),
    ingress: sgRules(o.IpPermissions),
    egress: sgRules(o.IpPermissionsEgress),
  };
}

function naclEntry(o: Obj): NaclEntry | undefined {
  const ruleNumber = num(o.RuleNumber);
  const action = str(o.RuleAction)?.toLowerCase();
  if (ruleNumber === undefined || (action !== "allow" && action !== "deny")) return undefined;
  const range = isObj(o.PortRange) ? o.PortRange : undefined;
  const from = num(range?.From);
  const to = num(range?.To);
  return {
    ruleNumber,
    egress: o.Egress === true,
    protocol: String(str(o.Protocol) ?? num(o.Protocol) ?? "-1"),
    action,
    ...(str(o.CidrBlock) ? { cidr: o.CidrBlock as string } : {}),
    ...(str(o.Ipv6CidrBlock) ? { ipv6Cidr: o.Ipv6CidrBlock as string } : {}),
    ...(from !== undefined && to !== undefined ? { portFrom: from, portTo: to } : {}),
  };
}

function nacl(o: Obj): NetworkAcl | undefined {
  const id = str(o.NetworkAclId);
  if (!id) return undefined;
  return {
    id,
    ...(str(o.VpcId) ? { vpcId: o.VpcId as string } : {}),
    isDefault: o.IsDefault === true,
    subnetIds: field(o.Associations, "SubnetId"),
    entries: objs(o.Entries).flatMap((e) => naclEntry(e) ?? []),
  };
}

const ROUTE_TARGETS = [
  "GatewayId",
  "NatGatewayId",
  "TransitGatewayId",
  "VpcPeeringConnectionId",
  "EgressOnlyInternetGatewayId",
  "NetworkInterfaceId",
  "InstanceId",
  "LocalGatewayId",
  "CarrierGatewayId",
  "CoreNetworkArn",
] as const;

function route(o: Obj): Route | undefined {
  const pl = str(o.DestinationPrefixListId);
  const destination = str(o.DestinationCidrBlock) ?? str(o.DestinationIpv6CidrBlock) ?? pl;
  if (!destination) return undefined;
  let target = "";
  for (const k of ROUTE_TARGETS) {
    const v = str(o[k]);
    if (v) {
      target = v;
      break;
    }
  }
  return {
    destination,
    destinationKind: pl && destination === pl ? "prefix-list" : "cidr",
    target: target || "unknown",
    state: str(o.State) ?? "active",
  };
}

function routeTable(o: Obj): RouteTable | undefined {
  const id = str(o.RouteTableId);
  if (!id) return undefined;
  const assoc = objs(o.Associations);
  return {
    id,
    ...(str(o.VpcId) ? { vpcId: o.VpcId as string } : {}),
    main: assoc.some((a) => a.Main === true),
    subnetIds: field(assoc, "SubnetId"),
    routes: objs(o.Routes).flatMap((r) => route(r) ?? []),
  };
}

function endpoint(o: Obj): VpcEndpoint | undefined {
  const id = str(o.VpcEndpointId);
  const serviceName = str(o.ServiceName);
  if (!id || !serviceName) return undefined;
  return {
    id,
    type: str(o.VpcEndpointType) ?? "Interface",
    ...(str(o.VpcId) ? { vpcId: o.VpcId as string } : {}),
    serviceName,
    ...(str(o.State) ? { state: o.State as string } : {}),
    ...(typeof o.PolicyDocument === "string" && o.PolicyDocument.length < 65_536
      ? { policyDocument: o.PolicyDocument }
      : {}),
    routeTableIds: strs(o.RouteTableIds),
    subnetIds: strs(o.SubnetIds),
    groupIds: field(o.Groups, "GroupId"),
    privateDnsEnabled: o.PrivateDnsEnabled === true,
    networkInterfaceIds: strs(o.NetworkInterfaceIds),
    dnsNames: field(o.DnsEntries, "DnsName").map((n) => n.toLowerCase()),
  };
}

function interfaceOf(o: Obj, instance?: Obj): NetworkInterface | undefined {
  const id = str(o.NetworkInterfaceId);
  if (!id) return undefined;
  const attachment = isObj(o.Attachment) ? o.Attachment : {};
  const association = isObj(o.Association) ? o.Association : {};
  const instanceId = str(attachment.InstanceId) ?? str(instance?.InstanceId);
  const deviceIndex = num(attachment.DeviceIndex);
  return {
    id,
    ...(str(o.SubnetId) ? { subnetId: o.SubnetId as string } : {}),
    ...(str(o.VpcId) ? { vpcId: o.VpcId as string } : {}),
    groupIds: field(o.Groups, "GroupId"),
    ...(str(o.PrivateIpAddress) ? { privateIp: o.PrivateIpAddress as string } : {}),
    ...(str(association.PublicIp) ? { publicIp: association.PublicIp as string } : {}),
    ipv6Addresses: field(o.Ipv6Addresses, "Ipv6Address"),
    ...(instanceId ? { instanceId } : {}),
    ...(deviceIndex !== undefined ? { deviceIndex } : {}),
    ...(str(o.InterfaceType) ? { interfaceType: o.InterfaceType as string } : {}),
  };
}

function instance(o: Obj): { instance: Instance; interfaces: NetworkInterface[] } | undefined {
  const id = str(o.InstanceId);
  if (!id) return undefined;
  const interfaces = objs(o.NetworkInterfaces).flatMap((n) => interfaceOf(n, o) ?? []);
  const m = isObj(o.MetadataOptions) ? o.MetadataOptions : undefined;
  const hop = num(m?.HttpPutResponseHopLimit);
  const profile = isObj(o.IamInstanceProfile) ? str(o.IamInstanceProfile.Arn) : undefined;
  const state = isObj(o.State) ? str(o.State.Name) : undefined;
  return {
    instance: {
      id,
      ...(str(o.SubnetId) ? { subnetId: o.SubnetId as string } : {}),
      ...(str(o.VpcId) ? { vpcId: o.VpcId as string } : {}),
      ...(str(o.PrivateIpAddress) ? { privateIp: o.PrivateIpAddress as string } : {}),
      ...(str(o.PublicIpAddress) ? { publicIp: o.PublicIpAddress as string } : {}),
      groupIds: field(o.SecurityGroups, "GroupId"),
      interfaceIds: interfaces.map((i) => i.id),
      ...(m
        ? {
            metadata: {
              ...(str(m.HttpTokens) ? { httpTokens: m.HttpTokens as string } : {}),
              ...(hop !== undefined ? { httpPutResponseHopLimit: hop } : {}),
              ...(str(m.HttpEndpoint) ? { httpEndpoint: m.HttpEndpoint as string } : {}),
              ...(str(m.HttpProtocolIpv6) ? { httpProtocolIpv6: m.HttpProtocolIpv6 as string } : {}),
              ...(str(m.State) ? { state: m.State as string } : {}),
            },
          }
        : {}),
      ...(profile ? { instanceProfileArn: profile } : {}),
      ...(state ? { state } : {}),
    },
    interfaces,
  };
}

function subnet(o: Obj): Subnet | undefined {
  const id = str(o.SubnetId);
  if (!id) return undefined;
  return {
    id,
    ...(str(o.VpcId) ? { vpcId: o.VpcId as string } : {}),
    ...(str(o.CidrBlock) ? { cidr: o.CidrBlock as string } : {}),
    ipv6Cidrs: field(o.Ipv6CidrBlockAssociationSet, "Ipv6CidrBlock"),
  };
}

function vpc(o: Obj): Vpc | undefined {
  const id = str(o.VpcId);
  if (!id) return undefined;
  const cidrs = [
    ...(str(o.CidrBlock) ? [o.CidrBlock as string] : []),
    ...field(o.CidrBlockAssociationSet, "CidrBlock"),
    ...field(o.Ipv6CidrBlockAssociationSet, "Ipv6CidrBlock"),
  ];
  return { id, cidrs: [...new Set(cidrs)] };
}

/** What one document held. */
export interface NetworkDocument {
  kind: NetworkDocumentKind;
  evidence: NetworkEvidence;
  /** `get-managed-prefix-list-entries` prints no list id: its CIDRs wait here until a list claims them. */
  unclaimedEntries?: string[];
}

/** The kind of one item of a bare array (a `--query` result such as `Reservations[].Instances[]`). */
function itemKind(o: Obj): NetworkDocumentKind | undefined {
  if (str(o.InstanceId) && ("ImageId" in o || "MetadataOptions" in o || "InstanceType" in o))
    return "describe-instances";
  if (str(o.GroupId) && ("IpPermissions" in o || "IpPermissionsEgress" in o))
    return "describe-security-groups";
  if (str(o.NetworkAclId) && "Entries" in o) return "describe-network-acls";
  if (str(o.RouteTableId) && "Routes" in o) return "describe-route-tables";
  if (str(o.VpcEndpointId) && "ServiceName" in o) return "describe-vpc-endpoints";
  if (str(o.NetworkInterfaceId) && ("SubnetId" in o || "Groups" in o)) return "describe-network-interfaces";
  if (str(o.PrefixListId) && "Cidrs" in o) return "describe-prefix-lists";
  if (str(o.SubnetId) && "CidrBlock" in o) return "describe-subnets";
  if (str(o.VpcId) && "CidrBlock" in o) return "describe-vpcs";
  return undefined;
}

function wrap(kind: NetworkDocumentKind, items: Obj[]): Obj {
  const key: Record<NetworkDocumentKind, string> = {
    "describe-instances": "Instances",
    "describe-network-interfaces": "NetworkInterfaces",
    "describe-security-groups": "SecurityGroups",
    "describe-network-acls": "NetworkAcls",
    "describe-route-tables": "RouteTables",
    "describe-vpc-endpoints": "VpcEndpoints",
    "describe-prefix-lists": "PrefixLists",
    "describe-managed-prefix-lists": "PrefixLists",
    "get-managed-prefix-list-entries": "Entries",
    "describe-subnets": "Subnets",
    "describe-vpcs": "Vpcs",
  };
  return kind === "describe-instances" ? { Reservations: [{ Instances: items }] } : { [key[kind]]: items };
}

/**
 * Read one parsed AWS CLI document. Returns the evidence it holds, or a one-line reason when it is none of
 * the recognised shapes. `origin` names the input in messages; a `pl-…` id in it names the list of a bare
 * `get-managed-prefix-list-entries` output (the only output that does not carry its own id).
 */
export function readNetworkDocument(value: unknown, origin: string): NetworkDocument | { error: string } {
  if (Array.isArray(value)) {
    const items = objs(value);
    const kind = items.length > 0 ? itemKind(items[0]!) : undefined;
    if (!kind) return { error: "an array, but not of EC2 describe items (instances, security groups, …)" };
    return readNetworkDocument(
      wrap(
        kind,
        items.filter((i) => itemKind(i) === kind),
      ),
      origin,
    );
  }
  if (!isObj(value)) return { error: "not a JSON object from an EC2 describe command" };
  const ev = emptyEvidence();
  let kind: NetworkDocumentKind | undefined;
  let unclaimedEntries: string[] | undefined;
  if (Array.isArray(value.Reservations)) {
    kind = "describe-instances";
    for (const r of objs(value.Reservations))
      for (const i of objs(r.Instances)) {
        const got = instance(i);
        if (got) {
          ev.instances.push(got.instance);
          ev.interfaces.push(...got.interfaces);
        }
      }
  } else if (Array.isArray(value.NetworkInterfaces)) {
    kind = "describe-network-interfaces";
    ev.interfaces.push(...objs(value.NetworkInterfaces).flatMap((n) => interfaceOf(n) ?? []));
  } else if (Array.isArray(value.SecurityGroups)) {
    kind = "describe-security-groups";
    ev.securityGroups.push(...objs(value.SecurityGroups).flatMap((g) => securityGroup(g) ?? []));
  } else if (Array.isArray(value.NetworkAcls)) {
    kind = "describe-network-acls";
    ev.nacls.push(...objs(value.NetworkAcls).flatMap((a) => nacl(a) ?? []));
  } else if (Array.isArray(value.RouteTables)) {
    kind = "describe-route-tables";
    ev.routeTables.push(...objs(value.RouteTables).flatMap((t) => routeTable(t) ?? []));
  } else if (Array.isArray(value.VpcEndpoints)) {
    kind = "describe-vpc-endpoints";
    ev.endpoints.push(...objs(value.VpcEndpoints).flatMap((e) => endpoint(e) ?? []));
  } else if (Array.isArray(value.PrefixLists)) {
    const lists = objs(value.PrefixLists);
    // describe-prefix-lists carries Cidrs; describe-managed-prefix-lists carries AddressFamily/MaxEntries instead.
    kind =
      lists.some((l) => "Cidrs" in l) || lists.length === 0
        ? "describe-prefix-lists"
        : "describe-managed-prefix-lists";
    for (const l of lists) {
      const id = str(l.PrefixListId);
      if (id)
        ev.prefixLists.push({
          id,
          ...(str(l.PrefixListName) ? { name: l.PrefixListName as string } : {}),
          cidrs: strs(l.Cidrs),
        });
    }
  } else if (Array.isArray(value.Entries) && objs(value.Entries).every((e) => "Cidr" in e)) {
    kind = "get-managed-prefix-list-entries";
    const cidrs = field(value.Entries, "Cidr");
    const id = /\bpl-[0-9a-f]{8,17}\b/i.exec(origin)?.[0]?.toLowerCase();
    if (id) ev.prefixLists.push({ id, cidrs } satisfies PrefixList);
    else unclaimedEntries = cidrs;
  } else if (Array.isArray(value.Subnets)) {
    kind = "describe-subnets";
    ev.subnets.push(...objs(value.Subnets).flatMap((s) => subnet(s) ?? []));
  } else if (Array.isArray(value.Vpcs)) {
    kind = "describe-vpcs";
    ev.vpcs.push(...objs(value.Vpcs).flatMap((v) => vpc(v) ?? []));
  }
  if (!kind) {
    const keys = Object.keys(value).slice(0, 4).join(", ");
    return {
      error: `not the output of an EC2 describe command this reads (top-level keys: ${keys || "none"})`,
    };
  }
  const items =
    ev.instances.length +
    ev.securityGroups.length +
    ev.nacls.length +
    ev.routeTables.length +
    ev.endpoints.length +
    ev.prefixLists.length +
    ev.subnets.length +
    ev.vpcs.length +
    (kind === "describe-network-interfaces" ? ev.interfaces.length : 0) +
    (unclaimedEntries ? unclaimedEntries.length : 0);
  ev.documents.push({ origin, kind, items });
  return { kind, evidence: ev, ...(unclaimedEntries ? { unclaimedEntries } : {}) };
}

function mergeBy<T extends { id: string }>(into: T[], more: T[], combine?: (a: T, b: T) => T): void {
  for (const item of more) {
    const at = into.findIndex((x) => x.id === item.id);
    if (at < 0) into.push(item);
    else into[at] = combine ? combine(into[at]!, item) : item;
  }
}

/**
 * Merge documents into one view. The same id read twice keeps the later item (a prefix list keeps the CIDRs it
 * has from either); entries without a list id go to the one list that has none, when there is exactly one.
 */
export function mergeNetworkEvidence(docs: NetworkDocument[]): NetworkEvidence {
  const ev = emptyEvidence();
  const unclaimed: string[][] = [];
  for (const d of docs) {
    mergeBy(ev.instances, d.evidence.instances);
    mergeBy(ev.interfaces, d.evidence.interfaces, (a, b) => ({ ...a, ...b }));
    mergeBy(ev.securityGroups, d.evidence.securityGroups);
    mergeBy(ev.nacls, d.evidence.nacls);
    mergeBy(ev.routeTables, d.evidence.routeTables);
    mergeBy(ev.endpoints, d.evidence.endpoints);
    mergeBy(ev.prefixLists, d.evidence.prefixLists, (a, b) => ({
      ...a,
      ...b,
      cidrs: b.cidrs.length ? b.cidrs : a.cidrs,
    }));
    mergeBy(ev.subnets, d.evidence.subnets);
    mergeBy(ev.vpcs, d.evidence.vpcs);
    ev.documents.push(...d.evidence.documents);
    if (d.unclaimedEntries) unclaimed.push(d.unclaimedEntries);
  }
  if (unclaimed.length === 1) {
    // A gateway endpoint's route names its prefix list: that is the list whose entries were fetched.
    const named = new Set(
      ev.routeTables.flatMap((t) =>
        t.routes.filter((r) => r.destinationKind === "prefix-list").map((r) => r.destination),
      ),
    );
    const empty = [
      ...new Set([...ev.prefixLists.filter((p) => p.cidrs.length === 0).map((p) => p.id), ...named]),
    ].filter((id) => !ev.prefixLists.some((p) => p.id === id && p.cidrs.length > 0));
    if (empty.length === 1)
      mergeBy(ev.prefixLists, [{ id: empty[0]!, cidrs: unclaimed[0]! }], (a, b) => ({
        ...a,
        cidrs: b.cidrs,
      }));
  }
  return ev;
}
