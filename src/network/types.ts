// The network model: what the AWS CLI's EC2 describe outputs say about one VPC, as plain data (docs/network.md).

/** One rule of a security group, as `describe-security-groups` prints it (`IpPermissions[]`/`IpPermissionsEgress[]`). */
export interface SgRule {
  /** `tcp`, `udp`, `icmp`, `-1` (all) or a protocol number as a string (`6`). */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrs: string[];
  ipv6Cidrs: string[];
  prefixListIds: string[];
  groupIds: string[];
  /** Position in the group's rule list (0-based), for the evidence line. */
  index: number;
}

export interface SecurityGroup {
  id: string;
  name?: string;
  vpcId?: string;
  ingress: SgRule[];
  egress: SgRule[];
}

/** One entry of a network ACL (`Entries[]` of `describe-network-acls`). */
export interface NaclEntry {
  ruleNumber: number;
  egress: boolean;
  /** `-1` (all), `6` (TCP), `17` (UDP)... as AWS prints it. */
  protocol: string;
  action: "allow" | "deny";
  cidr?: string;
  ipv6Cidr?: string;
  /** Absent: all ports. */
  portFrom?: number;
  portTo?: number;
}

export interface NetworkAcl {
  id: string;
  vpcId?: string;
  isDefault: boolean;
  subnetIds: string[];
  entries: NaclEntry[];
}

/** One route (`Routes[]` of `describe-route-tables`). */
export interface Route {
  destination: string;
  /** `cidr` for IPv4 and IPv6 blocks, `prefix-list` for `DestinationPrefixListId`. */
  destinationKind: "cidr" | "prefix-list";
  /** `local`, `igw-…`, `nat-…`, `vpce-…`, `tgw-…`, `pcx-…`, `eigw-…`, `eni-…`, `i-…`, `vgw-…`, `lgw-…`… */
  target: string;
  state: string;
}

export interface RouteTable {
  id: string;
  vpcId?: string;
  main: boolean;
  subnetIds: string[];
  routes: Route[];
}

export interface VpcEndpoint {
  id: string;
  type: string;
  vpcId?: string;
  serviceName: string;
  state?: string;
  /** The policy as AWS returns it: a JSON string. */
  policyDocument?: string;
  routeTableIds: string[];
  subnetIds: string[];
  groupIds: string[];
  privateDnsEnabled: boolean;
  networkInterfaceIds: string[];
  dnsNames: string[];
}

export interface PrefixList {
  id: string;
  name?: string;
  /** Empty when only the list's header (describe-managed-prefix-lists) was given. */
  cidrs: string[];
}

/** A network interface: of an instance (`describe-instances`) or on its own (`describe-network-interfaces`). */
export interface NetworkInterface {
  id: string;
  subnetId?: string;
  vpcId?: string;
  groupIds: string[];
  privateIp?: string;
  publicIp?: string;
  ipv6Addresses: string[];
  instanceId?: string;
  deviceIndex?: number;
  /** `interface`, `vpc_endpoint`, `nat_gateway`… (describe-network-interfaces only). */
  interfaceType?: string;
}

/** `MetadataOptions` of an instance (`describe-instances`). */
export interface MetadataOptions {
  httpTokens?: string;
  httpPutResponseHopLimit?: number;
  httpEndpoint?: string;
  httpProtocolIpv6?: string;
  state?: string;
}

export interface Instance {
  id: string;
  subnetId?: string;
  vpcId?: string;
  privateIp?: string;
  publicIp?: string;
  groupIds: string[];
  interfaceIds: string[];
  metadata?: MetadataOptions;
  /** The instance profile ARN (`IamInstanceProfile.Arn`). */
  instanceProfileArn?: string;
  state?: string;
}

export interface Subnet {
  id: string;
  vpcId?: string;
  cidr?: string;
  ipv6Cidrs: string[];
}

export interface Vpc {
  id: string;
  cidrs: string[];
}

/** The kinds of AWS CLI output the loader recognises (by shape, not by file name). */
export type NetworkDocumentKind =
  | "describe-instances"
  | "describe-network-interfaces"
  | "describe-security-groups"
  | "describe-network-acls"
  | "describe-route-tables"
  | "describe-vpc-endpoints"
  | "describe-prefix-lists"
  | "describe-managed-prefix-lists"
  | "get-managed-prefix-list-entries"
  | "describe-subnets"
  | "describe-vpcs";

/** Everything known about the failing machine's network, merged from every document. */
export interface NetworkEvidence {
  instances: Instance[];
  interfaces: NetworkInterface[];
  securityGroups: SecurityGroup[];
  nacls: NetworkAcl[];
  routeTables: RouteTable[];
  endpoints: VpcEndpoint[];
  prefixLists: PrefixList[];
  subnets: Subnet[];
  vpcs: Vpc[];
  /** One line per document read: what it was and how many items it held. */
  documents: { origin: string; kind: NetworkDocumentKind; items: number }[];
}

export function emptyEvidence(): NetworkEvidence {
  return {
    instances: [],
    interfaces: [],
    securityGroups: [],
    nacls: [],
    routeTables: [],
    endpoints: [],
    prefixLists: [],
    subnets: [],
    vpcs: [],
    documents: [],
  };
}
