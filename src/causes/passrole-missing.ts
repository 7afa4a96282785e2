// PASSROLE_MISSING: iam:PassRole is missing when handing a role to a service (docs/aws-facts.md §1.18, §1.12).

import { simulateCheck } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { iamChecks } from "./deny.js";
import { factsOf, has } from "./facts.js";

const PASSING_OPERATIONS =
  /^(RunTask|RegisterTaskDefinition|CreateService|CreateFunction|UpdateFunctionConfiguration|RunInstances|AssociateIamInstanceProfile|CreateStack|UpdateStack|CreateJob|StartJobRun|CreateTrainingJob|CreateStateMachine|CreatePipeline|CreateCluster|RunJobFlow|CreateDataSource)$/;

export default defineCause({
  id: "PASSROLE_MISSING",
  title: "iam:PassRole is not allowed for the role handed to the service",
  summary:
    "Giving a role to a service (ECS task, Lambda function, EC2 instance profile, Glue job...) needs iam:PassRole on that role ARN, optionally limited by iam:PassedToService.",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(f.actionKey === "iam:passrole", 0.92, "the denied action is iam:PassRole", { group: "pass" });
    s.when(f.actionKey !== "iam:passrole" && has(f, /iam:PassRole/i), 0.75, "the text names iam:PassRole", {
      group: "pass",
    });
    s.when(
      has(f, /Cross-account pass role is not allowed/i),
      // Granting iam:PassRole cannot fix it: the role must be one of the caller's own account, so the account
      // mismatch leads (https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html).
      0.6,
      "the role passed belongs to another account, which PassRole never allows",
      { group: "pass" },
    );
    s.when(
      f.denied &&
        PASSING_OPERATIONS.test(f.operation ?? "") &&
        !has(f, /iam:PassRole|not authorized to perform:/i),
      0.15,
      `${f.operation} hands a role to a service, which needs iam:PassRole (the message does not say which action was denied)`,
    );
    return s.result();
  },
  checks: (e) => {
    const f = factsOf(e);
    const pass = { ...f, action: "iam:PassRole", actionKey: "iam:passrole" };
    return iamChecks(f, [
      { ...simulateCheck(pass), text: "simulate iam:PassRole on the role ARN for the caller" },
    ]).filter((c, i, all) => all.findIndex((d) => d.command === c.command) === i);
  },
  fix: (e) => {
    const f = factsOf(e);
    const role =
      f.actionKey === "iam:passrole" && f.resource ? f.resource : "arn:aws:iam::<account>:role/<role>";
    return {
      summary: "allow iam:PassRole on that role for the caller",
      steps: [
        `add iam:PassRole on \`${role}\` to the caller's identity policy`,
        "optionally limit it with Condition StringEquals iam:PassedToService (ecs-tasks.amazonaws.com, lambda.amazonaws.com...)",
      ],
      commands: [],
      policyDiff: [
        "+ {",
        '+   "Effect": "Allow",',
        '+   "Action": "iam:PassRole",',
        `+   "Resource": "${role}"`,
        "+ }",
      ].join("\n"),
    };
  },
});
