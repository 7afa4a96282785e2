// Fill the `<placeholder>`s of cause commands with what the diagnosis knows (principal, role, user, region,
// resource, API id...), so the verdict's commands can be run as printed. Key ids are only ever shown masked:
// a command that needs one looks it up by its last four characters.

import type { Failure } from "../core/failure.js";

export interface KnownFacts {
  principal?: string;
  resource?: string;
  region?: string;
  time?: string;
  profile?: string;
  failure?: Failure | null;
  /** The access key id in use, masked (`AKIA****WXYZ`), when the error text does not name it. */
  keyId?: string;
}

/** Placeholder name -> value, from the facts at hand. */
export function placeholderValues(k: KnownFacts): Map<string, string> {
  const m = new Map<string, string>();
  const set = (name: string, v: string | undefined) => {
    if (v) m.set(name, v);
  };
  const p = k.principal ?? k.failure?.principal?.raw;
  set("principal-arn", p);
  if (p) {
    const assumed = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(p);
    const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(p);
    const user = /^arn:([^:]+):iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/.exec(p);
    const hit = assumed ?? role ?? user;
    if (hit) set("account-id", hit[2]);
    if (assumed) {
      set("role-name", assumed[3]);
      set("role", assumed[3]);
      set("role-arn", `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}`);
    } else if (role) {
      set("role-name", role[3]);
      set("role", role[3]);
      set("role-arn", p);
    } else if (user) {
      set("user-name", user[3]);
    }
  }
  // Key ids are only ever printed masked: a command that needs the full id finds it among the user's keys by
  // the four characters the mask keeps (JMESPath ends_with; the CLI's --query runs it on the response).
  // https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-filter.html
  const key = k.failure?.accessKeyId?.masked ?? k.keyId;
  const userName = m.get("user-name");
  const last4 = key ? /([A-Z0-9]{4})$/.exec(key)?.[1] : undefined;
  if (last4 && userName && /^[\w+=,.@-]+$/.test(userName)) {
    set(
      "access-key-id",
      // no backticks (Markdown code spans): a JMESPath raw string in double quotes, which $(...) opens afresh
      `"$(aws iam list-access-keys --user-name ${userName} --query "AccessKeyMetadata[?ends_with(AccessKeyId, '${last4}')].AccessKeyId" --output text)"`,
    );
  }
  const r = k.resource ?? k.failure?.resource;
  set("resource-arn", r);
  if (r) {
    const api = /^arn:[^:]+:appsync:[^:]*:\d{12}:apis\/([A-Za-z0-9]+)/.exec(r);
    if (api) set("api-id", api[1]);
    const bucket = /^arn:[^:]+:s3:::([^/]+)/.exec(r);
    if (bucket) set("bucket", bucket[1]);
  }
  set("region", k.region ?? k.failure?.region);
  set("time-of-failure", k.time);
  set("profile", k.profile);
  return m;
}

/** Replace every known `<name>` in `text`; unknown ones stay for the user to fill in. */
export function fillPlaceholders(text: string, values: Map<string, string>): string {
  return text.replace(/<([a-z][a-z0-9-]*)>/g, (whole, name: string) => values.get(name) ?? whole);
}
