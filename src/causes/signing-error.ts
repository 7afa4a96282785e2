// SIGNING_ERROR: SigV4 computed wrongly — custom signer, wrong service, header rewriting, encoding, body hash (§1.4, §1.5, §1.24).

import { defineCause, Scorer } from "./define.js";
import { codeIs, factsOf, has } from "./facts.js";
import { authFailure, missingAuthToken, signatureMismatch } from "./signatures.js";

export default defineCause({
  id: "SIGNING_ERROR",
  title: "The request was signed incorrectly",
  summary:
    "The signature was computed over something else than what AWS received: a hand-rolled signer, wrong service or region in the scope, unencoded path, wrong payload hash, or a header changed after signing.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(
      signatureMismatch(f),
      0.35,
      "a signature mismatch also comes from signing a different request than the one sent",
      {
        group: "sig",
      },
    );
    s.when(
      has(
        f,
        /Credential should be scoped to correct service|Credential should be scoped with a valid terminator/i,
      ),
      0.85,
      "the credential scope names the wrong service or terminator",
      { group: "sig" },
    );
    s.when(
      has(f, /x-amz-content-sha256.{0,40}does not match|XAmzContentSHA256Mismatch/i),
      0.85,
      "the payload hash does not match the body sent",
      {
        group: "sig",
      },
    );
    s.when(
      has(f, /Date in Credential scope does not match/i),
      0.45,
      "the scope date differs from the request date",
      {
        group: "sig",
      },
    );
    s.when(
      has(f, /request signature doesn't conform to AWS standards/i),
      0.5,
      "the signature is not valid SigV4",
      {
        group: "sig",
      },
    );
    s.when(
      codeIs(f, "incompletesignature") ||
        has(f, /Authorization header requires '(Credential|Signature|SignedHeaders)' parameter/i),
      0.3,
      "the Authorization header is not a complete SigV4 header",
      { group: "sig" },
    );
    s.when(has(f, /Credential should be scoped to a valid Region/i), 0.3, "the scope's region is wrong", {
      group: "sig",
    });
    s.when(
      has(f, /Canonical String for this request should have been|<CanonicalRequest>/i),
      0.12,
      "AWS returned its canonical request: compare it with the client's",
    );
    s.when(
      (signatureMismatch(f) && f.service === "execute-api") || has(f, /execute-api/i),
      0.15,
      "calls to API Gateway with IAM auth are often signed by custom code",
    );
    s.when(authFailure(f) && !f.optInRegion, 0.06, "EC2 rejects some malformed scopes as AuthFailure");
    s.when(
      missingAuthToken(f) && has(f, /must contain either a valid \(registered\)/i),
      0.2,
      "the service received no usable signature",
    );
    return s.result();
  },
  checks: (e) => [
    debugCheck(factsOf(e)),
    {
      text: "retry the same call with the AWS CLI or an SDK signer: if it works, the custom signer is at fault",
      command: "aws sts get-caller-identity",
    },
  ],
  fix: () => ({
    summary: "sign with an SDK signer and the right service, region and payload",
    steps: [
      "use @smithy/signature-v4, botocore's SigV4Auth or aws-sigv4 instead of hand-written signing",
      "sign exactly what is sent: method, URI-encoded path, sorted query, Host, body hash",
      "use the service's signing name (execute-api, es, s3...) and the endpoint's region",
    ],
    commands: [],
  }),
});

/**
 * Compare the signature's inputs with AWS's: the AWS CLI logs its canonical request and string to sign with
 * --debug. No command is printed: the failing call's own parameters are not in the error text, and a command
 * missing required parameters would not run.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html
 */
function debugCheck(f: ReturnType<typeof factsOf>): { text: string } {
  const service = f.failure.service;
  const op = f.failure.operation;
  const call = service && op ? `the same ${service} ${op} call` : "the same call";
  return {
    text: `make ${call} with the AWS CLI and \`--debug\`, then compare its CanonicalRequest and StringToSign lines with what the client signed`,
  };
}
