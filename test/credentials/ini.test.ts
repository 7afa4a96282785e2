import { externalDataInterceptor, loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  jsConfigProfileName,
  jsCredentialsProfileName,
  pyConfigSection,
  scanIni,
} from "../../src/credentials/ini.js";

/** smithy's own view of a credentials-file text (parseIni, no config filtering). */
async function smithyCredentials(text: string): Promise<Record<string, Record<string, string>>> {
  const key = `ini-test:${Math.random()}`;
  externalDataInterceptor.interceptFile(key, text);
  externalDataInterceptor.interceptFile(`${key}:cfg`, "");
  try {
    const f = await loadSharedConfigFiles({ filepath: key, configFilepath: `${key}:cfg`, ignoreCache: true });
    return f.credentialsFile as Record<string, Record<string, string>>;
  } finally {
    const rec = externalDataInterceptor.getFileRecord() as Record<string, unknown>;
    delete rec[key];
    delete rec[`${key}:cfg`];
  }
}

/** Our scan folded the way smithy folds it (later sections/keys overwrite earlier ones). */
function foldScan(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const s of scanIni(text).sections) {
    const name = jsCredentialsProfileName(s.header);
    if (s.entries.length === 0) continue;
    out[name] = out[name] ?? {};
    for (const e of s.entries) out[name]![e.key] = e.value;
  }
  return out;
}

describe("scanIni", () => {
  it("numbers lines, strips CR LF and keeps botocore's view of inline comments", () => {
    const s = scanIni("# top\r\n[default]\r\naws_access_key_id = AKIA # c\r\nregion: eu-west-1\r\n");
    expect(s.crlfLines).toBe(4);
    const d = s.sections[0]!;
    expect(d).toMatchObject({ header: "default", line: 2 });
    expect(d.entries).toEqual([{ key: "aws_access_key_id", value: "AKIA", line: 3 }]);
    expect(d.pyEntries.map((e) => [e.key, e.value, e.line])).toEqual([
      ["aws_access_key_id", "AKIA # c", 3],
      ["region", "eu-west-1", 4],
    ]);
  });

  it("records nested keys as JS does and joins continuation lines as configparser does", () => {
    const s = scanIni("[default]\ns3 =\n  max_concurrent_requests = 10\nregion = us-east-1\n");
    expect(s.sections[0]!.entries.map((e) => e.key)).toEqual(["s3.max_concurrent_requests", "region"]);
    expect(s.sections[0]!.pyEntries[0]!.value).toBe("\nmax_concurrent_requests = 10");
  });

  it("lists the errors botocore's configparser raises", () => {
    expect(scanIni("key = v\n[a]\n").pyErrors[0]!.message).toMatch(/missing section header/);
    expect(scanIni("[a]\njust words\n").pyErrors[0]!.line).toBe(2);
    expect(scanIni("[a]\nx=1\n[a]\n").pyErrors[0]!.message).toMatch(/duplicate section/);
    expect(scanIni("[a]\nx=1\nX=2\n").pyErrors[0]!.message).toMatch(/set twice/);
  });

  it("agrees with smithy parseIni on generated files (JS view)", async () => {
    const line = fc.oneof(
      fc.constantFrom(
        "[default]",
        "[profile dev]",
        "[dev]",
        "[ spaced ]",
        "[sso-session s]",
        "# c",
        "; c",
        "",
        "  ",
      ),
      fc
        .tuple(
          fc.constantFrom("aws_access_key_id", "region", "s3", "role_arn", " key ", "k.x"),
          fc.constantFrom(" = ", "=", " =", ": "),
          fc.constantFrom("v", "", "a # b", "a;b", "x=y", " spaced ", "\t"),
          fc.constantFrom("", "  ", "\r"),
        )
        .map(([k, eq, v, pre]) => `${pre === "\r" ? "" : pre}${k}${eq}${v}${pre === "\r" ? "\r" : ""}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 14 }), async (lines) => {
        const text = lines.join("\n");
        expect(foldScan(text)).toEqual(await smithyCredentials(text));
      }),
      { numRuns: 150 },
    );
  });
});

describe("section names", () => {
  it("follows JS and botocore rules", () => {
    expect(jsConfigProfileName("profile dev")).toBe("dev");
    expect(jsConfigProfileName("dev")).toBeUndefined();
    expect(jsConfigProfileName("default")).toBe("default");
    expect(jsCredentialsProfileName("profile dev")).toBe("profile.dev");
    expect(jsCredentialsProfileName("dev")).toBe("dev");
    expect(pyConfigSection('profile "my dev"')).toEqual({ kind: "profile", name: "my dev" });
    expect(pyConfigSection("sso-session corp")).toEqual({ kind: "sso-session", name: "corp" });
    expect(pyConfigSection("dev")).toBeUndefined();
  });
});
