import { writeFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { decodeForScan } from "../../src/credentials/snapshot.js";
import { cleanHomes, inspect, KEY_A, SECRET_A, tempHome, winners, withCode } from "./helpers.js";

afterAll(cleanHomes);

const TEXT = `[default]\naws_access_key_id = ${KEY_A}\naws_secret_access_key = ${SECRET_A}\nregion = eu-west-1\n`;
const bom = (b: number[], body: Buffer) => Buffer.concat([Buffer.from(b), body]);
const utf16be = (s: string) => {
  const le = Buffer.from(s, "utf16le");
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
};

describe("file encodings and line endings", () => {
  it("Windows CRLF files resolve the same in every SDK, with the same line numbers", async () => {
    const home = tempHome({ ".aws/credentials": TEXT.replace(/\n/g, "\r\n") });
    const r = await inspect(home);
    expect(winners(r)).toEqual({
      js: "shared-ini",
      python: "shared-credentials-file",
      cli: "shared-credentials-file",
    });
    expect(r.resolution.js.winner?.where).toBe("~/.aws/credentials:2");
    expect(r.resolution.python.region?.value).toBe("eu-west-1");
    expect(r.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  it("a UTF-8 BOM: JS reads the file, boto3 and the CLI refuse it", async () => {
    const home = tempHome({ ".aws/credentials": bom([0xef, 0xbb, 0xbf], Buffer.from(TEXT)) });
    const r = await inspect(home);
    expect(r.resolution.js.result).toBe("credentials");
    expect(r.resolution.python.result).toBe("error");
    expect(r.resolution.cli.error).toMatch(/Unable to parse config file/);
    expect(withCode(r, "file-utf8-bom")[0]).toMatchObject({
      where: "~/.aws/credentials:1",
      sdks: ["python", "cli"],
    });
  });

  it.each([
    ["UTF-16LE with BOM", bom([0xff, 0xfe], Buffer.from(TEXT, "utf16le"))],
    ["UTF-16BE with BOM", bom([0xfe, 0xff], utf16be(TEXT))],
    ["UTF-16LE without BOM", Buffer.from(TEXT, "utf16le")],
  ])("%s: no SDK can read it, and the finding says so", async (_name, body) => {
    const home = tempHome({ ".aws/credentials": body });
    const r = await inspect(home, { AWS_EC2_METADATA_DISABLED: "true" });
    expect(r.resolution.js.result).toBe("none");
    expect(r.resolution.python.result).toBe("error");
    expect(withCode(r, "file-utf16")).toHaveLength(1);
  });

  it("Latin-1 bytes: botocore refuses the file, JS reads it", async () => {
    const home = tempHome({
      ".aws/config": Buffer.from("[default]\n# caf\xe9\nregion = eu-west-1\n", "latin1"),
    });
    const r = await inspect(home);
    expect(withCode(r, "file-not-utf8")).toHaveLength(1);
    expect(r.resolution.js.region?.value).toBe("eu-west-1");
  });

  it("old Mac CR-only line endings become one long line (stray CR finding)", async () => {
    const home = tempHome({ ".aws/credentials": TEXT.replace(/\n/g, "\r") });
    const r = await inspect(home, { AWS_EC2_METADATA_DISABLED: "true" });
    expect(withCode(r, "file-stray-cr")).toHaveLength(1);
  });

  it("an empty or binary file never throws", async () => {
    const home = tempHome({
      ".aws/credentials": "",
      ".aws/config": Buffer.from([0, 1, 2, 255, 254, 0, 10, 13]),
    });
    const r = await inspect(home, { AWS_EC2_METADATA_DISABLED: "true" });
    expect(r.schema).toBe("authdoctor.credentials/v1");
  });

  it("decodeForScan names the encoding", () => {
    expect(decodeForScan(Buffer.from("abc")).encoding).toBe("utf-8");
    expect(decodeForScan(bom([0xef, 0xbb, 0xbf], Buffer.from("abc")))).toEqual({
      text: "abc",
      encoding: "utf-8-bom",
    });
    expect(decodeForScan(Buffer.from("[abc]", "utf16le"))).toEqual({ text: "[abc]", encoding: "utf-16le" });
  });
});

describe("hostile inputs", () => {
  it("prototype-named sections and keys, a device as config file: no crash, no pollution", async () => {
    const home = tempHome({
      ".aws/credentials": `[__proto__]\naws_access_key_id = ${KEY_A}\n[constructor]\n__proto__ = x\nrole_arn = y\n[default]\n__proto__ = z\n`,
    });
    const r = await inspect(home, {
      AWS_CONFIG_FILE: "/dev/null",
      AWS_PROFILE: "constructor",
      AWS_EC2_METADATA_DISABLED: "true",
    });
    expect(r.schema).toBe("authdoctor.credentials/v1");
    expect(({} as Record<string, unknown>).role_arn).toBeUndefined();
    expect(withCode(r, "file-parse-error").some((f) => f.sdks?.includes("js"))).toBe(true);
  });

  it("any text as both files: inspect never throws", async () => {
    const home = tempHome();
    const piece = fc.oneof(
      fc.constantFrom(
        "[default]",
        "[profile a]",
        "[sso-session s]",
        "role_arn = arn:aws:iam::1:role/x",
        "source_profile = a",
      ),
      fc.constantFrom(
        "credential_source = Bogus",
        "sso_session = s",
        "aws_access_key_id = AKIA",
        "= x",
        "[",
        "]",
        "\r",
        "\u0000",
      ),
      fc.string({ maxLength: 20 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 12 }),
        fc.array(piece, { maxLength: 12 }),
        async (a, b) => {
          writeFileSync(`${home}/config`, a.join("\n"));
          writeFileSync(`${home}/credentials`, b.join("\n"));
          const r = await inspect(home, {
            AWS_CONFIG_FILE: `${home}/config`,
            AWS_SHARED_CREDENTIALS_FILE: `${home}/credentials`,
            AWS_PROFILE: "a",
          });
          expect(r.resolution.js.chain.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 40 },
    );
  });
});
