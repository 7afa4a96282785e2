// Property tests of the output boundary (fast-check): each class of hostile input found by the hostile-input run is
// regenerated at random, and the boundary must hold for all of them: no secret in any encoding, no control sequence
// from an input reaching the terminal (text) or written raw (JSON), colours only from the CLI's own styles.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeLine, safeOutput, safeValue } from "../../src/core/output.js";
import { redactText } from "../../src/core/redact.js";
import { escapeControls, finishText } from "../../src/core/terminal.js";
import { makeStyle } from "../../src/report/style.js";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const b64char = fc.constantFrom(...B64.split(""));
const b64 = (min: number, max: number) =>
  fc.array(b64char, { minLength: min, maxLength: max }).map((a) => a.join(""));

/** A secret access key: 40 base64 characters with lower case and upper case or digits (the shape AWS issues). */
const secretKey = b64(40, 40).filter(
  (s) => /[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s) && !/^[a-f0-9]+$/.test(s),
);
/** Session tokens of every version seen in the wild, with a random body. */
const sessionToken = fc
  .tuple(
    fc.constantFrom(
      "AQoDYXdzE",
      "FQoDYXdzE",
      "FQoGZXIvYXdzE",
      "FwoGZXIvYXdzE",
      "IQoJb3JpZ2luX2Vj",
      "IgoJb3JpZ2lu",
    ),
    b64(80, 400),
  )
  .map(([p, body]) => p + body);
/** A labelled secret of any shape and length (at least 3 characters without separators). */
const oddSecret = fc
  .array(fc.constantFrom(..."abcdefghijkLMNOPQRST0123456789-_.~!".split("")), { minLength: 3, maxLength: 80 })
  .map((a) => `Z${a.join("")}`);
const LABELS = [
  "aws_secret_access_key",
  "AWS_SECRET_ACCESS_KEY",
  "aws_session_token",
  "AWS_SESSION_TOKEN",
  "SecretAccessKey",
  "SessionToken",
  "secretAccessKey",
  "sessionToken",
  "X-Amz-Security-Token",
  "refreshToken",
  "accessToken",
  "client_secret",
  "password",
];
/** Text before a secret: words, punctuation, newlines, ARNs. */
const filler = fc.constantFrom(
  "",
  " ",
  "\n",
  "error: ",
  "User: arn:aws:iam::123456789012:user/a ",
  "; ",
  "(",
  "[",
);
/** Text after a secret, from a separator on (a secret glued to more letters is a different word). */
const after = fc.constantFrom(
  "",
  " ",
  "\n",
  "; ",
  ")",
  "]",
  " is not valid",
  ", User: arn:aws:iam::123456789012:user/a",
);

/** The ways an input can carry a value: raw, labelled in each syntax, URL-encoded, JSON-escaped, base64-wrapped. */
function carriers(value: string, label: string): string[] {
  return [
    value,
    `${label}=${value}`,
    `${label} = ${value}`,
    `${label}: ${value}`,
    `"${label}": "${value}"`,
    `{\\"${label}\\":\\"${value}\\"}`,
    `${label}%3D${encodeURIComponent(value)}`,
    `?${label}=${encodeURIComponent(value)}&x=1`,
    `&quot;${label}&quot;: &quot;${value}&quot;`,
    Buffer.from(`${label}=${value}`).toString("base64"),
    `aws-cli/2.15 md/${label}/${value}`,
    // round 3 (r3-hostile2): Markdown- and HTML-escaped labels and quotes, JSON escaped twice
    `${label.replace(/_/g, "\\_")}=${value}`,
    `&#34;${label}&#34;: &#34;${value}&#34;`,
    `{\\\\\\"${label}\\\\\\":\\\\\\"${value}\\\\\\"}`,
  ];
}

/** Round 3 (r3-hostile2): forms of a key or token that only escape its `/` and `+` (JSON, twice URL-encoded). */
function escapedForms(value: string): string[] {
  return [
    value.replace(/\//g, "\\/"),
    value.replace(/\//g, "\\\\/"),
    value.replace(/\//g, "\\u002F").replace(/\+/g, "\\u002B"),
    encodeURIComponent(encodeURIComponent(value)),
    // printed in colour: the final letter of the code glues to the value
    `\u001b[32m${value}\u001b[0m`,
    `\u009b1;31m${value}`,
  ];
}
/** Round 3: the labels whose value may follow after spaces (CLI flags, `aws configure set`, `export X Y`). */
const SPACED = [
  "aws configure set aws_secret_access_key",
  "--secret-access-key",
  "--aws-session-token",
  "export AWS_SESSION_TOKEN",
  "AWS_SECRET_KEY",
];

describe("redaction holds for every shape and encoding", () => {
  it("secret keys and session tokens, raw or encoded, labelled or not", () => {
    fc.assert(
      fc.property(
        fc.oneof(secretKey, sessionToken),
        fc.constantFrom(...LABELS),
        filler,
        after,
        (secret, label, before, tail) => {
          for (const text of carriers(secret, label)) {
            const out = redactText(`${before}${text}${tail}`);
            expect(out).not.toContain(secret);
            expect(out).not.toContain(encodeURIComponent(secret));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keys and tokens with JSON-escaped or twice URL-encoded slashes, or after a label and spaces", () => {
    fc.assert(
      fc.property(
        fc.oneof(secretKey, sessionToken),
        fc.constantFrom(...SPACED),
        filler,
        after,
        (secret, label, before, tail) => {
          // a run of 20 characters of the secret's body is enough to leak it
          const probe = secret.slice(-20);
          for (const text of escapedForms(secret)) {
            const out = redactText(`${before}${text}${tail}`);
            expect(out, text).not.toContain(text);
            if (!/[/+]/.test(probe)) expect(out, text).not.toContain(probe);
          }
          expect(redactText(`${before}${label} ${secret}${tail}`)).not.toContain(secret);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("labelled values of any shape", () => {
    fc.assert(
      fc.property(oddSecret, fc.constantFrom(...LABELS), filler, (secret, label, before) => {
        for (const text of [...carriers(secret, label).slice(1, 9), ...carriers(secret, label).slice(11)]) {
          const out = redactText(`${before}${text}`);
          expect(out, text).not.toContain(secret);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("is idempotent and leaves ordinary text alone", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-ascii", maxLength: 200 }), (s) => {
        const once = redactText(s);
        expect(redactText(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
    const plain =
      "User: arn:aws:sts::123456789012:assumed-role/App/i-0abc is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::my-bucket/path/to/key.json because no identity-based policy allows the s3:GetObject action";
    expect(redactText(plain)).toBe(plain);
  });
});

/** Controls an input may carry: C0, DEL, C1 (incl. U+009B CSI), ESC sequences (SGR, OSC, clear screen), bidi. */
const control = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x7f, max: 0x9f }).map((c) => String.fromCharCode(c)),
  fc.constantFrom(
    "\u001b[31m",
    "\u001b[1m",
    "\u001b[39m",
    "\u001b[2J",
    "\u001b]0;owned\u0007",
    "\u009b31m",
    "\u202e",
    "\u2066",
    "\r",
  ),
);
const hostileText = fc
  .array(fc.oneof(control, fc.string({ maxLength: 8 })), { maxLength: 30 })
  .map((a) => a.join(""));
/** Control characters that must never be written raw (tab and newline are text). */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe("control sequences from inputs are escaped, in text and JSON", () => {
  it("text without colour: no raw control character at all", () => {
    fc.assert(
      fc.property(hostileText, (s) => {
        expect(safeOutput(s, "text", false)).not.toMatch(RAW_CONTROL);
        expect(safeLine(s)).not.toMatch(/[\n\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      }),
      { numRuns: 500 },
    );
  });

  it("text with colour: the only escape codes are the CLI's own, around the CLI's own text", () => {
    const style = makeStyle(true);
    fc.assert(
      fc.property(hostileText, (s) => {
        const out = safeOutput(`${style.red("DENIED")} ${s}`, "text", true);
        // exactly the two codes the style wrote; everything from the input is escaped
        expect(out.match(/\u001b/g)).toHaveLength(2);
        expect(out.startsWith("\u001b[31mDENIED\u001b[39m ")).toBe(true);
        expect(out.slice("\u001b[31mDENIED\u001b[39m ".length)).toBe(escapeControls(redactText(s)));
      }),
      { numRuns: 500 },
    );
  });

  it("an input cannot forge a colour mark (the mark carries a per-process nonce)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.integer({ min: 0, max: 99 }), (nonce, code) => {
        const forged = `\uE000${nonce}:${code}\uE001`;
        expect(finishText(forged)).not.toContain("\u001b");
      }),
    );
  });

  it("JSON: stays valid, equal after parsing, with no raw C0/C1/bidi character", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), hostileText, { maxKeys: 5 }), (o) => {
        const json = JSON.stringify({ schema: "x/v1", o }, null, 2);
        const out = safeOutput(json, "json");
        expect(out).not.toMatch(RAW_CONTROL);
        const back = JSON.parse(out) as { o: Record<string, string> };
        // redaction may mask values; control characters are unchanged after parsing
        expect(Object.keys(back.o)).toEqual(Object.keys(o));
        for (const [k, v] of Object.entries(o)) if (redactText(v) === v) expect(back.o[k]).toBe(v);
      }),
      { numRuns: 300 },
    );
  });
});

describe("values handed to a client's own serialiser (MCP structured content)", () => {
  it("no raw control character in keys or strings once serialised; tab and newline stay; secrets removed", () => {
    fc.assert(
      fc.property(
        fc.dictionary(hostileText, fc.oneof(hostileText, fc.array(hostileText, { maxLength: 3 })), {
          maxKeys: 5,
        }),
        secretKey,
        (o, secret) => {
          const v = safeValue({ o, s: `SecretAccessKey=${secret}` });
          const wire = JSON.stringify(v);
          expect(wire).not.toMatch(RAW_CONTROL);
          expect(wire).not.toMatch(/(?<!\\)(?:\\\\)*\\(?:u00[01][0-9a-fA-F]|[bfr])/);
          expect(wire).not.toContain(secret);
          expect(Object.keys(v.o)).toHaveLength(Object.keys(o).length);
        },
      ),
      { numRuns: 300 },
    );
    expect(safeValue({ a: "x\ty\nz" })).toEqual({ a: "x\ty\nz" });
  });
});
