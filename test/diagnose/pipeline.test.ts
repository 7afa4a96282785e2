import { describe, expect, it } from "vitest";
import { offer, type Request, requestValues } from "../../src/core/request.js";
import { explainText } from "../../src/diagnose/explain.js";
import { gatherSources, parseInput, rankOnce } from "../../src/diagnose/pipeline.js";
import { diagnose } from "../../src/diagnose/run.js";

// A session key id exported without its token, pasted above the error it caused.
const ASIA_TEXT = [
  "$ export AWS_ACCESS_KEY_ID=ASIAQ3EGUZQXEXAMPLE7",
  "$ export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "$ aws sts get-caller-identity",
  "",
  "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.",
].join("\n");

/** A diagnose input with no evidence but the text: an empty bundle-like credential scope, nothing else. */
const noSources = {
  credentials: { origin: "bundle" as const, env: {}, empty: true },
};

describe("one pipeline", () => {
  it("explain and diagnose rank the same text the same way (text context counts in both)", async () => {
    const e = explainText(ASIA_TEXT);
    const d = await diagnose({ text: ASIA_TEXT, ...noSources });
    expect(e.causes[0]?.id).toBe("SESSION_TOKEN_MISSING");
    expect(d.causes[0]?.id).toBe("SESSION_TOKEN_MISSING");
    expect(d.causes.map((c) => c.id)).toEqual(e.causes.map((c) => c.id));
    expect(d.causes.map((c) => c.score)).toEqual(e.causes.map((c) => c.score));
  });

  it("diagnose({ text }) works without resolveInputs and reports the request with origins", async () => {
    const d = await diagnose({
      text: "An error occurred (AccessDenied) when calling the ListBuckets operation: User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:ListAllMyBuckets because no identity-based policy allows the s3:ListAllMyBuckets action",
      ...noSources,
    });
    expect(d.causes[0]?.id).toBe("IAM_ACTION_NOT_ALLOWED");
    expect(d.request?.principal).toBe("arn:aws:iam::111122223333:user/alice");
    expect(d.request?.origins.principal).toBe("error text");
    expect(d.request?.fields?.principal?.origin).toBe("error-text");
    expect(d.request?.account).toBe("111122223333");
    expect(d.request?.fields?.action).toEqual({
      value: "s3:ListAllMyBuckets",
      origin: "error-text",
      label: "error text",
    });
  });

  it("fields given outside the text win over it and keep their origin", () => {
    const given: Request = {};
    offer(given, "action", "s3:GetObject", "flag");
    offer(given, "action", "s3:PutObject", "case.json");
    const p = parseInput({
      text: "An error occurred (AccessDenied) when calling the ListBuckets operation: Access Denied",
      given,
    });
    expect(p.request.action).toEqual({ value: "s3:GetObject", origin: "flag", label: "--action" });
    expect(p.failure?.action).toBe("s3:GetObject");
    expect(p.failures).toHaveLength(1);
    expect(requestValues(p.request).action).toBe("s3:GetObject");
  });

  it("a given region fills the one the text lacks; the text's own region stays in the failure", () => {
    const region: Request = { region: { value: "eu-west-1", origin: "flag", label: "--region" } };
    const withRegion = parseInput({
      text: "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied (endpoint https://s3.us-east-2.amazonaws.com)",
      given: region,
    });
    expect(withRegion.request.region?.value).toBe("eu-west-1");
    const without = parseInput({
      text: "An error occurred (AccessDenied) when calling the ListBuckets operation: Access Denied",
      given: region,
    });
    expect(without.failure?.region).toBe("eu-west-1");
    expect(without.failure?.regionSource).toBe("flag");
  });

  it("sources run in stages, see earlier outcomes, and a throwing source becomes an unknown", async () => {
    const p = parseInput({ text: ASIA_TEXT });
    const seen: string[] = [];
    const out = await gatherSources(p, [
      [
        {
          name: "first",
          gather: async () => ({ checked: [], signals: [], unknowns: [], keyIds: ["AKIAEXAMPLE"] }),
        },
      ],
      [
        {
          name: "second",
          gather: async ({ earlier }) => {
            seen.push(...(earlier.get("first")?.keyIds ?? []));
            return { checked: [], signals: [], unknowns: [] };
          },
        },
        {
          name: "broken",
          gather: async () => {
            throw new Error("disk on fire\nsecond line");
          },
        },
      ],
    ]);
    expect(seen).toEqual(["AKIAEXAMPLE"]);
    expect(out.get("broken")?.checked[0]).toEqual({
      source: "broken",
      status: "failed",
      detail: "disk on fire",
    });
    expect(out.get("broken")?.unknowns[0]?.why).toBe("could not be gathered: disk on fire");
  });

  it("a signal changes the single ranking", () => {
    const p = parseInput({ text: ASIA_TEXT });
    const base = rankOnce(p, []);
    const refuted = rankOnce(p, [
      { cause: "SESSION_TOKEN_MISSING", effect: "refutes", text: "token present", source: "test" },
    ]);
    expect(base.causes[0]?.id).toBe("SESSION_TOKEN_MISSING");
    expect(refuted.causes[0]?.id).not.toBe("SESSION_TOKEN_MISSING");
  });
});
