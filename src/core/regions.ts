// Opt-in Regions known offline: one list for every module (docs/aws-facts.md §3.3).

/**
 * Regions that an account must enable before use (launched after 20 March 2019). The list grows and AWS does not
 * hard-code it: `aws account get-region-opt-status` / `aws account list-regions` are the authority.
 */
export const OPT_IN_REGIONS: ReadonlySet<string> = new Set([
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-south-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-west-1",
  "eu-central-2",
  "eu-south-1",
  "eu-south-2",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
]);

/** True when `region` is a known opt-in Region. */
export function isOptInRegion(region: string | undefined): boolean {
  return region !== undefined && OPT_IN_REGIONS.has(region);
}
