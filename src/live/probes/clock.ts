// Clock skew from the HTTP `Date` headers of the responses live mode received (docs/aws-facts.md §4.3).

import type { Exchange } from "../clients.js";
import type { ClockSkew, Probed } from "../types.js";
import { notRun } from "./util.js";

/**
 * local − server in seconds from the exchange with the shortest round trip: the server stamped `Date`
 * somewhere between sending and receipt, so the local midpoint is compared with it. `Date` has one-second
 * resolution, hence the uncertainty of half the round trip plus one second.
 */
export function measureSkew(exchanges: Exchange[]): Probed<ClockSkew> {
  const samples = exchanges
    .filter((e) => e.date && e.receivedAt !== undefined)
    .map((e) => ({
      server: Date.parse(e.date!),
      rtt: e.receivedAt! - e.sentAt,
      mid: (e.sentAt + e.receivedAt!) / 2,
    }))
    .filter((s) => Number.isFinite(s.server));
  if (samples.length === 0)
    return notRun("error", "could not measure the clock skew: no response carried a `Date` header");
  const best = samples.reduce((a, b) => (b.rtt < a.rtt ? b : a));
  // `Date` truncates to the second: the server's true time lies in [server, server + 1 s).
  const skewSeconds = Math.round((best.mid - (best.server + 500)) / 1000);
  return {
    ok: true,
    value: {
      skewSeconds,
      samples: samples.length,
      uncertaintySeconds: Math.ceil(best.rtt / 2000 + 1),
    },
  };
}
