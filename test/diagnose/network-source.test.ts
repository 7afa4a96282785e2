// The network source on its own: files, target choice, endpoint policy through the IAM engine, live IMDS.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { networkSource } from "../../src/diagnose/sources/network.js";
import { parseFailures } from "../../src/errors/index.js";
import { FIXTURES } from "../network/helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "authdoctor-network-source-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const files = (bundle: string, names: string[]) => names.map((n) => join(FIXTURES, bundle, "network", n));
const PRIVATE_DNS = files("endpoint-without-private-dns", [
  "instances.json",
  "security-groups.json",
  "network-acls.json",
  "route-tables.json",
  "endpoint-interfaces.json",
]);

function endpointFile(policy: object, privateDns = true): string {
  const path = join(tmp, `vpce-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      VpcEndpoints: [
        {
          VpcEndpointId: "vpce-0a1b2c3d4e5f60051",
          VpcEndpointType: "Interface",
          VpcId: "vpc-0f1e2d3c4b5a69788",
          ServiceName: "com.amazonaws.eu-west-1.kms",
          State: "available",
          PolicyDocument: JSON.stringify(policy),
          SubnetIds: ["subnet-0a1b2c3d4e5f60002"],
          Groups: [{ GroupId: "sg-0a1b2c3d4e5f60022", GroupName: "vpce-https" }],
          PrivateDnsEnabled: privateDns,
          NetworkInterfaceIds: ["eni-0a1b2c3d4e5f60012"],
          DnsEntries: [],
        },
      ],
    }),
  );
  return path;
}

const base: { machine: object; env: Record<string, string>; envOrigin: string; text: string; live: boolean } =
  {
    machine: {},
    env: { AWS_REGION: "eu-west-1" },
    envOrigin: "env.txt",
    text: "An error occurred (AccessDeniedException) when calling the Decrypt operation: User: arn:aws:sts::111122223333:assumed-role/app/i-0123 is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab with an explicit deny in a VPC endpoint policy",
    live: false,
  };
const kmsFailure = parseFailures(base.text)[0]!;

describe("networkSource", () => {
  it("evaluates the VPC endpoint policy with the IAM engine and confirms VPC_ENDPOINT_POLICY", async () => {
    const deny = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" },
        { Sid: "NoDecrypt", Effect: "Deny", Principal: "*", Action: "kms:Decrypt", Resource: "*" },
      ],
    };
    const o = await networkSource({
      ...base,
      failure: kmsFailure,
      files: [...PRIVATE_DNS, endpointFile(deny)],
      request: {
        principal: "arn:aws:sts::111122223333:assumed-role/app/i-0123",
        action: "kms:Decrypt",
        resource: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        region: "eu-west-1",
      },
    });
    expect(o.network?.reach?.path).toBe("interface-endpoint");
    expect(o.network?.reach?.target.host).toBe("kms.eu-west-1.amazonaws.com");
    expect(o.network?.reach?.blocked).toMatchObject({ kind: "endpoint-policy" });
    expect(o.network?.reach?.blocked?.evidence).toContain("NoDecrypt");
    expect(o.signals).toContainEqual(
      expect.objectContaining({ cause: "VPC_ENDPOINT_POLICY", effect: "confirms" }),
    );
    expect(o.evidenceFix?.cause).toBe("VPC_ENDPOINT_POLICY");
  });

  it("an allowing endpoint policy passes the last hop", async () => {
    const allow = { Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] };
    const o = await networkSource({
      ...base,
      failure: kmsFailure,
      files: [...PRIVATE_DNS, endpointFile(allow)],
      request: {
        principal: "arn:aws:iam::111122223333:role/app",
        action: "kms:Decrypt",
        region: "eu-west-1",
      },
    });
    expect(o.network?.reach?.hops.at(-1)).toMatchObject({ kind: "endpoint-policy", status: "pass" });
  });

  it("a bundle file of another shape becomes an unknown; the rest goes on", async () => {
    const bad = join(tmp, "users.json");
    writeFileSync(bad, JSON.stringify({ Users: [] }));
    const o = await networkSource({
      ...base,
      failure: kmsFailure,
      files: [bad, ...PRIVATE_DNS],
      request: { region: "eu-west-1" },
    });
    expect(o.checked).toContainEqual(
      expect.objectContaining({ source: `network: ${bad}`, status: "failed" }),
    );
    expect(o.network?.documents).toHaveLength(5);
  });

  it("an AWS_ENDPOINT_URL_<SERVICE> override is the target, and a wrong-region one is a finding", async () => {
    const o = await networkSource({
      ...base,
      failure: kmsFailure,
      env: { AWS_REGION: "eu-west-1", AWS_ENDPOINT_URL_KMS: "https://kms.us-east-1.amazonaws.com" },
      files: PRIVATE_DNS,
      request: { region: "eu-west-1" },
    });
    expect(o.network?.reach?.target).toMatchObject({
      host: "kms.us-east-1.amazonaws.com",
      origin: "env.txt AWS_ENDPOINT_URL_KMS",
    });
    expect(o.network?.findings.map((f) => f.code)).toContain("endpoint-wrong-region");
  });

  it("with --live runs the injected IMDS probe and passes its audit on", async () => {
    const o = await networkSource({
      ...base,
      failure: null,
      text: "botocore.exceptions.NoCredentialsError: Unable to locate credentials",
      files: files("container-hop-limit-1", ["instances.json"]),
      machine: { container: true },
      request: { region: "eu-west-1" },
      live: true,
      probeImds: async () => ({
        result: {
          endpoint: "http://169.254.169.254",
          outcome: "timeout",
          detail: "no answer within 1000 ms",
        },
        audit: {
          operation: "imds:GetToken",
          region: "-",
          endpoint: "http://169.254.169.254/latest/api/token",
          outcome: "timeout",
          ms: 1000,
          attempts: 1,
          detail: "no answer within 1000 ms",
        },
      }),
    });
    expect(o.network?.imds?.outcome).toBe("timeout");
    expect(o.audit?.map((a) => a.operation)).toEqual(["imds:GetToken"]);
    expect(o.signals).toContainEqual(
      expect.objectContaining({ cause: "NETWORK_PATH", source: "live: imds", effect: "supports" }),
    );
  });
});
