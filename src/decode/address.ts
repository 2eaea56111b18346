/**
 * Address text, built only for what is reported (never on the hot path).
 * IPv6 follows RFC 5952: lowercase, longest run of two or more zero groups compressed, leftmost on ties.
 */
export function formatIpv4(d: Uint8Array, at: number): string {
  return `${d[at]}.${d[at + 1]}.${d[at + 2]}.${d[at + 3]}`;
}

export function formatIpv6(d: Uint8Array, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((d[at + 2 * i] << 8) | d[at + 2 * i + 1]);
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  // An IPv4-mapped address keeps its dotted tail (::ffff:192.0.2.1), as Wireshark prints it.
  if (bestStart === 0 && bestLength === 5 && groups[5] === 0xffff) return `::ffff:${formatIpv4(d, at + 12)}`;
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function formatMac(d: Uint8Array, at: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(d[at + i].toString(16).padStart(2, '0'));
  return parts.join(':');
}

/** An IP address of a decoded packet by version and absolute offset. */
export function formatIp(d: Uint8Array, version: number, at: number): string {
  return version === 4 ? formatIpv4(d, at) : formatIpv6(d, at);
}
