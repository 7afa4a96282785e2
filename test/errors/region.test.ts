import { describe, expect, it } from "vitest";
import { findHosts, findRegion, isRegion, parseHost } from "../../src/errors/region.js";

describe("parseHost", () => {
  it.each([
    ["sts.ap-east-1.amazonaws.com", { service: "sts", region: "ap-east-1", global: false }],
    ["sts.amazonaws.com", { service: "sts", global: true }],
    ["bucket.s3.eu-west-1.amazonaws.com", { service: "s3", region: "eu-west-1" }],
    ["s3-eu-west-1.amazonaws.com", { service: "s3", region: "eu-west-1" }],
    ["bucket.s3.dualstack.us-east-2.amazonaws.com", { service: "s3", region: "us-east-2" }],
    ["abc.appsync-api.eu-central-1.amazonaws.com", { service: "appsync", region: "eu-central-1" }],
    ["portal.sso.us-east-1.amazonaws.com", { service: "sso", region: "us-east-1" }],
    ["monitoring.us-west-2.amazonaws.com", { service: "cloudwatch", region: "us-west-2" }],
    ["sts.cn-north-1.amazonaws.com.cn", { service: "sts", region: "cn-north-1" }],
    ["api.ecr.us-gov-west-1.amazonaws.com", { service: "ecr", region: "us-gov-west-1" }],
    ["vpce-0a1b-x.sts.eu-west-1.vpce.amazonaws.com", { service: "sts", region: "eu-west-1" }],
  ])("%s", (host, want) => {
    expect(parseHost(host)).toMatchObject(want);
  });

  it("ignores hosts outside AWS", () => {
    expect(parseHost("example.com")).toBeUndefined();
  });
});

describe("regions in text", () => {
  it("recognises region codes and rejects look-alikes", () => {
    expect(isRegion("ap-southeast-4")).toBe(true);
    expect(isRegion("us-gov-east-1")).toBe(true);
    expect(isRegion("us_east_1")).toBe(false);
    expect(findRegion("arn:aws:s3:us-west-2:1:x")).toBe("us-west-2");
  });

  it("finds endpoint hosts in URLs but not bare principals", () => {
    expect(
      findHosts('"https://sts.amazonaws.com/" and ecs-tasks.amazonaws.com').map((h) => h.service),
    ).toEqual(["sts"]);
  });
});
