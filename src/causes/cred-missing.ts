// CRED_MISSING: no credentials anywhere in the provider chain (docs/aws-facts.md §1.21, §1.6, §7).

import { configureList, credsCheck } from "./commands.js";
import { defineCause, Scorer } from "./define.js";
import { codeIs, factsOf, has } from "./facts.js";
import { missingAuthToken } from "./signatures.js";

export default defineCause({
  id: "CRED_MISSING",
  title: "No credentials were found",
  summary:
    "Every link of the SDK's credential provider chain came up empty, so the request was never signed (or was sent unsigned).",
  score(e) {
    const f = factsOf(e);
    const s = new Scorer();
    s.when(
      has(f, /unable to locate credentials/i),
      0.85,
      "the SDK says it could not locate any credentials",
      {
        group: "none",
      },
    );
    s.when(
      has(f, /could not load credentials from any providers/i),
      0.8,
      "JS v3 says no provider in its chain returned credentials",
      { group: "none" },
    );
    s.when(
      has(
        f,
        /no valid providers in chain|NoCredentialProviders|Unable to load (AWS )?credentials from any (of the )?providers? in the chain/i,
      ),
      0.8,
      "Go SDK found no valid provider",
      {
        group: "none",
      },
    );
    s.when(
      codeIs(f, "nocredentialserror", "credentialsprovidererror", "nocredentials"),
      0.5,
      `error class \`${f.code}\` is raised when no credentials resolve`,
      { group: "none" },
    );
    s.when(
      has(f, /partial credentials found in/i),
      0.55,
      "only half of the key pair is set in the environment",
      { group: "none" },
    );
    s.when(
      has(f, /EC2 Instance Metadata Service access disabled/i),
      0.7,
      "instance metadata is disabled, so no role credentials can come from it",
      { group: "none" },
    );
    s.when(
      has(f, /must contain either a valid \(registered\) AWS access key ID/i),
      0.55,
      "the service got a request without an access key id (unsigned call)",
      { group: "none" },
    );
    s.when(
      missingAuthToken(f) && !has(f, /valid \(registered\)/i),
      0.15,
      "API Gateway answers unsigned requests to IAM-authorised methods with `Missing Authentication Token`",
    );
    s.when(
      /^anonymous$/i.test(f.principalArn ?? ""),
      0.3,
      "the caller is `anonymous`: the request was not signed",
    );
    s.when(
      has(f, /\bNo credentials\b/) && !has(f, /unable to locate/i),
      0.35,
      "Amplify reports `No credentials` for the session",
      {
        group: "none",
      },
    );
    return s.result();
  },
  checks: () => [
    credsCheck,
    configureList,
    {
      text: "list the AWS variables set in this shell (values are secrets: do not paste them)",
      command: "env | grep -o '^AWS_[A-Z_]*'",
    },
  ],
  fix: () => ({
    summary: "give the SDK credentials through a source it reads",
    steps: [
      "on a workstation run `aws configure` (long-term keys) or `aws configure sso` + `aws sso login`",
      "in CI export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN) or use the platform's OIDC role",
      "on EC2/ECS/EKS attach a role and make sure the metadata endpoint is reachable (hop limit 2 in containers)",
    ],
    commands: ["aws configure sso", "aws sso login --profile <profile>", "aws sts get-caller-identity"],
  }),
  unknowns: () => [
    {
      what: "which credential sources exist on the machine that failed",
      why: "the error text only says none was found",
      needs: "`authdoctor creds` run on that machine (or `aws configure list`)",
    },
  ],
});
