// Loads `aws iam get-account-authorization-details` output: users, groups, roles, managed policies, boundaries, trust.

import { parseValue } from "./parse.js";
import type { Policy, PolicyError } from "./types.js";

/** An IAM user or role from a snapshot, with its policies resolved. */
export interface AuthzPrincipal {
  kind: "user" | "role";
  name: string;
  arn: string;
  id?: string;
  path: string;
  /** Inline, attached managed and (for users) group policies. */
  policies: Policy[];
  boundary?: Policy;
  /** Roles only. */
  trust?: Policy;
  tags: Record<string, string>;
  groups: string[];
}

/** A loaded snapshot. */
export interface AuthzSnapshot {
  origin: string;
  users: Map<string, AuthzPrincipal>;
  roles: Map<string, AuthzPrincipal>;
  /** Managed policies by ARN (default version). */
  managed: Map<string, Policy>;
  /** Problems found while loading (bad documents, missing managed policies), with a JSON path in `message`. */
  errors: PolicyError[];
  /** Accounts seen in ARNs. */
  accounts: Set<string>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function tagsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of arr(v)) if (isObj(t) && typeof t.Key === "string") out[t.Key] = String(t.Value ?? "");
  return out;
}

/** Load a snapshot (already JSON-parsed). Never throws on odd content: problems go to `errors`. */
export function loadAuthzSnapshot(json: unknown, origin: string): AuthzSnapshot {
  const snap: AuthzSnapshot = {
    origin,
    users: new Map(),
    roles: new Map(),
    managed: new Map(),
    errors: [],
    accounts: new Set(),
  };
  const nowhere = { line: 0, column: 0 };
  const problem = (path: string, message: string) =>
    snap.errors.push({ code: "authz_bad_entry", message: `${path}: ${message}`, where: nowhere });
  if (!isObj(json)) {
    problem("$", "not an object (expected get-account-authorization-details output)");
    return snap;
  }
  if (
    !("UserDetailList" in json || "RoleDetailList" in json || "GroupDetailList" in json || "Policies" in json)
  )
    problem(
      "$",
      "no UserDetailList, GroupDetailList, RoleDetailList or Policies: is this get-account-authorization-details output?",
    );
  const doc = (v: unknown, name: string, path: string): Policy | undefined => {
    if (v === undefined || v === null) return undefined;
    const r = parseValue(v, name);
    for (const e of r.errors)
      if (e.severity !== "warning") snap.errors.push({ ...e, message: `${path}: ${e.message}` });
    return r.policy;
  };
  arr(json.Policies).forEach((p, i) => {
    if (!isObj(p)) {
      problem(`Policies[${i}]`, "not an object");
      return;
    }
    const arn = str(p.Arn);
    if (!arn) {
      problem(`Policies[${i}]`, "no Arn");
      return;
    }
    const def = str(p.DefaultVersionId);
    const versions = arr(p.PolicyVersionList).filter(isObj);
    const v =
      versions.find((x) => x.IsDefaultVersion === true) ??
      versions.find((x) => x.VersionId === def) ??
      versions[0];
    if (!v) {
      problem(`Policies[${i}]`, `\`${arn}\` has no policy version`);
      return;
    }
    const pol = doc(v.Document, str(p.PolicyName) ?? arn, `Policies[${i}]`);
    if (pol) snap.managed.set(arn, pol);
  });
  const managedFor = (list: unknown, path: string): Policy[] => {
    const out: Policy[] = [];
    for (const m of arr(list)) {
      if (!isObj(m)) continue;
      const arn = str(m.PolicyArn);
      if (!arn) continue;
      const p = snap.managed.get(arn);
      if (p) out.push(p);
      else problem(path, `managed policy \`${arn}\` is attached but not in Policies`);
    }
    return out;
  };
  const inline = (list: unknown, owner: string, path: string): Policy[] =>
    arr(list)
      .filter(isObj)
      .map((x, i) => doc(x.PolicyDocument, `${owner}/${str(x.PolicyName) ?? `inline-${i}`}`, `${path}[${i}]`))
      .filter((p): p is Policy => p !== undefined);
  const boundaryOf = (v: unknown, path: string): Policy | undefined => {
    if (!isObj(v)) return undefined;
    const arn = str(v.PermissionsBoundaryArn);
    if (!arn) return undefined;
    const p = snap.managed.get(arn);
    if (!p) problem(path, `permissions boundary \`${arn}\` is not in Policies`);
    return p;
  };
  const groups = new Map<string, Policy[]>();
  arr(json.GroupDetailList).forEach((g, i) => {
    if (!isObj(g)) {
      problem(`GroupDetailList[${i}]`, "not an object");
      return;
    }
    const name = str(g.GroupName) ?? `group-${i}`;
    groups.set(name, [
      ...inline(g.GroupPolicyList, `group/${name}`, `GroupDetailList[${i}].GroupPolicyList`),
      ...managedFor(g.AttachedManagedPolicies, `GroupDetailList[${i}]`),
    ]);
  });
  const note = (arn: string) => {
    const m = /^arn:[^:]+:iam::(\d{12}):/.exec(arn);
    if (m) snap.accounts.add(m[1]!);
  };
  arr(json.UserDetailList).forEach((u, i) => {
    if (!isObj(u)) {
      problem(`UserDetailList[${i}]`, "not an object");
      return;
    }
    const arn = str(u.Arn);
    const name = str(u.UserName);
    if (!arn || !name) {
      problem(`UserDetailList[${i}]`, "no Arn or UserName");
      return;
    }
    note(arn);
    const gl = arr(u.GroupList).filter((x): x is string => typeof x === "string");
    const policies = [
      ...inline(u.UserPolicyList, `user/${name}`, `UserDetailList[${i}].UserPolicyList`),
      ...managedFor(u.AttachedManagedPolicies, `UserDetailList[${i}]`),
    ];
    for (const g of gl) for (const p of groups.get(g) ?? []) if (!policies.includes(p)) policies.push(p);
    snap.users.set(arn, {
      kind: "user",
      name,
      arn,
      id: str(u.UserId),
      path: str(u.Path) ?? "/",
      policies,
      boundary: boundaryOf(u.PermissionsBoundary, `UserDetailList[${i}]`),
      tags: tagsOf(u.Tags),
      groups: gl,
    });
  });
  arr(json.RoleDetailList).forEach((r, i) => {
    if (!isObj(r)) {
      problem(`RoleDetailList[${i}]`, "not an object");
      return;
    }
    const arn = str(r.Arn);
    const name = str(r.RoleName);
    if (!arn || !name) {
      problem(`RoleDetailList[${i}]`, "no Arn or RoleName");
      return;
    }
    note(arn);
    snap.roles.set(arn, {
      kind: "role",
      name,
      arn,
      id: str(r.RoleId),
      path: str(r.Path) ?? "/",
      policies: [
        ...inline(r.RolePolicyList, `role/${name}`, `RoleDetailList[${i}].RolePolicyList`),
        ...managedFor(r.AttachedManagedPolicies, `RoleDetailList[${i}]`),
      ],
      boundary: boundaryOf(r.PermissionsBoundary, `RoleDetailList[${i}]`),
      trust: doc(
        r.AssumeRolePolicyDocument,
        `role/${name} trust policy`,
        `RoleDetailList[${i}].AssumeRolePolicyDocument`,
      ),
      tags: tagsOf(r.Tags),
      groups: [],
    });
  });
  return snap;
}

/** Find a user or role by any ARN form that names it (role ARN with or without path, role session ARN). */
export function findPrincipal(snap: AuthzSnapshot, arn: string): AuthzPrincipal | undefined {
  const direct = snap.users.get(arn) ?? snap.roles.get(arn);
  if (direct) return direct;
  const m = /^arn:([^:]+):(iam|sts)::(\d{12}):(user|role|assumed-role)\/(.*)$/.exec(arn);
  if (!m) return undefined;
  const [, , , acct, kind, rest] = m;
  const name = kind === "assumed-role" ? rest!.split("/")[0]! : rest!.slice(rest!.lastIndexOf("/") + 1);
  const pool = kind === "user" ? snap.users : snap.roles;
  for (const p of pool.values()) if (p.name === name && p.arn.split(":")[4] === acct) return p;
  return undefined;
}
