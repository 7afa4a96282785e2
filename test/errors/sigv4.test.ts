import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diagnose } from "../../src/diagnose/run.js";
import {
  clientSigningStrings,
  compareSigning,
  parseCanonicalRequest,
  serverSigningStrings,
} from "../../src/errors/sigv4.js";

const FIX = join(import.meta.dirname, "../fixtures/sigv4");
const read = (p: string) => readFileSync(join(FIX, p), "utf8");
const empty = { origin: "bundle" as const, env: {}, empty: true };

describe("SigV4 signing strings", () => {
  it("reads the server's strings from an S3 error body", () => {
    const s = serverSigningStrings(read("s3-error.xml"));
    expect(s?.stringToSign?.scope).toMatchObject({ date: "20260512", region: "eu-west-1", service: "s3" });
    expect(s?.canonicalRequest?.method).toBe("PUT");
    expect(s?.canonicalRequest?.signedHeaders).toBe("content-type;host;x-amz-content-sha256;x-amz-date");
  });

  it("reads the *Bytes forms when the text forms are absent", () => {
    const hex = (t: string) => [...Buffer.from(t)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    const sts = "AWS4-HMAC-SHA256\n20260512T101500Z\n20260512/us-west-2/sqs/aws4_request\nabc";
    const s = serverSigningStrings(`<Error><StringToSignBytes>${hex(sts)}</StringToSignBytes></Error>`);
    expect(s?.stringToSign?.scope.region).toBe("us-west-2");
  });

  it("reads the client's strings from a botocore --debug log and names each differing part", () => {
    const client = clientSigningStrings(read("botocore-debug.log"));
    expect(client?.canonicalRequest?.path).toBe("/reports/2026%252005/q3.csv");
    expect(client?.stringToSign?.scope.region).toBe("eu-west-1");
    const diffs = compareSigning(serverSigningStrings(read("s3-error.xml"))!, client!);
    expect(diffs.map((d) => d.part)).toEqual(["path", "header:content-type"]);
    expect(diffs[0]!.cause).toMatch(/double-encoded/);
  });

  it("a scope in another region or service is named as such", () => {
    const server = serverSigningStrings(read("s3-error.xml"))!;
    const log = read("botocore-debug.log").replace("20260512/eu-west-1/s3/", "20260512/us-east-1/s3/");
    const diffs = compareSigning(server, clientSigningStrings(log)!);
    expect(diffs.find((d) => d.part === "scope")?.cause).toMatch(/wrong region/);
  });

  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (t) => {
        serverSigningStrings(t);
        clientSigningStrings(t);
        parseCanonicalRequest(t);
      }),
    );
  });

  it("diagnose reports signature.differences and ranks SIGNING_ERROR; a full match points to the secret", async () => {
    const text = read("s3-error.xml");
    const d = await diagnose({ text, clientRequest: join(FIX, "botocore-debug.log"), credentials: empty });
    expect(d.signature?.differences.map((x) => x.part)).toEqual(["path", "header:content-type"]);
    expect(d.verdict?.cause).toBe("SIGNING_ERROR");

    const same = read("botocore-debug.log")
      .replace("2026%252005", "2026%2005")
      .replace("text/csv; charset=utf-8", "text/csv")
      .replace(/0c1d2e3f[0-9a-f]+/, "9d0b2f5c0a4b2d7a8a1c5c4d9e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const p = join(mkdtempSync(join(tmpdir(), "sigv4-")), "same.log");
    writeFileSync(p, same);
    const m = await diagnose({ text, clientRequest: p, credentials: empty });
    expect(m.signature?.differences).toEqual([]);
    expect(m.verdict?.cause).toBe("KEY_SECRET_MISMATCH");
  });

  it("with the server's strings alone it says what they show and what is missing", async () => {
    const d = await diagnose({ text: read("s3-error.xml"), credentials: empty });
    expect(d.signature?.server).toMatchObject({ region: "eu-west-1", service: "s3", date: "20260512" });
    expect(d.unknowns.some((u) => /client's canonical request/.test(u.what))).toBe(true);
  });
});
