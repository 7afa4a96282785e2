// IAM_RESOURCE_MISMATCH: an Allow exists but its Resource pattern misses the requested ARN (§1.13, §1.17, §5.4).

import { canCheck } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { encodedDeny, iamChecks, untypedDeny } from "./deny.js";
import { factsOf, has } from "./facts.js";
import { appsyncFailure } from "./signatures.js";

export default defineCause({
  id: "IAM_RESOURCE_MISMATCH",
  title: "The Allow's Resource does not match the requested ARN",
  summary:
    "A policy allows the action, but its Resource pattern does not cover the ARN of this request (wrong account, region, path, missing `/*`).",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(
      f.policyKind === "identity-based" && f.denyKind === "implicit",
      f.resource ? 0.42 : 0.3,
      "`no identity-based policy allows` also covers an Allow whose Resource does not match",
      { group: "deny" },
    );
    s.when(
      untypedDeny(f) && f.resource !== undefined,
      0.3,
      "the refusal names a resource the policies may not cover",
      {
        group: "deny",
      },
    );
    s.when(encodedDeny(f), 0.25, "the decoded message tells whether a statement matched the resource", {
      group: "deny",
    });
    s.when(
      appsyncFailure(f) && has(f, /not authorized to access \S+ on type \S+/i),
      0.45,
      "AppSync IAM authorization checks the field ARN `apis/<id>/types/<Type>/fields/<field>`",
      { group: "deny" },
    );
    s.when(
      appsyncFailure(f) &&
        has(f, /UnauthorizedException|Permission denied|\bUnauthorized\b/i) &&
        !has(f, /on type/i),
      0.3,
      "an IAM-signed AppSync call is refused when appsync:GraphQL's Resource misses the API or field",
      { group: "deny" },
    );
    // DynamoDB indexes and streams have ARNs of their own (`table/T/index/I`, `table/T/stream/S`): an Allow that
    // names only the table does not cover them
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/using-identity-based-policies.html).
    s.when(
      f.denied && /:table\/[^/\s]+\/(?:index|stream)\//.test(f.resource ?? ""),
      0.35,
      "the denied resource is a DynamoDB index or stream, whose ARN a table-only Resource does not match",
    );
    s.when(f.actionKey === "iam:passrole", -0.2, "iam:PassRole denials have their own cause");
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    return iamChecks(f, [
      {
        ...canCheck(f),
        text: "`authdoctor can` lists near misses: statements that allow the action but whose Resource does not match",
      },
    ]).filter((c, i, all) => all.findIndex((d) => d.command === c.command) === i);
  },
  fix: (e) => {
    const f = factsOf(e);
    return {
      summary: "widen the Allow's Resource to the ARN actually requested",
      steps: [
        `make the Resource pattern match \`${f.resource ?? "the requested ARN"}\` (account, region, path; \`/*\` for objects and AppSync fields)`,
        "for AppSync use `arn:aws:appsync:REGION:ACCOUNT:apis/API_ID/types/TYPE/fields/FIELD` or `apis/API_ID/*`",
      ],
      commands: [],
      ...(f.action && f.resource?.startsWith("arn:")
        ? {
            policyDiff: `  "Action": "${f.action}",\n- "Resource": "<the pattern that misses>"\n+ "Resource": "${f.resource}"`,
          }
        : {}),
    };
  },
});
