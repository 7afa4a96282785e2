import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { covers, overlaps, parseBlock } from "../../src/network/cidr.js";

describe("CIDR blocks", () => {
  it("parses IPv4 and IPv6 blocks and bare addresses", () => {
    expect(parseBlock("10.20.0.0/16")).toEqual({ base: 0x0a140000n, prefix: 16, bits: 32 });
    expect(parseBlock("10.20.1.15")?.prefix).toBe(32);
    expect(parseBlock("::/0")).toEqual({ base: 0n, prefix: 0, bits: 128 });
    expect(parseBlock("2001:db8::1/64")?.base).toBe(0x20010db8000000000000000000000000n);
    expect(parseBlock("::ffff:10.0.0.1")?.bits).toBe(128);
  });

  it("rejects malformed blocks", () => {
    for (const bad of [
      "",
      "10.0.0",
      "10.0.0.256/8",
      "10.0.0.0/33",
      "1::2::3",
      "10.0.0.0/8/1",
      "x/0",
      "::/129",
    ])
      expect(parseBlock(bad), bad).toBeUndefined();
  });

  it("covers: an outer block holds the inner one, never across families", () => {
    expect(covers("0.0.0.0/0", "52.94.0.1/32")).toBe(true);
    expect(covers("10.20.0.0/16", "10.20.2.40/32")).toBe(true);
    expect(covers("10.20.1.0/24", "10.20.2.40")).toBe(false);
    expect(covers("10.20.2.40/32", "10.20.0.0/16")).toBe(false);
    expect(covers("::/0", "10.0.0.0/8")).toBe(false);
    expect(overlaps("10.20.2.40/32", "10.20.0.0/16")).toBe(true);
  });

  it("property: every address of a block is covered by it and by each shorter prefix", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 32 }), (ip, a, b) => {
        const [short, long] = a <= b ? [a, b] : [b, a];
        const inner = parseBlock(`${ip}/${long}`)!;
        const dotted = [24, 16, 8, 0].map((s) => Number((inner.base >> BigInt(s)) & 255n)).join(".");
        expect(covers(`${ip}/${short}`, `${dotted}/${long}`)).toBe(true);
        expect(covers(`${ip}/${long}`, ip)).toBe(true);
      }),
    );
  });

  it("property: parseBlock never throws on arbitrary text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (s) => void parseBlock(s)));
  });
});
