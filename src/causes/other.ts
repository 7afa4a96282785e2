// OTHER: known failures outside the taxonomy's specific causes — config loops, account state, route errors... (§1.6, §1.11, §1.19–§1.23).

import { trailTimeline } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { codeIs, factsOf, has } from "./facts.js";
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
