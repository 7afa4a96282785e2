// SigV4 signing strings (server's from the error body, client's from --client-request) -> Signals.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html

import type { CauseId, Signal } from "../../core/index.js";
import type { SignatureDifference, SigningStrings } from "../../errors/sigv4.js";

/** What the server's strings alone show: the scope the client signed with, against the region it reached. */
export function serverScopeSignals(
  server: SigningStrings,
  endpointRegion: string | undefined,
  source: string,
): Signal[] {
  const out: Signal[] = [];
  const scope = server.stringToSign?.scope;
  if (scope && endpointRegion && scope.region && scope.region !== endpointRegion)
    out.push({
      cause: "REGION_MISMATCH",
      effect: "supports",
      text: `the request was signed for ${scope.region} but went to ${endpointRegion} (server's StringToSign scope ${scope.raw})`,
      source,
      grade: "reported",
    });
  return out;
}

/** What a part-by-part comparison settles. */
export function comparisonSignals(diffs: SignatureDifference[], complete: boolean, source: string): Signal[] {
  const out: Signal[] = [];
  const add = (cause: CauseId, effect: Signal["effect"], text: string) =>
    out.push({ cause, effect, text, source, grade: "reported" });
  if (diffs.length === 0) {
    if (complete) {
      add(
        "KEY_SECRET_MISMATCH",
        "confirms",
        "the client signed exactly what the server received: the secret key differs",
      );
      add(
        "SIGNING_ERROR",
        "refutes",
        "the canonical request and string to sign match the server's part by part",
      );
      add("CLOCK_SKEW", "refutes", "the signing time matches the server's string to sign");
    }
    return out;
  }
  for (const d of diffs) {
    const text = `${d.part} differs (server \`${clip(d.server)}\`, client \`${clip(d.client)}\`): ${d.cause}`;
    if (d.part === "scope") {
      if (/region/.test(d.cause)) add("REGION_MISMATCH", "confirms", text);
      if (/service/.test(d.cause)) add("SIGNING_ERROR", "confirms", text);
      if (/clock/.test(d.cause)) add("CLOCK_SKEW", "supports", text);
    } else if (d.part === "string-to-sign" && /clock/.test(d.cause)) add("CLOCK_SKEW", "supports", text);
    else add("SIGNING_ERROR", "confirms", text);
  }
  add(
    "KEY_SECRET_MISMATCH",
    "weakens",
    "the signed request differs from the one received: the secret may be right",
  );
  return out;
}

function clip(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
