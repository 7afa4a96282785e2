// Cause modules about regions, signing and the network path, tested with hand-built failures.

import { CAUSES } from "../../src/causes/index.js";
import { ev, testCause } from "./tester.js";

const authFailure = (region?: string, prefix?: string) =>
  ev(
    {
      code: "AuthFailure",
      message: "AWS was not able to validate the provided access credentials",
      service: "ec2",
      ...(prefix ? { accessKeyId: { masked: `${prefix}****ABCD`, prefix } } : {}),
    },
    region ? { region } : {},
  );
const denied = ev({ code: "AccessDenied", message: "Access Denied" });

testCause(CAUSES.STS_TOKEN_VERSION_REGION, {
  applies: [
    { name: "AuthFailure in ap-east-1", evidence: authFailure("ap-east-1"), minScore: 0.65, why: /opt-in/ },
    { name: "ASIA key in me-south-1", evidence: authFailure("me-south-1", "ASIA"), minScore: 0.8 },
    {
      name: "InvalidToken in af-south-1",
      evidence: ev(
        { code: "InvalidToken", message: "The provided token is malformed or otherwise invalid." },
        { region: "af-south-1" },
      ),
      minScore: 0.75,
    },
    { name: "no region: still a candidate", evidence: authFailure(), minScore: 0.2 },
  ],
  doesNotApply: [
    { name: "AKIA key in a default region", evidence: authFailure("us-east-1", "AKIA") },
    { name: "access denied", evidence: denied },
  ],
});

testCause(CAUSES.REGION_NOT_ENABLED, {
  applies: [
    {
      name: "OptInRequired in an opt-in region",
      evidence: ev(
        { code: "OptInRequired", message: "You are not subscribed to this service." },
        { region: "il-central-1" },
      ),
      minScore: 0.75,
    },
    {
      name: "STS deactivated",
      evidence: ev({
        code: "RegionDisabledException",
        message: "STS is not activated in this region for account:123456789012.",
      }),
      minScore: 0.8,
    },
    { name: "AuthFailure in an opt-in region", evidence: authFailure("ap-southeast-3"), minScore: 0.25 },
  ],
  doesNotApply: [
    { name: "AuthFailure in us-east-1", evidence: authFailure("us-east-1") },
    { name: "denied", evidence: denied },
  ],
});

testCause(CAUSES.REGION_MISMATCH, {
  applies: [
    {
      name: "S3 wrong signing region",
      evidence: ev({
        code: "AuthorizationHeaderMalformed",
        message:
          "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-central-1'",
      }),
      minScore: 0.85,
      why: /eu-central-1/,
    },
    {
      name: "identity pool in another region",
      evidence: ev(
        {
          code: "ResourceNotFoundException",
          message: "IdentityPool 'us-east-1:0c3e2b4a-1d2e-4f5a-8b9c-0d1e2f3a4b5c' not found.",
        },
        { region: "eu-west-1" },
      ),
      minScore: 0.8,
    },
    {
      name: "no region",
      evidence: ev({ code: "NoRegionError", message: "You must specify a region." }),
      minScore: 0.8,
    },
  ],
  doesNotApply: [
    { name: "denied", evidence: denied },
    { name: "AuthFailure", evidence: authFailure("us-east-1") },
  ],
});

testCause(CAUSES.SIGNING_ERROR, {
  applies: [
    {
      name: "wrong service in scope",
      evidence: ev({ message: "Credential should be scoped to correct service: 'execute-api'." }),
      minScore: 0.8,
    },
    {
      name: "payload hash",
      evidence: ev({
        code: "XAmzContentSHA256Mismatch",
        message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
      }),
      minScore: 0.8,
    },
    {
      name: "signature mismatch is a candidate",
      evidence: ev({
        code: "SignatureDoesNotMatch",
        message: "The request signature we calculated does not match the signature you provided.",
      }),
      minScore: 0.3,
    },
  ],
  doesNotApply: [{ name: "denied", evidence: denied }],
});

testCause(CAUSES.NETWORK_PATH, {
  applies: [
    {
      name: "endpoint unreachable",
      evidence: ev({
        message: 'Could not connect to the endpoint URL: "https://sts.eu-west-1.amazonaws.com/"',
      }),
      minScore: 0.8,
    },
    {
      name: "DNS",
      evidence: ev({ message: "getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com" }),
      minScore: 0.8,
    },
    {
      name: "IdP unreachable",
      evidence: ev({
        code: "IDPCommunicationError",
        message: "Couldn't retrieve verification key from your identity provider",
      }),
      minScore: 0.55,
    },
  ],
  doesNotApply: [
    { name: "denied", evidence: denied },
    { name: "AuthFailure", evidence: authFailure("us-east-1") },
  ],
});
