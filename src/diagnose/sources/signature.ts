// Evidence source: SignatureDoesNotMatch compared part by part: the server's CanonicalRequest / StringToSign from
// the error body against the client's own (--client-request: a botocore/CLI --debug log, an SDK logger's output,
// or the canonical request). https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html

import { basename } from "node:path";
import type { SignatureEvidence } from "../../core/diagnosis.js";
import { InputError } from "../../core/input-error.js";
import { clientSigningStrings, compareSigning, serverSigningStrings } from "../../errors/sigv4.js";
import { decodeText, readBytes, readFailure } from "../../io/read.js";
import type { SourceContext } from "../pipeline.js";
import { comparisonSignals } from "../signals/signature.js";
import { emptyOutcome, type SourceOutcome } from "./types.js";

/** The signature report: the server's scope, and the differences when the client's strings are given. */
export async function signatureSource(
  clientPath: string | undefined,
  ctx: SourceContext,
): Promise<SourceOutcome> {
  const out = emptyOutcome();
  const f = ctx.parsed.failure;
  const isMismatch = f?.code === "SignatureDoesNotMatch";
  const server = ctx.parsed.text !== undefined ? serverSigningStrings(ctx.parsed.text) : undefined;
  if (!server) {
    if (isMismatch)
      out.unknowns.push({
        what: "the server's canonical request and string to sign are not in the text",
        why: "without them the signed request cannot be compared with the one received",
        needs:
          "the full error body (S3 returns CanonicalRequest and StringToSign in the XML), e.g. with `--debug`",
      });
    if (clientPath || isMismatch)
      out.checked.push({
        source: "signature",
        status: "skipped",
        detail: "no server signing strings in the text",
      });
    return out;
  }
  const sts = server.stringToSign;
  const report: SignatureEvidence = {
    server: sts
      ? {
          scope: sts.scope.raw,
          date: sts.scope.date,
          region: sts.scope.region,
          service: sts.scope.service,
          timestamp: sts.timestamp,
        }
      : {},
    differences: [],
    notes: [],
  };
  if (sts)
    report.notes.push(
      `the server received a request signed for region ${sts.scope.region}, service ${sts.scope.service}, at ${sts.timestamp}`,
    );
  if (!clientPath) {
    out.checked.push({
      source: "signature",
      status: "not-given",
      detail: "server strings read; no --client-request",
    });
    out.unknowns.push({
      what: "the client's canonical request was not given",
      why: "the server's strings alone cannot say which part the client signed differently",
      needs:
        "--client-request FILE: the `--debug` output of the AWS CLI/boto3 (it logs CanonicalRequest and StringToSign)",
    });
    out.signature = report;
    return out;
  }
  let text: string;
  try {
    text = decodeText(await readBytes(clientPath));
  } catch (err) {
    const reason = err instanceof InputError ? err.detail : `cannot read: ${readFailure(err)}`;
    out.checked.push({ source: `signature: ${clientPath}`, status: "failed", detail: reason });
    out.unknowns.push({ what: `client request \`${clientPath}\` not used`, why: reason });
    out.signature = report;
    return out;
  }
  const client = clientSigningStrings(text);
  if (!client) {
    const reason =
      "no canonical request or string to sign found (expected a --debug log or the canonical request)";
    out.checked.push({ source: `signature: ${clientPath}`, status: "failed", detail: reason });
    out.unknowns.push({ what: `client request \`${clientPath}\` not used`, why: reason });
    out.signature = report;
    return out;
  }
  report.client = clientPath;
  const diffs = compareSigning(server, client);
  report.differences = diffs;
  const complete =
    !!server.canonicalRequest && !!client.canonicalRequest && !!server.stringToSign && !!client.stringToSign;
  if (report.differences.length === 0)
    report.notes.push(
      complete
        ? "every part matches: the client signed what the server received, so the secret access key is wrong"
        : "the parts both sides show match; the missing ones could not be compared",
    );
  out.signals.push(...comparisonSignals(diffs, complete, `signature: ${basename(clientPath)}`));
  out.checked.push({
    source: "signature",
    status: "used",
    detail: `${clientPath}: ${report.differences.length} part(s) differ${report.differences.length ? ` (${report.differences.map((d) => d.part).join(", ")})` : ""}`,
  });
  out.signature = report;
  return out;
}
