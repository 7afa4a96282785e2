// The bounded tail keeps exactly the last bytes seen, whatever the chunking.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sdkOfCommand } from "../../src/run/index.js";
import { Tail } from "../../src/run/wrap.js";

describe("Tail", () => {
  it("holds the last `limit` bytes of any sequence of chunks", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 500 }),
        (chunks, limit) => {
          const t = new Tail(limit);
          for (const c of chunks) t.push(Buffer.from(c));
          const all = Buffer.concat(chunks.map((c) => Buffer.from(c)));
          const want = all.subarray(Math.max(0, all.length - limit));
          expect(t.text()).toBe(new TextDecoder().decode(want).replace(/^\uFFFD+/, ""));
        },
      ),
    );
  });

  it("drops a multi-byte character cut at the start", () => {
    const t = new Tail(4);
    t.push(Buffer.from("aé€x", "utf8")); // 1 + 2 + 3 + 1 bytes: the last 4 are € and x
    expect(t.text()).toBe("€x");
    const u = new Tail(3);
    u.push(Buffer.from("é€x", "utf8")); // the last 3 bytes cut € in two
    expect(u.text()).toBe("x");
  });
});

describe("sdkOfCommand", () => {
  it("knows the AWS CLI, Python and Node launchers", () => {
    expect(sdkOfCommand("/usr/local/bin/aws")).toBe("cli");
    expect(sdkOfCommand("python3.12")).toBe("python");
    expect(sdkOfCommand("npx")).toBe("js");
    expect(sdkOfCommand("terraform")).toBeUndefined();
  });
});
