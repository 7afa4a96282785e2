import { describe, expect, it } from "vitest";
import { checkReachability, type NetworkEvidence, type ReachTarget } from "../../src/network/index.js";
import { fixtureEvidence } from "./helpers.js";

const target = (service: string): ReachTarget => ({
  host: `${service}.eu-west-1.amazonaws.com`,
  service,
  region: "eu-west-1",
  origin: "error text",
});

function clone(ev: NetworkEvidence): NetworkEvidence {
  return structuredClone(ev);
}

describe("checkReachability: the first hop that blocks, its evidence and the fix", () => {
  it("security group without 443 egress", () => {
    const r = checkReachability(fixtureEvidence("sg-no-443-egress"), target("sts"), {
      instance: "i-0123456789abcdef0",
    });
    expect(r.verdict).toBe("blocked");
    expect(r.blocked).toMatchObject({ kind: "security-group-egress", subject: "sg-0a1b2c3d4e5f60021" });
    expect(r.blocked!.evidence).toContain("rule 1: TCP port 5432 10.20.0.0/16");
    expect(r.fix!.commands).toEqual([
      "aws ec2 authorize-security-group-egress --group-id sg-0a1b2c3d4e5f60021 --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]' --region eu-west-1",
    ]);
    expect(r.source).toMatchObject({
      interfaceId: "eni-0a1b2c3d4e5f60011",
      chosen: "the named instance i-0123456789abcdef0",
    });
    expect(r.notModelled.join(" ")).toMatch(/firewall appliances/);
  });

  it("subnet without a route to the endpoint: create an endpoint for the service", () => {
    const r = checkReachability(fixtureEvidence("no-route-to-endpoint"), target("secretsmanager"));
    expect(r.blocked).toMatchObject({ kind: "route", subject: "rtb-0a1b2c3d4e5f60041" });
    expect(r.blocked!.evidence).toBe("routes: 10.20.0.0/16 -> local");
    expect(r.path).toBe("none");
    expect(r.fix!.commands[0]).toBe(
      "aws ec2 create-vpc-endpoint --vpc-id vpc-0f1e2d3c4b5a69788 --vpc-endpoint-type Interface --service-name com.amazonaws.eu-west-1.secretsmanager --subnet-ids subnet-0a1b2c3d4e5f60001 --security-group-ids sg-0a1b2c3d4e5f60022 --private-dns-enabled --region eu-west-1",
    );
  });

  it("interface endpoint without private DNS: the DNS hop blocks, fix turns private DNS on", () => {
    const r = checkReachability(fixtureEvidence("endpoint-without-private-dns"), target("kms"));
    expect(r.blocked).toMatchObject({ kind: "dns", subject: "vpce-0a1b2c3d4e5f60051" });
    expect(r.blocked!.evidence).toContain("PrivateDnsEnabled false");
    expect(r.fix!.commands[0]).toBe(
      "aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0a1b2c3d4e5f60051 --private-dns-enabled --region eu-west-1",
    );
    // The same evidence with private DNS on reaches the endpoint inside the VPC.
    const ev = clone(fixtureEvidence("endpoint-without-private-dns"));
    ev.endpoints[0]!.privateDnsEnabled = true;
    const ok = checkReachability(
      ev,
      target("kms"),
      {},
      {
        evaluateEndpointPolicy: () => ({ decision: "allowed", detail: "statement 1 allows *" }),
      },
    );
    expect(ok.verdict).toBe("reachable");
    expect(ok.path).toBe("interface-endpoint");
    expect(ok.hops.map((h) => h.kind)).toEqual([
      "source",
      "dns",
      "security-group-egress",
      "nacl-outbound",
      "route",
      "endpoint-security-group",
      "endpoint-nacl",
      "endpoint-nacl",
      "nacl-inbound-return",
      "endpoint-policy",
    ]);
  });

  it("the endpoint's own name is used even with private DNS off", () => {
    const ev = fixtureEvidence("endpoint-without-private-dns");
    const host = ev.endpoints[0]!.dnsNames[0]!;
    const r = checkReachability(ev, {
      host,
      service: "kms",
      region: "eu-west-1",
      origin: "AWS_ENDPOINT_URL_KMS",
    });
    expect(r.path).toBe("interface-endpoint");
    expect(r.blocked).toBeUndefined();
  });

  it("endpoint security group without 443 from the caller blocks at the endpoint", () => {
    const ev = clone(fixtureEvidence("endpoint-without-private-dns"));
    ev.endpoints[0]!.privateDnsEnabled = true;
    ev.securityGroups.find((g) => g.id === "sg-0a1b2c3d4e5f60022")!.ingress = [];
    const r = checkReachability(ev, target("kms"));
    expect(r.blocked).toMatchObject({ kind: "endpoint-security-group", subject: "sg-0a1b2c3d4e5f60022" });
    expect(r.fix!.commands[0]).toBe(
      "aws ec2 authorize-security-group-ingress --group-id sg-0a1b2c3d4e5f60022 --protocol tcp --port 443 --source-group sg-0a1b2c3d4e5f60021 --region eu-west-1",
    );
  });

  it("endpoint policy that denies blocks at the last hop", () => {
    const ev = clone(fixtureEvidence("endpoint-without-private-dns"));
    ev.endpoints[0]!.privateDnsEnabled = true;
    const r = checkReachability(
      ev,
      target("kms"),
      {},
      {
        evaluateEndpointPolicy: () => ({ decision: "denied", detail: "no statement allows kms:Decrypt" }),
      },
    );
    expect(r.blocked).toMatchObject({ kind: "endpoint-policy", evidence: "no statement allows kms:Decrypt" });
    expect(r.fix!.commands[0]).toContain(
      "modify-vpc-endpoint --vpc-endpoint-id vpce-0a1b2c3d4e5f60051 --policy-document",
    );
  });

  it("stateless ACL: a deny on return ports blocks, and the fix entry comes before the deny", () => {
    const ev = clone(fixtureEvidence("sg-no-443-egress"));
    ev.securityGroups[0]!.egress.push({
      protocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrs: ["0.0.0.0/0"],
      ipv6Cidrs: [],
      prefixListIds: [],
      groupIds: [],
      index: 1,
    });
    const acl = ev.nacls[0]!;
    acl.entries = acl.entries.filter((e) => e.egress || e.ruleNumber === 32767);
    acl.entries.push({
      ruleNumber: 100,
      egress: false,
      protocol: "6",
      action: "allow",
      cidr: "0.0.0.0/0",
      portFrom: 22,
      portTo: 22,
    });
    const r = checkReachability(ev, target("sts"));
    expect(r.blocked).toMatchObject({ kind: "nacl-inbound-return", subject: "acl-0a1b2c3d4e5f60031" });
    expect(r.blocked!.evidence).toContain("rule * DENY all traffic from 0.0.0.0/0");
    expect(r.fix!.commands[0]).toBe(
      "aws ec2 create-network-acl-entry --network-acl-id acl-0a1b2c3d4e5f60031 --ingress --rule-number 32700 --protocol tcp --port-range From=1024,To=65535 --cidr-block 0.0.0.0/0 --rule-action allow --region eu-west-1",
    );
    acl.entries.push({
      ruleNumber: 90,
      egress: true,
      protocol: "6",
      action: "deny",
      cidr: "0.0.0.0/0",
      portFrom: 443,
      portTo: 443,
    });
    const out = checkReachability(ev, target("sts"));
    expect(out.blocked).toMatchObject({ kind: "nacl-outbound" });
    expect(out.blocked!.evidence).toContain("rule 90 DENY TCP port 443 to 0.0.0.0/0");
    expect(out.fix!.commands[0]).toContain("--egress --rule-number 80 ");
  });

  it("internet gateway route without a public address blocks; with one it passes", () => {
    const ev = clone(fixtureEvidence("no-route-to-endpoint"));
    ev.routeTables[0]!.routes.push({
      destination: "0.0.0.0/0",
      destinationKind: "cidr",
      target: "igw-0a1b2c3d4e5f600c1",
      state: "active",
    });
    expect(checkReachability(ev, target("sts")).blocked?.text).toMatch(/no public IPv4 address/);
    ev.interfaces[0]!.publicIp = "203.0.113.10";
    const r = checkReachability(ev, target("sts"));
    expect(r.verdict).toBe("reachable");
    expect(r.path).toBe("internet-gateway");
  });

  it("transit gateway: undecided past the VPC, never a guess", () => {
    const ev = clone(fixtureEvidence("no-route-to-endpoint"));
    ev.routeTables[0]!.routes.push({
      destination: "0.0.0.0/0",
      destinationKind: "cidr",
      target: "tgw-0a1b2c3d4e5f600d1",
      state: "active",
    });
    const r = checkReachability(ev, target("sts"));
    expect(r.verdict).toBe("undecided");
    expect(r.hops.find((h) => h.kind === "route")).toMatchObject({ status: "unknown" });
  });

  it("gateway endpoint: the security group must allow the prefix list", () => {
    const ev = clone(fixtureEvidence("sg-no-443-egress"));
    ev.routeTables[0]!.routes.push({
      destination: "pl-6da54004",
      destinationKind: "prefix-list",
      target: "vpce-0a1b2c3d4e5f600e1",
      state: "active",
    });
    ev.endpoints.push({
      id: "vpce-0a1b2c3d4e5f600e1",
      type: "Gateway",
      vpcId: "vpc-0f1e2d3c4b5a69788",
      serviceName: "com.amazonaws.eu-west-1.s3",
      routeTableIds: ["rtb-0a1b2c3d4e5f60041"],
      subnetIds: [],
      groupIds: [],
      privateDnsEnabled: false,
      networkInterfaceIds: [],
      dnsNames: [],
    });
    const r = checkReachability(ev, target("s3"));
    expect(r.path).toBe("gateway-endpoint");
    expect(r.blocked).toMatchObject({ kind: "security-group-egress" });
    expect(r.fix!.commands[0]).toContain("PrefixListIds=[{PrefixListId=pl-6da54004}]");
    ev.securityGroups[0]!.egress.push({
      protocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrs: [],
      ipv6Cidrs: [],
      prefixListIds: ["pl-6da54004"],
      groupIds: [],
      index: 1,
    });
    expect(
      checkReachability(ev, target("s3")).hops.find((h) => h.kind === "security-group-egress")?.status,
    ).toBe("pass");
  });

  it("missing evidence makes hops unknown with the command that would decide them", () => {
    const ev = fixtureEvidence("container-hop-limit-1");
    const r = checkReachability(ev, target("sts"));
    expect(r.verdict).toBe("undecided");
    const sg = r.hops.find((h) => h.kind === "security-group-egress")!;
    expect(sg.status).toBe("unknown");
    expect(sg.needs).toBe(
      "aws ec2 describe-security-groups --group-ids sg-0a1b2c3d4e5f60021 --region eu-west-1 --output json",
    );
  });

  it("several instances and none named: asks which", () => {
    const ev = clone(fixtureEvidence("sg-no-443-egress"));
    ev.instances.push({ ...ev.instances[0]!, id: "i-0fedcba9876543210" });
    const r = checkReachability(ev, target("sts"));
    expect(r.verdict).toBe("undecided");
    expect(r.hops[0]!.text).toMatch(/name the failing one in case.json/);
  });
});
