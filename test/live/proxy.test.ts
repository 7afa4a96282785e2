import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chooseProxy, noProxyMatch } from "../../src/live/proxy.js";

describe("noProxyMatch", () => {
  it.each([
    ["sts.eu-west-1.amazonaws.com", 443, "*", "*"],
    ["sts.eu-west-1.amazonaws.com", 443, ".amazonaws.com", ".amazonaws.com"],
    ["sts.eu-west-1.amazonaws.com", 443, "amazonaws.com", "amazonaws.com"],
    ["amazonaws.com", 443, ".amazonaws.com", ".amazonaws.com"],
    ["sts.eu-west-1.amazonaws.com", 443, "*.amazonaws.com", "*.amazonaws.com"],
    ["notamazonaws.com", 443, "amazonaws.com", undefined],
    ["sts.amazonaws.com", 443, "sts.amazonaws.com:443", "sts.amazonaws.com:443"],
    ["sts.amazonaws.com", 443, "sts.amazonaws.com:8443", undefined],
    ["10.1.2.3", 443, "10.0.0.0/8", "10.0.0.0/8"],
    ["11.1.2.3", 443, "10.0.0.0/8", undefined],
    ["169.254.169.254", 80, "localhost, 169.254.169.254", "169.254.169.254"],
    ["STS.AMAZONAWS.COM", 443, "sts.amazonaws.com", "sts.amazonaws.com"],
  ])("%s:%i with NO_PROXY=%s -> %s", (host, port, list, want) => {
    expect(noProxyMatch(host, port, list)).toBe(want);
  });
});

describe("chooseProxy", () => {
  const sts = new URL("https://sts.us-east-1.amazonaws.com");
  it("uses HTTPS_PROXY for https targets and HTTP_PROXY for http ones, lower case first", () => {
    const env = {
      HTTPS_PROXY: "http://upper:3128",
      https_proxy: "http://lower:3128",
      HTTP_PROXY: "http://plain:8080",
    };
    expect(chooseProxy(sts, env).proxy).toMatchObject({
      display: "http://lower:3128",
      variable: "https_proxy",
    });
    expect(chooseProxy(new URL("http://127.0.0.1:4566"), env).proxy).toMatchObject({
      variable: "HTTP_PROXY",
    });
    expect(chooseProxy(sts, { HTTP_PROXY: "http://plain:8080" }).proxy).toBeUndefined();
  });

  it("accepts a proxy without a scheme and says which NO_PROXY entry bypassed it", () => {
    expect(chooseProxy(sts, { HTTPS_PROXY: "proxy.corp:3128" }).proxy?.display).toBe(
      "http://proxy.corp:3128",
    );
    expect(chooseProxy(sts, { HTTPS_PROXY: "proxy.corp:3128", no_proxy: ".amazonaws.com" })).toEqual({
      noProxyMatch: "no_proxy entry `.amazonaws.com`",
    });
  });

  it("never shows the proxy's user name or password", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z]{1,8}$/),
        fc.stringMatching(/^[A-Za-z0-9]{6,16}$/),
        fc.stringMatching(/^[a-z]{1,10}\.[a-z]{2,5}$/),
        (user, pass, host) => {
          const c = chooseProxy(sts, { HTTPS_PROXY: `http://${user}:${pass}@${host}:3128` });
          expect(c.proxy?.display).toBe(`http://${host}:3128`);
          expect(c.proxy?.display).not.toContain(pass);
        },
      ),
    );
  });

  it("NO_PROXY=* disables every proxy", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9]{0,9}(\.[a-z][a-z0-9]{0,9}){0,3}$/), (host) => {
        expect(
          chooseProxy(new URL(`https://${host}`), { HTTPS_PROXY: "http://p:1", NO_PROXY: "*" }).proxy,
        ).toBeUndefined();
      }),
    );
  });
});
