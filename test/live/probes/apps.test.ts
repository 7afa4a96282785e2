import { describe, expect, it } from "vitest";
import type { Failure } from "../../../src/core/index.js";
import { appsyncApiOf, identityPoolOf } from "../../../src/live/probes/apps.js";

const f = (raw: string, extra: Partial<Failure> = {}): Failure => ({
  format: "plain",
  raw,
  notes: [],
  ...extra,
});

describe("identityPoolOf / appsyncApiOf", () => {
  it("finds an identity pool id in the failure text", () => {
    expect(
      identityPoolOf(
        f(
          "InvalidIdentityPoolConfigurationException: pool eu-west-2:0a1b2c3d-1111-2222-3333-444455556666 ...",
        ),
      ),
    ).toBe("eu-west-2:0a1b2c3d-1111-2222-3333-444455556666");
    expect(identityPoolOf(f("no pool here"))).toBeUndefined();
  });

  it("finds an AppSync API from its ARN or its GraphQL host", () => {
    expect(
      appsyncApiOf(
        f("x", {
          resource:
            "arn:aws:appsync:eu-west-1:123456789012:apis/abcdefghijklmnopqrstuvwxyz/types/Query/fields/get",
        }),
      ),
    ).toEqual({
      apiId: "abcdefghijklmnopqrstuvwxyz",
      region: "eu-west-1",
    });
    expect(
      appsyncApiOf(
        f("POST https://zyxwvutsrqponmlkjihgfedcba.appsync-api.us-west-2.amazonaws.com/graphql 401"),
      ),
    ).toEqual({
      apiId: "zyxwvutsrqponmlkjihgfedcba",
      region: "us-west-2",
    });
    expect(appsyncApiOf(f("Unauthorized"))).toBeUndefined();
  });
});
