// JSON renderer: the schema object round-trips, with the contract fields of DESIGN.md.

import { describe, expect, it } from "vitest";
import { isCauseId } from "../../src/core/cause-ids.js";
import { explainText } from "../../src/diagnose/explain.js";
import { renderJson } from "../../src/report/json.js";

describe("renderJson", () => {
  it("prints the diagnosis contract, newline-terminated", () => {
    const d = explainText(
      "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid",
    );
    const text = renderJson(d);
    expect(text.endsWith("\n")).toBe(true);
    const back = JSON.parse(text);
    expect(back).toEqual(d);
    expect(back.schema).toBe("authdoctor.diagnosis/v1");
    expect(back.failure.code).toBe("InvalidClientTokenId");
    for (const c of back.causes) {
      expect(isCauseId(c.id)).toBe(true);
      expect(typeof c.score).toBe("number");
      expect(typeof c.title).toBe("string");
      expect(Array.isArray(c.why)).toBe(true);
      expect(Array.isArray(c.checks)).toBe(true);
      expect(typeof c.fix.summary).toBe("string");
    }
    expect(Array.isArray(back.unknowns)).toBe(true);
  });

  it("keeps failure null for unrecognised input", () => {
    expect(JSON.parse(renderJson(explainText("nothing here"))).failure).toBeNull();
  });
});
