// OTHER: known failures outside the taxonomy's specific causes — config loops, account state, route errors... (§1.6, §1.11, §1.19–§1.23).

import type { Check, Fix } from "../core/diagnosis.js";
import { sh, trailTimeline } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { codeIs, type Facts, factsOf, has } from "./facts.js";
import { authFailure, missingAuthToken } from "./signatures.js";

const KNOWN: [RegExp, number, string][] = [
  [
    /KeyPairMismatch|public key certificate and the private key do not match/i,
    0.9,
    "a server certificate and its private key do not match (not an access-key problem)",
  ],
  [
    /Detected a cycle attempting to resolve credentials|Infinite loop in credential configuration/i,
    0.88,
    "the profiles refer to each other in a loop",
  ],
  [/Unsupported credential source in profile/i, 0.85, "the profile's credential_source is not supported"],
  [
    /AllAccessDisabled|All access to this Amazon S3 resource has been disabled|AccountProblem/i,
    0.85,
    "the account or bucket is disabled (account state)",
  ],
  [
    /InvalidCiphertext/i,
    0.85,
    "the ciphertext is corrupted or the encryption context differs (not a permission problem)",
  ],
  [
    /InvalidAuthorizationMessage/i,
    0.7,
    "the encoded authorization message was altered, truncated or expired",
  ],
  [
    /Throttling|Rate exceeded|RequestLimitExceeded|TooManyRequests|SlowDown/i,
    0.75,
    "the request was throttled, not refused",
  ],
  [
    /MalformedCertificate|certificate (?:body |chain )?(?:is |was )?(?:malformed|expired|not valid|invalid)/i,
    0.85,
    "the server certificate, its key or its chain is malformed or expired (not an access problem)",
  ],
  [/MalformedPolicyDocument/i, 0.7, "a policy document is malformed"],
  [/X-Amz-Expires|pre-?signed/i, 0.3, "a pre-signed URL can simply be past X-Amz-Expires"],
  [
    /account (is )?(suspended|closed)|account has been (suspended|closed)/i,
    0.8,
    "the account is suspended or closed",
  ],
];

export default defineCause({
  id: "OTHER",
  title: "Something outside the common causes",
  summary:
    "The text matches a known failure that is not one of the specific root causes (account state, configuration loop, missing route, throttling...).",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    for (const [re, w, text] of KNOWN) s.when(has(f, re), w, text, { group: "known" });
    s.when(
      missingAuthToken(f) && !has(f, /valid \(registered\)/i),
      0.55,
      "API Gateway answers routes, methods or stages that do not exist with `Missing Authentication Token`",
      { group: "known" },
    );
    s.when(
      codeIs(f, "optinrequired") || has(f, /not subscribed to this service/i),
      0.3,
      "a new account whose sign-up is incomplete gets `OptInRequired` too",
      { group: "known" },
    );
    s.when(authFailure(f), 0.05, "a suspended or closed account also gets AuthFailure");
    s.when(
      has(f, /'[^']+' not a valid key=value pair/i) && !has(f, /Bearer|Credential=\s/i),
      0.35,
      "API Gateway answers an undeployed route with an Authorization header this way",
      { group: "known" },
    );
    // S3 Object Ownership "bucket owner enforced" turns ACLs off: a request that sets one is refused
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html).
    s.when(
      has(f, /AccessControlListNotSupported|The bucket does not allow ACLs/i),
      0.8,
      "the bucket has ACLs disabled (Object Ownership: bucket owner enforced) and the request sets an ACL",
      { group: "known" },
    );
    // Amazon Bedrock: model access must be granted per model and region
    // (https://docs.aws.amazon.com/bedrock/latest/userguide/model-access.html).
    s.when(
      has(f, /You don't have access to the model with the specified model ID/i),
      0.7,
      "the account has not been granted access to this Bedrock model in this region",
      { group: "known" },
    );
    // EKS: an IAM identity that authenticates but is not mapped to a Kubernetes user (access entry or aws-auth)
    // (https://docs.aws.amazon.com/eks/latest/userguide/troubleshooting.html#unauthorized).
    s.when(
      has(f, /You must be logged in to the server \(Unauthorized\)/i),
      0.6,
      "EKS: the IAM identity is not mapped to a Kubernetes user (no access entry, or missing from aws-auth)",
      { group: "known" },
    );
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    if (certificateFailure(f)) return certificateChecks(f);
    return missingAuthToken(f)
      ? [
          {
            text: "check that the stage, resource path and method exist and were deployed",
            command:
              "aws apigateway get-resources --rest-api-id <api-id> --query 'items[].[path,resourceMethods]'",
          },
        ]
      : [
          { text: "confirm the credentials work at all", command: "aws sts get-caller-identity" },
          {
            text: "look for the call and its error in CloudTrail",
            command: trailTimeline(factsOf(e)),
          },
        ];
  },
  fix: (e) => {
    const f = factsOf(e);
    if (certificateFailure(f)) return certificateFix(f);
    return missingAuthToken(f)
      ? {
          summary: "call an existing, deployed route (or sign the request if the method uses IAM auth)",
          steps: [
            "check the URL: https://{api-id}.execute-api.{region}.amazonaws.com/{stage}/{path}",
            "redeploy the stage after changes",
          ],
          commands: ["aws apigateway create-deployment --rest-api-id <api-id> --stage-name <stage>"],
        }
      : {
          summary: "address the specific condition named in the message",
          steps: ["read the message's own hint; this is not a credential or policy problem"],
          commands: [],
        };
  },
});

/**
 * A server certificate upload refused for its content: IAM UploadServerCertificate (and ACM ImportCertificate)
 * answer KeyPairMismatch when the private key is not the certificate's, MalformedCertificate when a PEM body is
 * malformed or expired. The certificate, key and chain must each be PEM; the key unencrypted; the chain apart.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_UploadServerCertificate.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html
 */
export function certificateFailure(f: Facts): boolean {
  return (
    codeIs(f, "keypairmismatch", "malformedcertificate") ||
    has(
      f,
      /KeyPairMismatch|MalformedCertificate|public key certificate and the private key do not match|certificate (?:body |chain )?(?:is |was )?(?:malformed|expired|not valid|invalid)/i,
    )
  );
}

/** The file a pasted command passed for a parameter (`--private-key file://key.pem`), else the usual name. */
function fileOf(f: Facts, flag: string, fallback: string): string {
  const re = new RegExp(`--${flag}[= ]+(?:fileb?://)?([^\\s'"]+)`);
  return re.exec(f.text)?.[1] ?? fallback;
}

function certFiles(f: Facts): { cert: string; key: string; chain: string } {
  return {
    cert: fileOf(f, "certificate-body", fileOf(f, "certificate", "cert.pem")),
    key: fileOf(f, "private-key", "key.pem"),
    chain: fileOf(f, "certificate-chain", "chain.pem"),
  };
}

function certificateChecks(f: Facts): Check[] {
  const { cert, key } = certFiles(f);
  const mismatch = has(f, /KeyPairMismatch|do not match/i);
  const compare: Check[] = [
    {
      text: `the digest of the certificate's public key (RSA or EC; ${cert} is the certificate body you uploaded)...`,
      command: `openssl x509 -noout -pubkey -in ${sh(cert)} | openssl sha256`,
    },
    {
      text: `...must equal the digest of the private key's public key (${key}); different digests: the key is not this certificate's`,
      command: `openssl pkey -pubout -in ${sh(key)} | openssl sha256`,
    },
  ];
  const format: Check[] = [
    {
      text: "the key must be unencrypted PEM: the first line reads BEGIN PRIVATE KEY (or BEGIN RSA/EC PRIVATE KEY), never ENCRYPTED",
      command: `head -1 ${sh(key)}`,
    },
    {
      text: "the certificate body holds the server certificate alone (1); intermediates go in the chain file",
      command: `grep -c 'BEGIN CERTIFICATE' ${sh(cert)}`,
    },
    {
      text: "the certificate's subject and validity: an expired or not-yet-valid certificate is refused as malformed",
      command: `openssl x509 -noout -subject -dates -in ${sh(cert)}`,
    },
  ];
  return mismatch ? [...compare, ...format] : [...format, ...compare];
}

function certificateFix(f: Facts): Fix {
  const { cert, key, chain } = certFiles(f);
  const name = /--server-certificate-name[= ]+([^\s'"]+)/.exec(f.text)?.[1];
  const mismatch = has(f, /KeyPairMismatch|do not match/i);
  return {
    summary: mismatch
      ? "upload the certificate with the private key it was issued for (the public key digests match), unencrypted PEM, chain apart"
      : "upload a valid, unexpired PEM certificate, its unencrypted PEM key and the chain apart",
    steps: [
      "the right key is the one whose public key digest equals the certificate's (the key the CSR was made with)",
      `an encrypted key: \`openssl pkey -in ${sh(key)} -out key-plain.pem\` asks for the passphrase and writes it unencrypted`,
      "a PEM bundle: split it, the server certificate alone in the body, the intermediates (leaf's issuer first) in the chain",
      "in a region ACM supports, AWS recommends ACM over IAM for server certificates: import the same three files there",
    ],
    commands: [
      `aws iam upload-server-certificate --server-certificate-name ${name ? sh(name) : "<server-certificate-name>"} --certificate-body ${sh(`file://${cert}`)} --private-key ${sh(`file://${key}`)} --certificate-chain ${sh(`file://${chain}`)}`,
      `aws acm import-certificate --certificate ${sh(`fileb://${cert}`)} --private-key ${sh(`fileb://${key}`)} --certificate-chain ${sh(`fileb://${chain}`)}${f.region ? ` --region ${sh(f.region)}` : ""}`,
    ],
  };
}
