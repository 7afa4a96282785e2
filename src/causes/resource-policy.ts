// RESOURCE_POLICY: a resource-based policy (bucket, key, queue, API...) denies or does not grant (§1.13, §1.19, §1.20, §7).

import { actionOf, principalOf, resourceOf, sh } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { bareDeny, headForbidden, iamChecks, untypedDeny } from "./deny.js";
import { factsOf, has } from "./facts.js";
import { assumeRoleCall, crossAccount, servicePrincipalCaller } from "./signatures.js";

/** The read-only command that prints the resource's policy, for the services whose CLI has one; else undefined. */
function getPolicyCommand(resource: string | undefined): string | undefined {
  if (!resource) return "aws s3api get-bucket-policy --bucket <bucket>";
  if (resource.startsWith("arn:aws:s3:::"))
    return `aws s3api get-bucket-policy --bucket ${sh(resource.slice(13).split("/")[0]!)}`;
  if (resource.includes(":kms:"))
    return `aws kms get-key-policy --key-id ${sh(resource)} --policy-name default`;
  if (resource.includes(":sqs:"))
    return `aws sqs get-queue-attributes --queue-url ${sh(queueUrl(resource) ?? "<queue-url>")} --attribute-names Policy`;
  if (resource.includes(":sns:")) return `aws sns get-topic-attributes --topic-arn ${sh(resource)}`;
  if (resource.includes(":secretsmanager:"))
    return `aws secretsmanager get-resource-policy --secret-id ${sh(resource)}`;
  if (resource.includes(":lambda:")) return `aws lambda get-policy --function-name ${sh(resource)}`;
  if (resource.includes(":execute-api:"))
    return `aws apigateway get-rest-api --rest-api-id ${sh(/:execute-api:[^:]*:\d{12}:([^/]+)/.exec(resource)?.[1] ?? "<api-id>")} --query policy`;
  return undefined;
}

/** A queue's URL from its ARN (`arn:aws:sqs:REGION:ACCOUNT:NAME` -> `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`). */
function queueUrl(arn: string): string | undefined {
  const m = /^arn:aws:sqs:([a-z0-9-]+):(\d{12}):([\w.-]+)$/.exec(arn);
  return m ? `https://sqs.${m[1]}.amazonaws.com/${m[2]}/${m[3]}` : undefined;
}

export default defineCause({
  id: "RESOURCE_POLICY",
  title: "The resource's policy does not grant access",
  summary:
    "A resource-based policy (bucket policy, KMS key policy, queue/topic/secret/function/API policy) denies the caller or, for cross-account calls, does not grant it.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(f.policyKind === "resource-based", 0.88, "AWS names a resource-based policy", { group: "deny" });
    // S3 checks, when a bucket notification is put, that the SQS queue / SNS topic / Lambda function's own policy
    // lets s3.amazonaws.com deliver to it:
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html
    s.when(
      has(f, /Unable to validate the following destination configurations/i),
      0.6,
      "S3 could not validate the notification destination: its policy must allow s3.amazonaws.com",
      { group: "deny" },
    );
    s.when(
      has(f, /customer master key that does not exist|ciphertext refers to a customer master key/i),
      0.6,
      "KMS: the key policy may not allow this principal",
      {
        group: "deny",
      },
    );
    s.when(
      /anonymous/i.test(f.principalArn ?? "") && /execute-api:Invoke/i.test(f.text),
      0.55,
      "API Gateway's resource policy refused an unsigned (anonymous) caller",
      { group: "deny" },
    );
    s.when(
      servicePrincipalCaller(f) && f.denied,
      0.7,
      `the caller is the service principal ${f.principalArn}: only the resource's own policy can allow a service`,
      { group: "deny" },
    );
    s.when(bareDeny(f), 0.35, "S3 gives cross-account and anonymous callers only a bare `Access Denied`", {
      group: "deny",
    });
    s.when(headForbidden(f), 0.2, "a HEAD 403 can come from the bucket policy", { group: "deny" });
    s.when(untypedDeny(f) && !bareDeny(f), 0.15, "the refusal names no policy type", { group: "deny" });
    s.when(
      crossAccount(f) && f.denied,
      0.25,
      "cross-account access needs the resource's policy to grant the caller",
    );
    s.when(
      /^(ListBuckets|ListAllMyBuckets|GetCallerIdentity|ListAccountAliases)$/.test(f.operation ?? ""),
      -0.3,
      `${f.operation} is an account-level call: no resource policy is involved`,
    );
    s.when(
      assumeRoleCall(f),
      -0.3,
      "for AssumeRole the role's resource policy is its trust policy (its own cause)",
    );
    s.when(
      /^kms:|^s3:|^sqs:|^sns:|^secretsmanager:|^lambda:|^ecr:/.test(f.actionKey) && untypedDeny(f),
      0.05,
      "this service supports resource-based policies",
    );
    s.when(
      has(f, /\{"message":"Forbidden"\}|"Message":\s*"Forbidden"/),
      0.3,
      "API Gateway: the route matched and its resource policy/authorizer denied",
      {
        group: "deny",
      },
    );
    // API Gateway may invoke a Lambda function only when the function's resource-based policy allows it
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html).
    s.when(
      has(f, /Invalid permissions on Lambda function/i),
      0.75,
      "API Gateway could not invoke the function: the function's resource-based policy does not allow apigateway.amazonaws.com",
      { group: "apigw-lambda" },
    );
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    return iamChecks(f, [
      getPolicyCommand(f.resource)
        ? {
            text: "read the resource's policy and look for the caller",
            command: getPolicyCommand(f.resource)!,
          }
        : {
            text: "read the resource's policy (bucket, key, queue, topic, secret, function or API policy) and look for the caller",
          },
      {
        text: "evaluate with the resource's policy",
        command: `authdoctor can --resource-policy resource-policy.json --principal ${principalOf(f)} --action ${actionOf(f)} --resource ${resourceOf(f)}`,
      },
    ]);
  },
  fix: (e) => {
    const f = factsOf(e);
    return {
      summary: "grant the caller in the resource's policy (and remove a matching Deny)",
      steps: [
        "add a statement with Principal = the caller's role/user ARN and the action",
        "for cross-account access also allow the action in the caller's identity policy",
      ],
      commands: [],
      ...(f.action && f.principalArn?.startsWith("arn:")
        ? {
            policyDiff: [
              "+ {",
              '+   "Effect": "Allow",',
              `+   "Principal": { "AWS": "${f.principalArn.replace(/^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/.*$/, "arn:$1:iam::$2:role/$3")}" },`,
              `+   "Action": "${f.action}",`,
              `+   "Resource": "${f.resource ?? "*"}"`,
              "+ }",
            ].join("\n"),
          }
        : {}),
    };
  },
});
