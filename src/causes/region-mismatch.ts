// REGION_MISMATCH: wrong or missing region — signing/endpoint region, resource or pool in another region (§1.16, §1.19, §1.20, §1.21, §1.24).

import { sh } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { codeIs, factsOf, has } from "./facts.js";

const POOL_RE = /IdentityPool '([a-z]{2}(?:-gov)?-[a-z]+-\d):[^']*' not found/i;
const HEADER_RE = /the region '([^']+)' is wrong; expecting '([^']+)'/i;

export default defineCause({
  id: "REGION_MISMATCH",
  title: "Wrong or missing region",
  summary:
    "The request went to (or was signed for) another region than the one the resource lives in, or no region was configured.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    const header = HEADER_RE.exec(f.text);
    s.when(
      header,
      0.9,
      `S3 says the signing region \`${header?.[1]}\` is wrong and expects \`${header?.[2]}\``,
      {
        group: "main",
      },
    );
    s.when(
      codeIs(f, "authorizationheadermalformed") && !header,
      0.55,
      "S3 rejected the Authorization header (often the region)",
      {
        group: "main",
      },
    );
    const pool = POOL_RE.exec(f.text);
    s.when(pool, 0.7, `the identity pool id names region ${pool?.[1]}: the client must call that region`, {
      group: "main",
    });
    s.when(
      pool && f.region !== undefined && f.regionSource === "--region" && f.region !== pool[1],
      0.15,
      `the call used ${f.region}, the pool is in ${pool?.[1]}`,
      { source: "--region" },
    );
    s.when(
      has(
        f,
        /you must specify a region|region is missing|NoRegionError|MissingRegion|could not find region|No RegionEndpoint or ServiceURL configured|Unable to load region|Invalid region: region was not a valid DNS name/i,
      ),
      0.85,
      "no region is configured",
      {
        group: "main",
      },
    );
    s.when(
      has(f, /Credential should be scoped to a valid Region/i),
      0.6,
      "the signing region is not valid for this endpoint",
      {
        group: "main",
      },
    );
    s.when(
      has(f, /Region not accepted|not a valid hostname component/i),
      0.6,
      "the region string is malformed",
      {
        group: "main",
      },
    );
    s.when(
      codeIs(f, "permanentredirect") || has(f, /must be addressed using the specified endpoint/i),
      0.7,
      "S3 says the bucket must be addressed through another (regional) endpoint",
      { group: "main" },
    );
    s.when(
      has(f, /does not exist in this region/i),
      0.25,
      "KMS keys are regional: the ciphertext may come from a key in another region",
    );
    s.when(
      f.resourceRegion !== undefined &&
        f.region !== undefined &&
        f.regionSource === "--region" &&
        f.resourceRegion !== f.region,
      0.3,
      `the resource is in ${f.resourceRegion} but the call went to ${f.region}`,
      { source: "--region" },
    );
    s.when(
      codeIs(f, "resourcenotfound") && !pool,
      0.12,
      "a resource that exists in another region is reported as not found",
    );
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    return [
      {
        text: "see which region the CLI/SDK resolves",
        command:
          'aws configure get region; echo "AWS_REGION=$AWS_REGION AWS_DEFAULT_REGION=$AWS_DEFAULT_REGION"',
      },
      ...(f.resource?.startsWith("arn:aws:s3:::")
        ? [
            {
              text: "find the bucket's region",
              command: `aws s3api get-bucket-location --bucket ${sh(f.resource.slice(13).split("/")[0]!)}`,
            },
          ]
        : [
            {
              text: "find the region of the resource (its ARN or id prefix names it)",
              command: "aws s3api get-bucket-location --bucket <bucket>",
            },
          ]),
    ];
  },
  fix: (e) => {
    const f = factsOf(e);
    const want = HEADER_RE.exec(f.text)?.[2] ?? POOL_RE.exec(f.text)?.[1] ?? f.resourceRegion;
    return {
      summary: want ? `call region ${want}` : "set the region the resource lives in",
      steps: [
        "set the client's region to the resource's region (or AWS_REGION / AWS_DEFAULT_REGION, `--region`)",
        "for Cognito identity pools use the region prefix of the pool id",
      ],
      commands: [
        want ? `export AWS_REGION=${want} AWS_DEFAULT_REGION=${want}` : "aws configure set region <region>",
      ],
    };
  },
});
