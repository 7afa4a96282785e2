import { describe, expect, it } from "vitest";
import { measureSkew } from "../../../src/live/probes/clock.js";

const at = (iso: string) => Date.parse(iso);

describe("measureSkew", () => {
  it("uses the exchange with the shortest round trip and reports local minus server", () => {
    const r = measureSkew([
      {
        endpoint: "a",
        sentAt: at("2026-01-01T00:10:00.000Z"),
        receivedAt: at("2026-01-01T00:10:04.000Z"),
        date: "Thu, 01 Jan 2026 00:00:00 GMT",
      },
      {
        endpoint: "b",
        sentAt: at("2026-01-01T00:10:00.000Z"),
        receivedAt: at("2026-01-01T00:10:00.200Z"),
        date: "Thu, 01 Jan 2026 00:05:00 GMT",
      },
    ]);
    expect(r).toEqual({ ok: true, value: { skewSeconds: 300, samples: 2, uncertaintySeconds: 2 } });
  });

  it("reports a clock behind the server as negative", () => {
    const r = measureSkew([
      {
        endpoint: "a",
        sentAt: at("2026-01-01T00:00:00.000Z"),
        receivedAt: at("2026-01-01T00:00:00.100Z"),
        date: "Thu, 01 Jan 2026 00:10:00 GMT",
      },
    ]);
    expect(r.ok && r.value.skewSeconds).toBe(-600);
  });

  it("is an unknown without any Date header", () => {
    expect(
      measureSkew([
        { endpoint: "a", sentAt: 1, receivedAt: 2 },
        { endpoint: "b", sentAt: 1, date: "garbage" },
      ]),
    ).toMatchObject({
      ok: false,
    });
  });
});
