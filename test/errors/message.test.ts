import { describe, expect, it } from "vitest";
import { mineMessage } from "../../src/errors/message.js";

const P =
  "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k";

// Every policy-type phrase of docs/aws-facts.md §1.13 with the type and deny kind it names.
const phrases: [string, string, "explicit" | "implicit"][] = [
  ["because no identity-based policy allows the s3:GetObject action", "identity-based", "implicit"],
  ["with an explicit deny in an identity-based policy", "identity-based", "explicit"],
  ["with an explicit deny in a service control policy", "service-control", "explicit"],
  ["because no service control policy allows the s3:GetObject action", "service-control", "implicit"],
  ["with an explicit deny in a resource control policy", "resource-control", "explicit"],
  ["because no permissions boundary allows the s3:GetObject action", "permissions-boundary", "implicit"],
  ["with an explicit deny in a permissions boundary", "permissions-boundary", "explicit"],
  ["because no session policy allows the s3:GetObject action", "session", "implicit"],
  ["with an explicit deny in a sessions policy", "session", "explicit"],
  ["because no resource-based policy allows the s3:GetObject action", "resource-based", "implicit"],
  ["with an explicit deny in a resource-based policy", "resource-based", "explicit"],
  ["because no VPC endpoint policy allows the s3:GetObject action", "vpc-endpoint", "implicit"],
  ["with an explicit deny in a VPC endpoint policy", "vpc-endpoint", "explicit"],
  [
    "with an explicit deny in a VPC endpoint policy transitively through a service control policy",
    "service-control",
    "explicit",
  ],
  ["because no role trust policy allows the sts:AssumeRole action", "resource-based", "implicit"],
  ["with an explicit deny in the role trust policy", "resource-based", "explicit"],
];

describe("mineMessage: policy types (docs/aws-facts.md §1.13)", () => {
  it.each(phrases)("%s", (phrase, type, kind) => {
    const f = mineMessage(`${P} ${phrase}`);
    expect(f.policyType).toBe(type);
    expect(f.denyKind).toBe(kind);
    expect(f.action).toBe("s3:GetObject");
    expect(f.resource).toBe("arn:aws:s3:::b/k");
    expect(f.principal?.kind).toBe("iam-user");
  });

  it("reads the denying policy ARN of the newer messages", () => {
    const arn = "arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd";
    expect(
      mineMessage(`${P} with an explicit deny in a service control policy: ${arn}`).denyingPolicyArn,
    ).toBe(arn);
    const pb = "arn:aws:iam::123456789012:policy/boundary";
    expect(
      mineMessage(`${P} because no permissions boundary allows the s3:GetObject action: ${pb}`)
        .denyingPolicyArn,
    ).toBe(pb);
  });

  it("says when no policy type is named", () => {
    const f = mineMessage(P);
    expect(f.policyType).toBeUndefined();
    expect(f.notes.join(" ")).toContain("does not name the policy type");
  });

  it("keeps resources that are not ARNs", () => {
    expect(
      mineMessage(
        "User: arn:aws:iam::111111111111:user/T is not authorized to perform: iam:AttachUserPolicy on resource: user T because no identity-based policy allows the iam:AttachUserPolicy action",
      ).resource,
    ).toBe("user T");
  });

  it("omits the KMS 'resource associated with this ciphertext' phrase as a resource", () => {
    const f = mineMessage(
      "User: arn:aws:iam::1:user/u is not authorized to perform: kms:Decrypt on the resource associated with this ciphertext because the resource does not exist in this Region",
    );
    expect(f.action).toBe("kms:Decrypt");
    expect(f.resource).toBeUndefined();
  });

  it("reads the S3 quoted resource form", () => {
    expect(
      mineMessage(
        'User: arn:aws:iam::1:user/u is not authorized to perform: s3:PutObject on "arn:aws:s3:::b/k x"',
      ).resource,
    ).toBe("arn:aws:s3:::b/k x");
  });
});

// The policy as worded and the SCP route: what the cause facts read (src/causes/facts.ts derives from these only).
const named: [string, string, boolean][] = [
  ["because no identity-based policy allows the s3:GetObject action", "identity-based", false],
  ["with an explicit deny in a permissions boundary", "permissions-boundary", false],
  ["because no permissions boundary allows the s3:GetObject action", "permissions-boundary", false],
  ["because no role trust policy allows the sts:AssumeRole action", "role-trust", false],
  ["with an explicit deny in the role trust policy", "role-trust", false],
  ["because no trust policy allows the sts:AssumeRole action", "role-trust", false],
  ["because no resource based policy allows the s3:GetObject action", "resource-based", false],
  ["with an explicit deny in a resource control policy", "resource-control", false],
  [
    "with an explicit deny in a VPC endpoint policy transitively through a service control policy",
    "vpc-endpoint",
    true,
  ],
  [
    "with an explicit deny in a resource-based policy transitively through a service control policy",
    "resource-based",
    true,
  ],
];

describe("mineMessage: the policy as worded and the SCP route", () => {
  it.each(named)("%s", (phrase, policy, viaScp) => {
    const f = mineMessage(`${P} ${phrase}`);
    expect(f.namedPolicy).toBe(policy);
    expect(f.viaScp === true).toBe(viaScp);
    if (viaScp) expect(f.policyType).toBe("service-control");
    if (policy === "role-trust") {
      expect(f.policyType).toBe("resource-based");
      expect(f.notes).toContain("the message names the role trust policy");
    }
  });

  it("names no policy for a bare explicit deny or an unknown policy word", () => {
    const bare = mineMessage(`${P} with an explicit deny`);
    expect(bare.denyKind).toBe("explicit");
    expect(bare.namedPolicy).toBeUndefined();
    expect(mineMessage(`${P}`).namedPolicy).toBeUndefined();
  });
});

describe("mineMessage: wrapped, framed and quoted messages", () => {
  it("reads a message wrapped over lines (a terminal, a log, botocore)", () => {
    const f = mineMessage(
      "User: arn:aws:sts::111122223333:assumed-role/r/i-1\nis not authorized to perform: sts:AssumeRole on resource:\narn:aws:iam::444455556666:role/T\n because no role trust policy allows the sts:AssumeRole action",
    );
    expect(f.principal?.raw).toBe("arn:aws:sts::111122223333:assumed-role/r/i-1");
    expect(f.action).toBe("sts:AssumeRole");
    expect(f.resource).toBe("arn:aws:iam::444455556666:role/T");
    expect(f.namedPolicy).toBe("role-trust");
    expect(f.denyKind).toBe("implicit");
  });

  it("reads through Terraform's frame at the start of wrapped lines", () => {
    const f = mineMessage(
      'api error AccessDenied: User: arn:aws:iam::111122223333:user/u is not authorized\n│ to perform: s3:GetLifecycleConfiguration on resource: "arn:aws:s3:::tf" with\n│ an explicit deny in a resource-based policy',
    );
    expect(f.action).toBe("s3:GetLifecycleConfiguration");
    expect(f.resource).toBe("arn:aws:s3:::tf");
    expect(f.policyType).toBe("resource-based");
    expect(f.denyKind).toBe("explicit");
  });

  it("reads backtick-quoted principals, actions and resources", () => {
    const f = mineMessage(
      "User: `arn:aws:sts::1:assumed-role/pod` is not authorized to perform: `sts:TagSession` on resource: `arn:aws:iam::2:role/cdk`",
    );
    expect(f.principal?.raw).toBe("arn:aws:sts::1:assumed-role/pod");
    expect(f.action).toBe("sts:TagSession");
    expect(f.resource).toBe("arn:aws:iam::2:role/cdk");
    expect(
      mineMessage(
        "User `arn:aws:sts::1:assumed-role/l/f' is not authorized to perform `ses:SendEmail' on resource `arn:aws:ses:eu-west-1:1:identity/a@b.c'",
      ),
    ).toMatchObject({ action: "ses:SendEmail", resource: "arn:aws:ses:eu-west-1:1:identity/a@b.c" });
  });

  it("ends an unquoted resource at a quote (a JSON string around the message)", () => {
    expect(
      mineMessage(
        '{"message": "User: arn:aws:sts::1:assumed-role/u/c is not authorized to perform: mobiletargeting:PutEvents on resource: arn:aws:mobiletargeting:us-east-1:1:apps/9/events"}',
      ).resource,
    ).toBe("arn:aws:mobiletargeting:us-east-1:1:apps/9/events");
  });

  it("reads the principal of a refusal that names no action", () => {
    const f = mineMessage("User: arn:aws:iam::123456789012:user/u is not authorized to access this resource");
    expect(f.principal?.raw).toBe("arn:aws:iam::123456789012:user/u");
    expect(f.action).toBeUndefined();
  });
});

describe("mineMessage: encoded messages, clocks and regions", () => {
  it("flags a cut encoded authorization message", () => {
    expect(mineMessage("Encoded authorization failure message: abc...").encodedMessage).toEqual({
      text: "abc",
      truncated: true,
    });
    const long = "x".repeat(600);
    expect(mineMessage(`Encoded authorization failure message: ${long}`).encodedMessage).toEqual({
      text: long,
      truncated: false,
    });
  });

  it("reads 15-minute DynamoDB windows", () => {
    const c = mineMessage(
      "Signature expired: 20240101T000000Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)",
    ).clock;
    expect(c).toEqual({
      requestTime: "2024-01-01T00:00:00Z",
      serverTime: "2024-01-01T00:30:00Z",
      skewSeconds: -1800,
      toleranceSeconds: 900,
    });
  });

  it("reads the region and service of an echoed credential scope (docs/aws-facts.md §1.5)", () => {
    const f = mineMessage(
      "'x' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential= AKIA****MPLE/20200122/us-east-1/sts/aws4_request, SignedHeaders=host'",
    );
    expect(f.region).toBe("us-east-1");
    expect(f.regionSource).toBe("credential-scope");
    expect(f.scopeService).toBe("sts");
  });

  it("reads a wrongly scoped region", () => {
    expect(
      mineMessage("Credential should be scoped to a valid Region, not 'us-east-1 '").region,
    ).toBeUndefined();
    expect(mineMessage("Credential should be scoped to a valid Region, not 'eu-west-9'").region).toBe(
      "eu-west-9",
    );
  });

  it("reads AppSync field messages", () => {
    const f = mineMessage("Not Authorized to access getProject on type Query");
    expect(f.resource).toBe("types/Query/fields/getProject");
    expect(f.action).toBe("appsync:GraphQL");
  });

  it("returns only notes for text that says nothing", () => {
    expect(mineMessage("all good")).toEqual({ notes: [] });
  });
});

describe("mineMessage: clock messages without times", () => {
  it("says that EC2's RequestExpired names no times (docs/aws-facts.md §1.8)", () => {
    const f = mineMessage("Request has expired.");
    expect(f.clock).toBeUndefined();
    expect(f.notes.join(" ")).toContain("no timestamps");
  });
});
