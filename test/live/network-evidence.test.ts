// collectNetworkEvidence against a fake EC2 endpoint: only allow-listed reads, outputs in the CLI's shapes that the
// network loader reads back, and refused calls reported with the permission.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isReadOnlyOperation } from "../../src/live/allowlist.js";
import type { LiveContext } from "../../src/live/call.js";
import { collectNetworkEvidence } from "../../src/live/network-evidence.js";
import {
  checkReachability,
  mergeNetworkEvidence,
  type NetworkDocument,
  readNetworkDocument,
} from "../../src/network/index.js";
import { ec2Error, FAKE, FakeAws, xml } from "./fake-aws.js";

const NS = 'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"';
const res = (op: string, inner: string) =>
  xml(`<${op}Response ${NS}><requestId>ea96-EXAMPLE</requestId>${inner}</${op}Response>`);
const VPC = "vpc-0f1e2d3c4b5a69788";
const SUBNET = "subnet-0a1b2c3d4e5f60001";
const SG = "sg-0a1b2c3d4e5f60021";

describe("collectNetworkEvidence against a fake EC2 endpoint", () => {
  const fake = new FakeAws();
  let endpoint = "";
  const ctx = (): LiveContext => ({
    credentials: async () => ({
      accessKeyId: FAKE.accessKeyId,
      secretAccessKey: FAKE.secretAccessKey,
      sessionToken: FAKE.sessionToken,
    }),
    timeoutMs: 1000,
    maxAttempts: 1,
    endpointOverride: endpoint,
    audit: [],
    exchanges: [],
  });
  beforeAll(async () => {
    endpoint = await fake.start();
    // The EC2 client module is large: load it before the calls so its load time is not part of a call's deadline.
    await import("@aws-sdk/client-ec2");
  }, 60_000);
  beforeEach(() => fake.reset());
  afterAll(() => fake.stop());

  it("reads the instance, its groups, ACL, routes and endpoints, in shapes the loader reads back", async () => {
    fake
      .on(
        "ec2:DescribeInstances",
        res(
          "DescribeInstances",
          `<reservationSet><item><reservationId>r-0a1b2c3d4e5f60071</reservationId><ownerId>111122223333</ownerId><instancesSet><item><instanceId>i-0123456789abcdef0</instanceId><imageId>ami-0c1bc246476a5572b</imageId><subnetId>${SUBNET}</subnetId><vpcId>${VPC}</vpcId><privateIpAddress>10.20.1.15</privateIpAddress><groupSet><item><groupId>${SG}</groupId><groupName>app-worker</groupName></item></groupSet><networkInterfaceSet><item><networkInterfaceId>eni-0a1b2c3d4e5f60011</networkInterfaceId><subnetId>${SUBNET}</subnetId><vpcId>${VPC}</vpcId><privateIpAddress>10.20.1.15</privateIpAddress><groupSet><item><groupId>${SG}</groupId><groupName>app-worker</groupName></item></groupSet><attachment><attachmentId>eni-attach-1</attachmentId><deviceIndex>0</deviceIndex><status>attached</status></attachment></item></networkInterfaceSet><metadataOptions><state>applied</state><httpTokens>required</httpTokens><httpPutResponseHopLimit>1</httpPutResponseHopLimit><httpEndpoint>enabled</httpEndpoint></metadataOptions></item></instancesSet></item></reservationSet>`,
        ),
      )
      .on("ec2:DescribeVpcEndpoints", res("DescribeVpcEndpoints", "<vpcEndpointSet/>"))
      .on(
        "ec2:DescribeSecurityGroups",
        res(
          "DescribeSecurityGroups",
          `<securityGroupInfo><item><ownerId>111122223333</ownerId><groupId>${SG}</groupId><groupName>app-worker</groupName><groupDescription>app</groupDescription><vpcId>${VPC}</vpcId><ipPermissions/><ipPermissionsEgress><item><ipProtocol>tcp</ipProtocol><fromPort>5432</fromPort><toPort>5432</toPort><ipRanges><item><cidrIp>10.20.0.0/16</cidrIp></item></ipRanges></item></ipPermissionsEgress></item></securityGroupInfo>`,
        ),
      )
      .on(
        "ec2:DescribeNetworkAcls",
        res(
          "DescribeNetworkAcls",
          `<networkAclSet><item><networkAclId>acl-0a1b2c3d4e5f60031</networkAclId><vpcId>${VPC}</vpcId><default>true</default><entrySet><item><ruleNumber>100</ruleNumber><protocol>-1</protocol><ruleAction>allow</ruleAction><egress>true</egress><cidrBlock>0.0.0.0/0</cidrBlock></item><item><ruleNumber>100</ruleNumber><protocol>-1</protocol><ruleAction>allow</ruleAction><egress>false</egress><cidrBlock>0.0.0.0/0</cidrBlock></item></entrySet><associationSet><item><networkAclAssociationId>aclassoc-1</networkAclAssociationId><networkAclId>acl-0a1b2c3d4e5f60031</networkAclId><subnetId>${SUBNET}</subnetId></item></associationSet></item></networkAclSet>`,
        ),
      )
      .on(
        "ec2:DescribeRouteTables",
        res(
          "DescribeRouteTables",
          `<routeTableSet><item><routeTableId>rtb-0a1b2c3d4e5f60041</routeTableId><vpcId>${VPC}</vpcId><routeSet><item><destinationCidrBlock>10.20.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId><state>active</state><origin>CreateRouteTable</origin></item><item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><natGatewayId>nat-0a1b2c3d4e5f60061</natGatewayId><state>active</state><origin>CreateRoute</origin></item></routeSet><associationSet><item><routeTableAssociationId>rtbassoc-1</routeTableAssociationId><routeTableId>rtb-0a1b2c3d4e5f60041</routeTableId><subnetId>${SUBNET}</subnetId><main>false</main></item></associationSet></item></routeTableSet>`,
        ),
      )
      .on(
        "ec2:DescribeSubnets",
        res(
          "DescribeSubnets",
          `<subnetSet><item><subnetId>${SUBNET}</subnetId><vpcId>${VPC}</vpcId><cidrBlock>10.20.1.0/24</cidrBlock></item></subnetSet>`,
        ),
      )
      .on(
        "ec2:DescribeVpcs",
        ec2Error(403, "UnauthorizedOperation", "You are not authorized to perform this operation."),
      );

    const c = ctx();
    const r = await collectNetworkEvidence(c, "eu-west-1", { instance: "i-0123456789abcdef0" });
    expect(fake.seen.map((s) => s.route)).toEqual([
      "ec2:DescribeInstances",
      "ec2:DescribeVpcEndpoints",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeNetworkAcls",
      "ec2:DescribeRouteTables",
      "ec2:DescribeSubnets",
      "ec2:DescribeVpcs",
    ]);
    for (const a of c.audit) expect(isReadOnlyOperation(a.operation)).toBe(true);
    expect(r.denied).toEqual([
      { operation: "ec2:DescribeVpcs", region: "eu-west-1", permission: "ec2:DescribeVpcs" },
    ]);
    expect(r.documents.map((d) => d.file)).toEqual([
      "instances.json",
      "vpc-endpoints.json",
      "security-groups.json",
      "network-acls.json",
      "route-tables.json",
      "subnets.json",
    ]);
    const inst = r.documents[0]!.value as { Reservations: { Instances: { MetadataOptions: unknown }[] }[] };
    expect(inst).not.toHaveProperty("$metadata");
    expect(inst.Reservations[0]!.Instances[0]!.MetadataOptions).toMatchObject({
      HttpTokens: "required",
      HttpPutResponseHopLimit: 1,
    });
    // What was collected is what diagnose reads: the same hop blocks.
    const docs = r.documents.map(
      (d) => readNetworkDocument(JSON.parse(JSON.stringify(d.value)), d.file) as NetworkDocument,
    );
    expect(docs.every((d) => !("error" in d))).toBe(true);
    const reach = checkReachability(mergeNetworkEvidence(docs), {
      host: "sts.eu-west-1.amazonaws.com",
      service: "sts",
      region: "eu-west-1",
      origin: "test",
    });
    expect(reach.blocked).toMatchObject({ kind: "security-group-egress", subject: SG });
    expect(JSON.stringify(r)).not.toContain(FAKE.secretAccessKey);
  });

  it("without an instance or interface it reads nothing and says why", async () => {
    const r = await collectNetworkEvidence(ctx(), "eu-west-1", {});
    expect(fake.seen).toHaveLength(0);
    expect(r.gaps[0]).toMatch(/no failing instance or interface named/);
  });
});
