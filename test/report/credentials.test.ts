import { afterAll, describe, expect, it } from "vitest";
import { finishText } from "../../src/core/terminal.js";
import { renderCredentialsText } from "../../src/report/credentials.js";
import { makeStyle } from "../../src/report/style.js";
import { cleanHomes, inspect, KEY_A, SECRET_A, tempHome } from "../credentials/helpers.js";

afterAll(cleanHomes);

describe("renderCredentialsText", () => {
  it("shows per SDK the source, key, region and STS, then findings by severity", async () => {
    const home = tempHome({ ".aws/config": "[default]\nregion = ap-east-1\n" });
    const r = await inspect(home, {
      AWS_ACCESS_KEY_ID: KEY_A,
      AWS_SECRET_ACCESS_KEY: SECRET_A,
      AWS_ENDPOINT_URL_STS: "https://sts.amazonaws.com",
    });
    const text = renderCredentialsText(r, makeStyle(false));
    expect(text).toMatch(/^AWS SDK for JavaScript v3 {2}ok/m);
    expect(text).toMatch(
      /key {6}AKIA\*\*\*\*JXYZ \(long-term\), account 171436882533 \(decoded from key id\)/,
    );
    expect(text).toMatch(/region {3}ap-east-1 \(config: ~\/\.aws\/config:2\)/);
    expect(text).toMatch(/sts {6}global https:\/\/sts\.amazonaws\.com/);
    expect(text).toMatch(/warning .*opt-in Region ap-east-1/);
    expect(text).not.toMatch(/\u001b\[/);
  });

  it("colours only when asked, and --sdk/--chain shape the output", async () => {
    const r = await inspect(tempHome(), { AWS_EC2_METADATA_DISABLED: "true" });
    expect(finishText(renderCredentialsText(r, makeStyle(true)))).toMatch(/\u001b\[31m/);
    const one = renderCredentialsText(r, makeStyle(false), { sdk: "python", chain: true });
    expect(one).not.toMatch(/JavaScript/);
    expect(one).toMatch(/skip +environment variables/);
  });
});
