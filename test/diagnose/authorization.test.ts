import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { explainText as explain } from "../../src/diagnose/explain.js";
import { diagnose } from "../../src/diagnose/run.js";
import { parseFailures } from "../../src/errors/index.js";

const FIX = join(import.meta.dirname, "../fixtures/authorization-details");
const empty = { origin: "bundle" as const, env: {}, empty: true };

describe("evidence from AWS itself", () => {
  it("reads the authorization id and the region of the console link", () => {
    const [f] = parseFailures(readFileSync(join(FIX, "passrole/error.txt"), "utf8"));
    expect(f?.authorization).toEqual({
      id: "0k3m9x2q7w5t1z8c",
      region: "eu-west-1",
      url: "https://eu-west-1.console.aws.amazon.com/iam/home?region=eu-west-1#/authorization-details/0k3m9x2q7w5t1z8c",
    });
    expect(f?.resource).toBe("arn:aws:iam::111122223333:role/app-task");
  });

  it("gives the exact get-request-authorization-details command as a check", () => {
    const d = explain(readFileSync(join(FIX, "kms-scp/error.txt"), "utf8"));
    const commands = d.causes.flatMap((c) => c.checks.map((k) => k.command ?? ""));
    expect(commands).toContain(
      "aws iam-toolbox get-request-authorization-details --authorization-id 9f8e7d6c5b4a3210 --region us-east-1 > authorization-details.json",
    );
  });

  it("a verdict on AWS's evaluation is verified and says so first; denial-time policies give the proven diff", async () => {
    const dir = join(FIX, "passrole");
    const d = await diagnose({
      text: readFileSync(join(dir, "error.txt"), "utf8"),
      authorizationDetails: join(dir, "authorization-details.json"),
      authorizationPolicies: [join(dir, "authorization-policies/deployer-ecs.json")],
      credentials: empty,
    });
    expect(d.verdict?.cause).toBe("PASSROLE_MISSING");
    expect(d.verdict?.grade).toBe("verified");
    expect(d.verdict?.summary).toMatch(/^AWS's own evaluation/);
    expect(d.verdict?.chain[0]?.grade).toBe("verified");
    expect(d.verdict?.chain[0]?.text).toMatch(/inside ecs:RunTask/);
    expect(d.evidence?.every((s) => s.grade !== undefined)).toBe(true);
    expect(d.evidence?.some((s) => s.grade === "simulated")).toBe(true);
    expect(d.policyDiff).toMatch(/arn:aws:iam::111122223333:role\/app-task"/);
  });

  it("an explicit deny in an SCP on a secondary kms:Decrypt confirms SCP_DENY", async () => {
    const dir = join(FIX, "kms-scp");
    const d = await diagnose({
      text: readFileSync(join(dir, "error.txt"), "utf8"),
      authorizationDetails: join(dir, "authorization-details.json"),
      credentials: empty,
    });
    expect(d.verdict?.cause).toBe("SCP_DENY");
    expect(d.verdict?.chain[0]?.text).toMatch(/kms:Decrypt .*inside s3:GetObject.*DenyForeignKeys/);
    expect(d.unknowns.some((u) => /denial time/.test(u.what))).toBe(true);
  });

  it("without details, the id becomes an unknown naming the command", async () => {
    const d = await diagnose({
      text: readFileSync(join(FIX, "kms-scp/error.txt"), "utf8"),
      credentials: empty,
    });
    const u = d.unknowns.find((x) => /AWS's own evaluation/.test(x.what));
    expect(u?.needs).toMatch(/--authorization-id 9f8e7d6c5b4a3210 --region us-east-1/);
    expect(d.verdict?.grade).toBe("reported");
  });

  it("a malformed details file is an unknown, the run goes on", async () => {
    const d = await diagnose({
      text: readFileSync(join(FIX, "kms-scp/error.txt"), "utf8"),
      authorizationDetails: join(FIX, "passrole/error.txt"),
      credentials: empty,
    });
    expect(d.checked?.some((c) => c.status === "failed" && /authorization details/.test(c.source))).toBe(
      true,
    );
    expect(d.verdict?.cause).toBe("SCP_DENY");
  });

  it("a pasted decode-authorization-message output ranks from AWS's evaluation", () => {
    const inner = {
      allowed: false,
      explicitDeny: false,
      matchedStatements: { items: [] },
      failures: { items: [] },
      context: {
        principal: { id: "AIDAEXAMPLE", arn: "arn:aws:iam::111122223333:user/bob" },
        action: "iam:PassRole",
        resource: "arn:aws:iam::111122223333:role/app",
        conditions: { items: [] },
      },
    };
    const d = explain(JSON.stringify({ DecodedMessage: JSON.stringify(inner) }, null, 2));
    expect(d.failure?.action).toBe("iam:PassRole");
    expect(d.causes[0]?.id).toBe("PASSROLE_MISSING");
    expect(d.causes[0]?.why.some((w) => w.grade === "verified")).toBe(true);
  });
});
