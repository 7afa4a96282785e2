import { afterAll, describe, expect, it } from "vitest";
import type { Failure } from "../../../src/core/failure.js";
import { credentialSignals } from "../../../src/diagnose/signals/credentials.js";
import {
  cleanHomes,
  inspect,
  KEY_A,
  KEY_B,
  KEY_T,
  SECRET_A,
  SECRET_B,
  TOKEN,
  tempHome,
} from "../../credentials/helpers.js";

afterAll(cleanHomes);

const failure = (code: string, message: string, extra: Partial<Failure> = {}): Failure => ({
  format: "aws-cli",
  raw: `An error occurred (${code}) when calling the GetCallerIdentity operation: ${message}`,
  code,
  message,
  notes: [],
  ...extra,
});
const INVALID_TOKEN = failure(
  "InvalidClientTokenId",
  "The security token included in the request is invalid.",
);

describe("credentialSignals", () => {
  it("an ASIA key without token confirms SESSION_TOKEN_MISSING for InvalidClientTokenId", async () => {
    const r = await inspect(tempHome(), { AWS_ACCESS_KEY_ID: KEY_T, AWS_SECRET_ACCESS_KEY: SECRET_A });
    const s = credentialSignals(r, { sdk: "python", failure: INVALID_TOKEN });
    expect(s).toContainEqual(expect.objectContaining({ cause: "SESSION_TOKEN_MISSING", effect: "confirms" }));
    expect(s.every((x) => x.source.startsWith("creds: "))).toBe(true);
  });

  it("the same setup only supports it without a matching failure", async () => {
    const r = await inspect(tempHome(), { AWS_ACCESS_KEY_ID: KEY_T, AWS_SECRET_ACCESS_KEY: SECRET_A });
    const s = credentialSignals(r, {});
    expect(s).toContainEqual(expect.objectContaining({ cause: "SESSION_TOKEN_MISSING", effect: "supports" }));
  });

  it("a long-term key refutes SESSION_TOKEN_MISSING", async () => {
    const r = await inspect(tempHome(), { AWS_ACCESS_KEY_ID: KEY_A, AWS_SECRET_ACCESS_KEY: SECRET_A });
    expect(credentialSignals(r, { sdk: "js", failure: INVALID_TOKEN })).toContainEqual(
      expect.objectContaining({ cause: "SESSION_TOKEN_MISSING", effect: "refutes" }),
    );
  });

  it("env keys shadowing the profile support CRED_WRONG_SOURCE for boto3", async () => {
    const home = tempHome({
      ".aws/credentials": `[dev]\naws_access_key_id = ${KEY_A}\naws_secret_access_key = ${SECRET_A}\n`,
    });
    const r = await inspect(home, {
      AWS_PROFILE: "dev",
      AWS_ACCESS_KEY_ID: KEY_B,
      AWS_SECRET_ACCESS_KEY: SECRET_B,
    });
    const s = credentialSignals(r, {
      sdk: "python",
      failure: failure("AccessDenied", "User is not authorized"),
    });
    expect(s).toContainEqual(expect.objectContaining({ cause: "CRED_WRONG_SOURCE", effect: "supports" }));
  });

  it("no credentials confirms CRED_MISSING for `Unable to locate credentials`", async () => {
    const r = await inspect(tempHome(), { AWS_EC2_METADATA_DISABLED: "true" });
    const f: Failure = {
      format: "aws-cli",
      raw: "Unable to locate credentials",
      message: "Unable to locate credentials",
      notes: [],
    };
    expect(credentialSignals(r, { sdk: "cli", failure: f })).toContainEqual(
      expect.objectContaining({ cause: "CRED_MISSING", effect: "confirms" }),
    );
  });

  it("credentials found here weaken CRED_MISSING", async () => {
    const r = await inspect(tempHome(), { AWS_ACCESS_KEY_ID: KEY_A, AWS_SECRET_ACCESS_KEY: SECRET_A });
    const f: Failure = {
      format: "aws-cli",
      raw: "Unable to locate credentials",
      message: "Unable to locate credentials",
      notes: [],
    };
    expect(credentialSignals(r, { sdk: "cli", failure: f })).toContainEqual(
      expect.objectContaining({ cause: "CRED_MISSING", effect: "weakens" }),
    );
  });

  it("expired temporary credentials confirm TOKEN_EXPIRED for ExpiredToken", async () => {
    const r = await inspect(tempHome(), {
      AWS_ACCESS_KEY_ID: KEY_T,
      AWS_SECRET_ACCESS_KEY: SECRET_A,
      AWS_SESSION_TOKEN: TOKEN,
      AWS_CREDENTIAL_EXPIRATION: "2020-01-01T00:00:00Z",
    });
    const s = credentialSignals(r, {
      failure: failure("ExpiredToken", "The security token included in the request is expired"),
    });
    expect(s).toContainEqual(expect.objectContaining({ cause: "TOKEN_EXPIRED", effect: "confirms" }));
  });

  it("an opt-in region with a global STS endpoint supports STS_TOKEN_VERSION_REGION", async () => {
    const home = tempHome({ ".aws/config": "[default]\nregion = me-south-1\n" });
    const r = await inspect(home, { AWS_ENDPOINT_URL_STS: "https://sts.amazonaws.com" });
    const s = credentialSignals(r, {
      failure: failure("AuthFailure", "AWS was not able to validate the provided access credentials", {
        region: "me-south-1",
      }),
    });
    expect(s).toContainEqual(
      expect.objectContaining({ cause: "STS_TOKEN_VERSION_REGION", effect: "supports" }),
    );
  });

  it("a different key in the failure than the one resolved here supports CRED_WRONG_SOURCE", async () => {
    const r = await inspect(tempHome(), { AWS_ACCESS_KEY_ID: KEY_A, AWS_SECRET_ACCESS_KEY: SECRET_A });
    const s = credentialSignals(r, {
      sdk: "js",
      failure: failure("InvalidClientTokenId", "invalid", {
        accessKeyId: { masked: "AKIA****QPON", prefix: "AKIA" },
      }),
    });
    expect(s).toContainEqual(expect.objectContaining({ cause: "CRED_WRONG_SOURCE", effect: "supports" }));
  });

  it("limits signals to the findings of the named SDK", async () => {
    const r = await inspect(tempHome(), {
      AWS_ACCESS_KEY_ID: KEY_T,
      AWS_SECRET_ACCESS_KEY: SECRET_A,
      AWS_SECURITY_TOKEN: TOKEN,
    });
    const js = credentialSignals(r, { sdk: "js" }).map((s) => s.text);
    const py = credentialSignals(r, { sdk: "python" }).map((s) => s.text);
    expect(js.some((t) => t.includes("AWS_SECURITY_TOKEN"))).toBe(true);
    expect(py.some((t) => t.includes("AWS_SECURITY_TOKEN"))).toBe(false);
  });
});
