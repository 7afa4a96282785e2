import { describe, expect, it } from "vitest";
import {
  checkEndpointOverride,
  checkImds,
  checkProxies,
  hostLabels,
  proxyFor,
} from "../../src/network/index.js";
import { fixtureEvidence } from "./helpers.js";

const instance = fixtureEvidence("container-hop-limit-1").instances[0]!;

describe("checkImds", () => {
  it("container on an instance with IMDSv2 required and hop limit 1 is blocked; fix raises the limit", () => {
    const [f] = checkImds({ instance, env: {}, container: true, envOrigin: "env.txt" });
    expect(f).toMatchObject({ code: "imds-hop-limit", severity: "blocks" });
    expect(f!.evidence).toBe(
      "describe-instances i-0123456789abcdef0 MetadataOptions: HttpTokens required, HttpPutResponseHopLimit 1",
    );
    expect(f!.fix!.commands).toEqual([
      "aws ec2 modify-instance-metadata-options --instance-id i-0123456789abcdef0 --http-put-response-hop-limit 2 --http-endpoint enabled",
    ]);
  });

  it("not in a container: hop limit 1 is fine; unknown: a risk", () => {
    expect(checkImds({ instance, env: {}, container: false, envOrigin: "env.txt" })).toEqual([]);
    expect(checkImds({ instance, env: {}, envOrigin: "env.txt" })[0]).toMatchObject({
      code: "imds-hop-limit",
      severity: "risk",
    });
  });

  it("IMDSv1 still allowed: the SDK falls back, unless v1 is turned off in the SDK", () => {
    const optional = { ...instance, metadata: { ...instance.metadata, httpTokens: "optional" } };
    expect(checkImds({ instance: optional, env: {}, container: true, envOrigin: "e" })[0]?.code).toBe(
      "imds-hop-limit-fallback",
    );
    expect(
      checkImds({
        instance: optional,
        env: { AWS_EC2_METADATA_V1_DISABLED: "true" },
        container: true,
        envOrigin: "e",
      })[0],
    ).toMatchObject({ code: "imds-hop-limit", severity: "blocks" });
  });

  it("metadata endpoint off, AWS_EC2_METADATA_DISABLED, proxy without NO_PROXY", () => {
    const off = { ...instance, metadata: { ...instance.metadata, httpEndpoint: "disabled" } };
    expect(checkImds({ instance: off, env: {}, envOrigin: "e" })[0]).toMatchObject({
      code: "imds-endpoint-disabled",
    });
    expect(checkImds({ env: { AWS_EC2_METADATA_DISABLED: "true" }, envOrigin: "env.txt" })[0]).toMatchObject({
      code: "imds-disabled-by-env",
      severity: "blocks",
      evidence: "env.txt AWS_EC2_METADATA_DISABLED=true",
    });
    const p = checkImds({
      env: { HTTP_PROXY: "http://bob:secret@proxy:3128", NO_PROXY: "localhost" },
      envOrigin: "env.txt",
      sdk: "python",
    });
    expect(p[0]).toMatchObject({ code: "imds-proxied", severity: "risk" });
    expect(JSON.stringify(p)).not.toContain("secret");
    expect(p[0]!.fix!.commands[0]).toBe("export NO_PROXY=localhost,169.254.169.254,169.254.170.2");
    expect(
      checkImds({ env: { HTTP_PROXY: "http://proxy:3128", NO_PROXY: "169.254.0.0/16" }, envOrigin: "e" }),
    ).toEqual([]);
    expect(
      checkImds({ env: { HTTP_PROXY: "http://proxy:3128" }, envOrigin: "e", sdk: "js" })[0]?.severity,
    ).toBe("info");
  });
});

describe("proxies", () => {
  it("proxyFor honours NO_PROXY hosts, suffixes, CIDRs and *", () => {
    const env = { HTTPS_PROXY: "http://proxy:3128", NO_PROXY: ".internal, amazonaws.com,10.0.0.0/8" };
    expect(proxyFor("https://sts.eu-west-1.amazonaws.com/", env).bypassedBy).toBe("amazonaws.com");
    expect(proxyFor("https://10.1.2.3/", env).bypassedBy).toBe("10.0.0.0/8");
    expect(proxyFor("https://example.com/", env).proxy).toBe("http://proxy:3128");
    expect(proxyFor("https://example.com/", { ...env, no_proxy: "*", NO_PROXY: "" }).bypassedBy).toBe("*");
    expect(proxyFor("http://example.com/", env).proxy).toBeUndefined();
  });

  it("a VPC endpoint host missing from NO_PROXY bypasses the endpoint", () => {
    const [f] = checkProxies({
      env: { HTTPS_PROXY: "http://proxy.corp:3128", NO_PROXY: "localhost" },
      envOrigin: "env.txt",
      endpoints: [
        {
          host: "kms.eu-west-1.amazonaws.com",
          endpointId: "vpce-0a1b2c3d4e5f60051",
          why: "private DNS of vpce-0a1b2c3d4e5f60051",
        },
      ],
    });
    expect(f).toMatchObject({ code: "proxy-bypasses-endpoint", severity: "blocks" });
    expect(f!.fix!.commands[0]).toBe("export NO_PROXY=localhost,kms.eu-west-1.amazonaws.com");
  });

  it("signature failure through an intercepting proxy", () => {
    const [f] = checkProxies({
      env: { HTTPS_PROXY: "http://proxy.corp:3128", AWS_CA_BUNDLE: "/etc/corp-ca.pem" },
      envOrigin: "env.txt",
      endpoints: [{ host: "s3.eu-west-1.amazonaws.com", why: "the endpoint the error names" }],
      signatureFailure: true,
    });
    expect(f).toMatchObject({ code: "proxy-intercepts-tls", severity: "risk" });
  });
});

describe("endpoint overrides", () => {
  it("reads region and service labels of AWS hosts", () => {
    expect(hostLabels("sts.eu-west-1.amazonaws.com")).toEqual({
      region: "eu-west-1",
      service: "sts",
      aws: true,
    });
    expect(hostLabels("vpce-0a1b-7h3k.kms.eu-west-1.vpce.amazonaws.com")).toMatchObject({
      region: "eu-west-1",
      service: "kms",
    });
    expect(hostLabels("kms-fips.us-east-1.amazonaws.com").service).toBe("kms");
  });

  it("a service override pointing at another region or service", () => {
    const env = { AWS_ENDPOINT_URL_STS: "https://sts.us-east-2.amazonaws.com" };
    const [f] = checkEndpointOverride({ env, envOrigin: "env.txt", service: "sts", region: "eu-west-1" });
    expect(f).toMatchObject({
      code: "endpoint-wrong-region",
      severity: "blocks",
      evidence: "env.txt AWS_ENDPOINT_URL_STS = https://sts.us-east-2.amazonaws.com",
    });
    expect(f!.fix!.commands).toEqual(["unset AWS_ENDPOINT_URL_STS"]);
    const s = checkEndpointOverride({
      env: { AWS_ENDPOINT_URL_SECRETS_MANAGER: "https://ssm.eu-west-1.amazonaws.com" },
      envOrigin: "e",
      service: "secretsmanager",
      region: "eu-west-1",
    });
    expect(s[0]?.code).toBe("endpoint-wrong-service");
  });

  it("a local emulator, a profile endpoint_url, and the switch that ignores overrides", () => {
    expect(
      checkEndpointOverride({
        env: { AWS_ENDPOINT_URL: "http://localhost:4566" },
        envOrigin: "e",
        service: "s3",
      })[0]?.code,
    ).toBe("endpoint-local");
    const cfg = [
      { url: "https://s3.eu-central-1.amazonaws.com", origin: "aws/config [profile app] endpoint_url" },
    ];
    expect(
      checkEndpointOverride({
        env: {},
        envOrigin: "e",
        configured: cfg,
        service: "s3",
        region: "eu-west-1",
      })[0]?.code,
    ).toBe("endpoint-wrong-region");
    expect(
      checkEndpointOverride({
        env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" },
        envOrigin: "e",
        configured: cfg,
        service: "s3",
        region: "eu-west-1",
      }),
    ).toEqual([]);
  });
});
