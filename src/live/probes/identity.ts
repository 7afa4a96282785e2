// sts:GetCallerIdentity on the home region's endpoint, the global endpoint and the failing region (docs/aws-facts.md §3.1).

import type { GetCallerIdentityCommandOutput } from "@aws-sdk/client-sts";
import { callAws, type LiveContext } from "../call.js";
import type { CallerIdentity, Probed } from "../types.js";
import { fromCall } from "./util.js";

/** Global STS endpoint of the aws partition; its signing region is us-east-1 (docs/aws-facts.md §3.1). */
export const GLOBAL_STS_ENDPOINT = "https://sts.amazonaws.com";

/** Who the resolved credentials are, asked of one STS endpoint. */
export async function probeCallerIdentity(
  ctx: LiveContext,
  target: CallerIdentity["target"],
  region: string,
): Promise<Probed<CallerIdentity>> {
  const endpoint = target === "global" ? GLOBAL_STS_ENDPOINT : undefined;
  const r = await callAws<GetCallerIdentityCommandOutput>(
    ctx,
    "sts",
    "GetCallerIdentity",
    {},
    {
      region,
      ...(endpoint ? { endpoint } : {}),
      summarise: (o: GetCallerIdentityCommandOutput) => `${target}: ${o.Arn ?? "?"}`,
    },
  );
  return fromCall(r, "the caller identity", (o) => ({
    target,
    region,
    endpoint: r.endpoint ?? "",
    account: o.Account ?? "",
    arn: o.Arn ?? "",
    userId: o.UserId ?? "",
  }));
}
