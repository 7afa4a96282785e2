// The caller's policies in the shape of `aws iam get-account-authorization-details`, and a simulator cross-check.

import type {
  GetAccountAuthorizationDetailsResponse,
  GetPolicyResponse,
  GetPolicyVersionResponse,
  GetRoleResponse,
  GetUserResponse,
  ListAttachedRolePoliciesResponse,
  ListGroupsForUserResponse,
  SimulatePolicyResponse,
} from "@aws-sdk/client-iam";
import { callAws, type LiveContext } from "../call.js";
import type {
  AuthorizationDetails,
  AuthorizationSnapshot,
  PrincipalRef,
  Probed,
  SimulationResult,
} from "../types.js";
import { fromCall, toCliShape } from "./util.js";

/** At most this many GetAccountAuthorizationDetails pages (large accounts are cut, with a gap noted). */
const MAX_PAGES = 10;

type Row = Record<string, unknown>;

interface AttachedRef {
  PolicyArn?: string;
}

/** Managed policies (with their default version) by ARN, for the `Policies` list. */
async function fetchManagedPolicies(
  ctx: LiveContext,
  region: string,
  arns: string[],
  gaps: string[],
): Promise<Row[]> {
  const out = await Promise.all(
    [...new Set(arns)].map(async (arn) => {
      const p = await callAws<GetPolicyResponse>(ctx, "iam", "GetPolicy", { PolicyArn: arn }, { region });
      if (!p.ok || !p.value.Policy?.DefaultVersionId) {
        gaps.push(`managed policy ${arn}: ${p.ok ? "no default version" : p.reason}`);
        return undefined;
      }
      const v = await callAws<GetPolicyVersionResponse>(
        ctx,
        "iam",
        "GetPolicyVersion",
        { PolicyArn: arn, VersionId: p.value.Policy.DefaultVersionId },
        { region },
      );
      if (!v.ok) {
        gaps.push(`managed policy ${arn}: ${v.reason}`);
        return undefined;
      }
      const policy = toCliShape(p.value.Policy) as Row;
      return { ...policy, PolicyVersionList: [toCliShape(v.value.PolicyVersion)] } as Row;
    }),
  );
  return out.filter((x): x is Row => x !== undefined);
}

function attachedArns(rows: Row[]): string[] {
  const arns: string[] = [];
  for (const row of rows) {
    for (const a of (row.AttachedManagedPolicies as AttachedRef[] | undefined) ?? [])
      if (a.PolicyArn) arns.push(a.PolicyArn);
    const b = (row.PermissionsBoundary as { PermissionsBoundaryArn?: string } | undefined)
      ?.PermissionsBoundaryArn;
    if (b) arns.push(b);
  }
  return arns;
}

/** Whole-account snapshot from GetAccountAuthorizationDetails (without AWS managed policies, fetched per use). */
async function fromAuthorizationDetails(
  ctx: LiveContext,
  region: string,
  principal: PrincipalRef,
): Promise<Probed<AuthorizationSnapshot>> {
  const details: AuthorizationDetails = {
    UserDetailList: [],
    GroupDetailList: [],
    RoleDetailList: [],
    Policies: [],
  };
  const gaps: string[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await callAws<GetAccountAuthorizationDetailsResponse>(
      ctx,
      "iam",
      "GetAccountAuthorizationDetails",
      { Filter: ["User", "Role", "Group", "LocalManagedPolicy"], ...(marker ? { Marker: marker } : {}) },
      { region, summarise: () => `page ${page + 1}` },
    );
    if (!r.ok) {
      if (page === 0) return fromCall(r, "the account's authorization details", () => undefined as never);
      gaps.push(`page ${page + 1}: ${r.reason}`);
      break;
    }
    const o = toCliShape(r.value) as Partial<AuthorizationDetails> & {
      IsTruncated?: boolean;
      Marker?: string;
    };
    details.UserDetailList.push(...(o.UserDetailList ?? []));
    details.GroupDetailList.push(...(o.GroupDetailList ?? []));
    details.RoleDetailList.push(...(o.RoleDetailList ?? []));
    details.Policies.push(...(o.Policies ?? []));
    marker = o.IsTruncated ? o.Marker : undefined;
    if (!marker) break;
    if (page === MAX_PAGES - 1)
      gaps.push(`account has more than ${MAX_PAGES} pages of authorization details`);
  }
  // AWS managed policies the principal (or its groups) uses, fetched one by one.
  const self =
    principal.kind === "role"
      ? details.RoleDetailList.filter((r) => r.RoleName === principal.name)
      : details.UserDetailList.filter((u) => u.UserName === principal.name);
  const groupNames = new Set(self.flatMap((u) => (u.GroupList as string[] | undefined) ?? []));
  const groups = details.GroupDetailList.filter((g) => groupNames.has(g.GroupName as string));
  const known = new Set(details.Policies.map((p) => p.Arn as string));
  const missing = attachedArns([...self, ...groups]).filter((a) => !known.has(a));
  details.Policies.push(...(await fetchManagedPolicies(ctx, region, missing, gaps)));
  if (self.length === 0) gaps.push(`${principal.kind} \`${principal.name}\` is not in the account's details`);
  return { ok: true, value: { principal, scope: "full", details, gaps } };
}

interface NamesPage {
  PolicyNames?: string[];
  IsTruncated?: boolean;
}

/** Inline policies of one user, role or group (List*Policies + Get*Policy). */
async function inlinePolicies(
  ctx: LiveContext,
  region: string,
  kind: "User" | "Role" | "Group",
  name: string,
  gaps: string[],
): Promise<Row[]> {
  const key = `${kind}Name`;
  const list = await callAws<NamesPage>(ctx, "iam", `List${kind}Policies`, { [key]: name }, { region });
  if (!list.ok) {
    gaps.push(`inline policies of ${kind.toLowerCase()} \`${name}\`: ${list.reason}`);
    return [];
  }
  if (list.value.IsTruncated)
    gaps.push(`inline policies of ${kind.toLowerCase()} \`${name}\`: first page only`);
  const docs = await Promise.all(
    (list.value.PolicyNames ?? []).map(async (policyName) => {
      const g = await callAws<{ PolicyName?: string; PolicyDocument?: string }>(
        ctx,
        "iam",
        `Get${kind}Policy`,
        { [key]: name, PolicyName: policyName },
        { region },
      );
      if (!g.ok) {
        gaps.push(`inline policy \`${policyName}\`: ${g.reason}`);
        return undefined;
      }
      return toCliShape({ PolicyName: policyName, PolicyDocument: g.value.PolicyDocument }) as Row;
    }),
  );
  return docs.filter((d): d is Row => d !== undefined);
}

async function attachedPolicies(
  ctx: LiveContext,
  region: string,
  kind: "User" | "Role" | "Group",
  name: string,
  gaps: string[],
): Promise<Row[]> {
  const r = await callAws<ListAttachedRolePoliciesResponse>(
    ctx,
    "iam",
    `ListAttached${kind}Policies`,
    { [`${kind}Name`]: name },
    { region },
  );
  if (!r.ok) {
    gaps.push(`managed policies of ${kind.toLowerCase()} \`${name}\`: ${r.reason}`);
    return [];
  }
  return (toCliShape(r.value.AttachedPolicies ?? []) as Row[]) ?? [];
}

/** The caller's own principal only, with the narrow Get/List calls. */
async function fromNarrowCalls(
  ctx: LiveContext,
  region: string,
  principal: PrincipalRef,
): Promise<Probed<AuthorizationSnapshot>> {
  const gaps: string[] = [];
  const details: AuthorizationDetails = {
    UserDetailList: [],
    GroupDetailList: [],
    RoleDetailList: [],
    Policies: [],
  };
  if (principal.kind === "role") {
    const role = await callAws<GetRoleResponse>(
      ctx,
      "iam",
      "GetRole",
      { RoleName: principal.name },
      { region },
    );
    if (!role.ok) return fromCall(role, `role \`${principal.name}\``, () => undefined as never);
    const [inline, attached] = await Promise.all([
      inlinePolicies(ctx, region, "Role", principal.name, gaps),
      attachedPolicies(ctx, region, "Role", principal.name, gaps),
    ]);
    const row = {
      ...(toCliShape(role.value.Role) as Row),
      RolePolicyList: inline,
      AttachedManagedPolicies: attached,
    };
    details.RoleDetailList.push(row);
  } else {
    const user = await callAws<GetUserResponse>(
      ctx,
      "iam",
      "GetUser",
      { UserName: principal.name },
      { region },
    );
    if (!user.ok) return fromCall(user, `user \`${principal.name}\``, () => undefined as never);
    const [inline, attached, groups] = await Promise.all([
      inlinePolicies(ctx, region, "User", principal.name, gaps),
      attachedPolicies(ctx, region, "User", principal.name, gaps),
      callAws<ListGroupsForUserResponse>(
        ctx,
        "iam",
        "ListGroupsForUser",
        { UserName: principal.name },
        { region },
      ),
    ]);
    const groupRows = groups.ok ? ((toCliShape(groups.value.Groups ?? []) as Row[]) ?? []) : [];
    if (!groups.ok) gaps.push(`groups of user \`${principal.name}\`: ${groups.reason}`);
    details.UserDetailList.push({
      ...(toCliShape(user.value.User) as Row),
      GroupList: groupRows.map((g) => g.GroupName),
      UserPolicyList: inline,
      AttachedManagedPolicies: attached,
    });
    for (const g of groupRows) {
      const name = g.GroupName as string;
      const [gi, ga] = await Promise.all([
        inlinePolicies(ctx, region, "Group", name, gaps),
        attachedPolicies(ctx, region, "Group", name, gaps),
      ]);
      details.GroupDetailList.push({ ...g, GroupPolicyList: gi, AttachedManagedPolicies: ga });
    }
  }
  const all = [...details.UserDetailList, ...details.RoleDetailList, ...details.GroupDetailList];
  details.Policies.push(...(await fetchManagedPolicies(ctx, region, attachedArns(all), gaps)));
  return { ok: true, value: { principal, scope: "principal", details, gaps } };
}

/**
 * The policies of `principal`: GetAccountAuthorizationDetails when allowed (whole account), else the narrow
 * Get/List calls for the principal alone. Unreadable parts are listed in `gaps`.
 */
export async function probePolicies(
  ctx: LiveContext,
  region: string,
  principal: PrincipalRef,
): Promise<Probed<AuthorizationSnapshot>> {
  const full = await fromAuthorizationDetails(ctx, region, principal);
  if (full.ok) return full;
  const narrow = await fromNarrowCalls(ctx, region, principal);
  if (narrow.ok) {
    narrow.value.gaps.unshift(`whole-account details unavailable (${full.reason})`);
    return narrow;
  }
  return {
    ...narrow,
    reason: `could not read the policies of ${principal.kind} \`${principal.name}\`: ${full.needs ?? full.reason}; ${narrow.needs ?? narrow.reason}`,
    needs: `iam:GetAccountAuthorizationDetails, or iam:Get${principal.kind === "role" ? "Role" : "User"} and the List/Get policy reads`,
  };
}

/** `iam:SimulatePrincipalPolicy` for the failing action (identity policies, boundary, SCPs; not session policies). */
export async function probeSimulation(
  ctx: LiveContext,
  region: string,
  principalArn: string,
  action: string,
  resource: string | undefined,
): Promise<Probed<SimulationResult>> {
  const res = resource?.startsWith("arn:") ? resource : "*";
  const r = await callAws<SimulatePolicyResponse>(
    ctx,
    "iam",
    "SimulatePrincipalPolicy",
    { PolicySourceArn: principalArn, ActionNames: [action], ResourceArns: [res] },
    {
      region,
      summarise: (o: SimulatePolicyResponse) =>
        `${action} on ${res}: ${o.EvaluationResults?.[0]?.EvalDecision ?? "no result"}`,
    },
  );
  return fromCall(r, `the policy simulation of \`${action}\``, (o) => {
    const e = o.EvaluationResults?.[0];
    const decision = (e?.EvalDecision ?? "implicitDeny") as SimulationResult["decision"];
    return {
      principalArn,
      action,
      resource: res,
      decision,
      matchedStatements: (e?.MatchedStatements ?? []).map((s) => ({
        ...(s.SourcePolicyId ? { sourcePolicyId: s.SourcePolicyId } : {}),
        ...(s.SourcePolicyType ? { sourcePolicyType: s.SourcePolicyType } : {}),
      })),
      missingContextValues: e?.MissingContextValues ?? [],
      ...(e?.OrganizationsDecisionDetail?.AllowedByOrganizations !== undefined
        ? { allowedByOrganizations: e.OrganizationsDecisionDetail.AllowedByOrganizations }
        : {}),
      ...(e?.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary !== undefined
        ? { allowedByPermissionsBoundary: e.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary }
        : {}),
    };
  });
}
