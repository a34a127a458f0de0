import { BlockList, isIP } from 'node:net';

/**
 * Address checks for guarded fetching: pure functions, no I/O. An address is
 * refused when it is loopback, private, link-local, carrier-grade NAT,
 * multicast, reserved, documentation, or a cloud metadata endpoint — in IPv4,
 * IPv6, or IPv4 embedded in IPv6 (mapped, compatible, NAT64, 6to4).
 */

const V4_BLOCKED: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'this-network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6_BLOCKED: Array<[string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'discard'],
  ['2001::', 32, 'Teredo'],
  ['2001:db8::', 32, 'documentation'],
  ['2001:10::', 28, 'ORCHID'],
  ['fc00::', 7, 'unique local (private; includes fd00:ec2::254 metadata)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

const v4 = new BlockList();
const v4Reasons: Array<[BlockList, string]> = [];
for (const [net, prefix, why] of V4_BLOCKED) {
  v4.addSubnet(net, prefix, 'ipv4');
  const one = new BlockList();
  one.addSubnet(net, prefix, 'ipv4');
  v4Reasons.push([one, why]);
}
const v6Reasons: Array<[BlockList, string]> = [];
for (const [net, prefix, why] of V6_BLOCKED) {
  const one = new BlockList();
  one.addSubnet(net, prefix, 'ipv6');
  v6Reasons.push([one, why]);
}

/** Expands an IPv6 address to its 8 hextets (numbers), or null when it is not IPv6. */
export function ipv6Hextets(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let addr = address.split('%')[0] ?? address;
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(addr);
  if (dotted?.[1]) {
    const p = dotted[1].split('.').map(Number);
    addr = addr.slice(0, -dotted[1].length) + `${(((p[0] ?? 0) << 8) | (p[1] ?? 0)).toString(16)}:${(((p[2] ?? 0) << 8) | (p[3] ?? 0)).toString(16)}`;
  }
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const h = head ? head.split(':').filter(Boolean) : [];
  const t = tail !== undefined && tail ? tail.split(':').filter(Boolean) : [];
  const missing = 8 - h.length - t.length;
  const all = [...h, ...(tail !== undefined ? Array<string>(missing).fill('0') : []), ...t];
  if (all.length !== 8) return null;
  return all.map((x) => parseInt(x, 16));
}

function v4FromHextets(a: number, b: number): string {
  return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
}

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any. */
export function embeddedIpv4(address: string): string | null {
  const h = ipv6Hextets(address);
  if (!h) return null;
  const [a0, a1, a2, a3, a4, a5, a6, a7] = h as [number, number, number, number, number, number, number, number];
  if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0 && a4 === 0 && (a5 === 0xffff || a5 === 0) && !(a5 === 0 && a6 === 0)) {
    return v4FromHextets(a6, a7); // ::ffff:a.b.c.d and deprecated ::a.b.c.d
  }
  if (a0 === 0x64 && a1 === 0xff9b && a2 === 0 && a3 === 0 && a4 === 0 && a5 === 0) return v4FromHextets(a6, a7); // NAT64
  if (a0 === 0x2002) return v4FromHextets(a1, a2); // 6to4
  return null;
}

/** Why an address must not be fetched, or null when it is a public unicast address. */
export function forbiddenReason(address: string): string | null {
  const family = isIP(address);
  if (family === 4) {
    for (const [list, why] of v4Reasons) if (list.check(address, 'ipv4')) return why;
    return null;
  }
  if (family === 6) {
    const inner = embeddedIpv4(address);
    if (inner) {
      const why = forbiddenReason(inner);
      return why ? `${why} (IPv4 ${inner} inside IPv6)` : null;
    }
    const plain = address.split('%')[0] ?? address;
    for (const [list, why] of v6Reasons) if (list.check(plain, 'ipv6')) return why;
    return null;
  }
  return 'not an IP address';
}

export function isForbiddenAddress(address: string): boolean {
  return forbiddenReason(address) !== null;
}

/** Host names refused before any DNS lookup. */
export function forbiddenHostname(hostname: string): string | null {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return 'loopback name';
  if (h === 'metadata.google.internal' || h === 'metadata' || h.endsWith('.internal')) return 'cloud metadata name';
  return null;
}
