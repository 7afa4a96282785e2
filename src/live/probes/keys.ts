// Access key state of an IAM user: status and last use of each key (iam:ListAccessKeys, GetAccessKeyLastUsed).

import type { GetAccessKeyLastUsedResponse, ListAccessKeysResponse } from "@aws-sdk/client-iam";
import { describeKeyId } from "../../core/redact.js";
import { callAws, type LiveContext } from "../call.js";
import type { AccessKeyInfo, AccessKeyState, Probed } from "../types.js";
import { fromCall, iso } from "./util.js";

/**
 * The keys of user `userName`; `currentKeyId` (raw, never output) marks the key the chain resolved, and
 * `maskedOfInterest` (a failure's masked key id) marks keys whose last use is also read.
 */
export async function probeAccessKeys(
  ctx: LiveContext,
  region: string,
  userName: string,
  currentKeyId: string | undefined,
  maskedOfInterest?: string,
): Promise<Probed<AccessKeyState>> {
  const r = await callAws<ListAccessKeysResponse>(
    ctx,
    "iam",
    "ListAccessKeys",
    { UserName: userName },
    {
      region,
      summarise: (o: ListAccessKeysResponse) =>
        (o.AccessKeyMetadata ?? [])
          .map((k) => `${describeKeyId(k.AccessKeyId ?? "").masked} ${k.Status ?? "?"}`)
          .join(", ") || "no keys",
    },
  );
  if (!r.ok) return fromCall(r, `the access keys of user \`${userName}\``, () => undefined as never);
  const keys = await Promise.all(
    (r.value.AccessKeyMetadata ?? []).map(async (k): Promise<AccessKeyInfo & { raw: string }> => {
      const raw = k.AccessKeyId ?? "";
      const masked = describeKeyId(raw);
      const info: AccessKeyInfo & { raw: string } = {
        raw,
        accessKeyId: masked,
        status: k.Status ?? "unknown",
        ...(iso(k.CreateDate) ? { createDate: iso(k.CreateDate) } : {}),
      };
      if (raw === currentKeyId || (maskedOfInterest && masked.masked === maskedOfInterest)) {
        const u = await callAws<GetAccessKeyLastUsedResponse>(
          ctx,
          "iam",
          "GetAccessKeyLastUsed",
          { AccessKeyId: raw },
          {
            region,
            summarise: (o: GetAccessKeyLastUsedResponse) =>
              `${masked.masked} last used ${iso(o.AccessKeyLastUsed?.LastUsedDate) ?? "never"}`,
          },
        );
        if (u.ok) {
          const last = u.value.AccessKeyLastUsed;
          const when = iso(last?.LastUsedDate);
          if (when) info.lastUsedDate = when;
          if (last?.ServiceName && last.ServiceName !== "N/A") info.lastUsedService = last.ServiceName;
          if (last?.Region && last.Region !== "N/A") info.lastUsedRegion = last.Region;
        }
      }
      return info;
    }),
  );
  const current = keys.find((k) => k.raw === currentKeyId);
  const strip = ({ raw: _raw, ...rest }: AccessKeyInfo & { raw: string }): AccessKeyInfo => rest;
  return {
    ok: true,
    value: { userName, keys: keys.map(strip), ...(current ? { current: strip(current) } : {}) },
  };
}
