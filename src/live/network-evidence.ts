// Read-only EC2 calls that gather the failing machine's network evidence (docs/network.md) for a bundle's
// network/ folder: the instance (or interface), its security groups, its subnet's network ACL and route table,
// the VPC endpoints of its VPC with their groups, subnets and interfaces, and the prefix lists the routes and
// rules name. Each output is kept in the shape the AWS CLI prints (the API reference's PascalCase).

import { callAws, type LiveContext } from "./call.js";

/** One document for `network/<file>`. */
export interface NetworkDocumentOut {
  file: string;
  /** The operation that produced it (`ec2:DescribeInstances`). */
  operation: string;
  value: Record<string, unknown>;
}

export interface NetworkEvidenceResult {
  documents: NetworkDocumentOut[];
  /** Calls AWS refused, each with the permission that would allow it. */
  denied: Array<{ operation: string; region: string; permission: string }>;
  /** Other things that could not be read, one line each. */
  gaps: string[];
}

type Obj = Record<string, unknown>;

function objs(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter((x): x is Obj => typeof x === "object" && x !== null) : [];
}

function strs(v: unknown[]): string[] {
  return [...new Set(v.filter((x): x is string => typeof x === "string" && x.length > 0))];
}

/** The output as the CLI prints it: no `$metadata`, no pagination token. */
function cliShape(output: Obj): Obj {
  const { $metadata: _m, NextToken: _n, ...rest } = output;
  return rest;
}

const PAGE_LIMIT = 5;

/**
 * Gather the network evidence of `instance` (or `eni`) in `region`. Never throws: refused calls go to `denied`,
 * others to `gaps`; what was read is returned.
 */
export async function collectNetworkEvidence(
  ctx: LiveContext,
  region: string,
  target: { instance?: string; eni?: string },
): Promise<NetworkEvidenceResult> {
  const out: NetworkEvidenceResult = { documents: [], denied: [], gaps: [] };
  const call = async (
    operation: string,
    input: Obj,
    file: string,
    listKey: string,
  ): Promise<Obj[] | undefined> => {
    const items: Obj[] = [];
    let first: Obj | undefined;
    let token: string | undefined;
    for (let page = 0; page < PAGE_LIMIT; page++) {
      const r = await callAws<Obj>(
        ctx,
        "ec2",
        operation,
        { ...input, ...(token ? { NextToken: token } : {}) },
        {
          region,
          summarise: (o: Obj) => `${objs(o[listKey]).length} ${listKey}`,
        },
      );
      if (!r.ok) {
        if (r.outcome === "denied")
          out.denied.push({ operation: `ec2:${operation}`, region, permission: `ec2:${operation}` });
        else out.gaps.push(`ec2:${operation}: ${r.reason}`);
        if (page === 0) return undefined;
        break;
      }
      first ??= r.value;
      items.push(...objs(r.value[listKey]));
      token = typeof r.value.NextToken === "string" ? r.value.NextToken : undefined;
      if (!token) break;
    }
    out.documents.push({
      file,
      operation: `ec2:${operation}`,
      value: { ...cliShape(first ?? {}), [listKey]: items },
    });
    return items;
  };

  // 1. The failing interface: the instance's, or the one named.
  let subnetIds: string[] = [];
  let vpcId: string | undefined;
  let groupIds: string[] = [];
  if (target.instance) {
    const res = await call(
      "DescribeInstances",
      { InstanceIds: [target.instance] },
      "instances.json",
      "Reservations",
    );
    const inst = objs(res?.flatMap((r) => objs(r.Instances)) ?? [])[0];
    if (!inst) {
      if (res) out.gaps.push(`instance ${target.instance} not found in ${region}`);
      return out;
    }
    subnetIds = strs([inst.SubnetId]);
    vpcId = typeof inst.VpcId === "string" ? inst.VpcId : undefined;
    groupIds = strs(objs(inst.SecurityGroups).map((g) => g.GroupId));
  } else if (target.eni) {
    const enis = await call(
      "DescribeNetworkInterfaces",
      { NetworkInterfaceIds: [target.eni] },
      "interface.json",
      "NetworkInterfaces",
    );
    const eni = enis?.[0];
    if (!eni) return out;
    subnetIds = strs([eni.SubnetId]);
    vpcId = typeof eni.VpcId === "string" ? eni.VpcId : undefined;
    groupIds = strs(objs(eni.Groups).map((g) => g.GroupId));
  } else {
    out.gaps.push("no failing instance or interface named (--instance or --eni): no network evidence read");
    return out;
  }
  if (!vpcId) {
    out.gaps.push("the instance is not in a VPC: no network evidence read");
    return out;
  }

  // 2. The VPC endpoints of the VPC, then everything the path may cross.
  const endpoints =
    (await call(
      "DescribeVpcEndpoints",
      { Filters: [{ Name: "vpc-id", Values: [vpcId] }] },
      "vpc-endpoints.json",
      "VpcEndpoints",
    )) ?? [];
  const epSubnets = strs(endpoints.flatMap((e) => (Array.isArray(e.SubnetIds) ? e.SubnetIds : [])));
  const epGroups = strs(endpoints.flatMap((e) => objs(e.Groups).map((g) => g.GroupId)));
  const epEnis = strs(
    endpoints.flatMap((e) => (Array.isArray(e.NetworkInterfaceIds) ? e.NetworkInterfaceIds : [])),
  );
  const allSubnets = strs([...subnetIds, ...epSubnets]);
  const groups = strs([...groupIds, ...epGroups]);
  const sgs = groups.length
    ? ((await call(
        "DescribeSecurityGroups",
        { GroupIds: groups },
        "security-groups.json",
        "SecurityGroups",
      )) ?? [])
    : [];
  await call(
    "DescribeNetworkAcls",
    { Filters: [{ Name: "association.subnet-id", Values: allSubnets }] },
    "network-acls.json",
    "NetworkAcls",
  );
  const tables =
    (await call(
      "DescribeRouteTables",
      { Filters: [{ Name: "vpc-id", Values: [vpcId] }] },
      "route-tables.json",
      "RouteTables",
    )) ?? [];
  await call("DescribeSubnets", { SubnetIds: allSubnets }, "subnets.json", "Subnets");
  await call("DescribeVpcs", { VpcIds: [vpcId] }, "vpcs.json", "Vpcs");
  if (epEnis.length)
    await call(
      "DescribeNetworkInterfaces",
      { NetworkInterfaceIds: epEnis },
      "endpoint-interfaces.json",
      "NetworkInterfaces",
    );

  // 3. Prefix lists named by routes (gateway endpoints) and by security group rules.
  const lists = strs([
    ...tables.flatMap((t) => objs(t.Routes).map((r) => r.DestinationPrefixListId)),
    ...sgs.flatMap((g) =>
      [...objs(g.IpPermissions), ...objs(g.IpPermissionsEgress)].flatMap((p) =>
        objs(p.PrefixListIds).map((l) => l.PrefixListId),
      ),
    ),
  ]);
  if (lists.length) {
    const aws =
      (await call("DescribePrefixLists", { PrefixListIds: lists }, "prefix-lists.json", "PrefixLists")) ?? [];
    const known = new Set(aws.map((l) => l.PrefixListId));
    // Customer-managed lists are not in DescribePrefixLists: read their entries one by one (the file names the id).
    for (const id of lists.filter((l) => !known.has(l)).slice(0, 10))
      await call(
        "GetManagedPrefixListEntries",
        { PrefixListId: id },
        `prefix-list-entries-${id}.json`,
        "Entries",
      );
  }
  return out;
}
