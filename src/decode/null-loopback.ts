import type { ByteReader } from './byte-reader.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { addAnomaly, type Packet } from './packet.js';

/**
 * BSD loopback encapsulation: a 4-byte address family before the IP header. Link type 0 (NULL)
 * stores it in the capturing host's byte order (RawCap on Windows, macOS), link type 108 (LOOP) in
 * network byte order. Families: 2 = IPv4; 24, 28, 30 = IPv6 (NetBSD/OpenBSD, FreeBSD, Darwin).
 */
export function decodeNullLoopback(r: ByteReader, p: Packet, offset: number, networkOrder: boolean): void {
  const check = r.checkRange(offset, 4);
  if (check !== 'ok') {
    addAnomaly(p, check, 'null', `loopback header needs 4 bytes, ${r.available(offset)} captured`);
    return;
  }
  let family = networkOrder ? r.u32(offset) : r.u32le(offset);
  // A value that only makes sense byte-swapped was written on a host of the other byte order.
  if (!networkOrder && family > 0xffff) family = r.u32(offset);
  if (family === 2) decodeIpv4(r, p, offset + 4);
  else if (family === 24 || family === 28 || family === 30) decodeIpv6(r, p, offset + 4);
  else p.protocol = 'other';
}

/** Raw IP (link types 101, 12, 14, 228, 229): the version nibble says which. */
export function decodeRawIp(r: ByteReader, p: Packet, offset: number, only: 0 | 4 | 6): void {
  const check = r.checkRange(offset, 1);
  if (check !== 'ok') {
    addAnomaly(p, check, 'ip', 'empty raw IP frame');
    return;
  }
  const version = only === 0 ? r.u8(offset) >> 4 : only;
  if (version === 4) decodeIpv4(r, p, offset);
  else if (version === 6) decodeIpv6(r, p, offset);
  else addAnomaly(p, 'malformed', 'ip', `raw IP frame with IP version ${version}`);
}
