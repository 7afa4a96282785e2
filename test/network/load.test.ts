import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { mergeNetworkEvidence, readNetworkDocument } from "../../src/network/index.js";
import { FIXTURES, fixtureEvidence, fixtureJson } from "./helpers.js";

describe("readNetworkDocument: AWS CLI outputs recognised by shape", () => {
  it("reads describe-instances: instance, primary interface, MetadataOptions", () => {
    const d = readNetworkDocument(fixtureJson("container-hop-limit-1", "instances.json"), "x.json");
    if ("error" in d) throw new Error(d.error);
    expect(d.kind).toBe("describe-instances");
    const [i] = d.evidence.instances;
    expect(i).toMatchObject({
      id: "i-0123456789abcdef0",
      subnetId: "subnet-0a1b2c3d4e5f60001",
      groupIds: ["sg-0a1b2c3d4e5f60021"],
      metadata: { httpTokens: "required", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" },
      instanceProfileArn: "arn:aws:iam::111122223333:instance-profile/app-worker",
    });
    expect(d.evidence.interfaces[0]).toMatchObject({
      id: "eni-0a1b2c3d4e5f60011",
      deviceIndex: 0,
      instanceId: i!.id,
    });
  });

  it("recognises each file of a bundle whatever its name", () => {
    const ev = fixtureEvidence("endpoint-without-private-dns");
    expect(ev.documents.map((d) => d.kind).sort()).toEqual([
      "describe-instances",
      "describe-network-acls",
      "describe-network-interfaces",
      "describe-route-tables",
      "describe-security-groups",
      "describe-vpc-endpoints",
    ]);
    expect(ev.endpoints[0]).toMatchObject({
      id: "vpce-0a1b2c3d4e5f60051",
      privateDnsEnabled: false,
      type: "Interface",
    });
    expect(ev.nacls[0]!.entries).toHaveLength(4);
    expect(ev.routeTables.find((t) => t.main)?.id).toBe("rtb-0a1b2c3d4e5f60042");
  });

  it("reads a --query result (a bare array of items)", () => {
    const sgs = (fixtureJson("sg-no-443-egress", "security-groups.json") as { SecurityGroups: unknown[] })
      .SecurityGroups;
    const d = readNetworkDocument(sgs, "groups.json");
    expect("error" in d ? d.error : d.kind).toBe("describe-security-groups");
  });

  it("gateway prefix lists: describe-prefix-lists, and entries claimed by the id in the name or the route", () => {
    const pl = readNetworkDocument(
      {
        PrefixLists: [
          {
            Cidrs: ["52.218.0.0/17", "3.5.64.0/21"],
            PrefixListId: "pl-6da54004",
            PrefixListName: "com.amazonaws.eu-west-1.s3",
          },
        ],
      },
      "p.json",
    );
    expect("error" in pl ? pl.error : pl.evidence.prefixLists[0]!.cidrs).toEqual([
      "52.218.0.0/17",
      "3.5.64.0/21",
    ]);
    const named = readNetworkDocument({ Entries: [{ Cidr: "52.218.0.0/17" }] }, "entries-pl-6da54004.json");
    expect("error" in named ? named.error : named.evidence.prefixLists[0]!.id).toBe("pl-6da54004");
    const bare = readNetworkDocument({ Entries: [{ Cidr: "52.218.0.0/17" }] }, "entries.json");
    const rt = readNetworkDocument(
      {
        RouteTables: [
          {
            RouteTableId: "rtb-1",
            Associations: [],
            Routes: [
              {
                DestinationPrefixListId: "pl-6da54004",
                GatewayId: "vpce-0123456789abcdef0",
                State: "active",
              },
            ],
          },
        ],
      },
      "rt.json",
    );
    if ("error" in bare || "error" in rt) throw new Error("not read");
    expect(bare.unclaimedEntries).toEqual(["52.218.0.0/17"]);
    expect(mergeNetworkEvidence([rt, bare]).prefixLists).toEqual([
      { id: "pl-6da54004", cidrs: ["52.218.0.0/17"] },
    ]);
  });

  it("says what a document is not, in one line", () => {
    for (const v of [null, 3, "x", [], [1, 2], { Foo: [] }, { Entries: [{ RuleNumber: 1 }] }]) {
      const d = readNetworkDocument(v, "bad.json");
      expect("error" in d, JSON.stringify(v)).toBe(true);
      if ("error" in d) expect(d.error).not.toContain("\n");
    }
  });

  it("ignores items of the wrong type instead of crashing", () => {
    const d = readNetworkDocument(
      {
        SecurityGroups: [
          null,
          7,
          { GroupId: 5 },
          {
            GroupId: "sg-1",
            IpPermissionsEgress: [{ IpProtocol: "tcp", FromPort: "x", IpRanges: [{ CidrIp: 9 }] }],
          },
        ],
      },
      "g.json",
    );
    if ("error" in d) throw new Error(d.error);
    expect(d.evidence.securityGroups).toHaveLength(1);
    expect(d.evidence.securityGroups[0]!.egress[0]).toMatchObject({ protocol: "tcp", cidrs: [] });
  });
});

// The field names of the fixtures against botocore's EC2 model (shipped with the AWS CLI), when it is installed.
function botocoreEc2(): { shapes: Record<string, Shape> } | undefined {
  const roots = [
    process.env.BOTOCORE_DATA,
    "/root/.pyenv/versions",
    "/usr/lib/python3/dist-packages",
    "/usr/local/lib",
  ].filter(Boolean) as string[];
  const find = (dir: string, depth: number): string | undefined => {
    if (depth < 0 || !existsSync(dir)) return undefined;
    const direct = join(dir, "botocore", "data", "ec2", "2016-11-15", "service-2.json.gz");
    if (existsSync(direct)) return direct;
    if (dir.endsWith("ec2/2016-11-15") && existsSync(join(dir, "service-2.json.gz")))
      return join(dir, "service-2.json.gz");
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      return undefined;
    }
    for (const n of names) {
      const hit = find(join(dir, n), depth - 1);
      if (hit) return hit;
    }
    return undefined;
  };
  for (const r of roots) {
    const hit = find(r, 5);
    if (hit) return JSON.parse(gunzipSync(readFileSync(hit)).toString("utf8"));
  }
  return undefined;
}

interface Shape {
  type: string;
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
}

const model = botocoreEc2();
const OUTPUT_SHAPE: Record<string, string> = {
  "describe-instances": "DescribeInstancesResult",
  "describe-network-interfaces": "DescribeNetworkInterfacesResult",
  "describe-security-groups": "DescribeSecurityGroupsResult",
  "describe-network-acls": "DescribeNetworkAclsResult",
  "describe-route-tables": "DescribeRouteTablesResult",
  "describe-vpc-endpoints": "DescribeVpcEndpointsResult",
};

function unknownKeys(
  value: unknown,
  shapeName: string,
  shapes: Record<string, Shape>,
  path: string,
): string[] {
  const shape = shapes[shapeName]!;
  if (shape.type === "structure" && value && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) =>
      shape.members?.[k] ? unknownKeys(v, shape.members[k]!.shape, shapes, `${path}.${k}`) : [`${path}.${k}`],
    );
  }
  if (shape.type === "list" && Array.isArray(value))
    return value.flatMap((v, i) => unknownKeys(v, shape.member!.shape, shapes, `${path}[${i}]`));
  return [];
}

describe.skipIf(!model)(
  `fixtures use the EC2 API's field names${model ? "" : " (skipped: botocore's EC2 model not installed)"}`,
  () => {
    it("every key of every fixture document is a member of its output shape", () => {
      const checked: string[] = [];
      for (const bundle of readdirSync(FIXTURES)) {
        const dir = join(FIXTURES, bundle, "network");
        if (!existsSync(dir)) continue;
        for (const f of readdirSync(dir)) {
          const v = JSON.parse(readFileSync(join(dir, f), "utf8"));
          const d = readNetworkDocument(v, f);
          if ("error" in d) throw new Error(`${bundle}/${f}: ${d.error}`);
          const shape = OUTPUT_SHAPE[d.kind];
          if (!shape) continue;
          expect(unknownKeys(v, shape, model!.shapes, `${bundle}/${f}`)).toEqual([]);
          checked.push(`${bundle}/${f}`);
        }
      }
      expect(checked.length).toBeGreaterThanOrEqual(15);
    });
  },
);
