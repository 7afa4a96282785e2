// Builds the masked identity of a credential source: the one place raw key material becomes printable.

import { accountOfArn as accountFromArn } from "../core/arn.js";
import { maskKeyId } from "../core/redact.js";
import { accountFromKeyId, keyKind } from "./keys.js";
import type { MaskedIdentity } from "./types.js";

/** Static keys -> masked identity (key id masked, account decoded where the id encodes it, docs/aws-facts.md §2.6). */
export function staticIdentity(opts: {
  accessKeyId: string;
  hasSessionToken: boolean;
  accountId?: string | undefined;
  accountIdFrom?: "aws_account_id" | "AWS_ACCOUNT_ID";
  expires?: string | undefined;
}): MaskedIdentity {
  const id = opts.accessKeyId.trim();
  const decoded = accountFromKeyId(id);
  const account = decoded ?? (opts.accountId && /^\d{12}$/.test(opts.accountId) ? opts.accountId : undefined);
  return {
    accessKeyId: maskKeyId(id),
    prefix: id.slice(0, 4),
    kind: keyKind(id),
    ...(account
      ? { account, accountFrom: decoded ? "key-id" : (opts.accountIdFrom ?? "aws_account_id") }
      : {}),
    hasSessionToken: opts.hasSessionToken,
    ...(opts.expires ? { expires: opts.expires } : {}),
  };
}

/** Credentials that only exist at run time (STS, SSO portal, a process): no key id known. */
export function runtimeIdentity(opts: {
  kind: "temporary" | "unknown";
  roleArn?: string | undefined;
  account?: string | undefined;
  accountFrom?: MaskedIdentity["accountFrom"];
}): MaskedIdentity {
  const account = opts.account ?? (opts.roleArn ? accountFromArn(opts.roleArn) : undefined);
  return {
    accessKeyId: "unknown",
    kind: opts.kind,
    hasSessionToken: opts.kind === "temporary",
    ...(opts.roleArn ? { roleArn: opts.roleArn } : {}),
    ...(account
      ? { account, accountFrom: opts.account ? (opts.accountFrom ?? "sso_account_id") : "role_arn" }
      : {}),
  };
}
