// Every command `explain` prints is filled from the evidence: over every case of test/causes/cases.json and every
// `error` of test/corpus/dev.jsonl (the text only; test.jsonl is held out and never read here), no printed command
// carries a `<placeholder>` or a pasted stand-in (`XXXX`, `<redacted>`, `ENCODED`, a masked key). What the
// evidence cannot fill is said in prose instead (what to run, what the value is, where to find it).
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { commandInProse, hasStandIn, settleCheck, settleFix } from "../../src/causes/commands.js";
import { explainText } from "../../src/diagnose/explain.js";
import { makeStyle } from "../../src/report/style.js";
import { renderText } from "../../src/report/text.js";
import { wrapText } from "../../src/report/wrap.js";

const root = resolve(import.meta.dirname, "../..");
const cases = JSON.parse(readFileSync(join(root, "test/causes/cases.json"), "utf8")) as {
  id: string;
  text: string;
  region?: string;
}[];
const dev = readFileSync(join(root, "test/corpus/dev.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as { id: string; error: string });

/** The commands a text report prints: the `$ ` lines (a wrapped command's ` \` continuations joined). */
function printedCommands(text: string): string[] {
  const out: string[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*\$ (.*)$/.exec(lines[i]!);
    if (!m) continue;
    let cmd = m[1]!;
    while (cmd.endsWith(" \\") && i + 1 < lines.length) cmd = `${cmd.slice(0, -2)} ${lines[++i]!.trim()}`;
    out.push(cmd);
  }
  return out;
}

describe("printed commands hold no placeholder or stand-in", () => {
  it("the detector knows the stand-ins the issue found, and passes real values", () => {
    for (const bad of [
      "authdoctor trail timeline <path-to-AWSLogs> --around <time-of-failure>",
      "aws sts decode-authorization-message --encoded-message ENCODED",
      "aws sso login --profile <profile>",
      "aws iam get-role --role-name <role-name>",
      "aws iam get-role --role-name arn:aws:iam::XXXXXXXXXXXX:role/x",
      "aws sts get-access-key-info --access-key-id AKIA****WXYZ",
      "aws s3api get-bucket-policy --bucket <redacted>",
    ])
      expect(hasStandIn(bad), bad).toBe(true);
    for (const good of [
      "aws iam get-role --role-name app --query Role.AssumeRolePolicyDocument",
      "aws s3api head-bucket --bucket b --debug 2>&1 | grep -A20 CanonicalRequest",
      "aws iam-toolbox get-request-authorization-details --authorization-id a1 --region us-east-1 > authorization-details.json",
      "aws s3 cp s3://b/* .",
    ])
      expect(hasStandIn(good), good).toBe(false);
  });

  it("a command the evidence cannot fill becomes prose: what to run, what each value is, where to find it", () => {
    const prose = commandInProse("aws iam get-role --role-name <role-name> --query Role.MaxSessionDuration");
    expect(prose).toBe(
      "run `aws iam get-role --role-name … --query Role.MaxSessionDuration` where --role-name is the role's name (the part after `role/` in its ARN)",
    );
    expect(settleCheck({ text: "read it", command: "aws sso login --profile <profile>" })).toEqual({
      text: "read it: run `aws sso login --profile …` where --profile is the profile the failing command used (its --profile, or AWS_PROFILE)",
    });
    const fix = settleFix({
      summary: "s",
      steps: ["a"],
      commands: ["aws configure", "aws sso login --profile <profile>"],
    });
    expect(fix.commands).toEqual(["aws configure"]);
    expect(fix.steps[0]).toMatch(/^run `aws sso login --profile …` where --profile is/);
    expect(fix.steps[1]).toBe("a");
    // a stand-in pasted by the user is named as such
    expect(commandInProse("aws iam get-role --role-name arn:aws:iam::<AcctId>:role/x")).toContain(
      "the real value in place of `arn:aws:iam::<AcctId>:role/x`",
    );
  });

  const plain = makeStyle(false);
  const inputs = [
    ...cases.map((c) => ({ id: `cases:${c.id}`, text: c.text, region: c.region })),
    ...dev.map((d) => ({ id: `dev:${d.id}`, text: d.error, region: undefined })),
  ];

  it(`explain over ${cases.length} cases and ${dev.length} dev-corpus errors prints no stand-in in any command`, () => {
    expect(inputs.length).toBeGreaterThan(300);
    const bad: string[] = [];
    let commands = 0;
    for (const input of inputs) {
      const d = explainText(input.text, input.region ? { region: input.region } : {});
      const json = [
        ...d.causes.flatMap((c) => [...c.checks.map((k) => k.command ?? ""), ...c.fix.commands]),
      ].filter((c) => c !== "");
      const text = printedCommands(wrapText(renderText(d, { style: plain, verbose: true }), 100));
      commands += json.length;
      for (const cmd of [...json, ...text]) if (hasStandIn(cmd)) bad.push(`${input.id}: ${cmd}`);
    }
    expect(commands).toBeGreaterThan(1000);
    expect([...new Set(bad)]).toEqual([]);
  });
});

describe("decode-authorization-message carries the message itself", () => {
  // real messages run to a thousand characters and more, far past any terminal width
  const ENCODED =
    "4xQbS9Z0kE1x2yF3aG5hJ7kL9mN1pQ3rS5tU7vW9xY1zA3bC5dE7fG9hJ1kL3mN5pQ7rS9tU1vW3xY5zA7bC9dE-_".repeat(8);
  const text = `An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. Encoded authorization failure message: ${ENCODED}`;

  it("prints the whole encoded message, and the wrapper keeps it one word", () => {
    const d = explainText(text);
    const cmds = d.causes.flatMap((c) => c.checks.map((k) => k.command ?? ""));
    expect(cmds).toContain(
      `aws sts decode-authorization-message --encoded-message ${ENCODED} --query DecodedMessage --output text`,
    );
    const out = wrapText(renderText(d, { style: makeStyle(false) }), 80);
    expect(printedCommands(out)).toContain(
      `aws sts decode-authorization-message --encoded-message ${ENCODED} --query DecodedMessage --output text`,
    );
  });

  it("no message in the text: no decode command (a command without it would be a stand-in)", () => {
    const d = explainText(
      "An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. Encoded authorization failure message:",
    );
    const cmds = d.causes.flatMap((c) => c.checks.map((k) => k.command ?? ""));
    expect(cmds.some((c) => c.includes("decode-authorization-message"))).toBe(false);
  });
});

describe("the identity-policy fix command follows the principal's kind", () => {
  const deny = (who: string) =>
    `User: ${who} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" because no identity-based policy allows the s3:GetObject action`;
  const fixCommands = (who: string) =>
    explainText(deny(who)).causes.find((c) => c.id === "IAM_ACTION_NOT_ALLOWED")?.fix.commands ?? [];

  it("an IAM user gets put-user-policy with its name", () => {
    expect(fixCommands("arn:aws:iam::111122223333:user/ops/bob")).toContain(
      "aws iam put-user-policy --user-name bob --policy-name allow-s3-GetObject --policy-document file://policy.json",
    );
  });
  it("a role session gets put-role-policy on its role", () => {
    expect(fixCommands("arn:aws:sts::111122223333:assumed-role/app/i-1")).toContain(
      "aws iam put-role-policy --role-name app --policy-name allow-s3-GetObject --policy-document file://policy.json",
    );
  });
});
