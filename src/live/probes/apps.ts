// Application auth configuration: a Cognito identity pool's roles and mappings (§5.2), AppSync auth modes (§5.4).

import type { GetGraphqlApiResponse } from "@aws-sdk/client-appsync";
import type { GetIdentityPoolRolesResponse, IdentityPool } from "@aws-sdk/client-cognito-identity";
import type { Failure } from "../../core/index.js";
import { callAws, type LiveContext } from "../call.js";
import type { AppSyncApi, IdentityPoolConfig, Probed } from "../types.js";
import { fromCall } from "./util.js";

const POOL_ID_RE =
  /\b((?:[a-z]{2}-(?:gov-|iso[a-z]?-)?[a-z]+-\d)):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/;
const APPSYNC_ARN_RE = /arn:aws[a-z-]*:appsync:([a-z0-9-]+):\d{12}:apis\/([a-z0-9]{26})\b/;
const APPSYNC_HOST_RE = /\b([a-z0-9]{26})\.appsync-api\.([a-z0-9-]+)\.amazonaws\.com/;

/** The Cognito identity pool id (`region:uuid`) a failure names, if any. */
export function identityPoolOf(failure: Failure | undefined): string | undefined {
  if (!failure) return undefined;
  for (const text of [failure.resource, failure.message, failure.raw])
    if (text) {
      const m = POOL_ID_RE.exec(text);
      if (m) return m[0];
    }
  return undefined;
}

/** The AppSync API id and region a failure names (ARN or `…appsync-api…` host), if any. */
export function appsyncApiOf(failure: Failure | undefined): { apiId: string; region: string } | undefined {
  if (!failure) return undefined;
  for (const text of [failure.resource, failure.message, failure.raw]) {
    if (!text) continue;
    const arn = APPSYNC_ARN_RE.exec(text);
    if (arn) return { apiId: arn[2]!, region: arn[1]! };
    const host = APPSYNC_HOST_RE.exec(text);
    if (host) return { apiId: host[1]!, region: host[2]! };
  }
  return undefined;
}

/** `cognito-identity:DescribeIdentityPool` and `GetIdentityPoolRoles` of one pool (in the pool's region). */
export async function probeIdentityPool(
  ctx: LiveContext,
  poolId: string,
): Promise<Probed<IdentityPoolConfig>> {
  const region = poolId.split(":")[0]!;
  const [d, roles] = await Promise.all([
    callAws<IdentityPool>(
      ctx,
      "cognito-identity",
      "DescribeIdentityPool",
      { IdentityPoolId: poolId },
      {
        region,
        summarise: (o: IdentityPool) =>
          `${o.IdentityPoolName ?? poolId}: unauthenticated ${o.AllowUnauthenticatedIdentities}, classic flow ${o.AllowClassicFlow ?? false}`,
      },
    ),
    callAws<GetIdentityPoolRolesResponse>(
      ctx,
      "cognito-identity",
      "GetIdentityPoolRoles",
      { IdentityPoolId: poolId },
      {
        region,
        summarise: (o: GetIdentityPoolRolesResponse) =>
          `roles: ${Object.keys(o.Roles ?? {}).join(", ") || "none"}; mappings: ${Object.keys(o.RoleMappings ?? {}).length}`,
      },
    ),
  ]);
  if (!d.ok && !roles.ok) {
    const r = fromCall(roles, `identity pool \`${poolId}\``, () => undefined as never);
    return r.ok
      ? r
      : {
          ...r,
          ...(r.outcome === "denied"
            ? { needs: "cognito-identity:DescribeIdentityPool, cognito-identity:GetIdentityPoolRoles" }
            : {}),
        };
  }
  const gaps: string[] = [];
  if (!d.ok) gaps.push(`pool settings: ${d.reason}`);
  if (!roles.ok) gaps.push(`pool roles: ${roles.reason}`);
  const pool = d.ok ? d.value : undefined;
  const r = roles.ok ? roles.value : undefined;
  return {
    ok: true,
    value: {
      identityPoolId: poolId,
      ...(pool?.IdentityPoolName ? { name: pool.IdentityPoolName } : {}),
      ...(pool ? { allowUnauthenticated: pool.AllowUnauthenticatedIdentities ?? false } : {}),
      ...(pool ? { allowClassicFlow: pool.AllowClassicFlow ?? false } : {}),
      ...(r?.Roles?.authenticated ? { authenticatedRole: r.Roles.authenticated } : {}),
      ...(r?.Roles?.unauthenticated ? { unauthenticatedRole: r.Roles.unauthenticated } : {}),
      roleMappings: Object.entries(r?.RoleMappings ?? {}).map(([provider, m]) => ({
        provider,
        ...(m.Type ? { type: m.Type } : {}),
        ...(m.AmbiguousRoleResolution ? { ambiguousRoleResolution: m.AmbiguousRoleResolution } : {}),
        rules: m.RulesConfiguration?.Rules?.length ?? 0,
      })),
      loginProviders: [
        ...Object.keys(pool?.SupportedLoginProviders ?? {}),
        ...(pool?.CognitoIdentityProviders ?? []).map((p) => p.ProviderName ?? "?"),
        ...(pool?.OpenIdConnectProviderARNs ?? []),
        ...(pool?.SamlProviderARNs ?? []),
      ],
      gaps,
    },
  };
}

/** `appsync:GetGraphqlApi`: the API's default and additional auth modes. */
export async function probeAppSync(
  ctx: LiveContext,
  apiId: string,
  region: string,
): Promise<Probed<AppSyncApi>> {
  const r = await callAws<GetGraphqlApiResponse>(
    ctx,
    "appsync",
    "GetGraphqlApi",
    { apiId },
    {
      region,
      summarise: (o: GetGraphqlApiResponse) =>
        `${o.graphqlApi?.name ?? apiId}: ${[
          o.graphqlApi?.authenticationType,
          ...(o.graphqlApi?.additionalAuthenticationProviders ?? []).map((p) => p.authenticationType),
        ]
          .filter(Boolean)
          .join(", ")}`,
    },
  );
  return fromCall(r, `AppSync API \`${apiId}\``, (o) => ({
    apiId,
    region,
    ...(o.graphqlApi?.name ? { name: o.graphqlApi.name } : {}),
    ...(o.graphqlApi?.authenticationType ? { defaultAuth: o.graphqlApi.authenticationType } : {}),
    additionalAuth: (o.graphqlApi?.additionalAuthenticationProviders ?? [])
      .map((p) => p.authenticationType)
      .filter((x): x is NonNullable<typeof x> => x !== undefined),
  }));
}
