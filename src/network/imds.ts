// Instance metadata (IMDS) as a credential source: is it reachable from where the program runs?
// IMDSv2 needs a PUT for a token whose response must survive the hops to the caller; a container behind a
// bridge network adds one hop, so a hop limit of 1 drops the response
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html,
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html).
// AWS_EC2_METADATA_DISABLED turns the source off in the SDKs and the CLI
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-imds-credentials.html); botocore reads the proxy
// variables for its metadata requests too (botocore/utils.py IMDSFetcher uses the environment's proxies).

import { sh } from "./endpoint.js";
import type { NetworkFinding } from "./findings.js";
import { proxyFor } from "./proxy.js";
import type { Instance } from "./types.js";

export const IMDS_HOST = "169.254.169.254";

export interface ImdsInput {
  /** The failing instance, with its `MetadataOptions` (describe-instances). */
  instance?: Instance;
  /** The failing program's environment (env.txt or this machine's). */
  env: Record<string, string | undefined>;
  /** Whether the program runs in a container: true, false or unknown. */
  container?: boolean;
  /** Whose credential chain: `js`, `python` or `cli`. */
  sdk?: string;
  /** Where the environment came from, for evidence lines (`env.txt`). */
  envOrigin: string;
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && /^(true|1|yes)$/i.test(v.trim());
}

/** Every IMDS finding the evidence supports, strongest first. */
export function checkImds(input: ImdsInput): NetworkFinding[] {
  const out: NetworkFinding[] = [];
  const { env, instance } = input;
  const id = instance?.id;
  const m = instance?.metadata;
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) {
    out.push({
      code: "container-credentials",
      severity: "info",
      text: "the container credential endpoint is configured: the SDKs use it before instance metadata",
      evidence: `${input.envOrigin} ${env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ? "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" : "AWS_CONTAINER_CREDENTIALS_FULL_URI"}`,
    });
  }
  if (truthy(env.AWS_EC2_METADATA_DISABLED)) {
    out.push({
      code: "imds-disabled-by-env",
      severity: "blocks",
      text: "AWS_EC2_METADATA_DISABLED is set: the credential chain never asks the instance metadata service, so the instance role is not used",
      evidence: `${input.envOrigin} AWS_EC2_METADATA_DISABLED=${env.AWS_EC2_METADATA_DISABLED}`,
      fix: {
        summary: "remove AWS_EC2_METADATA_DISABLED from the program's environment",
        commands: ["unset AWS_EC2_METADATA_DISABLED"],
      },
    });
  }
  if (m?.httpEndpoint === "disabled" && id) {
    out.push({
      code: "imds-endpoint-disabled",
      severity: "blocks",
      text: `the metadata service of ${id} is turned off (HttpEndpoint disabled): the instance role's credentials cannot be fetched`,
      evidence: `describe-instances ${id} MetadataOptions.HttpEndpoint = disabled`,
      fix: {
        summary: `turn the metadata service of ${id} back on`,
        commands: [`aws ec2 modify-instance-metadata-options --instance-id ${id} --http-endpoint enabled`],
      },
    });
  }
  const hop = m?.httpPutResponseHopLimit;
  if (id && m && hop !== undefined && hop < 2 && m.httpEndpoint !== "disabled") {
    const required = m.httpTokens === "required";
    const v1Off = truthy(env.AWS_EC2_METADATA_V1_DISABLED);
    const evidence = `describe-instances ${id} MetadataOptions: HttpTokens ${m.httpTokens ?? "?"}, HttpPutResponseHopLimit ${hop}`;
    const fix = {
      summary: `raise the PUT response hop limit of ${id} to 2 so the token answer reaches the container`,
      commands: [
        `aws ec2 modify-instance-metadata-options --instance-id ${id} --http-put-response-hop-limit 2 --http-endpoint enabled`,
      ],
    };
    if (input.container === true && (required || v1Off)) {
      out.push({
        code: "imds-hop-limit",
        severity: "blocks",
        text: `the program runs in a container on ${id}, which ${required ? "requires IMDSv2" : "has IMDSv1 turned off in the SDK (AWS_EC2_METADATA_V1_DISABLED)"} with a hop limit of ${hop}: the token answer is dropped one hop short of the container, so no credentials come back`,
        evidence,
        fix,
      });
    } else if (input.container === true) {
      out.push({
        code: "imds-hop-limit-fallback",
        severity: "risk",
        text: `the program runs in a container on ${id} with a hop limit of ${hop}: the IMDSv2 token request times out and the SDK falls back to IMDSv1 (slow; fails as soon as IMDSv2 is required)`,
        evidence,
        fix,
      });
    } else if (input.container === undefined && required) {
      out.push({
        code: "imds-hop-limit",
        severity: "risk",
        text: `${id} requires IMDSv2 with a hop limit of ${hop}: a program in a container on it (Docker bridge network, EKS pod without host networking) gets no credentials`,
        evidence,
        fix,
      });
    }
  }
  const proxy = proxyFor(`http://${IMDS_HOST}/`, env);
  if (proxy.proxy) {
    const js = input.sdk === "js";
    const noProxy = proxy.noProxyRaw;
    out.push({
      code: "imds-proxied",
      severity: js ? "info" : "risk",
      text: js
        ? `${proxy.variable} is set and NO_PROXY does not list ${IMDS_HOST}; the JavaScript SDK's metadata client ignores proxies, but other tools on the machine (AWS CLI, boto3) send metadata requests to the proxy`
        : `${proxy.variable} is set and NO_PROXY does not list ${IMDS_HOST}: the AWS CLI and boto3 send instance metadata requests to the proxy, which cannot reach the link-local address`,
      evidence: `${input.envOrigin} ${proxy.variable}=${proxy.proxy}; NO_PROXY=${noProxy ?? "(not set)"}`,
      fix: {
        summary: `add ${IMDS_HOST} (and the container endpoint 169.254.170.2) to NO_PROXY`,
        commands: [`export NO_PROXY=${sh([noProxy, IMDS_HOST, "169.254.170.2"].filter(Boolean).join(","))}`],
      },
    });
  }
  if (env.AWS_EC2_METADATA_SERVICE_ENDPOINT) {
    out.push({
      code: "imds-endpoint-override",
      severity: "info",
      text: `the metadata endpoint is overridden: ${env.AWS_EC2_METADATA_SERVICE_ENDPOINT}`,
      evidence: `${input.envOrigin} AWS_EC2_METADATA_SERVICE_ENDPOINT`,
    });
  }
  const rank = { blocks: 0, risk: 1, info: 2 };
  return out.sort((a, b) => rank[a.severity] - rank[b.severity]);
}
