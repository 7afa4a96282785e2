// IPv4/IPv6 addresses and CIDR blocks as bigints: containment and overlap, for rules, ACL entries and routes.

/** A parsed block: first address, prefix length and family width (32 or 128). */
export interface Block {
  base: bigint;
  prefix: number;
  bits: 32 | 128;
}

function v4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let out = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    out = (out << 8n) | BigInt(Number(p));
  }
  return out;
}

function v6(text: string): bigint | undefined {
  if (text.length > 45 || !/^[0-9a-f:.]+$/i.test(text)) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const words: number[] = [];
  const push = (g: string): boolean => {
    if (g.includes(".")) {
      const x = v4(g);
      if (x === undefined) return false;
      words.push(Number(x >> 16n), Number(x & 0xffffn));
      return true;
    }
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return false;
    words.push(Number.parseInt(g, 16));
    return true;
  };
  for (const g of head) if (!push(g)) return undefined;
  const headLen = words.length;
  for (const g of tail) if (!push(g)) return undefined;
  if (halves.length === 2) {
    const missing = 8 - words.length;
    if (missing < 1) return undefined;
    words.splice(headLen, 0, ...new Array<number>(missing).fill(0));
  }
  if (words.length !== 8) return undefined;
  return words.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
}

/** Parse `10.0.0.0/16`, `::/0` or a bare address (a /32 or /128). */
export function parseBlock(text: string): Block | undefined {
  const [addr, len, extra] = text.trim().split("/");
  if (extra !== undefined || !addr) return undefined;
  const isV6 = addr.includes(":");
  const value = isV6 ? v6(addr) : v4(addr);
  if (value === undefined) return undefined;
  const bits = isV6 ? 128 : 32;
  const prefix = len === undefined ? bits : /^\d{1,3}$/.test(len) ? Number(len) : Number.NaN;
  if (!(prefix >= 0 && prefix <= bits)) return undefined;
  const hostBits = BigInt(bits - prefix);
  return { base: (value >> hostBits) << hostBits, prefix, bits };
}

/** True when block `outer` holds all of block `inner` (same family). */
export function covers(outer: string, inner: string): boolean {
  const a = parseBlock(outer);
  const b = parseBlock(inner);
  if (!a || !b || a.bits !== b.bits || a.prefix > b.prefix) return false;
  const shift = BigInt(a.bits - a.prefix);
  return a.base >> shift === b.base >> shift;
}

/** True when the two blocks share at least one address (same family). */
export function overlaps(x: string, y: string): boolean {
  return covers(x, y) || covers(y, x);
}

/** The family of an address or block, or undefined when it is neither. */
export function familyOf(text: string): "ipv4" | "ipv6" | undefined {
  const b = parseBlock(text);
  return b ? (b.bits === 32 ? "ipv4" : "ipv6") : undefined;
}

/** The prefix length of a block (for longest-prefix route matching); -1 when unreadable. */
export function prefixOf(text: string): number {
  return parseBlock(text)?.prefix ?? -1;
}
