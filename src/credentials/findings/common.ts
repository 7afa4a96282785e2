// Shared patterns and helpers of the credential checks.

import type { CauseId } from "../../core/cause-ids.js";
import type { Finding, SdkId } from "../types.js";

export const REGION_RE = /^(?:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}|aws-global)$/;
export const ROLE_ARN_RE = /^arn:aws(?:-cn|-us-gov|-iso(?:-[a-z])?)?:iam::\d{12}:role\/[\w+=,.@\-/]{1,512}$/;

export const NAMES: Record<SdkId, string> = { js: "JS v3", python: "boto3", cli: "AWS CLI v2" };
export const sdkList = (s: SdkId[]) => s.map((x) => NAMES[x]).join(", ");
export const isSet = (v: string | undefined): v is string => v !== undefined && v !== "";

/**
 * A finding as a check writes it: its cause comes from the one code -> cause table (core/finding-causes.ts),
 * except where the check names it from that table itself (the cause depends on more than the code).
 */
export type FindingDraft = Omit<Finding, "cause"> & { cause?: CauseId };
