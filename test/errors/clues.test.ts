import { describe, expect, it } from "vitest";
import { textClues } from "../../src/errors/clues.js";

describe("textClues: what the text around an error shows", () => {
  it("finds an access key id prefix, whole or masked, before a unique-id prefix", () => {
    expect(textClues("export AWS_ACCESS_KEY_ID=ASIA****WXYZ\nAROAEXAMPLEEXAMPLE12").keyPrefix).toBe("ASIA");
    expect(textClues("key AKIAIOSFODNN7EXAMPLE").keyPrefix).toBe("AKIA");
    expect(textClues("role id AROA1234567890ABCDEF:session").keyPrefix).toBe("AROA");
    expect(textClues("AKIA").keyPrefix).toBeUndefined();
  });

  it("finds the first region written, another partition, denial and encoded-message wording", () => {
    const c = textClues(
      "endpoint https://sts.cn-north-1.amazonaws.com.cn: Access Denied. Encoded authorization failure message:",
    );
    expect(c).toEqual({ region: "cn-north-1", otherPartition: true, denial: true, encodedMessage: true });
    expect(textClues("all good")).toEqual({ otherPartition: false, denial: false, encodedMessage: false });
  });
});
