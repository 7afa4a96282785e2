// NETWORK_PATH: network, DNS, proxy, TLS or metadata-endpoint problems that look like auth failures (docs/aws-facts.md §7, §1.4, §1.15, §1.21).

import { defineCause, Scorer } from "./define.js";
import { codeIs, factsOf, has } from "./facts.js";
import { connectionFailure, signatureMismatch, tokenInvalid } from "./signatures.js";

export default defineCause({
  id: "NETWORK_PATH",
  title: "Network, DNS, proxy or metadata-endpoint problem",
  summary:
    "The request did not reach AWS intact: timeouts, DNS, TLS interception, a proxy rewriting signed headers, an unreachable instance metadata endpoint or a leftover endpoint override.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(connectionFailure(f), 0.82, "the request got no HTTP answer (connection, DNS or TLS failure)", {
      group: "net",
    });
    s.when(codeIs(f, "idpcommunicationerror"), 0.6, "STS could not reach the identity provider's keys", {
      group: "net",
    });
    s.when(has(f, /Couldn't retrieve verification key/i), 0.5, "STS could not fetch the IdP's JWKS", {
      group: "net",
    });
    s.when(
      has(
        f,
        /169\.254\.169\.254|169\.254\.170\.2|no EC2 IMDS role found|EC2RoleRequestError|ec2imds|Instance Metadata Service|IMDS/,
      ),
      0.5,
      "the instance/container metadata endpoint did not answer",
      { group: "net" },
    );
    s.when(
      has(f, /localhost:\d+|127\.0\.0\.1|:4566\b|AWS_ENDPOINT_URL/i),
      0.45,
      "a local endpoint override (emulator) is involved",
      { group: "net" },
    );
    s.when(
      has(f, /localhost:\d+|127\.0\.0\.1|:4566\b|AWS_ENDPOINT_URL/i) && tokenInvalid(f),
      0.15,
      "real keys sent to an emulator, or emulator keys sent to AWS, are not recognised",
      { group: "emulator" },
    );
    s.when(
      has(f, /unable to locate credentials|could not load credentials from any providers/i),
      0.15,
      "on EC2/ECS an unreachable metadata endpoint (hop limit 1) looks like missing credentials",
    );
    s.when(
      signatureMismatch(f),
      0.12,
      "a proxy or WAF that rewrites signed headers, Host or body breaks the signature",
    );
    s.when(
      tokenInvalid(f) && codeIs(f, "unrecognizedclient"),
      0.05,
      "real keys sent to an emulator (or the reverse) are unrecognised",
      { group: "emulator" },
    );
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    const host = /https?:\/\/([^/\s"']+)/.exec(f.text)?.[1] ?? `sts.${f.region ?? "us-east-1"}.amazonaws.com`;
    return [
      {
        text: "resolve and reach the endpoint",
        command: `curl -sv https://${host}/ -o /dev/null 2>&1 | head -20`,
      },
      {
        text: "look for endpoint overrides and proxies",
        command: "env | grep -iE '^(AWS_ENDPOINT_URL|HTTPS?_PROXY|NO_PROXY)'",
      },
      {
        text: "on EC2: the metadata hop limit must be 2 for containers",
        command:
          "aws ec2 describe-instances --instance-ids <instance-id> --query 'Reservations[].Instances[].MetadataOptions'",
      },
    ];
  },
  fix: () => ({
    summary: "give the client a clean path to the AWS endpoint",
    steps: [
      "open egress 443 (security group, NACL, firewall) or add a VPC endpoint; use regional STS behind VPC endpoints",
      "remove leftover AWS_ENDPOINT_URL* overrides and proxies that rewrite requests; trust the proxy CA via AWS_CA_BUNDLE",
      "for containers on EC2 set the metadata hop limit to 2",
    ],
    commands: [
      "aws ec2 modify-instance-metadata-options --instance-id <instance-id> --http-put-response-hop-limit 2",
    ],
  }),
});
