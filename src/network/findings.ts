// The finding shape shared by IMDS, proxy and endpoint checks lives in core (the diagnosis carries it).

export type { NetworkFinding, NetworkFindingCode } from "../core/network.js";
