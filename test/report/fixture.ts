// A Diagnosis with every optional diagnose field and hostile strings in every text, for the renderer tests.
import { DIAGNOSIS_SCHEMA, type Diagnosis } from "../../src/core/diagnosis.js";

export const HOSTILE = `<script>alert("x")</script> & 'q' \`tick\` | pipe *star* [link](http://evil.example/) <img src=http://evil.example/x.png>`;

export function hostileDiagnosis(): Diagnosis {
  return {
    schema: DIAGNOSIS_SCHEMA,
    failure: {
      format: "aws-cli",
      raw: HOSTILE,
      code: "AccessDenied",
      message: HOSTILE,
      action: "s3:GetObject",
      resource: "arn:aws:s3:::bucket|with|pipes/key",
      region: "eu-west-1",
      notes: [],
    },
    failures: [],
    causes: [
      {
        id: "IAM_RESOURCE_MISMATCH",
        score: 0.91,
        title: `title ${HOSTILE}`,
        why: [{ text: `why ${HOSTILE}`, weight: 0.5, source: "error text" }],
        checks: [{ text: `check ${HOSTILE}`, command: "aws iam get-role --role-name a|b" }],
        fix: { summary: `fix ${HOSTILE}`, steps: [`step ${HOSTILE}`], commands: [`cmd ${HOSTILE}`] },
      },
      {
        id: "APP_AUTH_MODE",
        score: 0.4,
        title: "auth mode",
        why: [],
        checks: [],
        fix: { summary: "s", steps: [], commands: [] },
      },
    ],
    unknowns: [{ what: `what ${HOSTILE}`, why: `why ${HOSTILE}`, needs: `needs ${HOSTILE}` }],
    verdict: {
      cause: "IAM_RESOURCE_MISMATCH",
      title: `verdict title ${HOSTILE}`,
      score: 0.91,
      strength: "confirmed",
      summary: `summary ${HOSTILE}`,
      chain: [
        {
          cause: "IAM_RESOURCE_MISMATCH",
          effect: "confirms",
          text: `chain ${HOSTILE}`,
          source: "policy evaluation",
        },
        { cause: "TRUST_POLICY", effect: "refutes", text: "role was assumed", source: "trail: x" },
      ],
      runnersUp: [{ id: "APP_AUTH_MODE", title: "auth mode", score: 0.4, separate: `separate ${HOSTILE}` }],
      fix: {
        summary: `fix ${HOSTILE}`,
        steps: [`step ${HOSTILE}`],
        commands: [`cmd ${HOSTILE}`],
        policyDiff: `--- before\n+++ after\n   "Resource": [\n-    "arn:aws:s3:::bucket"\n+    "arn:aws:s3:::bucket/*"\n+    "${HOSTILE}"\n   ]`,
      },
    },
    timeline: [
      {
        time: "2025-01-01T10:00:00Z",
        event: "iam:PutRolePolicy",
        kind: "change",
        actor: "admin",
        detail: HOSTILE,
      },
      {
        time: "2025-01-01T10:05:00Z",
        event: "sts:AssumeRole",
        kind: "issuance",
        actor: HOSTILE,
        region: "us-east-1",
      },
      { time: "2025-01-01T10:06:00Z", event: "s3:GetObject", kind: "diagnosed", error: "AccessDenied" },
    ],
    checked: [{ source: "trail", status: "used", detail: HOSTILE }],
    request: {
      principal: "arn:aws:iam::111122223333:user/a",
      action: "s3:GetObject",
      origins: { principal: "--principal", action: "error text" },
    },
  };
}
