// End-to-end: the built CLI on the network fixture bundles. Each diagnosis names the first blocking hop, the
// evidence (rule, route, ACL entry, endpoint setting) and the fix command filled from it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const bin = join(root, "dist/cli/bin.js");
const fixtures = join(root, "test/fixtures/network");
const tmp = mkdtempSync(join(tmpdir(), "authdoctor-network-e2e-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", HOME: tmp },
    input: "",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function diagnoseJson(args: string[]) {
  const r = run(["diagnose", ...args, "--json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe("diagnose: network failures in disguise lead to the hop that blocks", () => {
  it("security group without 443 egress", () => {
    const d = diagnoseJson(["--bundle", join(fixtures, "sg-no-443-egress")]);
    expect(d.verdict.cause).toBe("NETWORK_PATH");
    expect(d.verdict.strength).toBe("confirmed");
    expect(d.network.reach.blocked).toMatchObject({
      kind: "security-group-egress",
      subject: "sg-0a1b2c3d4e5f60021",
      evidence: "egress rules: sg-0a1b2c3d4e5f60021 rule 1: TCP port 5432 10.20.0.0/16",
    });
    expect(d.verdict.fix.commands).toEqual([
      "aws ec2 authorize-security-group-egress --group-id sg-0a1b2c3d4e5f60021 --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]' --region eu-west-1",
    ]);
    expect(d.checked).toContainEqual(expect.objectContaining({ source: "network", status: "used" }));
  });

  it("subnet with no route to the endpoint", () => {
    const d = diagnoseJson(["--bundle", join(fixtures, "no-route-to-endpoint")]);
    expect(d.verdict.cause).toBe("NETWORK_PATH");
    expect(d.network.reach.target.host).toBe("secretsmanager.eu-west-1.amazonaws.com");
    expect(d.network.reach.blocked).toMatchObject({
      kind: "route",
      subject: "rtb-0a1b2c3d4e5f60041",
      evidence: "routes: 10.20.0.0/16 -> local",
    });
    expect(d.verdict.fix.commands[0]).toMatch(
      /^aws ec2 create-vpc-endpoint --vpc-id vpc-0f1e2d3c4b5a69788 --vpc-endpoint-type Interface --service-name com\.amazonaws\.eu-west-1\.secretsmanager --subnet-ids subnet-0a1b2c3d4e5f60001 /,
    );
  });

  it("interface endpoint without private DNS", () => {
    const d = diagnoseJson(["--bundle", join(fixtures, "endpoint-without-private-dns")]);
    expect(d.verdict.cause).toBe("NETWORK_PATH");
    expect(d.network.reach.blocked).toMatchObject({ kind: "dns", subject: "vpce-0a1b2c3d4e5f60051" });
    expect(d.network.reach.blocked.evidence).toMatch(/^vpce-0a1b2c3d4e5f60051 PrivateDnsEnabled false/);
    expect(d.verdict.fix.commands[0]).toBe(
      "aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0a1b2c3d4e5f60051 --private-dns-enabled --region eu-west-1",
    );
  });

  it("container on an instance with IMDSv2 required and hop limit 1", () => {
    const d = diagnoseJson(["--bundle", join(fixtures, "container-hop-limit-1")]);
    expect(d.verdict.cause).toBe("NETWORK_PATH");
    expect(d.verdict.strength).toBe("confirmed");
    expect(d.network.findings[0]).toMatchObject({
      code: "imds-hop-limit",
      severity: "blocks",
      evidence:
        "describe-instances i-0123456789abcdef0 MetadataOptions: HttpTokens required, HttpPutResponseHopLimit 1",
    });
    expect(d.verdict.fix.commands).toEqual([
      "aws ec2 modify-instance-metadata-options --instance-id i-0123456789abcdef0 --http-put-response-hop-limit 2 --http-endpoint enabled",
    ]);
  });

  it("text report shows the path, the blocking hop and its evidence", () => {
    const r = run(["diagnose", "--bundle", join(fixtures, "sg-no-443-egress")]);
    expect(r.code).toBe(0);
    // the report is wrapped at 100 columns off a terminal: read it with continuation lines joined
    const flat = r.stdout.replace(/\n +/g, " ");
    expect(flat).toMatch(
      /Network path {2}eni-0a1b2c3d4e5f60011 \(10\.20\.1\.15\) -> sts\.eu-west-1\.amazonaws\.com:443 {2}blocked at\s+security-group-egress/,
    );
    expect(flat).toMatch(/✘ security-group-egress +no egress rule of sg-0a1b2c3d4e5f60021 allows TCP 443/);
    expect(r.stdout).toContain("not modelled:");
    for (const format of ["markdown", "html"]) {
      const f = run(["diagnose", "--bundle", join(fixtures, "sg-no-443-egress"), "--format", format]);
      expect(f.stdout).toContain("security-group-egress");
      expect(f.stdout).toContain("Not modelled");
    }
  });

  it("--network files and --instance on the command line (flags over the bundle)", () => {
    const dir = join(fixtures, "sg-no-443-egress", "network");
    const d = diagnoseJson([
      'Connect timeout on endpoint URL: "https://sts.eu-west-1.amazonaws.com/"',
      "--instance",
      "i-0123456789abcdef0",
      "--network",
      join(dir, "instances.json"),
      join(dir, "security-groups.json"),
      join(dir, "network-acls.json"),
      join(dir, "route-tables.json"),
    ]);
    expect(d.network.reach.source.chosen).toBe("the named instance i-0123456789abcdef0");
    expect(d.network.documents).toHaveLength(4);
    expect(d.network.reach.blocked.kind).toBe("security-group-egress");
  });

  it("a --network file that is not an EC2 describe output is a usage error naming it (exit 2)", () => {
    const bad = join(tmp, "not-network.json");
    writeFileSync(bad, JSON.stringify({ Users: [] }));
    const r = run(["diagnose", "x", "--network", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`${bad}: not the output of an EC2 describe command`);
    const broken = join(tmp, "broken.json");
    writeFileSync(broken, '{"SecurityGroups": [');
    const b = run(["diagnose", "x", "--network", broken]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/broken\.json \(line 1, column \d+\): invalid JSON/);
    const id = run(["diagnose", "x", "--instance", "web-1"]);
    expect(id.code).toBe(2);
    expect(id.stderr).toContain("--instance: not an instance id (i-…): `web-1`");
  });
});
