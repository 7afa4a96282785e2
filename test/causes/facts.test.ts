// The cause facts derive from the Failure the one denial-message parser filled, never from their own reading of
// the text (src/causes/facts.ts); the context fills only what the failure lacks, read by the same parser.
import { describe, expect, it } from "vitest";
import { factsOf } from "../../src/causes/facts.js";
import type { Failure } from "../../src/core/failure.js";
import { withTextContext } from "../../src/diagnose/pipeline.js";
import { parseFailure } from "../../src/errors/index.js";

const MESSAGE =
  "User: arn:aws:sts::123456789012:assumed-role/app/i-1 is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k with an explicit deny in a VPC endpoint policy transitively through a service control policy: arn:aws:organizations::123456789012:policy/o-1/service_control_policy/p-1";

function bare(fields: Partial<Failure>): Failure {
  return { format: "plain", raw: "", notes: [], ...fields };
}

describe("cause facts", () => {
  it("read the parsed Failure: policy as worded, SCP route, deny kind, denying policy", () => {
    const failure = parseFailure(
      `An error occurred (AccessDenied) when calling the GetObject operation: ${MESSAGE}`,
    )!;
    expect(failure).toMatchObject({
      policyType: "service-control",
      namedPolicy: "vpc-endpoint",
      viaScp: true,
    });
    const f = factsOf({ failure, signals: [] });
    expect(f).toMatchObject({
      policyKind: "vpc-endpoint",
      viaScp: true,
      denyKind: "explicit",
      action: "s3:GetObject",
      resource: "arn:aws:s3:::b/k",
      principalArn: "arn:aws:sts::123456789012:assumed-role/app/i-1",
      principalAccount: "123456789012",
      denyingPolicyArn: "arn:aws:organizations::123456789012:policy/o-1/service_control_policy/p-1",
    });
  });

  it("do not read the denial grammar from the text themselves", () => {
    // A hand-made failure whose fields were not filled: the phrase in its message is not re-read.
    const f = factsOf({
      failure: bare({ code: "AccessDenied", message: MESSAGE, raw: MESSAGE }),
      signals: [],
    });
    expect(f.policyKind).toBeUndefined();
    expect(f.viaScp).toBe(false);
    expect(f.action).toBeUndefined();
    expect(f.denied).toBe(true);
  });

  it("take what the failure lacks from the context, as the same parser reads it", () => {
    const failure = bare({
      code: "UnauthorizedOperation",
      message: "You are not authorized to perform this operation.",
    });
    const context = `${failure.message}\n${MESSAGE}`;
    const f = factsOf(withTextContext({ failure, signals: [] }, context));
    expect(f).toMatchObject({ policyKind: "vpc-endpoint", viaScp: true, action: "s3:GetObject" });
    // The failure's own fields win over the context.
    const own = factsOf(
      withTextContext(
        { failure: { ...failure, namedPolicy: "session", denyKind: "implicit" }, signals: [] },
        context,
      ),
    );
    expect(own.policyKind).toBe("session");
    expect(own.denyKind).toBe("implicit");
  });
});
